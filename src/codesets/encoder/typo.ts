/**
 * Typo correction against the words of the code set (symmetric deletion: each known word is stored under
 * itself and its one-letter deletions; a query word's deletions up to two letters are looked up, and the
 * candidates are checked with the Damerau-Levenshtein distance). Used only for words the index lacks.
 */
import { deletions, editDistance } from './text.js';

export interface TypoDictionary {
  words: string[];
  /** How often each word occurs in the code set's texts. */
  freq: Int32Array;
  ids: Map<string, number>;
  /** Word ids by first letter, for the rare two-substitution typo the deletions miss ("hypertenshun"). */
  byFirst: Map<string, number[]>;
  /** Deletion variant → word id, or ids when several words share it. */
  variants: Map<string, number | number[]>;
}

export interface Correction {
  word: string;
  distance: number;
  freq: number;
}

const MIN_LENGTH = 4;

export function buildTypoDictionary(surface: ReadonlyMap<string, number>): TypoDictionary {
  const words: string[] = [];
  const freq: number[] = [];
  const variants = new Map<string, number | number[]>();
  const ids = new Map<string, number>();
  const byFirst = new Map<string, number[]>();
  for (const [word, count] of surface) {
    if (word.length < MIN_LENGTH) continue;
    const id = words.push(word) - 1;
    ids.set(word, id);
    const bucket = byFirst.get(word[0]!) ?? [];
    bucket.push(id);
    byFirst.set(word[0]!, bucket);
    freq.push(count);
    for (const v of deletions(word, 1)) {
      const prev = variants.get(v);
      if (prev === undefined) variants.set(v, id);
      else if (typeof prev === 'number') variants.set(v, [prev, id]);
      else prev.push(id);
    }
  }
  return { words, freq: Int32Array.from(freq), ids, byFirst, variants };
}

/** The largest distance tolerated for a word of this length: none up to 4 letters (too many near words), 1 for 5, 2 from 6. */
export function maxDistance(length: number): number {
  return length <= MIN_LENGTH ? 0 : length === 5 ? 1 : 2;
}

/**
 * Known words closest to `word` (smallest distance first, then the most frequent), at most `limit`; only
 * words within {@link maxDistance}. The word itself is never returned.
 */
export function corrections(dict: TypoDictionary, word: string, limit = 2): Correction[] {
  const max = maxDistance(word.length);
  if (max === 0) return [];
  const seen = new Set<number>();
  const found: { id: number; distance: number }[] = [];
  for (const v of deletions(word, max)) {
    const hit = dict.variants.get(v);
    if (hit === undefined) continue;
    for (const id of typeof hit === 'number' ? [hit] : hit) {
      if (seen.has(id)) continue;
      seen.add(id);
      const candidate = dict.words[id]!;
      if (candidate === word) continue;
      const distance = editDistance(word, candidate, max);
      if (distance <= max) found.push({ id, distance });
    }
  }
  if (found.length === 0 && max >= 2) {
    for (const id of dict.byFirst.get(word[0] ?? '') ?? []) {
      const distance = editDistance(word, dict.words[id]!, max);
      if (distance <= max) found.push({ id, distance });
    }
  }
  found.sort((a, b) => a.distance - b.distance || dict.freq[b.id]! - dict.freq[a.id]!);
  const best = found[0]?.distance;
  return found
    .filter((f) => f.distance === best)
    .slice(0, limit)
    .map((f) => ({ word: dict.words[f.id]!, distance: f.distance, freq: dict.freq[f.id]! }));
}
