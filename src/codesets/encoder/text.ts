/**
 * Text handling shared by the encoder's index and its queries (pure): tokenising, a light stemmer tuned to
 * clinical English, the words that carry no meaning for a code, the qualifiers ICD-10 treats as the default
 * when a record does not say otherwise, and a bounded Damerau-Levenshtein distance.
 */

/** Words dropped from queries and titles alike. `with` is dropped (titles are full of it); `without` is not. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'of', 'and', 'or', 'in', 'on', 'at', 'to', 'for', 'by', 'with', 'as', 'is', 'from', 'due',
  'into', 'than', 'its', 'any', 'this', 'that', 'be', 'are', 'was', 'has', 'have', 'w', 'code', 'icd',
]);

/**
 * Title words that state the default of an axis rather than a specific choice, so a code is not penalised
 * for carrying them when the query does not mention them: ICD-10-CM "unspecified"/"NOS"/"uncomplicated",
 * the first encounter, the guideline defaults for fractures (closed, displaced) and intent (accidental), and
 * the PCS word "approach" that every procedure title ends with. Tokens in a "without …"/"not …" clause are
 * defaults too (see {@link titleTokens}).
 */
export const DEFAULT_WORDS: ReadonlySet<string> = new Set([
  'unspecified', 'nos', 'uncomplicated', 'initial', 'encounter', 'closed', 'displaced', 'accidental',
  'unintentional', 'site', 'part', 'organism', 'approach', 'elsewhere', 'classified', 'nec', 'gestation',
]);

const STEM_SUFFIXES = [
  'ically', 'ations', 'ation', 'ative', 'ating', 'ities', 'ated', 'ical', 'atic', 'ious', 'ity', 'ion', 'ial', 'ium',
  'ous', 'ive', 'ism', 'ing', 'ic', 'al', 'ia', 'um', 'ed', 'ly', 'ae', 'y', 'e', 'a',
];

const stemCache = new Map<string, string>();

/** A light, deterministic stemmer: plurals, then one derivational suffix, keeping at least 4 letters. */
export function stem(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  const out = stemOf(word);
  if (stemCache.size < 200_000) stemCache.set(word, out);
  return out;
}

function stemOf(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is|ys)$/.test(w)) w = w.slice(0, -1);
  for (const suffix of STEM_SUFFIXES) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  return w;
}

/**
 * Splits text into lower-case words: letters and digits, keeping shorthand with one slash (`s/p`, `w/o`,
 * `h/o`) and dropping possessives and apostrophes ("Barrett's" → "barretts" → stem "barrett").
 */
export function words(text: string): string[] {
  const lower = text.toLowerCase().replace(/['\u2019]s\b/g, '').replace(/['\u2019]/g, '');
  return lower.match(/[a-z0-9]+(?:\/[a-z0-9]+)?/g) ?? [];
}

/** Content words of a text as stems (stop words dropped). */
export function stems(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) if (!STOP_WORDS.has(w)) out.push(stem(w.replace('/', '')));
  return out;
}

/**
 * One title token: its stem; whether it only states a default (no penalty when the query lacks it);
 * whether it is negated ("without hematuria"); whether it names an axis left unspecified after the first
 * clause (", unspecified trimester": a query that names the trimester wants another code).
 */
export interface TitleToken {
  stem: string;
  isDefault: boolean;
  negated?: boolean;
  axis?: boolean;
}

/**
 * Words that are defaults only in ICD-10-PCS titles: the "Via Natural or Artificial Opening" approach is one
 * axis value spelt in four words, so only "opening" counts as content.
 */
export const PCS_DEFAULT_WORDS: ReadonlySet<string> = new Set(['via', 'natural', 'artificial']);

/** Nouns naming an axis that "unspecified" leaves open: "unspecified trimester", "unspecified ear". */
export const AXIS_WORDS: ReadonlySet<string> = new Set([
  'site', 'part', 'organism', 'side', 'ear', 'eye', 'eyes', 'limb', 'trimester', 'stage', 'severity', 'type', 'cause',
  'degree', 'level', 'region', 'location', 'laterality', 'depth', 'episode', 'phase', 'weeks', 'bone', 'joint', 'finger', 'toe',
  'kidney', 'lung', 'breast', 'ovary', 'femur', 'lower', 'upper', 'hand', 'foot', 'arm', 'leg', 'shoulder', 'knee',
  'hip', 'elbow', 'wrist', 'ankle', 'vessel', 'artery', 'vein', 'nerve', 'muscle', 'tendon', 'ligament', 'fetus',
]);

export const NEGATIONS: ReadonlySet<string> = new Set(['without', 'not', 'w/o', 'no']);

/**
 * Title tokens with their flags:
 * - {@link DEFAULT_WORDS} (and {@link PCS_DEFAULT_WORDS} when `pcs`) are defaults;
 * - a "without …" or "not …" clause, up to the next comma, "with" or "in" ("not intractable, without status
 *   migrainosus"), is negated (and default); "unspecified as to …" too;
 * - "unspecified" is a default, and so is the word after it when it names an axis ({@link AXIS_WORDS}:
 *   "unspecified organism", "unspecified femur"); after the first clause that word is flagged `axis`; in a
 *   "with" clause only "unspecified" itself ("with unspecified complications" says "with complications");
 * - "type 2" before "diabetes": the guideline default when the type is not documented (I.C.4.a.2).
 */
export function titleTokens(title: string, pcs = false): TitleToken[] {
  const out: TitleToken[] = [];
  title.toLowerCase().split(/[,;:[\]()]/).forEach((clause, ci) => {
    const ws = words(clause);
    let negated = false;
    let inWith = false;
    let afterUnspecified = false;
    ws.forEach((w, i) => {
      if (w === 'with' || w === 'w') [negated, inWith] = [false, true];
      // "without complications in remission": the negation ends at "in" (but "not in remission" keeps it).
      if (w === 'in' && negated && !NEGATIONS.has(ws[i - 1] ?? '')) negated = false;
      if (NEGATIONS.has(w)) negated = true;
      if (STOP_WORDS.has(w)) {
        if (w === 'as' && afterUnspecified) negated = true;
        return;
      }
      const axis = afterUnspecified && !inWith && AXIS_WORDS.has(w);
      afterUnspecified = w === 'unspecified';
      const typeTwo = (w === 'type' && ws[i + 1] === '2' && ws[i + 2]?.startsWith('diabet')) || (w === '2' && ws[i - 1] === 'type' && ws[i + 1]?.startsWith('diabet'));
      const isDefault = negated || axis || typeTwo || DEFAULT_WORDS.has(w) || (pcs && PCS_DEFAULT_WORDS.has(w));
      out.push({ stem: stem(w.replace('/', '')), isDefault, ...(negated && { negated }), ...(axis && ci > 0 && { axis }) });
    });
  });
  return out;
}

/** Query words in a negated stretch: after "without"/"w/o"/"no"/"not" up to "with" or a comma. */
export function negatedWords(query: string): boolean[] {
  const out: boolean[] = [];
  for (const part of query.toLowerCase().split(/[,;]/)) {
    let negated = false;
    for (const w of words(part)) {
      if (w === 'with' || w === 'w') negated = false;
      if (NEGATIONS.has(w)) negated = true;
      out.push(negated);
    }
  }
  return out;
}

/**
 * Damerau-Levenshtein distance (optimal string alignment) between a and b, or `max + 1` as soon as it is
 * certain to exceed `max`.
 */
const rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  if (n + 1 > rows[0]!.length) for (let i = 0; i < 3; i++) rows[i] = new Int32Array(2 * (n + 1));
  let [prev2, prev, cur] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]! <= max ? prev[n]! : max + 1;
}

/** Every string obtained by deleting up to `depth` characters (the word itself included). */
export function deletions(word: string, depth: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i++) {
        const del = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(del)) {
          out.add(del);
          next.push(del);
        }
      }
    }
    frontier = next;
  }
  return out;
}
