import type { NormRecord, PersonRecord } from './types.js';
import { doubleMetaphone } from './double-metaphone.js';
import { nicknameConcept } from './nicknames.js';
import { normalise } from './normalise.js';

/** A blocking pass: records with the same (non-empty) key are compared. */
export interface BlockingPass {
  name: string;
  /** Fields every pair of this pass agrees on (EM leaves them out of the pass). */
  fields: string[];
  /** The record's key ('' for none), or its keys: records that share any one are compared (a record meets on each of its names). */
  key(r: NormRecord): string | string[];
  /** A tighter block-size limit for this pass (a key that is only worth comparing on where it is rare). */
  maxBlockSize?: number;
}

const initial = (s: string): string => s.charAt(0);
const both = (a: string, b: string): string => (a && b ? `${a}|${b}` : '');
const code = (s: string): string => (s ? doubleMetaphone(s)[0] : '');
/** The given name's nickname concept, coded (Bob, Robbie and Robert meet). */
const conceptCode = (r: NormRecord): string => code(nicknameConcept(r.givenTokens[0] ?? ''));
/** The code of the record's last name token: the family name, or the last given token when there is none (a surname written in the given-name field). */
const lastTokenCode = (r: NormRecord): string => r.familyCode || code(lastToken(r));
/** The family name, or the last given token when there is none. */
const lastToken = (r: NormRecord): string => r.family || (r.givenTokens[r.givenTokens.length - 1] ?? '');

/** The passes used by dedupe and link, in order. A pair found by an earlier pass is not scored again. */
export const BLOCKING_PASSES: BlockingPass[] = [
  // Sorted so that swapped given and family names meet too.
  { name: 'name-codes', fields: ['given_name', 'family_name'], key: (r) => (r.givenCode && r.familyCode ? [r.givenCode, r.familyCode].sort().join('|') : '') },
  { name: 'birth-date+given-initial', fields: ['birth_date'], key: (r) => both(r.dob, initial(r.given)) },
  { name: 'birth-date+family-initial', fields: ['birth_date'], key: (r) => both(r.dob, initial(lastToken(r))) },
  { name: 'birth-date+city', fields: ['birth_date'], key: (r) => both(r.dob, r.city) },
  { name: 'ssn', fields: ['ssn'], key: (r) => r.ssn },
  { name: 'phone', fields: ['phone'], key: (r) => r.phone },
  { name: 'email-user', fields: [], key: (r) => r.email.slice(0, r.email.indexOf('@')) },
  { name: 'postal-code+given-initial', fields: ['postal_code'], key: (r) => both(r.postal, initial(r.given)) },
  { name: 'postal-code+family-initial', fields: ['postal_code'], key: (r) => both(r.postal, initial(lastToken(r))) },
  { name: 'last-name-code+birth-year', fields: [], key: (r) => both(lastTokenCode(r), r.dob.slice(0, 4)) },
  // Birth date alone, only where a date is shared by few records (always so in small files, seldom at a million).
  { name: 'birth-date', fields: ['birth_date'], key: (r) => r.dob, maxBlockSize: 24 },
  { name: 'given-code+birth-month-day', fields: [], key: (r) => both(r.givenCode, r.dob.slice(4)), maxBlockSize: 60 },
  { name: 'given-code+birth-year', fields: [], key: (r) => both(r.givenCode, r.dob.slice(0, 4)), maxBlockSize: 40 },
  // Nicknames (Tom ~ Thomas), and records whose surname is missing or moved into the given-name field.
  { name: 'given-concept+family-code', fields: [], key: (r) => both(conceptCode(r), r.familyCode) },
  { name: 'given-code+city', fields: [], key: (r) => both(r.givenCode, r.city), maxBlockSize: 40 },
  { name: 'last-name-code+city', fields: [], key: (r) => both(lastTokenCode(r), r.city), maxBlockSize: 40 },
  { name: 'given-concept+city', fields: [], key: (r) => both(conceptCode(r), r.city), maxBlockSize: 40 },
  // A rare family name alone.
  { name: 'family-code', fields: ['family_name'], key: (r) => r.familyCode, maxBlockSize: 30 },
  // Several keys per record: any one name token (full name, given, middle, family) shared where it is rare, so that
  // records with titles, other surnames or a missing surname still meet (`Admiral Halsted` ~ `Admiral Sir Lawrence Halsted`).
  { name: 'name-token', fields: [], key: (r) => r.nameTokens, maxBlockSize: 30 },
];

/** The blocking keys of one record (pass name → key; passes without a key are left out). */
export function blockingKeys(record: PersonRecord | NormRecord, passes: BlockingPass[] = BLOCKING_PASSES): Record<string, string | string[]> {
  const r = 'givenTokens' in record ? record : normalise(record);
  const out: Record<string, string | string[]> = {};
  for (const p of passes) {
    const k = p.key(r);
    if (k.length > 0) out[p.name] = k;
  }
  return out;
}

/** 32-bit FNV-1a of a key; 0 is kept for "no key". */
export function hashKey(s: string): number {
  if (!s) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0 || 1;
}

export interface BlockOptions {
  /** Blocks with more records than this are skipped (their pairs are left to other passes). */
  maxBlockSize: number;
  /** For linkage: the source of each record; only pairs across sources are produced. */
  source?: Uint8Array;
  /**
   * The most pairs one pass may produce (counted over its blocks before earlier passes' pairs are left out): the
   * pass's block-size limit is lowered until its blocks fit, largest blocks first out. Keys of fixed cardinality
   * (postal code, birth date, a common name) make blocks grow with the file; this keeps the work near-linear.
   */
  pairBudget?: number;
}

/** The default pair budget of one pass: three pairs per record, at least 200,000 (never binding in small files). */
export function defaultPairBudget(records: number): number {
  return Math.max(3 * records, 200_000);
}

/**
 * The largest block size such that the blocks of at most that size hold no more than `budget` pairs in all
 * (`sizes` are the pass's block sizes); `limit` when the budget does not bind.
 */
export function budgetLimit(sizes: number[], limit: number, budget: number): number {
  const fit = sizes.filter((s) => s >= 2 && s <= limit).sort((a, b) => a - b);
  let pairs = 0;
  for (let k = 0; k < fit.length; ) {
    const size = fit[k]!;
    let e = k;
    while (e < fit.length && fit[e] === size) e++;
    pairs += ((e - k) * size * (size - 1)) / 2;
    if (pairs > budget) return size - 1;
    k = e;
  }
  return limit;
}

/** One pass's keys of every record, hashed: one per record (0 for none), or several (sorted runs, `off` indexing `hs`). */
type PassHashes = { one: Uint32Array; off?: undefined; hs?: undefined } | { one?: undefined; off: Uint32Array; hs: Uint32Array };

function hashPass(records: NormRecord[], pass: BlockingPass): PassHashes {
  const n = records.length;
  const one = new Uint32Array(n);
  let i = 0;
  for (; i < n; i++) {
    const k = pass.key(records[i]!);
    if (typeof k !== 'string') break;
    one[i] = hashKey(k);
  }
  if (i === n) return { one };
  // Several keys per record: each record's distinct hashes, sorted.
  const off = new Uint32Array(n + 1);
  const all: number[] = [];
  for (let r = 0; r < n; r++) {
    const k = pass.key(records[r]!);
    const hs = [...new Set((typeof k === 'string' ? [k] : k).map(hashKey))].filter((h) => h !== 0).sort((a, b) => a - b);
    for (const h of hs) all.push(h);
    off[r + 1] = all.length;
  }
  return { off, hs: Uint32Array.from(all) };
}

/** The smallest key hash records i and j share in a pass (0 when none). */
function firstShared(k: PassHashes, i: number, j: number): number {
  if (k.one) return k.one[i] !== 0 && k.one[i] === k.one[j] ? k.one[i]! : 0;
  let x = k.off[i]!;
  let y = k.off[j]!;
  const xe = k.off[i + 1]!;
  const ye = k.off[j + 1]!;
  while (x < xe && y < ye) {
    const a = k.hs[x]!;
    const b = k.hs[y]!;
    if (a === b) return a;
    if (a < b) x++;
    else y++;
  }
  return 0;
}

/** Drops the keys of skipped blocks from a several-key pass (they compared nothing). */
function dropSkipped(k: PassHashes & { off: Uint32Array }, skipped: Set<number>): PassHashes {
  const n = k.off.length - 1;
  const off = new Uint32Array(n + 1);
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let x = k.off[i]!; x < k.off[i + 1]!; x++) if (!skipped.has(k.hs[x]!)) kept.push(k.hs[x]!);
    off[i + 1] = kept.length;
  }
  return { off, hs: Uint32Array.from(kept) };
}

/**
 * Calls `visit(i, j, pass)` once for every candidate pair (i < j by position in `records`). Work is the sum of
 * squared block sizes, bounded by `maxBlockSize`; a pair already produced by an earlier pass is skipped without
 * memory (its keys of the earlier passes are compared; keys of blocks a pass skipped as too large do not count). In
 * a pass with several keys per record, a pair is visited once, in the block of the smallest key hash the two share.
 */
export function forEachCandidate(
  records: NormRecord[],
  passes: BlockingPass[],
  options: BlockOptions,
  visit: (i: number, j: number, pass: number) => void,
  onPass?: (pass: number, skippedBlocks: number) => void,
): void {
  const hashes = passes.map((p) => hashPass(records, p));
  const src = options.source;
  for (let p = 0; p < passes.length; p++) {
    let k = hashes[p]!;
    // Entries (record, key hash) sorted by hash then record: each run of one hash is a block.
    const rec: number[] = [];
    const hash: number[] = [];
    const add = (i: number, h: number): void => {
      rec.push(i);
      hash.push(h);
    };
    if (k.one) {
      for (let i = 0; i < k.one.length; i++) if (k.one[i] !== 0) add(i, k.one[i]!);
    } else {
      for (let i = 0; i + 1 < k.off.length; i++) for (let x = k.off[i]!; x < k.off[i + 1]!; x++) add(i, k.hs[x]!);
    }
    const order = Array.from(rec, (_, e) => e).sort((x, y) => hash[x]! - hash[y]! || rec[x]! - rec[y]!);
    const runs: [number, number][] = [];
    for (let s = 0; s < order.length; ) {
      let e = s + 1;
      while (e < order.length && hash[order[e]!] === hash[order[s]!]) e++;
      runs.push([s, e]);
      s = e;
    }
    let limit = Math.min(options.maxBlockSize, passes[p]!.maxBlockSize ?? Infinity);
    if (options.pairBudget !== undefined) limit = budgetLimit(runs.map(([s, e]) => e - s), limit, options.pairBudget);
    let skipped = 0;
    // A skipped block compared nothing: its keys must not make later passes think its pairs were seen.
    if (k.off) {
      const skippedHashes = new Set<number>();
      for (const [s, e] of runs) if (e - s > limit) skippedHashes.add(hash[order[s]!]!);
      k = hashes[p] = dropSkipped(k, skippedHashes);
    } else {
      for (const [s, e] of runs) if (e - s > limit) for (let x = s; x < e; x++) k.one[rec[order[x]!]!] = 0;
    }
    for (const [s, e] of runs) {
      if (e - s > limit) {
        skipped++;
        continue;
      }
      const h = hash[order[s]!]!;
      for (let x = s; x < e; x++) {
        const i = rec[order[x]!]!;
        for (let y = x + 1; y < e; y++) {
          const j = rec[order[y]!]!;
          if (src && src[i] === src[j]) continue;
          if (k.off && firstShared(k, i, j) !== h) continue;
          let seen = false;
          for (let q = 0; q < p; q++) {
            if (firstShared(hashes[q]!, i, j) !== 0) {
              seen = true;
              break;
            }
          }
          if (!seen) visit(i, j, p);
        }
      }
    }
    onPass?.(p, skipped);
  }
}
