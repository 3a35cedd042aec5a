import { describe, expect, it } from 'vitest';
import { estimateModel } from './model.js';
import { generatePopulationArray } from './population/generate.js';
import { normalise } from './normalise.js';
import { compare, scoreNorm, type ScoreParts } from './score.js';
import type { PersonRecord } from './types.js';

const { records } = generatePopulationArray({ seed: 5, people: 3000 });
const model = estimateModel(records, { uPairs: 100_000 });

const base: PersonRecord = {
  id: 'a', given_name: 'Maria', family_name: 'Okafor', birth_date: '1990-05-17', sex: 'F', address_line: '12 Cedar Lane',
  city: 'millbrook', state: 'ny', postal_code: '12501', phone: '5551234567', ssn: '', email: '',
};

describe('pair scores', () => {
  it('reads a model stored before a level was added (postal same-area weighs as different)', () => {
    const pm = model.fields.postal_code!;
    const old = { ...model, fields: { ...model.fields, postal_code: { ...pm, levels: pm.levels.filter((l) => l.label !== 'same-area') } } };
    const s = compare(base, { ...base, id: 'b', postal_code: '12577' }, old);
    const postal = s.contributions.find((c) => c.field === 'postal_code')!;
    expect(postal.level).toBe('same-area');
    expect(postal.weight).toBeCloseTo(Math.max(-16, Math.log2(pm.levels[4]!.m / pm.levels[4]!.u)), 2);
  });
  it('explain themselves: the score is the sum of the contributions, in a JSON-stable shape', () => {
    const s = compare(base, { ...base, id: 'b', given_name: 'Marie' }, model);
    const sum = s.contributions.reduce((t, c) => t + c.weight, 0);
    expect(s.score).toBeCloseTo(sum, 1);
    expect(s.contributions[0]).toMatchObject({ field: 'prior', level: 'prior' });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(Object.keys(s).sort()).toEqual(['contributions', 'decision', 'score']);
  });
  it('tells evidence against from little shared: a disagreeing pair and a pair with only a name in common', () => {
    const parts: ScoreParts = { against: 0 };
    const a = normalise(base);
    const nameOnly = normalise({ id: 'b', given_name: 'Maria', family_name: 'Okafor' });
    scoreNorm(model, a, nameOnly, parts);
    expect(parts.against).toBe(0);
    const other = normalise({ ...base, id: 'c', given_name: 'Grace', birth_date: '1961-11-02', address_line: '40 Elm Road', postal_code: '13577', phone: '5559990000' });
    scoreNorm(model, a, other, parts);
    expect(parts.against).toBeLessThan(-6);
  });
  it('weighs one shared full-name token by its frequency: a rare middle name counts more than a common one', () => {
    const fm = model.fields.full_name!;
    const m = { ...model, fields: { ...model.fields, full_name: { ...fm, tf: { john: 0.2 }, tfOther: 0.0001 } } };
    const weight = (middle: string): number => {
      const s = compare({ id: 'a', given_name: 'Maria', middle_name: middle, family_name: 'Okafor' }, { id: 'b', given_name: middle, family_name: 'Hart' }, m);
      const c = s.contributions.find((x) => x.field === 'full_name')!;
      expect(c.level).toBe('shared');
      return c.weight;
    };
    expect(weight('Zebulon')).toBeCloseTo(Math.log2(fm.levels[2]!.m / 0.0001), 2);
    expect(weight('John')).toBeLessThan(weight('Zebulon') - 8);
  });
  it('links an obvious duplicate', () => {
    expect(compare(base, { ...base, id: 'b', given_name: 'MARIA ', phone: '' }, model).decision).toBe('match');
  });
  it('twins (same family, birth date and address, other given name) score as different people', () => {
    const s = compare(base, { ...base, id: 'b', given_name: 'Grace', sex: 'F' }, model);
    expect(s.decision).toBe('non-match');
    expect(s.contributions.find((c) => c.field === 'household')).toMatchObject({ level: 'twins' });
  });
  it('a parent and child at one address, same name, other birth date: not linked', () => {
    const s = compare({ ...base, given_name: 'James', sex: 'M', birth_date: '1960-02-01' }, { ...base, id: 'b', given_name: 'James', sex: 'M', birth_date: '1991-08-30' }, model);
    expect(s.decision).toBe('non-match');
    expect(s.contributions.find((c) => c.field === 'household')).toMatchObject({ level: 'other-generation' });
  });
  it('a generational suffix difference counts against', () => {
    const a = { ...base, given_name: 'James', sex: 'M', suffix: 'Jr' };
    const s = compare(a, { ...a, id: 'b', suffix: 'Sr' }, model);
    expect(s.contributions.find((c) => c.field === 'suffix')?.weight).toBeLessThan(0);
    expect(s.score).toBeLessThan(compare(a, { ...a, id: 'b' }, model).score - 10);
  });
  it('a different SSN counts against, a shared one overrides the household rules', () => {
    const withSsn = { ...base, ssn: '078051121' };
    expect(compare(withSsn, { ...withSsn, id: 'b', ssn: '523456789' }, model).score).toBeLessThan(compare(withSsn, { ...withSsn, id: 'b' }, model).score);
    const s = compare(withSsn, { ...withSsn, id: 'b', given_name: 'Grace' }, model);
    expect(s.contributions.find((c) => c.field === 'household')).toBeUndefined();
  });
  it('common family names weigh less than rare ones (term frequencies)', () => {
    const common = compare({ ...base, family_name: 'smith' }, { ...base, id: 'b', family_name: 'smith' }, model).contributions.find((c) => c.field === 'family_name')!;
    const rare = compare({ ...base, family_name: 'zzyzx' }, { ...base, id: 'b', family_name: 'zzyzx' }, model).contributions.find((c) => c.field === 'family_name')!;
    expect(rare.weight).toBeGreaterThan(common.weight);
  });
});
