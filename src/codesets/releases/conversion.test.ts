import { describe, expect, it } from 'vitest';
import { parseConversionRows } from './conversion.js';

describe('parseConversionRows', () => {
  it('reads codes, the October 1 of the listed year, and previous codes without dots', () => {
    const rows = [['The National Center… (intro)', '', ''], ['Current code assignment', 'Effective', 'Previous Code(s) Assignment'], ['A04.71', '2017', 'A04.7'], ['E11.A', '2025', 'E11.8, E11.9'], [], ['', '']];
    expect(parseConversionRows(rows, 'ct.xlsx')).toEqual([
      { currentCode: 'A0471', effectiveFrom: '2017-10-01', previousCodes: 'A047' },
      { currentCode: 'E11A', effectiveFrom: '2025-10-01', previousCodes: 'E118,E119' },
    ]);
  });

  it('names the row of a bad code and refuses a sheet without its header', () => {
    expect(() => parseConversionRows([['Current code assignment', 'Effective', 'Previous'], ['not a code', '2020', 'A00']], 'ct.xlsx')).toThrow(/ct\.xlsx:2: "not a code"/);
    expect(() => parseConversionRows([['x']], 'ct.xlsx')).toThrow(/no "Current code assignment" header/);
  });
});
