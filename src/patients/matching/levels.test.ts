import { describe, expect, it } from 'vitest';
import { compareLevels, FIELDS, LEVELS } from './levels.js';
import { normalise } from './normalise.js';
import type { Field, PersonRecord } from './types.js';

function levels(a: Omit<PersonRecord, 'id'>, b: Omit<PersonRecord, 'id'>): Partial<Record<Field, string>> {
  const out = compareLevels(normalise({ id: 'a', ...a }), normalise({ id: 'b', ...b }), new Uint8Array(FIELDS.length));
  const r: Partial<Record<Field, string>> = {};
  FIELDS.forEach((f, i) => {
    if (out[i]) r[f] = LEVELS[f][out[i]];
  });
  return r;
}

describe('comparison levels', () => {
  it('given names: exact, nickname, typo, similar, initial, different', () => {
    expect(levels({ given_name: 'Robert' }, { given_name: 'robert' }).given_name).toBe('exact');
    expect(levels({ given_name: 'Robert' }, { given_name: 'Bob' }).given_name).toBe('nickname');
    expect(levels({ given_name: 'Robert' }, { given_name: 'Rboert' }).given_name).toBe('typo');
    expect(levels({ given_name: 'Steven' }, { given_name: 'Stephan' }).given_name).toBe('similar');
    expect(levels({ given_name: 'R' }, { given_name: 'Robert' }).given_name).toBe('initial-or-part');
    expect(levels({ given_name: 'Robert' }, { given_name: 'Alice' }).given_name).toBe('different');
    expect(levels({ given_name: 'Robert' }, {}).given_name).toBeUndefined();
  });
  it('swapped given and family names, also with one side missing', () => {
    expect(levels({ given_name: 'Smith', family_name: 'John' }, { given_name: 'John', family_name: 'Smith' })).toMatchObject({ given_name: 'swapped', family_name: 'swapped' });
    expect(levels({ family_name: 'Thomas' }, { given_name: 'Thomas', family_name: 'Gabriel' })).toMatchObject({ family_name: 'swapped' });
  });
  it('family names: hyphenated part', () => {
    expect(levels({ family_name: 'Garcia-Lopez' }, { family_name: 'Garcia' }).family_name).toBe('part');
  });
  it('birth dates: exact, transposed, one digit, one component, year only, within five years, different', () => {
    const dob = (a: string, b: string): string | undefined => levels({ birth_date: a }, { birth_date: b }).birth_date;
    expect(dob('1980-03-07', '19800307')).toBe('exact');
    expect(dob('1980-03-07', '1980-07-03')).toBe('day-month-transposed');
    expect(dob('1980-03-07', '1980-03-08')).toBe('one-digit');
    expect(dob('1980-03-07', '1980-03-27')).toBe('one-digit');
    expect(dob('1980-03-07', '1980-11-07')).toBe('one-component');
    expect(dob('1980-03-07', '1980-11-20')).toBe('year-only');
    expect(dob('1980-03-07', '1983-11-20')).toBe('within-5-years');
    expect(dob('1980-03-07', '1950-11-20')).toBe('different');
  });
  it('full names: tokens shared beyond the first given and family name (middle names, other surnames)', () => {
    // The alternative surname "Clifford" is the other record's family name: one shared token.
    expect(levels({ full_name: 'Thomas Clifford, 1st Baron Clifford of Chudleigh', given_name: 'Thomas', family_name: 'Chudleigh' }, { given_name: 'Thomzs', family_name: 'Clifford' }).full_name).toBe('shared');
    // A title is not a name: "Sir" and "Baronet" shared say nothing; John and Rutherford do.
    expect(levels({ full_name: 'Sir John Rutherford, 1st Baronet', given_name: 'Sir', family_name: 'Baronet' }, { given_name: 'John', family_name: 'Rutherford' }).full_name).toBe('shared-2');
    expect(levels({ given_name: 'Gerald', middle_name: 'Maurice', family_name: 'Burn' }, { given_name: 'Gerald', family_name: 'Maurice' }).full_name).toBe('shared');
    expect(levels({ given_name: 'Gerald', middle_name: 'Maurice', family_name: 'Burn' }, { given_name: 'Gerald', middle_name: 'Paul', family_name: 'Hart' }).full_name).toBe('different');
    // Nothing beyond given and family name on either side: no evidence either way.
    expect(levels({ given_name: 'Gerald', family_name: 'Burn' }, { given_name: 'Gerald', family_name: 'Maurice' }).full_name).toBeUndefined();
    // Both names agree already: a shared middle name would mostly repeat them (a junior has his father's).
    expect(levels({ given_name: 'Jason', middle_name: 'George', family_name: 'Ramos' }, { given_name: 'Jason', middle_name: 'George', family_name: 'Ramos' }).full_name).toBeUndefined();
  });
  it('postal codes of one area (all but the last two characters agree)', () => {
    expect(levels({ postal_code: 'YO23 3GE' }, { postal_code: 'YO23 3SQ' }).postal_code).toBe('same-area');
    expect(levels({ postal_code: '12501' }, { postal_code: '12577' }).postal_code).toBe('same-area');
    expect(levels({ postal_code: '12501' }, { postal_code: '13577' }).postal_code).toBe('different');
  });
  it('SSN exact / one edit, phone, postal code, address, e-mail', () => {
    expect(levels({ ssn: '078-05-1121' }, { ssn: '078051121' }).ssn).toBe('exact');
    expect(levels({ ssn: '078051121' }, { ssn: '078051112' }).ssn).toBe('one-edit');
    expect(levels({ ssn: '078051121' }, { ssn: '523456789' }).ssn).toBe('different');
    expect(levels({ phone: '(555) 123-4567' }, { phone: '5551234567' }).phone).toBe('exact');
    expect(levels({ address_line: '12 Main Street' }, { address_line: '12 main st' }).address).toBe('exact');
    expect(levels({ address_line: '12 Main Street' }, { address_line: '12 Mian St' }).address).toBe('similar');
    expect(levels({ email: 'jsmith12@x.org' }, { email: 'jsmith34@x.org' }).email).toBe('different');
    expect(levels({ email: 'jsmith12@x.org' }, { email: 'jsmith12@y.org' }).email).toBe('similar');
  });
});
