/**
 * Stage 2 of the search: the exact score of one candidate code, text by text (title, short title,
 * inclusion terms, index paths and see-references, its own or inherited from a category), and — for the
 * hits shown — the provenance of the match. Allocation-free per text: query tokens are looked up through
 * stamped typed arrays over the vocabulary.
 */
import { TEXT_TITLE, type EncoderIndex } from './build.js';
import type { Group } from './query.js';

/** Cost of an unmatched content word of the best-fitting text, per unit of idf (capped at EXTRA_CAP). */
export const EXTRA = 0.35;
export const EXTRA_CAP = 6;
const BILLABLE = 3;
/** Bonus when one text says exactly what was asked, by text kind (title, short, inclusion, index, xref). */
const EXACT = [1, 0.5, 1.5, 2, 1.5];
const UNSPECIFIED = 0.6;
const SOFT = 0.3;
/** Weight of a text inherited from the category: an index entry ending in "-", or a note on a header. */
export const INHERITED_DASH = 0.9;
export const INHERITED_HEADER = 0.7;
const OPTIONAL = 0.9;

/** Per-index scratch of stage 2: stamped arrays over the vocabulary (reset by bumping the stamps). */
interface Shared {
  slotOf: Int32Array;
  slotStamp: Int32Array;
  seenStamp: Int32Array;
  queryStamp: number;
  textStamp: number;
}

/** A query prepared for stage 2: token → the (group, alternative) slots that hold it, as linked lists. */
export interface QueryPlan {
  groups: Group[];
  shared: Shared;
  stamp: number;
  base: Int32Array;
  sums: Float64Array;
  union: Float64Array;
  unionText: Int32Array;
  unionAlt: Int32Array;
  slotGroup: number[];
  slotAlt: number[];
  slotNext: number[];
}

const sharedOf = new WeakMap<EncoderIndex, Shared>();

export function planQuery(index: EncoderIndex, groups: Group[]): QueryPlan {
  let shared = sharedOf.get(index);
  if (!shared) {
    const V = index.vocab.size;
    shared = { slotOf: new Int32Array(V), slotStamp: new Int32Array(V), seenStamp: new Int32Array(V), queryStamp: 0, textStamp: 0 };
    sharedOf.set(index, shared);
  }
  const sh = shared;
  const stamp = ++sh.queryStamp;
  const base = new Int32Array(groups.length);
  let total = 0;
  const slotGroup: number[] = [];
  const slotAlt: number[] = [];
  const slotNext: number[] = [];
  groups.forEach((g, gi) => {
    base[gi] = total;
    total += g.alternatives.length;
    g.alternatives.forEach((a, ai) => {
      for (const t of a.tokens) {
        slotGroup.push(gi);
        slotAlt.push(ai);
        slotNext.push(sh.slotStamp[t] === stamp ? sh.slotOf[t]! : -1);
        sh.slotOf[t] = slotGroup.length - 1;
        sh.slotStamp[t] = stamp;
      }
    });
  });
  return {
    groups, shared: sh, stamp, base, sums: new Float64Array(total), union: new Float64Array(groups.length),
    unionText: new Int32Array(groups.length), unionAlt: new Int32Array(groups.length), slotGroup, slotAlt, slotNext,
  };
}

/** The stage-2 score of doc `d`; with `why`, also the provenance of the match. */
export function scoreCandidate(index: EncoderIndex, plan: QueryPlan, d: number, why?: string[]): number {
  const { groups, base, sums, union, unionText, unionAlt, shared } = plan;
  union.fill(0);
  unionText.fill(-1);
  let bestValue = -Infinity;
  let bestExtras = -1;
  let bestText = -1;
  let exact = 0;
  let exactText = -1;
  for (let r = index.docStart[d]!; r < index.docStart[d + 1]!; r++) {
    const ref = index.docRefs[r]!;
    const t = ref >> 2;
    const mode = ref & 3;
    const stamp = ++shared.textStamp;
    sums.fill(0);
    let extras = 0;
    let matched = false;
    for (let p = index.textStart[t]!; p < index.textEnd[t]!; p++) {
      const tok = index.pool[p]! >> 1;
      if (shared.seenStamp[tok] === stamp) continue;
      shared.seenStamp[tok] = stamp;
      const optional = p >= index.textOpt[t]!;
      if (shared.slotStamp[tok] === plan.stamp) {
        matched = true;
        const w = index.idf[tok]! * (optional ? OPTIONAL : 1);
        for (let s = shared.slotOf[tok]!; s >= 0; s = plan.slotNext[s]!) sums[base[plan.slotGroup[s]!]! + plan.slotAlt[s]!]! += w;
      } else if (!optional && (index.pool[p]! & 1) === 0) extras += Math.min(index.idf[tok]!, EXTRA_CAP);
    }
    if (!matched) continue;
    const fw = index.textWeight[t]! * (mode === 0 ? 1 : mode === 1 ? INHERITED_DASH : INHERITED_HEADER);
    let covered = 0;
    let full = true;
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi]!;
      let cover = 0;
      let alt = -1;
      let raw = 0;
      for (let ai = 0; ai < g.alternatives.length; ai++) {
        const a = g.alternatives[ai]!;
        const fraction = sums[base[gi]! + ai]! / a.weight;
        if (fraction * a.mult > cover) [cover, alt] = [fraction * a.mult, ai];
        if (fraction > raw) raw = fraction;
      }
      if (!g.soft && raw < 0.999) full = false;
      const v = fw * cover;
      covered += g.weight * v * (g.soft ? SOFT : 1);
      if (v > union[gi]!) {
        union[gi] = v;
        unionText[gi] = t;
        unionAlt[gi] = alt;
      }
    }
    // Inherited texts describe the category, not this code, and stale ones lead elsewhere now: they add
    // coverage but never excuse the code's own words.
    if (mode !== 0 || index.textStale[t] === 1) continue;
    const bonus = full && extras === 0 ? EXACT[index.textKind[t]!]! * index.textWeight[t]! : 0;
    if (bonus > exact) [exact, exactText] = [bonus, t];
    const value = covered - EXTRA * extras + bonus;
    if (value > bestValue) [bestValue, bestExtras, bestText] = [value, extras, t];
  }
  let score = exact + BILLABLE * index.billable[d]! - EXTRA * (bestExtras >= 0 ? bestExtras : index.titleExtras[d]!);
  for (let gi = 0; gi < groups.length; gi++) score += groups[gi]!.weight * union[gi]! * (groups[gi]!.soft ? SOFT : 1);
  const unspecified = exact > 0 && index.titleUnspecified[d] === 1;
  if (unspecified) score += UNSPECIFIED;
  if (why) {
    const labelOf = (t: number): string => (index.textKind[t] === TEXT_TITLE ? 'title' : index.textLabel[t]!);
    const add = (s: string | undefined): void => {
      if (s !== undefined && !why.includes(s)) why.push(s);
    };
    if (exactText >= 0 || bestText >= 0) add(labelOf(exactText >= 0 ? exactText : bestText));
    if (unspecified) add('unspecified default');
    groups.forEach((g, gi) => {
      if (unionText[gi]! < 0) return;
      add(labelOf(unionText[gi]!));
      add(g.alternatives[unionAlt[gi]!]?.why);
    });
  }
  return score;
}
