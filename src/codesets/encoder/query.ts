/**
 * Reads a query into concept groups: each group is what one phrase of the query means, as alternatives
 * (the words typed, their curated expansions, a procedure word taken apart into root operation and body
 * part, or the typo corrections of an unknown word). A code matches a group through its best alternative.
 */
import type { EncoderIndex } from './build.js';
import type { ProcedureRule } from './data.js';
import { NEGATIONS, STOP_WORDS, editDistance, negatedWords, stem, stems, words } from './text.js';
import { corrections, type Correction } from './typo.js';

export interface Alternative {
  /** Distinct token ids (only those the index knows). */
  tokens: number[];
  /** Sum of the tokens' idf (words the index lacks count as the rarest word). */
  weight: number;
  /** Number of words, known or not. */
  length: number;
  /** How much a match through this alternative is worth (1 for the words typed). */
  mult: number;
  /** Provenance when this is not the words typed: "synonym: …", "typo: …", "procedure: …". */
  why?: string;
}

export interface Group {
  text: string;
  alternatives: Alternative[];
  /** Importance of the concept (mean idf of its best alternative). */
  weight: number;
  /** A soft group adds to a match when present and costs nothing when absent (procedure hints). */
  soft: boolean;
  /** Said after "without"/"no"/"not": matches only negated title words (and their absence). */
  negated: boolean;
}

export interface Analysis {
  groups: Group[];
  /** Words that matched nothing and could not be corrected. */
  unknown: string[];
}

/**
 * A group's weight grows with the idf of its words, but flatly: a main term that ICD-10 uses in thousands of
 * titles ("fracture") still counts for more than a side word ("right").
 */
const GROUP_BASE = 2;
const GROUP_IDF = 0.6;
/** Weight of a usual-approach group, relative to a soft group's. */
const APPROACH_DEFAULT = 0.4;

interface Item {
  surface: string;
  stem: string;
  negated: boolean;
}

/** Words the index does not know still weigh in (as the rarest word would): a phrase half known is half matched. */
function alternative(index: EncoderIndex, stemsOf: readonly string[], mult: number, why?: string): Alternative | null {
  const known = [...new Set(stemsOf)];
  const tokens = known.map((s) => index.vocab.get(s)).filter((t): t is number => t !== undefined);
  if (tokens.length === 0) return null;
  const weight = tokens.reduce((sum, t) => sum + index.idf[t]!, 0) + (known.length - tokens.length) * Math.log(1 + index.n);
  return { tokens, weight, length: known.length, mult, ...(why !== undefined && { why }) };
}

function group(index: EncoderIndex, text: string, alts: (Alternative | null)[], soft = false): Group | null {
  const alternatives = alts.filter((a): a is Alternative => a !== null);
  if (alternatives.length === 0) return null;
  const weight = GROUP_BASE + GROUP_IDF * Math.min(10, Math.max(...alternatives.map((a) => (a.mult * a.weight) / a.length)));
  return { text, alternatives, weight, soft, negated: false };
}

/** The curated expansions of a phrase, as alternatives (the phrase itself first). */
function synonymAlternatives(index: EncoderIndex, surface: string, phrase: string[], expansions: readonly string[][], source: string, mult: number): (Alternative | null)[] {
  return [
    alternative(index, phrase, mult),
    ...expansions.map((e, i) => alternative(index, e, mult * (i === 0 ? 0.95 : 0.92), `synonym: ${surface} → ${e.join(' ')} (${source})`)),
  ];
}

/** Procedure words: "tonsillectomy" → root operation group + body part group (+ a soft hint group). */
function procedureGroups(index: EncoderIndex, word: string): Group[] | null {
  if (!/^[a-z]+$/.test(word)) return null;
  // The combining form: exact, then as the end of a longer prefix ("hemicol"), then one typo away ("apend").
  const rootOf = (s: string): ProcedureRule | undefined => {
    const bare = s.replace(/[oi]$/, '');
    return (
      index.roots.find((r) => r.form === s || r.form === bare) ??
      index.roots.find((r) => bare.endsWith(r.form)) ??
      index.roots.find((r) => r.form.length >= 4 && (editDistance(s, r.form, 1) <= 1 || editDistance(bare, r.form, 1) <= 1))
    );
  };
  // The ending as spelt, or one typo away when the rest is a known combining form ("colonoskopy").
  const split = (rule: ProcedureRule): { root?: ProcedureRule; ok: boolean } => {
    if (word.endsWith(rule.form)) return word.length - rule.form.length >= 3 ? { root: rootOf(word.slice(0, -rule.form.length)), ok: true } : { ok: false };
    for (const len of [rule.form.length, rule.form.length + 1, rule.form.length - 1]) {
      if (word.length - len < 3 || editDistance(word.slice(-len), rule.form, 1) > 1) continue;
      const root = rootOf(word.slice(0, -len));
      if (root) return { root, ok: true };
    }
    return { ok: false };
  };
  for (const rule of index.suffixes) {
    const { root, ok } = split(rule);
    if (!ok) continue;
    const label = `procedure: ${word} → ${rule.expansions.join(' | ')}${root ? ` + ${root.expansions[0]!}` : ''} (-${rule.form}${root ? `, ${root.form}-` : ''})`;
    const op = group(index, word, rule.expansions.map((e, i) => alternative(index, e.split(' ').map(stem), 1 - 0.05 * i, label)));
    const part = root ? group(index, word, root.expansions.map((e, i) => alternative(index, e.split(' ').map(stem), 1 - 0.03 * i, label))) : null;
    const hints = group(index, word, rule.hints.map((h) => alternative(index, h.split(' ').map(stem), 1, label)), true);
    const out = [op, part, hints].filter((g): g is Group => g !== null);
    return out.length > 0 ? out : null;
  }
  const root = rootOf(word);
  if (!root) return null;
  const label = `procedure: ${word}- → ${root.expansions.join(' | ')}`;
  const g = group(index, word, root.expansions.map((e) => alternative(index, e.split(' ').map(stem), 1, label)));
  return g ? [g] : null;
}

/** Longest curated phrase starting at item i, if any. */
function synonymAt(index: EncoderIndex, items: readonly Item[], i: number): { len: number; groups: Group[] } | null {
  for (const syn of index.synonyms.get(items[i]!.stem) ?? []) {
    const len = syn.stems.length;
    if (i + len > items.length || !syn.stems.every((s, k) => items[i + k]!.stem === s)) continue;
    const surface = items.slice(i, i + len).map((it) => it.surface).join(' ');
    const g = group(index, surface, synonymAlternatives(index, surface, syn.stems, syn.alternatives, syn.entry.source, 1));
    if (g) return { len, groups: [g] };
  }
  return null;
}

/** Typo corrections of a word as alternatives (with the curated expansions of the corrected word). */
function typoAlternatives(index: EncoderIndex, surface: string, fixes: readonly Correction[], mult: (f: Correction) => number): (Alternative | null)[] {
  return fixes.flatMap((fix) => {
    const why = `typo: ${surface}→${fix.word}`;
    const fixedStem = stem(fix.word);
    const syn = index.synonyms.get(fixedStem)?.find((s) => s.stems.length === 1);
    if (!syn) return [alternative(index, [fixedStem], mult(fix), why)];
    return synonymAlternatives(index, fix.word, [fixedStem], syn.alternatives, syn.entry.source, mult(fix)).map((a) => a && { ...a, why: a.why ? `${why}; ${a.why}` : why });
  });
}

/**
 * One word that is not a curated phrase: itself when the code set has it; a procedure word taken apart;
 * else its typo corrections. A word the texts never spell that way but whose stem is known is an
 * inflection ("infarcts") — unless a correction is far more frequent than that stem ("migrane" shares its
 * stem with "migrans", yet means "migraine").
 */
function wordGroups(index: EncoderIndex, item: Item): Group[] | null {
  const tok = index.vocab.get(item.stem);
  const single = (): Group[] => [group(index, item.surface, [alternative(index, [item.stem], 1)])!];
  const spelt = item.surface.length < 4 || /[\d/]/.test(item.surface) || index.typo.ids.has(item.surface) || index.synonyms.has(item.stem);
  if (tok !== undefined && spelt) return single();
  if (tok === undefined) {
    const proc = procedureGroups(index, item.surface);
    if (proc) return proc;
  }
  const fixes = corrections(index.typo, item.surface).filter((f) => stem(f.word) !== item.stem);
  if (tok !== undefined) {
    const df = index.postStart[tok + 1]! - index.postStart[tok]!;
    const strong = fixes.filter((f) => f.freq > 3 * df);
    if (strong.length === 0) return single();
    const g = group(index, item.surface, [...typoAlternatives(index, item.surface, strong, () => 1), alternative(index, [item.stem], 0.8)]);
    return g ? [g] : null;
  }
  const g = group(index, item.surface, [...compound(index, item.surface), ...typoAlternatives(index, item.surface, fixes, (f) => (f.distance === 1 ? 0.9 : 0.8))]);
  return g ? [g] : null;
}

/** An unknown word read as two known ones written together ("preeclampsia" → pre eclampsia). */
function compound(index: EncoderIndex, word: string): (Alternative | null)[] {
  for (let i = 3; i <= word.length - 3; i++) {
    const [a, b] = [word.slice(0, i), word.slice(i)];
    if (index.vocab.has(stem(a)) && index.vocab.has(stem(b)) && (index.typo.ids.has(b) || b.length >= 5)) {
      return [alternative(index, [stem(a), stem(b)], 0.95, `compound: ${word} → ${a} ${b}`)];
    }
  }
  return [];
}

export function analyse(index: EncoderIndex, query: string): Analysis {
  const negation = negatedWords(query);
  const items: Item[] = words(query)
    .map((w, i) => ({ surface: w, stem: stem(w.replace('/', '')), negated: negation[i] ?? false }))
    .filter((it) => !STOP_WORDS.has(it.surface) && !NEGATIONS.has(it.surface));
  const groups: Group[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < items.length; ) {
    const syn = synonymAt(index, items, i);
    if (syn) {
      for (const g of syn.groups) g.negated = items[i]!.negated;
      groups.push(...syn.groups);
      i += syn.len;
      continue;
    }
    const g = wordGroups(index, items[i]!);
    for (const x of g ?? []) x.negated = items[i]!.negated;
    if (g) groups.push(...g);
    else unknown.push(items[i]!.surface);
    i++;
  }
  groups.push(...approachDefault(index, groups));
  return { groups, unknown };
}

/**
 * The usual approach of the body part a procedure query names, as a soft group, when the query names no
 * approach itself: "appendectomy" ranks Percutaneous Endoscopic first, "circumcision" External (PCS
 * guideline for structures seen within an orifice), "EGD" Via Natural or Artificial Opening Endoscopic.
 * The body part must be one alternative's words (typed, expanded or taken from a procedure word).
 */
function approachDefault(index: EncoderIndex, groups: readonly Group[]): Group[] {
  if (index.approaches.length === 0 || groups.length === 0) return [];
  const hard = groups.filter((g) => !g.soft);
  // The approach words the query says (its own or through an expansion): a rule applies only where it
  // agrees with them ("EGD" → "endoscopic" still leaves Via Natural Opening vs Percutaneous Endoscopic open).
  const names = new Set(index.approachWords);
  const said = new Set(hard.flatMap((g) => g.alternatives.flatMap((a) => a.tokens.filter((t) => names.has(t)))));
  for (const { part, rule } of index.approaches) {
    if (!hard.some((g) => g.alternatives.some((a) => part.every((t) => a.tokens.includes(t))))) continue;
    const first = new Set(stems(rule.expansions[0]!).map((s) => index.vocab.get(s)));
    if ([...said].some((t) => !first.has(t))) return [];
    const why = (e: string): string => `approach default: ${rule.form} → ${e} (${rule.source})`;
    const g = group(index, rule.form, rule.expansions.map((e, i) => alternative(index, stems(e), 1 - 0.05 * i, why(e))), true);
    // A tie-breaker between approaches, not a filter: the other approaches stay close behind.
    return g ? [{ ...g, weight: g.weight * APPROACH_DEFAULT }] : [];
  }
  return [];
}
