/**
 * Stage 2 of the search: the exact score of one candidate code, text by text (title, short title,
 * inclusion terms, index paths and see-references, its own or inherited from a category), and — for the
 * hits shown — the provenance of the match. Allocation-free per text: query tokens are looked up through
 * stamped typed arrays over the vocabulary.
 */
import type { EncoderIndex } from './build.js';
import { EXTRA_CAP, INHERITED_DASH, INHERITED_HEADER, OPTIONAL, TEXT_TITLE } from './layout.js';
import type { Group } from './query.js';

/** Cost of an unmatched content word of the best-fitting text, per unit of idf (capped at EXTRA_CAP). */
const EXTRA = 0.35;
const BILLABLE = 3;
/** Bonus when one text says exactly what was asked, by text kind (title, short, inclusion, index, xref). */
const EXACT = [1, 0.5, 1.5, 2, 1.5];
const UNSPECIFIED = 0.6;
const SOFT = 0.3;

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
  clash: Uint8Array;
  union: Float64Array;
  unionText: Int32Array;
  unionAlt: Int32Array;
  slotGroup: Int32Array;
  slotAlt: Int32Array;
  slotNext: Int32Array;
  /** Per alternative (group-major): idf weight and multiplier; per group: weight (soft ones scaled) and flags. */
  altWeight: Float64Array;
  altMult: Float64Array;
  groupWeight: Float64Array;
  groupFlags: Uint8Array;
}

const NEGATED = 1;
const SOFT_GROUP = 2;

const sharedOf = new WeakMap<EncoderIndex, Shared>();

/** What an unmatched content word costs: its idf, capped; numbers (stage 3, 40.0-44.9) cost little. */
function cost(index: EncoderIndex, tok: number): number {
  return Math.min(index.idf[tok]!, index.numeric[tok] === 1 ? 2 : EXTRA_CAP);
}

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
  const alts = groups.flatMap((g) => g.alternatives);
  return {
    groups, shared: sh, stamp, base, sums: new Float64Array(total), clash: new Uint8Array(groups.length), union: new Float64Array(groups.length),
    unionText: new Int32Array(groups.length), unionAlt: new Int32Array(groups.length),
    slotGroup: Int32Array.from(slotGroup), slotAlt: Int32Array.from(slotAlt), slotNext: Int32Array.from(slotNext),
    altWeight: Float64Array.from(alts, (a) => a.weight), altMult: Float64Array.from(alts, (a) => a.mult),
    groupWeight: Float64Array.from(groups, (g) => g.weight * (g.soft ? SOFT : 1)),
    groupFlags: Uint8Array.from(groups, (g) => (g.negated ? NEGATED : 0) | (g.soft ? SOFT_GROUP : 0)),
  };
}

/** The stage-2 score of doc `d`; with `why`, also the provenance of the match. */
export function scoreCandidate(index: EncoderIndex, plan: QueryPlan, d: number, why?: string[]): number {
  const { base, sums, union, unionText, unionAlt, shared, clash, altWeight, altMult, groupWeight, groupFlags, slotGroup, slotAlt, slotNext } = plan;
  const { pool, idf, textStart, textEnd, textOpt, textWeight, textKind, textStale, docRefs } = index;
  const { seenStamp, slotStamp, slotOf } = shared;
  const nGroups = groupWeight.length;
  const queryStamp = plan.stamp;
  union.fill(0);
  unionText.fill(-1);
  let bestValue = -Infinity;
  let bestExtras = -1;
  let bestText = -1;
  let exact = 0;
  let exactText = -1;
  const end = index.docStart[d + 1]!;
  for (let r = index.docStart[d]!; r < end; r++) {
    const ref = docRefs[r]!;
    const t = ref >> 2;
    const mode = ref & 3;
    const stamp = ++shared.textStamp;
    let extras = 0;
    let matched = false;
    const opt = textOpt[t]!;
    const last = textEnd[t]!;
    for (let p = textStart[t]!; p < last; p++) {
      const code = pool[p]!;
      const tok = code >> 3;
      if (seenStamp[tok] === stamp) continue;
      seenStamp[tok] = stamp;
      const isExtra = p < opt && (code & 1) === 0;
      if (slotStamp[tok] === queryStamp) {
        if (!matched) {
          // First query word of this text: clear the per-text sums.
          sums.fill(0);
          clash.fill(0);
          matched = true;
        }
        const negated = (code & 2) !== 0 ? 1 : 0;
        const w = idf[tok]! * (p >= opt ? OPTIONAL : 1);
        let hit = false;
        for (let s = slotOf[tok]!; s >= 0; s = slotNext[s]!) {
          const g = slotGroup[s]!;
          // "without hematuria" answers only a query that says "without" too.
          if ((groupFlags[g]! & NEGATED) !== negated) clash[g] = 1;
          else {
            sums[base[g]! + slotAlt[s]!]! += w;
            hit = true;
          }
        }
        // An axis this code leaves unspecified, named by the query: the query wants a specified code.
        if (hit && (code & 4) !== 0) extras += Math.min(idf[tok]!, EXTRA_CAP);
        else if (!hit && isExtra) extras += cost(index, tok);
      } else if (isExtra) extras += cost(index, tok);
    }
    if (!matched) continue;
    const fw = textWeight[t]! * (mode === 0 ? 1 : mode === 1 ? INHERITED_DASH : INHERITED_HEADER);
    let covered = 0;
    let full = true;
    for (let gi = 0; gi < nGroups; gi++) {
      let cover = 0;
      let alt = -1;
      let raw = 0;
      const from = base[gi]!;
      const to = gi + 1 < nGroups ? base[gi + 1]! : altWeight.length;
      for (let a = from; a < to; a++) {
        const fraction = sums[a]! / altWeight[a]!;
        if (fraction * altMult[a]! > cover) {
          cover = fraction * altMult[a]!;
          alt = a - from;
        }
        if (fraction > raw) raw = fraction;
      }
      const flags = groupFlags[gi]!;
      // A negated group is also satisfied by a text that does not mention it ("diabetes without complications").
      if ((flags & SOFT_GROUP) === 0 && raw < 0.999 && !((flags & NEGATED) !== 0 && raw === 0 && clash[gi] === 0)) full = false;
      const v = fw * cover;
      covered += groupWeight[gi]! * v;
      if (v > union[gi]!) {
        union[gi] = v;
        unionText[gi] = t;
        unionAlt[gi] = alt;
      }
    }
    // Inherited texts describe the category, not this code, and stale ones lead elsewhere now: they add
    // coverage but never excuse the code's own words.
    if (mode !== 0 || textStale[t] === 1) continue;
    const bonus = full && extras === 0 ? EXACT[textKind[t]!]! * textWeight[t]! : 0;
    if (bonus > exact) {
      exact = bonus;
      exactText = t;
    }
    const value = covered - EXTRA * extras + bonus;
    if (value > bestValue) {
      bestValue = value;
      bestExtras = extras;
      bestText = t;
    }
  }
  let score = exact + BILLABLE * index.billable[d]! - EXTRA * (bestExtras >= 0 ? bestExtras : index.titleExtras[d]!);
  for (let gi = 0; gi < nGroups; gi++) score += groupWeight[gi]! * union[gi]!;
  const unspecified = exact > 0 && index.titleUnspecified[d] === 1;
  if (unspecified) score += UNSPECIFIED;
  if (why) explain(index, plan, exactText >= 0 ? exactText : bestText, unspecified, why);
  return score;
}

/** The provenance of the last scored doc: its best text, then what matched each group and how. */
function explain(index: EncoderIndex, plan: QueryPlan, best: number, unspecified: boolean, why: string[]): void {
  const labelOf = (t: number): string => (index.textKind[t] === TEXT_TITLE ? 'title' : index.textLabel[t]!);
  const add = (s: string | undefined): void => {
    if (s !== undefined && !why.includes(s)) why.push(s);
  };
  if (best >= 0) add(labelOf(best));
  if (unspecified) add('unspecified default');
  plan.groups.forEach((g, gi) => {
    if (plan.unionText[gi]! < 0) return;
    add(labelOf(plan.unionText[gi]!));
    add(g.alternatives[plan.unionAlt[gi]!]?.why);
  });
}
