/**
 * Lays the encoder's texts out flat (pure): interns the tokens, writes every text's tokens into one pool,
 * each code's texts into one list, and builds the postings (per token: the codes holding it, with the best
 * field weight and a flag for title content words), the idf and the per-code title statistics.
 */
import type { Described } from './describe.js';
import { stem } from './text.js';

export const TEXT_TITLE = 0;
export const TEXT_SHORT = 1;
export const TEXT_INCLUSION = 2;
export const TEXT_INDEX = 3;
export const TEXT_XREF = 4;

/** Weight of an optional word (in parentheses, or a spelling variant of an index term). */
export const OPTIONAL = 0.9;
/** Weight of a text inherited from the category: an index entry ending in "-", or a note on a header. */
export const INHERITED_DASH = 0.9;
export const INHERITED_HEADER = 0.7;
/** The idf an unmatched content word can cost at most. */
export const EXTRA_CAP = 6;
/** Posting flag: the token is a required, non-default word of the code's own title. */
export const TITLE_BIT = 128;

/** A text before lay-out: its kind, field weight, provenance label and tokens. */
export interface PendingText {
  kind: number;
  weight: number;
  stale?: boolean;
  label: string;
  d: Described;
}

export interface Layout {
  vocab: Map<string, number>;
  idf: Float32Array;
  numeric: Uint8Array;
  pool: Int32Array;
  textStart: Int32Array;
  textOpt: Int32Array;
  textEnd: Int32Array;
  docStart: Int32Array;
  docRefs: Int32Array;
  postStart: Int32Array;
  postDocs: Int32Array;
  postWeight: Uint8Array;
  titleContent: Float32Array;
  titleExtras: Float32Array;
  titleUnspecified: Uint8Array;
}

/** `refs[d]` lists doc d's texts as text<<2 | mode; its first entry is the code's title. */
export function layOut(texts: readonly PendingText[], refs: readonly number[][]): Layout {
  const n = refs.length;
  // Intern the tokens and lay the texts out flat.
  // Intern the tokens and write the texts into one pool.
  const vocab = new Map<string, number>();
  const tokenOf = (s: string): number => {
    let id = vocab.get(s);
    if (id === undefined) vocab.set(s, (id = vocab.size));
    return id;
  };
  const textStart = new Int32Array(texts.length);
  const textOpt = new Int32Array(texts.length);
  const textEnd = new Int32Array(texts.length);
  const poolList: number[] = [];
  texts.forEach((t, i) => {
    textStart[i] = poolList.length;
    for (const tok of t.d.required) poolList.push((tokenOf(tok.stem) << 3) | (tok.isDefault ? 1 : 0) | (tok.negated ? 2 : 0) | (tok.axis ? 4 : 0));
    textOpt[i] = poolList.length;
    for (const s of t.d.optional) poolList.push(tokenOf(s) << 3);
    textEnd[i] = poolList.length;
  });
  const pool = Int32Array.from(poolList);
  const docStart = new Int32Array(n + 1);
  for (let d = 0; d < n; d++) docStart[d + 1] = docStart[d]! + refs[d]!.length;
  const docRefs = Int32Array.from(refs.flat());

  // Postings: the best field weight of each token in each doc, flagged when it is a title content word.
  const V = vocab.size;
  const best = new Uint8Array(V);
  const seen: number[] = [];
  const postStart = new Int32Array(V + 1);
  const visit = (d: number, emit: (tok: number, w: number) => void): void => {
    for (let r = docStart[d]!; r < docStart[d + 1]!; r++) {
      const ref = docRefs[r]!;
      const t = ref >> 2;
      const tw = texts[t]!.weight * [1, INHERITED_DASH, INHERITED_HEADER][ref & 3]!;
      const isTitle = texts[t]!.kind === TEXT_TITLE;
      for (let p = textStart[t]!; p < textEnd[t]!; p++) {
        const tok = pool[p]! >> 3;
        const opt = p >= textOpt[t]!;
        const w = Math.round(100 * tw * (opt ? OPTIONAL : 1));
        const flag = isTitle && !opt && (pool[p]! & 1) === 0 ? TITLE_BIT : 0;
        const prev = best[tok]!;
        if (prev === 0) seen.push(tok);
        best[tok] = Math.max(prev & 127, w) | (prev & TITLE_BIT) | flag;
      }
    }
    for (const tok of seen) {
      emit(tok, best[tok]!);
      best[tok] = 0;
    }
    seen.length = 0;
  };
  for (let d = 0; d < n; d++) visit(d, (tok) => postStart[tok + 1]!++);
  for (let t = 0; t < V; t++) postStart[t + 1]! += postStart[t]!;
  const fill = postStart.slice(0, V);
  const postDocs = new Int32Array(postStart[V]!);
  const postWeight = new Uint8Array(postStart[V]!);
  for (let d = 0; d < n; d++) {
    visit(d, (tok, w) => {
      const at = fill[tok]!++;
      postDocs[at] = d;
      postWeight[at] = w;
    });
  }
  const idf = new Float32Array(V);
  for (let t = 0; t < V; t++) {
    const df = postStart[t + 1]! - postStart[t]!;
    idf[t] = Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
  const titleContent = new Float32Array(n);
  const titleExtras = new Float32Array(n);
  const titleUnspecified = new Uint8Array(n);
  const unspecified = new Set(['unspecified', 'nos', 'specified'].map((w) => vocab.get(stem(w))));
  for (let d = 0; d < n; d++) {
    const t = docRefs[docStart[d]!]! >> 2;
    const uniq = new Set<number>();
    for (let p = textStart[t]!; p < textOpt[t]!; p++) {
      if ((pool[p]! & 1) === 0) uniq.add(pool[p]! >> 3);
      else if (unspecified.has(pool[p]! >> 3)) titleUnspecified[d] = 1;
    }
    for (const tok of uniq) {
      titleContent[d]! += idf[tok]!;
      titleExtras[d]! += Math.min(idf[tok]!, EXTRA_CAP);
    }
  }

  const numeric = Uint8Array.from(vocab.keys(), (k) => (/^\d+$/.test(k) ? 1 : 0));
  return { vocab, idf, numeric, pool, textStart, textOpt, textEnd, docStart, docRefs, postStart, postDocs, postWeight, titleContent, titleExtras, titleUnspecified };
}
