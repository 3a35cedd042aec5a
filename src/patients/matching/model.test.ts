import { describe, expect, it } from 'vitest';
import type { LEVELS } from './levels.js';
import { estimateModel, rng } from './model.js';
import { generatePopulationArray } from './population/generate.js';

describe('estimateModel', () => {
  const { records } = generatePopulationArray({ seed: 11, people: 4000 });
  const model = estimateModel(records, { uPairs: 100_000 });
  const w = (f: keyof typeof LEVELS, level: string): number => {
    const l = model.fields[f]!.levels.find((x) => x.label === level)!;
    return Math.log2(l.m / l.u);
  };

  it('learns agreement as evidence for and disagreement as evidence against', () => {
    for (const f of ['given_name', 'family_name', 'birth_date', 'ssn'] as const) {
      expect(w(f, 'exact')).toBeGreaterThan(4);
      expect(w(f, 'different')).toBeLessThan(0);
    }
    expect(w('birth_date', 'exact')).toBeGreaterThan(w('birth_date', 'year-only'));
  });
  it('recovers the duplicate rate it was generated with (the prior), within a factor of two', () => {
    const n = records.length;
    const truePairs = n - 4000 + 0; // at least one pair per duplicate record
    const expected = truePairs / ((n * (n - 1)) / 2);
    expect(model.lambda).toBeGreaterThan(expected / 2);
    expect(model.lambda).toBeLessThan(expected * 4);
  });
  it('keeps the household rules whole on a population with households, and is reproducible', () => {
    expect(model.householdStrength).toBe(1);
    expect(estimateModel(records, { uPairs: 100_000 }).fields.given_name).toEqual(model.fields.given_name);
  });
  it('takes overrides and thresholds as given, and is JSON-serialisable', () => {
    const m = estimateModel(records.slice(0, 500), { uPairs: 10_000, overrides: { sex: { different: { m: 0.001 } } }, thresholds: { link: 7 } });
    expect(m.fields.sex!.levels[2]!.m).toBe(0.001);
    expect(m.thresholds.link).toBe(7);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
  it('rng is deterministic', () => {
    expect([rng(3)(), rng(3)()]).toEqual([rng(3)(), rng(3)()]);
  });
});
