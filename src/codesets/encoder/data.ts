/**
 * The encoder's curated vocabulary, kept as versioned data beside this file (pure parsers here; reading the
 * files is `load.ts`'s job):
 * - `synonyms.tsv`: concept term → expansion terms (abbreviations, lay terms, anatomical adjectives, named
 *   procedures as PCS root operation + body part words), each with its source. Never a query → code answer.
 * - `procedures.tsv`: the word-building of procedure names: suffix rules (`-ectomy` → resection | excision)
 *   and combining forms (`tonsill` → tonsils), so that "tonsillectomy" is searched as root operation + body part.
 */
import { SourceError, type CodeSystem } from '../model.js';

export interface SynonymEntry {
  /** What a user types, e.g. "heart attack", "bka", "s/p". */
  term: string;
  /** What the classification says instead, best first, e.g. ["myocardial infarction"]. */
  expansions: string[];
  /** Where the equivalence comes from, e.g. "NLM/MedlinePlus lay term". */
  source: string;
  /** The code systems it applies to. */
  systems: CodeSystem[];
}

export interface ProcedureRule {
  /**
   * `suffix`: a procedure-word ending; `root`: a combining form naming a body part; `approach`: the usual
   * approach to a body part, ranked first when the query names none ("appendectomy" → laparoscopic).
   */
  kind: 'suffix' | 'root' | 'approach';
  /** The ending (without its connecting vowel, e.g. "ectomy", "scopy"), the combining form ("cholecyst") or, for `approach`, the body part as PCS titles name it ("upper intestinal tract"). */
  form: string;
  /** Root operations (suffix), body-part terms (root) or approach values (approach), best first. */
  expansions: string[];
  /** Optional words that fit the rule without being required, e.g. "endoscopic" for "-scopy". */
  hints: string[];
  source: string;
}

export interface EncoderVocabulary {
  synonyms: SynonymEntry[];
  procedures: ProcedureRule[];
}

const SYSTEMS: Record<string, CodeSystem[]> = {
  cm: ['icd10cm'],
  pcs: ['icd10pcs'],
  hcpcs: ['hcpcs'],
  both: ['icd10cm', 'icd10pcs'],
  all: ['icd10cm', 'icd10pcs', 'hcpcs'],
};

/** Data lines of a TSV file: comments (`#`) and blank lines skipped, the header line checked and skipped. */
function dataLines(text: string, fileName: string, header: string): { line: number; cols: string[] }[] {
  const out: { line: number; cols: string[] }[] = [];
  let sawHeader = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '' || raw.startsWith('#')) return;
    if (!sawHeader) {
      if (raw.trim() !== header) throw new SourceError(fileName, i + 1, `header must be "${header.replace(/\t/g, '<TAB>')}"`);
      sawHeader = true;
      return;
    }
    out.push({ line: i + 1, cols: raw.split('\t').map((c) => c.trim()) });
  });
  if (!sawHeader) throw new SourceError(fileName, null, 'has no header line');
  return out;
}

function alternatives(col: string | undefined): string[] {
  return (col ?? '')
    .split('|')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
}

export const SYNONYMS_HEADER = 'term\texpansions\tsource\tsystems';
export const PROCEDURES_HEADER = 'kind\tform\texpansions\thints\tsource';

/**
 * Parses `synonyms.tsv`: `term<TAB>expansions<TAB>source<TAB>systems`, expansions separated by `|`,
 * systems one of cm, pcs, hcpcs, both, all.
 * @throws SourceError naming the line of a malformed entry.
 */
export function parseSynonyms(text: string, fileName: string): SynonymEntry[] {
  return dataLines(text, fileName, SYNONYMS_HEADER).map(({ line, cols }) => {
    const [term, exp, source, sys] = cols;
    const expansions = alternatives(exp);
    const systems = SYSTEMS[sys ?? ''];
    if (!term || expansions.length === 0 || !source) throw new SourceError(fileName, line, 'needs a term, at least one expansion and a source');
    if (!systems) throw new SourceError(fileName, line, `systems must be one of ${Object.keys(SYSTEMS).join(', ')}, got "${sys ?? ''}"`);
    if (cols.length > 4) throw new SourceError(fileName, line, 'has more than 4 columns');
    return { term: term.toLowerCase(), expansions, source, systems };
  });
}

/**
 * Parses `procedures.tsv`: `kind<TAB>form<TAB>expansions<TAB>hints<TAB>source` (hints may be `-`).
 * @throws SourceError naming the line of a malformed entry.
 */
export function parseProcedureRules(text: string, fileName: string): ProcedureRule[] {
  return dataLines(text, fileName, PROCEDURES_HEADER).map(({ line, cols }) => {
    const [kind, form, exp, hints, source] = cols;
    if (kind !== 'suffix' && kind !== 'root' && kind !== 'approach') throw new SourceError(fileName, line, `kind must be suffix, root or approach, got "${kind ?? ''}"`);
    if (!form || !(kind === 'approach' ? /^[a-z]+( [a-z]+)*$/ : /^[a-z]+$/).test(form)) throw new SourceError(fileName, line, 'form must be lower-case letters (words, for approach)');
    const expansions = alternatives(exp);
    if (expansions.length === 0 || !source) throw new SourceError(fileName, line, 'needs at least one expansion and a source');
    return { kind, form, expansions, hints: hints === '-' ? [] : alternatives(hints), source };
  });
}
