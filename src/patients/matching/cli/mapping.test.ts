import { describe, expect, it } from 'vitest';
import { parseMap, rowMapper } from './mapping.js';

describe('--map and header mapping', () => {
  it('parses renames and joins', () => {
    expect(parseMap('rec_id=id, street_number+address_1=address_line')).toEqual([
      { target: 'id', sources: ['rec_id'] },
      { target: 'address_line', sources: ['street_number', 'address_1'] },
    ]);
    expect(parseMap(undefined)).toEqual([]);
  });
  it('collects every problem of a bad mapping', () => {
    expect(() => parseMap('a=nope,b,=id')).toThrow(/"nope" is not a column.*"b" is not source=target.*"=id"/);
    expect(() => parseMap('a=id,b=id')).toThrow(/mapped twice/);
  });
  it('maps rows: explicit mappings, then columns named like targets; other columns ignored', () => {
    const m = rowMapper('f.csv', ['rec_id', 'given_name', 'street_number', 'address_1', 'colour'], parseMap('rec_id=id,street_number+address_1=address_line'));
    expect(m.toRecord(['r1', 'Ann', '12', 'main st', 'red'], 1)).toEqual({ id: 'r1', address_line: '12 main st', given_name: 'Ann' });
  });
  it('reads a full_name column as the whole written name', () => {
    const m = rowMapper('f.csv', ['unique_id', 'full_name', 'first_name'], parseMap('unique_id=id,first_name=given_name'));
    expect(m.toRecord(['q1', 'thomas clifford of chudleigh', 'thomas'], 1)).toEqual({ id: 'q1', given_name: 'thomas', full_name: 'thomas clifford of chudleigh' });
  });
  it('numbers rows when there is no id column', () => {
    expect(rowMapper('f.csv', ['given_name'], []).toRecord(['Ann'], 7).id).toBe('7');
  });
  it('rejects an unknown source column and a header naming nothing it knows', () => {
    expect(() => rowMapper('f.csv', ['a', 'b'], parseMap('surname=family_name'))).toThrow(/f\.csv: no column "surname"/);
    expect(() => rowMapper('f.csv', ['rec-1', 'john', 'smith'], [])).toThrow(/first line must be a header/);
  });
});
