import fs from 'node:fs';

/**
 * The nickname table (`data/nicknames.tsv`: concept, comma-separated variants, source). Two given names are
 * nickname-equivalent when they share a concept (Bob ~ Robert ~ Robbie). The file is read once, when this module
 * loads; it is data that ships with the code, not input.
 */
export type NicknameIndex = Map<string, Set<string>>;

/** Parses the TSV text into name → concepts. */
export function parseNicknames(text: string): NicknameIndex {
  const index: NicknameIndex = new Map();
  const put = (name: string, concept: string): void => {
    let set = index.get(name);
    if (!set) index.set(name, (set = new Set()));
    set.add(concept);
  };
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const [concept, variants] = line.split('\t');
    if (!concept || !variants) continue;
    put(concept.trim(), concept.trim());
    for (const v of variants.split(',')) if (v.trim()) put(v.trim(), concept.trim());
  }
  return index;
}

const file = new URL('./data/nicknames.tsv', import.meta.url);
const DEFAULT_INDEX = parseNicknames(fs.readFileSync(file, 'utf8'));

/** True when the two (normalised) given names are variants of one name in the table. */
export function isNickname(a: string, b: string, index: NicknameIndex = DEFAULT_INDEX): boolean {
  const ca = index.get(a);
  const cb = index.get(b);
  if (!ca || !cb) return false;
  for (const c of ca) if (cb.has(c)) return true;
  return false;
}

/**
 * A canonical form of a given name for blocking: the first (alphabetically) concept it is a variant of, or the
 * name itself when the table does not know it (Bob, Robbie and Robert → `robert`).
 */
export function nicknameConcept(name: string, index: NicknameIndex = DEFAULT_INDEX): string {
  const c = index.get(name);
  if (!c) return name;
  let best = '';
  for (const x of c) if (!best || x < best) best = x;
  return best;
}
