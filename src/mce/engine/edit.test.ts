import { describe, expect, it } from 'vitest';
import { formatEdits } from './claims-tsv.js';
import { edit } from './edit.js';
import type { MceClaim } from './model.js';
import { miniFolder, miniTables } from './__fixtures__/mini.js';
import { parseFolder } from './parse.js';

const tables = miniTables();

function run(over: Partial<MceClaim>): { type: string; edits: string; outcome: ReturnType<typeof edit> } {
  const claim: MceClaim = { dischargeDate: '20250115', age: 50, sex: 1, dischargeStatus: 1, los: 5, diagnoses: ['I10'], procedures: [], ...over };
  const outcome = edit(tables, claim);
  if (outcome.kind !== 'edited') return { type: 'TABLES_MISSING', edits: '', outcome };
  return { type: outcome.editType, edits: formatEdits(outcome.edits), outcome };
}

describe('step 0: discharge date', () => {
  it('refuses malformed dates and dates outside the MCE range with no edit at all', () => {
    for (const d of ['20250132', '20251301', '20250001', '2025101', '2025-10-01', '', '19850930', '20261001', '+2025011']) {
      expect(run({ dischargeDate: d, diagnoses: ['XXX'], age: 999 })).toMatchObject({ type: 'INVALID_DISCHARGE_DATE', edits: '' });
    }
  });
  it('resolves a day past the end of the month to its last day, after trimming', () => {
    expect(run({ dischargeDate: ' 20250231\t', diagnoses: ['I10'] }).outcome).toMatchObject({ dischargeDate: '2025-02-28', editType: 'NONE' });
    expect(run({ dischargeDate: '20240231' }).outcome).toMatchObject({ kind: 'tables-missing', dischargeDate: '2024-02-29' });
  });
  it('chooses rows by the resolved date: a code ended 2024-12-31 is invalid after it', () => {
    expect(run({ dischargeDate: '20241231', diagnoses: ['A001'] }).edits).toBe('');
    expect(run({ dischargeDate: '20250101', diagnoses: ['A001'] }).edits).toBe('INVALID_CODE:A001');
    expect(run({ dischargeDate: '20250101', diagnoses: ['I10'], procedures: ['000000K'] }).edits).toBe('');
    expect(run({ dischargeDate: '20250102', diagnoses: ['I10'], procedures: ['000000K'] }).edits).toBe('INVALID_CODE:000000K');
  });
  it('a valid date no loaded window covers is tables-missing, not an edit', () => {
    expect(run({ dischargeDate: '20200101' }).outcome).toEqual({ kind: 'tables-missing', dischargeDate: '2020-01-01' });
    expect(edit({ windows: [] }, { dischargeDate: '20250101', age: 1, sex: 1, dischargeStatus: 1, los: 1, diagnoses: [], procedures: [] })).toMatchObject({ kind: 'tables-missing' });
  });
});

describe('step 1: validation', () => {
  it('invalid codes, lower case, decimal points and spaces', () => {
    expect(run({ diagnoses: ['i10', 'a000'] }).edits).toBe('');
    expect(run({ diagnoses: ['I10.', ' A000', 'A000 '] }).edits).toBe('INVALID_CODE:I10.;INVALID_CODE: A000;INVALID_CODE:A000 ');
    expect(run({ diagnoses: ['I10'], procedures: ['0000000', 'ZZZ', ''] }).edits).toBe('INVALID_CODE:ZZZ');
  });
  it('blank or all-zero principal is INVALID_CODE; blank or zero secondary raises nothing', () => {
    expect(run({ diagnoses: [''] }).edits).toBe('INVALID_CODE:');
    expect(run({ diagnoses: ['0000'] }).edits).toBe('INVALID_CODE:0000');
    expect(run({ diagnoses: [' 0'] }).edits).toBe('INVALID_CODE: 0');
    expect(run({ diagnoses: ['I10', '', '0', '000'] }).edits).toBe('');
    expect(run({ diagnoses: ['I10', ' 0'] }).edits).toBe('INVALID_CODE: 0');
  });
  it('claim-level edits come last in ordinal order', () => {
    expect(run({ age: 125, sex: 3, dischargeStatus: 99 })).toMatchObject({ type: 'PREPAYMENT', edits: 'INVALID_AGE:;INVALID_SEX:;INVALID_DISCHARGE_STATUS:' });
    expect(run({ age: -1 }).edits).toBe('INVALID_AGE:');
    expect(run({ age: 0 }).edits).toBe('');
    expect(run({ age: 124 }).edits).toBe('');
  });
  it('sex 0 is valid from 2024-10-01, invalid before', () => {
    expect(run({ sex: 0 }).edits).toBe('');
    expect(run({ sex: 0, dischargeDate: '20240930' }).edits).toBe('INVALID_SEX:');
    expect(run({ sex: 2, dischargeDate: '20240930' }).edits).toBe('');
  });
  it('discharge status compared as an integer', () => {
    expect(run({ dischargeStatus: 20 }).edits).toBe('');
    expect(run({ dischargeStatus: 4 }).edits).toBe('INVALID_DISCHARGE_STATUS:');
  });
  it('invalid codes get no flags', () => {
    expect(run({ diagnoses: ['B000X'] }).edits).toBe('INVALID_CODE:B000X');
  });
});

describe('step 2: principal diagnosis', () => {
  it.each([
    ['B000', 'E_CODE_AS_PDX'], ['B001', 'MANIFESTATION_AS_PDX'], ['B002', 'UNACCEPTABLE_PDX'], ['B004', 'QUESTIONABLE_ADMISSION'],
    ['Y6551', 'WRONG_PROCEDURE_PERFORMED'], ['R69', 'UNSPECIFIED'],
  ])('%s as principal → %s', (code, name) => {
    expect(run({ diagnoses: [code] })).toMatchObject({ type: 'PREPAYMENT', edits: `${name}:${code}` });
    expect(run({ diagnoses: [code.toLowerCase()] }).edits).toBe(`${name}:${code.toLowerCase()}`);
  });
  it('principal-only edits do not fire on secondary diagnoses', () => {
    expect(run({ diagnoses: ['I10', 'B000', 'B001', 'B002', 'B004'] }).edits).toBe('');
  });
  it('Z5189 requires a secondary diagnosis and is otherwise acceptable', () => {
    expect(run({ diagnoses: ['Z5189'] }).edits).toBe('REQUIRES_SDX:Z5189');
    expect(run({ diagnoses: ['Z5189', 'I10'] }).edits).toBe('');
  });
  it('non-specific principal only when the patient is discharged alive (post-payment)', () => {
    expect(run({ diagnoses: ['B003'] })).toMatchObject({ type: 'POSTPAYMENT', edits: 'NONSPECIFIC_PDX:B003' });
    expect(run({ diagnoses: ['B003'], dischargeStatus: 20 }).edits).toBe('');
  });
  it('Medicare secondary payer (post-payment), on principal and secondary', () => {
    expect(run({ diagnoses: ['B005', 'B005'] })).toMatchObject({ type: 'BOTH', edits: 'MEDICARE_IS_SECONDARY_PAYER:B005;DUPLICATE_OF_PDX:B005;MEDICARE_IS_SECONDARY_PAYER:B005' });
  });
  it('keeps CMS order within a code', () => {
    expect(run({ diagnoses: ['O001'], age: 70 }).edits).toBe('AGE_CONFLICT:O001;UNSPECIFIED:O001');
  });
});

describe('age conflict', () => {
  it.each([
    ['P000', 0, 1, 'NEWBORN'], ['P001', 17, 18, 'PEDIATRIC'], ['O000', 9, 65, 'MATERNITY'], ['C000', 15, 14, 'ADULT'],
  ] as const)('%s: %i is fine, %i conflicts (%s)', (code, ok, bad, type) => {
    expect(run({ diagnoses: [code], age: ok }).edits).toBe('');
    const r = run({ diagnoses: ['I10', code], age: bad });
    expect(r.edits).toBe(`AGE_CONFLICT:${code}`);
    expect(r.outcome.kind === 'edited' && r.outcome.edits[0]).toMatchObject({ ageConflict: type, role: 'secondary', position: 1 });
    expect(r.outcome.kind === 'edited' && r.outcome.edits[0]!.explanation).toMatch(/patient's age is/);
  });
  it('invalid ages are still compared', () => {
    expect(run({ diagnoses: ['C000'], age: 125 }).edits).toBe('AGE_CONFLICT:C000;INVALID_AGE:');
    expect(run({ diagnoses: ['C000'], age: 124 }).edits).toBe('');
  });
});

describe('sex conflict (FY2024 and earlier data; rule kept for any data that carries the flags)', () => {
  it('fires on 2024-09-30, and on a flagged row after the cut-over except for sex 0', () => {
    expect(run({ dischargeDate: '20240930', sex: 2, diagnoses: ['N400'] }).edits).toBe('SEX_CONFLICT:N400');
    expect(run({ dischargeDate: '20240930', sex: 1, diagnoses: ['I10', 'N401'] }).edits).toBe('SEX_CONFLICT:N401');
    expect(run({ dischargeDate: '20240930', sex: 1, diagnoses: ['N400'] }).edits).toBe('');
    expect(run({ dischargeDate: '20241001', sex: 0, diagnoses: ['N400'] }).edits).toBe('');
    expect(run({ dischargeDate: '20241001', sex: 2, diagnoses: ['I10'], procedures: ['0000006'] }).edits).toBe('SEX_CONFLICT:0000006');
  });
});

describe('step 4: secondary diagnoses', () => {
  it('duplicate of the principal: exact string, each occurrence counted, validity irrelevant', () => {
    const r = run({ diagnoses: ['I10', 'I10', 'i10', 'I10'] });
    expect(r.edits).toBe('DUPLICATE_OF_PDX:I10;DUPLICATE_OF_PDX:I10');
    expect(r.outcome.kind === 'edited' && r.outcome.counts).toEqual([{ edit: 'DUPLICATE_OF_PDX', count: 2 }]);
    expect(run({ diagnoses: ['', ''] }).edits).toBe('INVALID_CODE:;DUPLICATE_OF_PDX:');
    expect(run({ diagnoses: [' 0', ' 0'] }).edits).toBe('INVALID_CODE: 0;INVALID_CODE: 0;DUPLICATE_OF_PDX: 0');
  });
  it('unspecified and wrong procedure also on secondary diagnoses', () => {
    expect(run({ diagnoses: ['I10', 'R69', 'Y6551'] }).edits).toBe('UNSPECIFIED:R69;WRONG_PROCEDURE_PERFORMED:Y6551');
  });
});

describe('step 5: procedures', () => {
  it('length of stay below 5 days', () => {
    expect(run({ procedures: ['5A1955Z'], los: 4 }).edits).toBe('INCONSISTENT_WITH_LENGTH_OF_STAY:5A1955Z');
    expect(run({ procedures: ['5A1955Z'], los: 5 }).edits).toBe('');
  });
  it('non-covered A (procedure), D and G (made non-covered by a diagnosis), F (age > 60)', () => {
    expect(run({ procedures: ['0000001'] }).edits).toBe('NON_COVERED:0000001');
    expect(run({ procedures: ['0000003'] }).edits).toBe('');
    expect(run({ diagnoses: ['I10', 'D000'], procedures: ['0000003'] }).edits).toBe('NON_COVERED:0000003');
    expect(run({ diagnoses: ['D001'], procedures: ['0000004'] }).edits).toBe('NON_COVERED:0000004');
    expect(run({ diagnoses: ['Z302'], procedures: ['0000005'] }).edits).toBe('NON_COVERED:0000005');
    expect(run({ procedures: ['0000005'] }).edits).toBe('');
    expect(run({ procedures: ['0SR20JZ'], age: 60 }).edits).toBe('');
    expect(run({ procedures: ['0SR20JZ'], age: 61 }).edits).toBe('NON_COVERED:0SR20JZ');
    expect(run({ procedures: ['0SR20JZ'], age: -1 }).edits).toBe('NON_COVERED:0SR20JZ;INVALID_AGE:');
  });
  it('non-covered B: pancreas transplant covered with a kidney transplant or type I diabetes', () => {
    expect(run({ procedures: ['0FYG0Z0'] }).edits).toBe('NON_COVERED:0FYG0Z0');
    expect(run({ procedures: ['0fyg0z0'] }).edits).toBe('NON_COVERED:0fyg0z0');
    expect(run({ procedures: ['0FYG0Z0', '0TY00Z0'] }).edits).toBe('');
    expect(run({ diagnoses: ['I10', 'E100'], procedures: ['0FYG0Z0'] }).edits).toBe('');
  });
  it('limited coverage, and non-covered wins over it', () => {
    expect(run({ procedures: ['0000002'] }).edits).toBe('LIMITED_COVERAGE:0000002');
  });
  it('artificial heart: both parts with the clinical-trial diagnosis are limited coverage, without it non-covered', () => {
    expect(run({ procedures: ['000000D', '000000E'] }).edits).toBe('NON_COVERED:000000D;NON_COVERED:000000E');
    expect(run({ diagnoses: ['I10', 'Z006'], procedures: ['000000D', '000000E'] }).edits).toBe('LIMITED_COVERAGE:000000D;LIMITED_COVERAGE:000000E');
    expect(run({ procedures: ['000000D'] }).edits).toBe('');
    expect(run({ procedures: ['000000F'] }).edits).toBe('NON_COVERED:000000F');
    expect(run({ diagnoses: ['Z006'], procedures: ['000000F'] }).edits).toBe('LIMITED_COVERAGE_ARTIFICIAL_HEART:000000F');
  });
  it('ICD-9-style limited-coverage variants; those not counted for ICD-10 do not change the edit type', () => {
    expect(run({ procedures: ['000000G'] })).toMatchObject({ type: 'PREPAYMENT', edits: 'LIMITED_COVERAGE_LIVER_TRANSPLANT:000000G' });
    const r = run({ procedures: ['000000H'] });
    expect(r).toMatchObject({ type: 'NONE', edits: 'LIMITED_COVERAGE_LVRS:000000H' });
    expect(r.outcome.kind === 'edited' && r.outcome.counts).toEqual([]);
  });
  it('questionable obstetric admission unless a secondary diagnosis has delout', () => {
    expect(run({ diagnoses: ['O000'], age: 30, procedures: ['10D00Z0', '10E0XZZ'] }).edits).toBe('QUESTIONABLE_OBSTETRIC_ADMISSION:10D00Z0;QUESTIONABLE_OBSTETRIC_ADMISSION:10E0XZZ');
    expect(run({ diagnoses: ['O000', 'Z370'], age: 30, procedures: ['10D00Z0'] }).edits).toBe('');
    expect(run({ diagnoses: ['Z370'], procedures: ['10D00Z0'] }).edits).toBe('QUESTIONABLE_OBSTETRIC_ADMISSION:10D00Z0');
    expect(run({ procedures: ['000000J'] }).edits).toBe('NON_COVERED:000000J;QUESTIONABLE_OBSTETRIC_ADMISSION:000000J');
  });
  it('non-specific O.R. procedure only without a specific O.R. procedure (post-payment)', () => {
    expect(run({ procedures: ['0000007'] })).toMatchObject({ type: 'POSTPAYMENT', edits: 'NONSPECIFIC_OR:0000007' });
    expect(run({ procedures: ['0000007', '0000009'] }).edits).toBe('NONSPECIFIC_OR:0000007;NONSPECIFIC_OR:0000009');
    expect(run({ procedures: ['0000007', '0000008'] }).edits).toBe('');
  });
  it('open biopsy (post-payment)', () => {
    expect(run({ procedures: ['000000A'] })).toMatchObject({ type: 'POSTPAYMENT', edits: 'OPEN_BIOPSY:000000A' });
  });
  it('bilateral: mdc08 principal and two distinct bilateral procedures, counted once per claim', () => {
    const r = run({ diagnoses: ['M000'], procedures: ['000000B', '000000C', '000000B'] });
    expect(r.edits).toBe('BILATERAL:000000B;BILATERAL:000000C;BILATERAL:000000B');
    expect(r.outcome.kind === 'edited' && r.outcome.counts).toEqual([{ edit: 'BILATERAL', count: 1 }]);
    expect(run({ diagnoses: ['M000'], procedures: ['000000B', '000000B'] }).edits).toBe('');
    expect(run({ diagnoses: ['I10'], procedures: ['000000B', '000000C'] }).edits).toBe('');
  });
  it('pancreas transplants before 2006-04-26 need both ncov4 and ncov5 diagnoses', () => {
    const old = { windows: [parseFolder(miniFolder('v23.0', '20051001', '20060930', '20260930', '20000101'))] };
    const c = { dischargeDate: '20060101', age: 50, sex: 1, dischargeStatus: 1, los: 5, procedures: ['0FYG0Z0'] };
    const edits = (diagnoses: string[]) => {
      const out = edit(old, { ...c, diagnoses });
      return out.kind === 'edited' ? formatEdits(out.edits) : out.kind;
    };
    expect(edits(['E100'])).toBe('NON_COVERED:0FYG0Z0');
    expect(edits(['E101', 'E102'])).toBe('');
  });
});

describe('step 3: admit diagnosis', () => {
  it('an invalid admit diagnosis is counted with edit type NONE; its conflicts are recorded, not counted', () => {
    const r = run({ admitDiagnosis: 'XXXX' });
    expect(r.type).toBe('NONE');
    expect(r.outcome.kind === 'edited' && r.outcome.counts).toEqual([{ edit: 'INVALID_ADMIT_DX', count: 1 }]);
    const a = run({ admitDiagnosis: 'P000', age: 40 });
    expect(a.type).toBe('NONE');
    expect(a.outcome.kind === 'edited' && a.outcome.edits).toMatchObject([{ edit: 'AGE_CONFLICT', role: 'admit', counted: false }]);
  });
});

describe('explanations', () => {
  it('every edit carries a readable explanation', () => {
    const r = run({ diagnoses: ['B000', 'B000'], procedures: ['0000001', '5A1955Z'], los: 1, age: 130, sex: 5, dischargeStatus: 99 });
    expect(r.outcome.kind === 'edited' && r.outcome.edits.map((e) => e.explanation.length > 20)).toEqual(new Array(7).fill(true));
    expect(r.outcome.kind === 'edited' && r.outcome.edits[0]!.explanation).toMatch(/external-cause/);
  });
});
