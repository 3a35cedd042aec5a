import { forEachCandidate, type BlockingPass } from './blocking.js';
import { compareLevels, FIELDS, LEVELS, LOCATION_FIELDS, PERSON_FIELDS } from './levels.js';
import { normalise } from './normalise.js';
import type { Field, FieldModel, Model, NormRecord, PersonRecord, Thresholds } from './types.js';

/** Starting m per level (also the prior that EM estimates are smoothed towards). */
export const DEFAULT_M: Record<Field, number[]> = {
  given_name: [0, 0.8, 0.04, 0.06, 0.03, 0.03, 0.01, 0.03],
  family_name: [0, 0.85, 0.06, 0.03, 0.02, 0.01, 0.03],
  birth_date: [0, 0.85, 0.02, 0.06, 0.04, 0.01, 0.01, 0.01],
  sex: [0, 0.97, 0.03],
  ssn: [0, 0.9, 0.07, 0.03],
  email: [0, 0.85, 0.1, 0.05],
  address: [0, 0.75, 0.1, 0.05, 0.1],
  city: [0, 0.85, 0.05, 0.1],
  postal_code: [0, 0.8, 0.07, 0.05, 0.08],
  phone: [0, 0.85, 0.07, 0.08],
  full_name: [0, 0.25, 0.45, 0.3],
};

/** Default decision thresholds (match weight, the prior included). The same for every data set. */
export const DEFAULT_THRESHOLDS: Thresholds = { link: 0, review: -8 };

export interface EstimateOptions {
  /** Random pairs drawn for u (default 400,000). */
  uPairs?: number;
  /** Candidate pairs per training pass used by EM (default 200,000). */
  emPairs?: number;
  emIterations?: number;
  seed?: number;
  thresholds?: Partial<Thresholds>;
  /** m/u to use as given instead of estimating them (per field, per level label). */
  overrides?: Partial<Record<Field, Partial<Record<string, { m?: number; u?: number }>>>>;
  /** Fix the household rules' strength (0–1) instead of estimating it. */
  householdStrength?: number;
  /** For linkage: the source of each record (0 or 1); pairs are drawn across sources only. */
  source?: Uint8Array;
}

/** mulberry32: a small seeded PRNG so estimation is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Passes whose candidate pairs train m (Splink's approach: each pass estimates the fields it does not block on). */
export const TRAINING_PASSES: BlockingPass[] = [
  { name: 'train:birth-date', fields: ['birth_date'], key: (r) => r.dob },
  { name: 'train:names', fields: ['given_name', 'family_name'], key: (r) => (r.givenCode && r.familyCode ? `${r.givenCode}|${r.familyCode}` : '') },
];

function uFromRandomPairs(recs: NormRecord[], n: number, random: () => number, source?: Uint8Array): number[][] {
  const counts = FIELDS.map((f) => new Float64Array(LEVELS[f].length));
  const out = new Uint8Array(FIELDS.length);
  const total = recs.length;
  for (let k = 0; k < n; k++) {
    const i = Math.floor(random() * total);
    const j = Math.floor(random() * total);
    if (i === j || (source && source[i] === source[j])) continue;
    compareLevels(recs[i]!, recs[j]!, out);
    for (let f = 0; f < FIELDS.length; f++) counts[f]![out[f]!]!++;
  }
  // Add-half smoothing so that a level never seen among non-matches is rare, not impossible.
  return counts.map((c) => {
    let sum = 0;
    for (let l = 1; l < c.length; l++) sum += c[l]! + 0.5;
    return Array.from(c, (v, l) => (l === 0 ? 1 : (v + 0.5) / sum));
  });
}

/** EM over one training pass: returns the m estimates of every field not blocked on, and the expected match count. */
function emPass(vectors: Uint8Array[], u: number[][], pass: BlockingPass, iterations: number): { m: (number[] | null)[]; matches: number } {
  const active = FIELDS.map((f) => PERSON_FIELDS.includes(f) && !pass.fields.includes(f));
  const m = FIELDS.map((f) => [...DEFAULT_M[f]]);
  let lambda = 0.3;
  const post = new Float64Array(vectors.length);
  for (let it = 0; it < iterations; it++) {
    let sumP = 0;
    for (let k = 0; k < vectors.length; k++) {
      const v = vectors[k]!;
      let pm = lambda;
      let pu = 1 - lambda;
      for (let f = 0; f < FIELDS.length; f++) {
        const l = v[f]!;
        if (!active[f] || l === 0) continue;
        pm *= m[f]![l]!;
        pu *= u[f]![l]!;
      }
      post[k] = pm / (pm + pu);
      sumP += post[k]!;
    }
    lambda = Math.min(0.999, Math.max(1e-6, sumP / vectors.length));
    for (let f = 0; f < FIELDS.length; f++) if (active[f]) m[f] = mStep(vectors, post, f, DEFAULT_M[FIELDS[f]!]);
  }
  let matches = 0;
  for (const p of post) matches += p;
  // Second stage: location fields are estimated from the person-field posteriors; they never drive the E step.
  return {
    m: FIELDS.map((f, i) => (active[i] ? m[i]! : LOCATION_FIELDS.includes(f) ? mStep(vectors, post, i, DEFAULT_M[f]) : null)),
    matches,
  };
}

/** m of one field from posteriors, smoothed towards the default with the weight of 5 pairs. */
function mStep(vectors: Uint8Array[], post: Float64Array, f: number, prior: number[]): number[] {
  const acc = new Float64Array(prior.length);
  let sum = 0;
  for (let k = 0; k < vectors.length; k++) {
    const l = vectors[k]![f]!;
    if (l === 0) continue;
    acc[l]! += post[k]!;
    sum += post[k]!;
  }
  const alpha = 5;
  return Array.from(acc, (v, l) => (l === 0 ? 1 : (v + alpha * prior[l]!) / (sum + alpha)));
}

/** Shares of the most frequent values, over the non-empty values or over `per` (e.g. records, for tokens). */
function termFrequencies(values: string[], per?: number): { tf: Record<string, number>; tfOther: number } {
  const counts = new Map<string, number>();
  let n = 0;
  for (const v of values) {
    if (!v) continue;
    n++;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (per !== undefined) n = per;
  const top = [...counts].filter(([, c]) => c >= 2).sort((x, y) => y[1] - x[1]).slice(0, 5000);
  const tf: Record<string, number> = {};
  for (const [v, c] of top) tf[v] = c / n;
  return { tf, tfOther: n > 0 ? 1 / n : 1 };
}

/**
 * Estimates a model from the records themselves: u from random pairs, m by EM on the candidate pairs of each
 * training pass (fields a pass blocks on are left out of it; location fields are estimated after the E step, from
 * person-field posteriors only), the prior from the expected number of matches, term frequencies of names.
 * @param records - the records (raw or normalised)
 * @param options - sample sizes, seed, thresholds and m/u overrides
 */
export function estimateModel(records: (PersonRecord | NormRecord)[], options: EstimateOptions = {}): Model {
  const recs = records.map((r) => ('givenTokens' in r ? r : normalise(r)));
  const random = rng(options.seed ?? 42);
  const u = uFromRandomPairs(recs, options.uPairs ?? 300_000, random, options.source);
  const emPairs = options.emPairs ?? 200_000;
  const mSum = FIELDS.map((f) => new Array<number>(LEVELS[f].length).fill(0));
  const mCount = new Array<number>(FIELDS.length).fill(0);
  let expectedMatches = 0;
  for (const pass of TRAINING_PASSES) {
    const vectors: Uint8Array[] = [];
    let seen = 0;
    forEachCandidate(recs, [pass], { maxBlockSize: 200, source: options.source }, (i, j) => {
      seen++;
      // Reservoir sampling; a pair is compared only when it enters the sample.
      if (vectors.length < emPairs) vectors.push(compareLevels(recs[i]!, recs[j]!, new Uint8Array(FIELDS.length)));
      else {
        const k = Math.floor(random() * seen);
        if (k < emPairs) vectors[k] = compareLevels(recs[i]!, recs[j]!, new Uint8Array(FIELDS.length));
      }
    });
    if (vectors.length < 10) continue;
    const r = emPass(vectors, u, pass, options.emIterations ?? 25);
    expectedMatches = Math.max(expectedMatches, (r.matches * seen) / vectors.length);
    r.m.forEach((m, f) => {
      if (!m) return;
      mCount[f]!++;
      m.forEach((v, l) => (mSum[f]![l]! += v));
    });
  }
  const n = recs.length;
  const pairs = options.source ? countSource(options.source, 0) * countSource(options.source, 1) : (n * (n - 1)) / 2;
  const lambda = Math.min(0.5, Math.max(1e-12, Math.max(expectedMatches, 1) / Math.max(pairs, 1)));
  const fields: Partial<Record<Field, FieldModel>> = {};
  FIELDS.forEach((f, i) => {
    const labels = LEVELS[f];
    const ov = options.overrides?.[f];
    fields[f] = {
      levels: labels.map((label, l) => ({
        label,
        m: ov?.[label]?.m ?? (l === 0 ? 1 : mCount[i]! > 0 ? mSum[i]![l]! / mCount[i]! : DEFAULT_M[f][l]!),
        u: ov?.[label]?.u ?? u[i]![l]!,
      })),
    };
  });
  const g = termFrequencies(recs.map((r) => r.given));
  const fam = termFrequencies(recs.map((r) => r.family));
  fields.given_name!.tf = g.tf;
  fields.given_name!.tfOther = g.tfOther;
  fields.family_name!.tf = fam.tf;
  fields.family_name!.tfOther = fam.tfOther;
  // Full-name tokens: the share of records whose name holds the token (the chance a random other record has it).
  const tok = termFrequencies(recs.flatMap((r) => r.nameTokens), n);
  fields.full_name!.tf = tok.tf;
  fields.full_name!.tfOther = tok.tfOther;
  const householdStrength = options.householdStrength ?? estimateHouseholdStrength(recs, options.source);
  return { version: 1, lambda, fields, thresholds: { ...DEFAULT_THRESHOLDS, ...options.thresholds }, householdStrength };
}

/**
 * The strength of the household rules: among pairs at one address with agreeing family names, the share that are
 * plainly two people (given name and birth date both different), over 0.25, capped at 1. With fewer than 30 such
 * pairs the rules apply in full.
 */
export function estimateHouseholdStrength(recs: NormRecord[], source?: Uint8Array): number {
  let pairs = 0;
  let distinct = 0;
  const v = new Uint8Array(FIELDS.length);
  const pass: BlockingPass = { name: 'household', fields: ['address'], key: (r) => (r.address && r.familyCode ? `${r.address}|${r.familyCode}` : '') };
  forEachCandidate(recs, [pass], { maxBlockSize: 50, source }, (i, j) => {
    compareLevels(recs[i]!, recs[j]!, v);
    if (v[0] === 0 || v[2] === 0) return;
    pairs++;
    if (v[0] === 7 && v[2] === 7) distinct++;
  });
  return pairs < 30 ? 1 : Math.min(1, distinct / pairs / 0.25);
}

function countSource(source: Uint8Array, s: number): number {
  let c = 0;
  for (const v of source) if (v === s) c++;
  return c;
}
