import { describe, expect, it } from 'vitest';
import { ageOn, checkAbstract, EMPTY_ABSTRACT, editClaim, groupingClaim, lengthOfStay } from './abstract.js';
import { ageBand, blockersOf } from './dnfb.js';

const facts = { age: 76, sex: 'F' as const, dischargeDate: '2025-03-05', admitDate: '2025-03-01', dischargeStatus: '01' };

describe('the abstract', () => {
  it('builds the grouper and MCE claims: codes without dots, POA blank as space, sex and status as CMS wants', () => {
    const a = checkAbstract({ ...EMPTY_ABSTRACT, principalDx: 'i50.23', secondary: [{ code: 'J96.01', poa: 'Y' }, { code: 'Z79.01', poa: '' }], procedures: [{ code: '5A1935Z', date: '2025-03-02', physicianNpi: null }], dischargeDisposition: '6' });
    expect(groupingClaim(a, facts)).toEqual({ pdx: 'I5023', sdx: [{ code: 'J9601', poa: 'Y' }, { code: 'Z7901', poa: ' ' }], procedures: ['5A1935Z'], sex: '2', dischargeStatus: '06', age: 76 });
    expect(editClaim(a, facts)).toMatchObject({ dischargeDate: '20250305', sex: 2, dischargeStatus: 6, los: 4, diagnoses: ['I5023', 'J9601', 'Z7901'] });
  });
  it('refuses what is not an abstract', () => {
    expect(() => checkAbstract({ ...EMPTY_ABSTRACT, secondary: Array.from({ length: 25 }, (_, i) => ({ code: `A0${i % 10}`, poa: 'Y' as const })) })).toThrow(/24/);
    expect(() => checkAbstract({ ...EMPTY_ABSTRACT, principalDx: 'DROP TABLE' })).toThrow(/not a code/);
    expect(() => checkAbstract({ ...EMPTY_ABSTRACT, secondary: [{ code: 'J96.01', poa: 'Y' }, { code: 'j9601', poa: 'N' }] })).toThrow(/twice/);
    expect(() => checkAbstract({ ...EMPTY_ABSTRACT, birthWeightGrams: 12 })).toThrow(/grams/);
  });
  it('computes age on the discharge date and the length of stay', () => {
    expect(ageOn('1948-03-06', '2025-03-05')).toBe(76);
    expect(ageOn('1948-03-05', '2025-03-05')).toBe(77);
    expect(lengthOfStay('2025-03-01', '2025-03-05')).toBe(4);
    expect(lengthOfStay(null, '2025-03-05')).toBe(0);
  });
});

describe('DNFB', () => {
  it('names what blocks a case and bands its age', () => {
    expect(blockersOf({ status: 'new', version: 0, openQueries: 0, editCount: 0 })).toEqual(['not_coded']);
    expect(blockersOf({ status: 'on_hold', version: 2, openQueries: 1, editCount: 2 })).toEqual(['not_coded', 'open_query', 'failing_edit']);
    expect(blockersOf({ status: 'final', version: 3, openQueries: 0, editCount: 0 })).toEqual([]);
    expect([0, 3, 4, 8, 15, 31].map(ageBand)).toEqual(['0-3', '0-3', '4-7', '8-14', '15-30', '31+']);
  });
});
