/**
 * Reads a query into concept groups: each group is what one phrase of the query means, as alternatives
 * (the words typed, their curated expansions, a procedure word taken apart into root operation and body
 * part, or the typo corrections of an unknown word). A code matches a group through its best alternative.
 */
import type { EncoderIndex } from './build.js';
import type { ProcedureRule } from './data.js';
import { STOP_WORDS, stem, words } from './text.js';
import { corrections, type Correction } from './typo.js';

export interface Alternative {
  /** Distinct token ids (only those the index knows). */
  tokens: number[];
  /** Sum of the tokens' idf. */
  weight: number;
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
}

export interface Analysis {
  groups: Group[];
  /** Words that matched nothing and could not be corrected. */
  unknown: string[];
}

interface Item {
  surface: string;
  stem: string;
}

function alternative(index: EncoderIndex, stemsOf: readonly string[], mult: number, why?: string): Alternative | null {
  const tokens = [...new Set(stemsOf.map((s) => index.vocab.get(s)).filter((t): t is number => t !== undefined))];
  if (tokens.length === 0) return null;
  const weight = tokens.reduce((sum, t) => sum + index.idf[t]!, 0);
  return { tokens, weight, mult, ...(why !== undefined && { why }) };
}

function group(index: EncoderIndex, text: string, alts: (Alternative | null)[], soft = false): Group | null {
  const alternatives = alts.filter((a): a is Alternative => a !== null);
  if (alternatives.length === 0) return null;
  const weight = Math.min(10, Math.max(1, ...alternatives.map((a) => (a.mult * a.weight) / a.tokens.length)));
  return { text, alternatives, weight, soft };
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
  const rootOf = (s: string): ProcedureRule | undefined =>
    index.roots.find((r) => r.form === s || r.form === s.replace(/[oi]$/, '')) ?? index.roots.find((r) => r.form.length >= 4 && s.replace(/[oi]$/, '').endsWith(r.form));
  for (const rule of index.suffixes) {
    if (!word.endsWith(rule.form) || word.length - rule.form.length < 3) continue;
    const root = rootOf(word.slice(0, -rule.form.length));
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
  const g = group(index, item.surface, typoAlternatives(index, item.surface, fixes, (f) => (f.distance === 1 ? 0.9 : 0.8)));
  return g ? [g] : null;
}

export function analyse(index: EncoderIndex, query: string): Analysis {
  const items: Item[] = words(query)
    .filter((w) => !STOP_WORDS.has(w))
    .map((w) => ({ surface: w, stem: stem(w.replace('/', '')) }));
  const groups: Group[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < items.length; ) {
    const syn = synonymAt(index, items, i);
    if (syn) {
      groups.push(...syn.groups);
      i += syn.len;
      continue;
    }
    const g = wordGroups(index, items[i]!);
    if (g) groups.push(...g);
    else unknown.push(items[i]!.surface);
    i++;
  }
  return { groups, unknown };
}
