import { describe, expect, it } from 'vitest';
import { writeStatement, type DeferredTable } from './write-behind.js';

const A: DeferredTable = { table: 'a', columns: [['x', 'text'], ['y', 'integer']] };
const B: DeferredTable = { table: 'b', columns: [['z', 'jsonb']] };

describe('the write-behind statement', () => {
  it('one table: one insert from unnest, one array per column, rows in order, missing values null', () => {
    const s = writeStatement([[A, [{ x: 'p', y: 1 }, { x: 'q' }]]]);
    expect(s.text).toBe('insert into a (x, y) select * from unnest($1::text[], $2::integer[])');
    expect(s.values).toEqual([['p', 'q'], [1, null]]);
  });

  it('several tables: data-modifying CTEs in one statement, parameters numbered across them', () => {
    const s = writeStatement([[A, [{ x: 'p', y: 1 }]], [B, [{ z: '{}' }, { z: '[]' }]]]);
    expect(s.text).toBe('with w0 as (insert into a (x, y) select * from unnest($1::text[], $2::integer[])) insert into b (z) select * from unnest($3::jsonb[])');
    expect(s.values).toEqual([['p'], [1], ['{}', '[]']]);
  });

  it('the text depends on the tables only, not on the number of rows (so it can be a prepared statement)', () => {
    expect(writeStatement([[A, [{ x: 'p' }]]]).text).toBe(writeStatement([[A, Array.from({ length: 50 }, () => ({ x: 'p' }))]]).text);
  });
});
