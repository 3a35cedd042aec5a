import { describe, expect, it } from 'vitest';
import { javaTrim, resolveDischargeDate } from './date.js';
import { parseFolder, TableError, type FolderText } from './parse.js';
import { miniFolder } from './__fixtures__/mini.js';

function problemsOf(text: FolderText): string[] {
  try {
    parseFolder(text);
  } catch (error) {
    if (error instanceof TableError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseFolder', () => {
  const good = miniFolder('v42.0', '20241001', '20250331');

  it('parses a folder into lookups', () => {
    const w = parseFolder(good);
    expect(w).toMatchObject({ version: 'v42.0', windowStart: 20241001, windowEnd: 20250331, terminationDate: 20260930 });
    expect(w.diagnoses.get('B000')?.[0]).toMatchObject({ start: 20151001, end: 20260930, flags: ['ecodepdx'] });
    expect(w.edits[0]).toEqual({ ordinal: 0, name: 'INVALID_CODE', codeType: 'BOTH', payment: 'PREPAYMENT', counted: true });
    expect(w.dischargeStatus.map((s) => s.code)).toContain(20);
  });

  it('names the file and line of every malformed row', () => {
    const diagnoses = good.diagnoses.replace('B000\t20151001', 'B000\t20151301').replace('B001\t', 'B0.1\t').replace('\tqadm', '\tqadm,nosuchflag');
    expect(problemsOf({ ...good, diagnoses })).toEqual([
      'v42.0/diagnoses.tsv.gz:5: malformed date "20151301" (expected yyyymmdd)',
      'v42.0/diagnoses.tsv.gz:6: malformed code "B0.1"',
      'v42.0/diagnoses.tsv.gz:10: flag "nosuchflag" is not listed in flags.tsv',
    ]);
  });

  it('refuses a wrong header, a short row, overlapping rows and inconsistent convenience columns', () => {
    expect(problemsOf({ ...good, procedures: good.procedures.replace('code\tstart_date', 'kode\tstart_date') })[0]).toMatch(/procedures.tsv.gz:1: expected the header/);
    expect(problemsOf({ ...good, ageRanges: good.ageRanges + 'adult\t15\n' })).toEqual(['v42.0/age_ranges.tsv:6: expected 5 tab-separated fields, found 2']);
    expect(problemsOf({ ...good, diagnoses: good.diagnoses + 'I10\t20200101\t20991231\t\t\t\n' })[0]).toMatch(/I10 has two rows for the same dates/);
    expect(problemsOf({ ...good, diagnoses: good.diagnoses.replace('\tmaternity\t\tmaternity\n', '\tadult\t\tmaternity\n') })[0]).toMatch(/age group "adult" does not match/);
    expect(problemsOf({ ...good, dischargeStatus: good.dischargeStatus + 'x1\t20200101\t20991231\n' })[0]).toMatch(/discharge_status.tsv:\d+: malformed discharge status "x1"/);
    expect(problemsOf({ ...good, edits: good.edits.replace('\n1\tSEX_CONFLICT', '\n7\tSEX_CONFLICT') })[0]).toMatch(/edits.tsv:3: ordinal "7" out of sequence/);
    expect(problemsOf({ ...good, meta: 'key\tvalue\nversion\tv42.0\n' })).toEqual([
      'v42.0/meta.tsv: window_start missing or not a yyyymmdd date',
      'v42.0/meta.tsv: window_end missing or not a yyyymmdd date',
      'v42.0/meta.tsv: mce_termination_date missing or not a yyyymmdd date',
    ]);
  });
});

describe('discharge date (step 0)', () => {
  it('trims like Java and reads yyyyMMdd, clamping the day to the month', () => {
    expect(javaTrim('\u0000 \t20250101\r\n')).toBe('20250101');
    expect(resolveDischargeDate('20250431')).toBe(20250430);
    expect(resolveDischargeDate('20240231')).toBe(20240229);
    expect(resolveDischargeDate('20250231')).toBe(20250228);
    for (const bad of ['20250132', '20251301', '20250001', '20250100', '2025101', '2025-10-01', '', '２０２５０１０１', '+2025010']) expect(resolveDischargeDate(bad)).toBeNull();
  });
});
