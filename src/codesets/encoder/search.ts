/**
 * The encoder's search (pure, synchronous, in memory). A query that looks like a code lists that code and
 * the codes under it. Otherwise the query is read into concept groups (query.ts) and ranked in two stages:
 * 1. every code holding a word of the query is scored from the postings: per group, the best alternative's
 *    idf-weighted coverage times the field weight (title > inclusion term, index > short title > inherited),
 *    minus the unmatched content words of its title, plus a billable prior;
 * 2. the best 150 are scored exactly, text by text (rerank.ts): the coverage of each group, the unmatched
 *    content words of the code's best-fitting text (default words such as "unspecified" or "initial
 *    encounter" cost nothing), a bonus when one text (an index path, an inclusion term or the title) says
 *    exactly what was asked, and a bonus for the unspecified code when nothing more specific was asked.
 */
import { formatCode } from '../releases/order-file.js';
import type { CodeSystem } from '../model.js';
import { prefixRange, TITLE_BIT, type EncoderIndex } from './build.js';
import { analyse, type Group } from './query.js';
import { planQuery, scoreCandidate } from './rerank.js';

export interface SearchHit {
  /** Without dots, as stored; `display` has the dot for ICD-10-CM. */
  code: string;
  display: string;
  title: string;
  billable: boolean;
  system: CodeSystem;
  score: number;
  why: string[];
}

export interface SearchOptions {
  limit?: number;
}

export const MAX_QUERY_LENGTH = 256;
const STAGE2 = 150;
const TITLE_EXTRA = 0.15;
const BILLABLE = 3;

const CODE_LIKE = /^[A-Z0-9]{3,7}$/;

interface Scratch {
  acc: Float32Array;
  grp: Float32Array;
  score: Float32Array;
  title: Float32Array;
  flags: Uint8Array;
  inAlt: Int32Array;
  inGroup: Int32Array;
  touched: Int32Array;
}

const scratchOf = new WeakMap<EncoderIndex, Scratch>();

function scratch(index: EncoderIndex): Scratch {
  let s = scratchOf.get(index);
  if (!s) {
    const n = index.n;
    s = {
      acc: new Float32Array(n), grp: new Float32Array(n), score: new Float32Array(n), title: new Float32Array(n),
      flags: new Uint8Array(n), inAlt: new Int32Array(n), inGroup: new Int32Array(n), touched: new Int32Array(n),
    };
    scratchOf.set(index, s);
  }
  return s;
}

function hit(index: EncoderIndex, d: number, score: number, why: string[]): SearchHit {
  const code = index.codes[d]!;
  return { code, display: formatCode(index.system, code), title: index.titles[d]!, billable: index.billable[d] === 1, system: index.system, score: Math.round(score * 1000) / 1000, why };
}

/** A code or a code prefix, with or without the dot: the code itself if billable, the billable codes under it, then headers. */
function searchCode(index: EncoderIndex, code: string, limit: number): SearchHit[] | null {
  const [lo, hi] = prefixRange(index.sortedCodes, code);
  if (hi <= lo) return null;
  const docs = Array.from(index.sortedDocs.subarray(lo, hi));
  const unspecified = (d: number): number => (/\bunspecified\b|\bNOS\b/.test(index.titles[d]!) ? 0 : 1);
  // The code typed when billable; else the billable codes under it (shortest, then unspecified, first).
  const key = (d: number): number[] => [index.billable[d] ? 0 : 1, index.codes[d] === code ? 0 : 1, index.codes[d]!.length, unspecified(d)];
  docs.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return a - b;
  });
  return docs.slice(0, limit).map((d, rank) => hit(index, d, 100 - rank / (docs.length + 1), [index.codes[d] === code ? 'code' : 'code prefix']));
}

const IN_ALT = 1;
const IN_GROUP = 2;
const TOUCHED = 4;
/** Postings above this size are read in update-only mode once they cannot bring a new doc into the top. */
const PRUNE_AT = 4000;

function postingsOf(index: EncoderIndex, g: Group): number {
  let n = 0;
  for (const a of g.alternatives) for (const t of a.tokens) n += index.postStart[t + 1]! - index.postStart[t]!;
  return n;
}

/** Stage-1 value of a touched doc: coverage so far, minus the unmatched title words, plus the billable prior. */
function value(index: EncoderIndex, s: Scratch, d: number): number {
  return s.score[d]! - TITLE_EXTRA * Math.max(0, index.titleContent[d]! - s.title[d]!) + BILLABLE * index.billable[d]!;
}

/** The k-th best stage-1 value among the touched docs (a lower bound of the final k-th best: values only grow). */
function kthValue(index: EncoderIndex, s: Scratch, n: number, k: number): number {
  const heap = new Float64Array(k);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const v = value(index, s, s.touched[i]!);
    if (size < k) {
      let j = size++;
      while (j > 0 && heap[(j - 1) >> 1]! > v) {
        heap[j] = heap[(j - 1) >> 1]!;
        j = (j - 1) >> 1;
      }
      heap[j] = v;
    } else if (v > heap[0]!) {
      let j = 0;
      for (;;) {
        const l = 2 * j + 1;
        if (l >= k) break;
        const c = l + 1 < k && heap[l + 1]! < heap[l]! ? l + 1 : l;
        if (heap[c]! >= v) break;
        heap[j] = heap[c]!;
        j = c;
      }
      heap[j] = v;
    }
  }
  return heap[0]!;
}

/**
 * Stage 1: coverage of each (non-soft) group from the postings, into `s.score`, and the idf of the title
 * content words matched, into `s.title`. Groups are read rarest first; a common group ("encounter",
 * "left") is read in update-only mode when no doc it alone would add could still reach the top `k`
 * (MaxScore pruning). Returns how many docs were touched (listed in `s.touched`).
 */
function accumulate(index: EncoderIndex, groups: readonly Group[], s: Scratch, k: number): number {
  const { acc, grp, score, title, flags, inAlt, inGroup, touched } = s;
  const { postStart, postDocs, postWeight } = index;
  let nTouched = 0;
  const titleSeen = new Set<number>();
  const df = (t: number): number => postStart[t + 1]! - postStart[t]!;
  const order = groups.filter((g) => !g.soft).map((g) => ({ g, size: postingsOf(index, g) })).sort((a, b) => a.size - b.size);
  let remaining = order.reduce((sum, x) => sum + x.g.weight, 0);
  for (const { g, size } of order) {
    const updateOnly = size > PRUNE_AT && nTouched >= k && kthValue(index, s, nTouched, k) >= remaining + BILLABLE;
    remaining -= g.weight;
    const single = g.alternatives.length === 1 && g.alternatives[0]!.tokens.length === 1 ? g.alternatives[0]! : null;
    if (single) {
      // One word: straight into the scores.
      const t = single.tokens[0]!;
      const c = (g.weight * single.mult) / 100;
      const countTitle = !titleSeen.has(t);
      titleSeen.add(t);
      const idf = index.idf[t]!;
      for (let p = postStart[t]!, end = postStart[t + 1]!; p < end; p++) {
        const d = postDocs[p]!;
        const f = flags[d]!;
        if ((f & TOUCHED) === 0) {
          if (updateOnly) continue;
          flags[d] = f | TOUCHED;
          touched[nTouched++] = d;
        }
        const w = postWeight[p]!;
        score[d]! += c * (w & 127);
        if (countTitle && w & TITLE_BIT) title[d]! += idf;
      }
      continue;
    }
    let nGroup = 0;
    for (const alt of g.alternatives) {
      let nAlt = 0;
      // Rarest word first; a common word of a longer phrase ("via natural or artificial opening") only adds
      // to docs that hold a rarer word of it.
      // An alternative made only of common words brings no new doc once there are enough candidates.
      const tokens = [...alt.tokens].sort((a, b) => df(a) - df(b));
      const altUpdateOnly = updateOnly || (nTouched >= k && df(tokens[0]!) > PRUNE_AT);
      tokens.forEach((t, ti) => {
        const idf = index.idf[t]! / 100;
        const countTitle = !titleSeen.has(t);
        titleSeen.add(t);
        const entry = !altUpdateOnly && (ti === 0 || df(t) <= PRUNE_AT);
        for (let p = postStart[t]!, end = postStart[t + 1]!; p < end; p++) {
          const d = postDocs[p]!;
          const f = flags[d]!;
          if ((f & IN_ALT) === 0) {
            if (!entry && (altUpdateOnly ? (f & TOUCHED) === 0 : true)) continue;
            flags[d] = f | IN_ALT;
            inAlt[nAlt++] = d;
          }
          const w = postWeight[p]!;
          acc[d]! += idf * (w & 127);
          if (countTitle && w & TITLE_BIT) title[d]! += idf * 100;
        }
      });
      const scale = alt.mult / alt.weight;
      for (let i = 0; i < nAlt; i++) {
        const d = inAlt[i]!;
        flags[d]! &= ~IN_ALT;
        const v = acc[d]! * scale;
        acc[d] = 0;
        if ((flags[d]! & IN_GROUP) === 0) {
          flags[d]! |= IN_GROUP;
          inGroup[nGroup++] = d;
        }
        if (v > grp[d]!) grp[d] = v;
      }
    }
    for (let i = 0; i < nGroup; i++) {
      const d = inGroup[i]!;
      flags[d]! &= ~IN_GROUP;
      score[d]! += g.weight * grp[d]!;
      grp[d] = 0;
      if ((flags[d]! & TOUCHED) === 0) {
        flags[d]! |= TOUCHED;
        touched[nTouched++] = d;
      }
    }
  }
  return nTouched;
}

/** The k touched docs with the best stage-1 value (a min-heap of size k), unordered. */
function topK(index: EncoderIndex, n: number, s: Scratch, k: number, allowed: Uint8Array | null): Int32Array {
  const heapVal = new Float64Array(k);
  const heapDoc = new Int32Array(k);
  const { score, title, touched } = s;
  const { titleContent, billable } = index;
  let size = 0;
  for (let i = 0; i < n; i++) {
    const d = touched[i]!;
    if (allowed && allowed[d] === 0) continue;
    const v = score[d]! - TITLE_EXTRA * Math.max(0, titleContent[d]! - title[d]!) + BILLABLE * billable[d]!;
    if (size < k) {
      let j = size++;
      while (j > 0) {
        const parent = (j - 1) >> 1;
        if (heapVal[parent]! <= v) break;
        heapVal[j] = heapVal[parent]!;
        heapDoc[j] = heapDoc[parent]!;
        j = parent;
      }
      heapVal[j] = v;
      heapDoc[j] = d;
    } else if (v > heapVal[0]!) {
      let j = 0;
      for (;;) {
        const l = 2 * j + 1;
        if (l >= k) break;
        const c = l + 1 < k && heapVal[l + 1]! < heapVal[l]! ? l + 1 : l;
        if (heapVal[c]! >= v) break;
        heapVal[j] = heapVal[c]!;
        heapDoc[j] = heapDoc[c]!;
        j = c;
      }
      heapVal[j] = v;
      heapDoc[j] = d;
    }
  }
  return heapDoc.subarray(0, size);
}

/** Words, abbreviations, lay terms, procedure names, index terms, typos: ranked as described above. */
function searchWords(index: EncoderIndex, query: string, limit: number, within: [number, number] | null): SearchHit[] {
  const { groups } = analyse(index, query);
  if (groups.length === 0) return [];
  const s = scratch(index);
  const n = accumulate(index, groups, s, within ? index.n : STAGE2);
  let allowed: Uint8Array | null = null;
  if (within) {
    allowed = new Uint8Array(index.n);
    for (let i = within[0]; i < within[1]; i++) allowed[index.sortedDocs[i]!] = 1;
  }
  const best = topK(index, n, s, STAGE2, allowed);
  for (let i = 0; i < n; i++) {
    const d = s.touched[i]!;
    s.score[d] = 0;
    s.title[d] = 0;
    s.flags[d] = 0;
  }
  const plan = planQuery(index, groups);
  const scored = Array.from(best, (d) => ({ d, score: scoreCandidate(index, plan, d) }));
  scored.sort((a, b) => b.score - a.score || a.d - b.d);
  return scored.slice(0, limit).map((x) => {
    const why: string[] = [];
    scoreCandidate(index, plan, x.d, why);
    return hit(index, x.d, x.score, why);
  });
}

/**
 * Searches one code system's index. The query is cut to {@link MAX_QUERY_LENGTH} characters; an empty
 * query finds nothing. A query made of one code-like token that is a code or prefix of this system is a
 * code search; a code-like first token followed by words restricts the word search to that prefix.
 */
export function search(index: EncoderIndex, query: string, options: SearchOptions = {}): SearchHit[] {
  const limit = Math.max(1, Math.min(options.limit ?? 20, 500));
  const q = query.slice(0, MAX_QUERY_LENGTH).trim();
  if (q === '') return [];
  const compact = q.replace(/[.\s]/g, '').toUpperCase();
  if (CODE_LIKE.test(compact) && /\d/.test(compact)) {
    const hits = searchCode(index, compact, limit);
    if (hits) return hits;
  }
  const [first, ...rest] = q.split(/\s+/);
  const firstCode = (first ?? '').replace(/\./g, '').toUpperCase();
  if (rest.length > 0 && CODE_LIKE.test(firstCode) && /\d/.test(firstCode)) {
    const range = prefixRange(index.sortedCodes, firstCode);
    if (range[1] > range[0]) return searchWords(index, rest.join(' '), limit, range);
  }
  return searchWords(index, q, limit, null);
}

/** Searches several systems' indexes and merges the hits by score. */
export function searchAll(indexes: readonly EncoderIndex[], query: string, options: SearchOptions = {}): SearchHit[] {
  const limit = options.limit ?? 20;
  return indexes
    .flatMap((ix) => search(ix, query, { limit }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}
