import { describe, expect, it } from 'vitest';
import { generatePopulation, generatePopulationArray } from './generate.js';

describe('synthetic population', () => {
  it('is deterministic from its seed', () => {
    expect(generatePopulationArray({ seed: 9, people: 300 }).records).toEqual(generatePopulationArray({ seed: 9, people: 300 }).records);
    expect(generatePopulationArray({ seed: 10, people: 300 }).records).not.toEqual(generatePopulationArray({ seed: 9, people: 300 }).records);
  });
  it('has households with twins and juniors, near-duplicates, and the truth', () => {
    const all = [...generatePopulation({ seed: 2, people: 5000 })];
    const people = new Set(all.map((g) => g.person));
    expect(people.size).toBeGreaterThanOrEqual(5000);
    const dupShare = 1 - people.size / all.length;
    expect(dupShare).toBeGreaterThan(0.15);
    expect(dupShare).toBeLessThan(0.4);
    const byHome = new Map<number, typeof all>();
    for (const g of all) byHome.set(g.household, [...(byHome.get(g.household) ?? []), g]);
    let twins = 0;
    let juniors = 0;
    for (const members of byHome.values()) {
      const originals = members.filter((g, i) => members.findIndex((x) => x.person === g.person) === i);
      for (let i = 0; i < originals.length; i++)
        for (let j = i + 1; j < originals.length; j++) {
          const [a, b] = [originals[i]!.record, originals[j]!.record];
          if (a.birth_date === b.birth_date && a.given_name !== b.given_name && a.family_name === b.family_name) twins++;
          if (a.given_name === b.given_name && a.family_name === b.family_name && a.birth_date !== b.birth_date) juniors++;
        }
    }
    expect(twins).toBeGreaterThan(20);
    expect(juniors).toBeGreaterThan(20);
    expect(new Set(all.map((g) => g.record.id)).size).toBe(all.length);
  });
});
