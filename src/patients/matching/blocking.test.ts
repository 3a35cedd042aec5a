import { describe, expect, it } from 'vitest';
import { BLOCKING_PASSES, blockingKeys, budgetLimit, forEachCandidate, hashKey } from './blocking.js';
import { normalise } from './normalise.js';
import { generatePopulationArray } from './population/generate.js';

describe('blocking', () => {
  it('gives name keys that survive swapped names, and date, SSN, phone, postal keys', () => {
    const a = blockingKeys({ id: '1', given_name: 'John', family_name: 'Smith', birth_date: '1970-01-02', ssn: '078051121', phone: '555 123 4567', postal_code: '12501' });
    const b = blockingKeys({ id: '2', given_name: 'Smith', family_name: 'John' });
    expect(a['name-codes']).toBe(b['name-codes']);
    expect(a).toMatchObject({ ssn: '078051121', phone: '5551234567', 'birth-date+given-initial': '19700102|j', 'postal-code+family-initial': '12501|s' });
  });
  it('meets nicknames and surnames written in the given-name field', () => {
    const a = blockingKeys({ id: '1', given_name: 'Thomas', family_name: 'Browne', city: 'Bath' });
    const b = blockingKeys({ id: '2', given_name: 'Tom', family_name: 'Brown' });
    expect(a['given-concept+family-code']).toBe(b['given-concept+family-code']);
    const c = blockingKeys({ id: '3', given_name: 'Lawson', city: 'Croydon' });
    const d = blockingKeys({ id: '4', given_name: 'Francis', family_name: 'Lawson', city: 'Croydon' });
    expect(c['last-name-code+city']).toBe(d['last-name-code+city']);
  });
  it('meets on any one rare name token: a title for a given name, a surname only in the full name', () => {
    const recs = [
      { id: '1', given_name: 'Admiral', family_name: 'Halsted', city: 'Gosport' },
      { id: '2', full_name: 'Admiral Sir Lawrence Halsted', given_name: 'Lawrence', birth_date: '1764-01-01' },
      { id: '3', given_name: 'Lawrence', family_name: 'Oates', city: 'Putney' },
    ].map(normalise);
    expect(blockingKeys(recs[1]!)['name-token']).toEqual(['lawrence', 'halsted']);
    const pairs: string[] = [];
    forEachCandidate(recs, BLOCKING_PASSES, { maxBlockSize: 1000 }, (i, j, p) => pairs.push(`${i}-${j}:${BLOCKING_PASSES[p]!.name}`));
    // 0–1 meet on "halsted" and 1–2 on "lawrence", each once; 0–2 share no name.
    expect(pairs.sort()).toEqual(['0-1:name-token', '1-2:name-token']);
  });
  it('visits a pair that shares several keys of a pass once, and not in a block that was skipped', () => {
    const pass = { name: 'tokens', fields: [], key: (r: { givenTokens: string[] }) => r.givenTokens, maxBlockSize: 2 };
    const recs = [
      { id: '1', given_name: 'Anna Maria Luisa' },
      { id: '2', given_name: 'Anna Maria Luisa' },
      { id: '3', given_name: 'Luisa' },
    ].map(normalise);
    const pairs: string[] = [];
    // "luisa" (3 records) is over the limit: 0–2 and 1–2 are not compared; 0–1 meets on "anna" and "maria", once.
    forEachCandidate(recs, [pass], { maxBlockSize: 1000 }, (i, j) => pairs.push(`${i}-${j}`));
    expect(pairs).toEqual(['0-1']);
  });
  it('leaves the pairs of a block skipped as too large to later passes', () => {
    const recs = [{ id: '1', given_name: 'Ada', city: 'Bath' }, { id: '2', given_name: 'Ada', city: 'Bath' }, { id: '3', given_name: 'Eve', city: 'Bath' }].map(normalise);
    const byCity = { name: 'city', fields: [], key: (r: { city: string }) => r.city, maxBlockSize: 2 };
    const byGiven = { name: 'given', fields: [], key: (r: { given: string }) => r.given };
    const pairs: string[] = [];
    forEachCandidate(recs, [byCity, byGiven], { maxBlockSize: 1000 }, (i, j, p) => pairs.push(`${i}-${j}:${p}`));
    expect(pairs).toEqual(['0-1:1']);
  });
  it('lowers a pass block-size limit until its blocks fit the pair budget', () => {
    expect(budgetLimit([2, 3, 10], 1000, 100)).toBe(1000);
    // 1 + 3 + 45 = 49 pairs; 45 more would not fit in 60: blocks over 9 records are skipped.
    expect(budgetLimit([2, 3, 10, 10], 1000, 60)).toBe(9);
    expect(budgetLimit([2, 3, 10, 10], 1000, 2)).toBe(2);
    const { records } = generatePopulationArray({ seed: 3, people: 800 });
    const recs = records.map(normalise);
    let all = 0;
    let capped = 0;
    forEachCandidate(recs, BLOCKING_PASSES.slice(0, 1), { maxBlockSize: 1000 }, () => all++);
    forEachCandidate(recs, BLOCKING_PASSES.slice(0, 1), { maxBlockSize: 1000, pairBudget: Math.floor(all / 2) }, () => capped++);
    expect(capped).toBeLessThanOrEqual(Math.floor(all / 2));
    expect(capped).toBeGreaterThan(0);
  });
  it('visits each candidate pair once over all passes', () => {
    const { records } = generatePopulationArray({ seed: 3, people: 800 });
    const recs = records.map(normalise);
    const seen = new Set<string>();
    let visits = 0;
    forEachCandidate(recs, BLOCKING_PASSES, { maxBlockSize: 1000 }, (i, j) => {
      visits++;
      seen.add(`${i}-${j}`);
      expect(i).not.toBe(j);
    });
    expect(visits).toBe(seen.size);
    expect(visits).toBeLessThan((recs.length * (recs.length - 1)) / 20);
  });
  it('finds nearly every true pair of a population', () => {
    const { records, truth } = generatePopulationArray({ seed: 4, people: 2000 });
    const recs = records.map(normalise);
    let found = 0;
    forEachCandidate(recs, BLOCKING_PASSES, { maxBlockSize: 1000 }, (i, j) => {
      if (truth.get(recs[i]!.id) === truth.get(recs[j]!.id)) found++;
    });
    const sizes = new Map<number, number>();
    for (const p of truth.values()) sizes.set(p, (sizes.get(p) ?? 0) + 1);
    const all = [...sizes.values()].reduce((t, k) => t + (k * (k - 1)) / 2, 0);
    expect(found / all).toBeGreaterThan(0.99);
  });
  it('hashes keys to non-zero numbers', () => {
    expect(hashKey('')).toBe(0);
    expect(hashKey('a')).not.toBe(0);
  });
});
