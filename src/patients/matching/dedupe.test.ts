import { describe, expect, it } from 'vitest';
import { dedupe, link } from './dedupe.js';
import { generatePopulationArray } from './population/generate.js';
import type { PersonRecord } from './types.js';

function f1(pairs: { a: string; b: string; decision: string }[], truth: Map<string, number>): number {
  const sizes = new Map<number, number>();
  for (const p of truth.values()) sizes.set(p, (sizes.get(p) ?? 0) + 1);
  const all = [...sizes.values()].reduce((t, k) => t + (k * (k - 1)) / 2, 0);
  const matches = pairs.filter((p) => p.decision === 'match');
  const tp = matches.filter((p) => truth.get(p.a) === truth.get(p.b)).length;
  const precision = tp / matches.length;
  const recall = tp / all;
  return (2 * precision * recall) / (precision + recall);
}

describe('dedupe', () => {
  it('finds the duplicates of a household population (F1 > 0.95) and reports its work', () => {
    const { records, truth } = generatePopulationArray({ seed: 8, people: 3000 });
    const steps = new Set<string>();
    const r = dedupe(records, { uPairs: 100_000 }, (step) => steps.add(step));
    expect(f1(r.pairs, truth)).toBeGreaterThan(0.95);
    expect([...steps]).toEqual(['normalising', 'estimating', 'blocking', 'clustering']);
    expect(r.stats.candidatePairs).toBeGreaterThan(r.stats.retainedPairs);
    for (const c of r.clusters) expect(c.length).toBeLessThan(10);
  }, 60_000);
  it('links two files one-to-one', () => {
    const { records, truth } = generatePopulationArray({ seed: 12, people: 3000, duplicateRate: 0.5 });
    const seen = new Set<number>();
    const a: PersonRecord[] = [];
    const b: PersonRecord[] = [];
    for (const r of records) {
      const p = truth.get(r.id)!;
      if (!seen.has(p)) {
        seen.add(p);
        a.push(r);
      } else if (!b.some((x) => truth.get(x.id) === p)) b.push(r);
    }
    const r = link(a, b, { uPairs: 100_000 });
    const matches = r.pairs.filter((p) => p.decision === 'match');
    const ids = new Set(a.map((x) => x.id));
    for (const p of matches) expect(ids.has(p.a) && !ids.has(p.b)).toBe(true);
    const tp = matches.filter((p) => truth.get(p.a) === truth.get(p.b)).length;
    expect(tp / matches.length).toBeGreaterThan(0.97);
    expect(tp / b.length).toBeGreaterThan(0.95);
    expect(new Set(matches.map((p) => p.b)).size).toBe(matches.length);
  }, 60_000);
});
