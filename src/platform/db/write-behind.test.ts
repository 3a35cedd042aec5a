import { describe, expect, it } from 'vitest';
import { writeStatement, type DeferredTable } from './write-behind.js';

const A: DeferredTable = { table: 'a', columns: [['x', 'text'], ['y', 'integer']] };
const B: DeferredTable = { table: 'b', columns: [['z', 'jsonb'], ['at', 'timestamptz']] };

describe('the write-behind statement', () => {
  it('one table: one insert from the rows as a JSON array, in order, missing values null', () => {
    const s = writeStatement([[A, [{ x: 'p\r"q', y: 1 }, { x: 'q' }]]]);
    expect(s.text).toBe('insert into a (x, y) select x, y from jsonb_to_recordset($1::jsonb) as x(x text, y integer)');
    expect(JSON.parse(s.values[0] as string)).toEqual([{ x: 'p\r"q', y: 1 }, { x: 'q' }]);
  });

  it('several tables: data-modifying CTEs in one statement, one parameter per table; jsonb values given as JSON text go in as JSON', () => {
    const at = new Date('2026-12-02T10:00:00Z');
    const s = writeStatement([[A, [{ x: 'p', y: 1 }]], [B, [{ z: '{"k":[1]}', at }, { z: null }]]]);
    expect(s.text).toBe('with w0 as (insert into a (x, y) select x, y from jsonb_to_recordset($1::jsonb) as x(x text, y integer)) '
      + 'insert into b (z, at) select z, at from jsonb_to_recordset($2::jsonb) as x(z jsonb, at timestamptz)');
    expect(s.values.map((v) => JSON.parse(v as string))).toEqual([[{ x: 'p', y: 1 }], [{ z: { k: [1] }, at: '2026-12-02T10:00:00.000Z' }, { z: null }]]);
  });

  it('the text depends on the tables only, not on the number of rows (so it can be a prepared statement)', () => {
    expect(writeStatement([[A, [{ x: 'p' }]]]).text).toBe(writeStatement([[A, Array.from({ length: 50 }, () => ({ x: 'p' }))]]).text);
  });
});
