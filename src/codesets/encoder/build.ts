/**
 * Builds the encoder's in-memory index from typed values (no I/O): one document per code or header of a
 * release, described by its title, short title, tabular inclusion terms and alphabetic-index paths (the
 * latter two may come from another version: they are used only for codes that exist in this one, and are
 * weighted down where the code's category changed since that version). Tokens and texts live in flat typed
 * arrays so that a full ICD-10-CM or PCS release fits in a few tens of megabytes.
 */
import type { CodeSystem, IndexPath, ReleaseCode, TableTerm, TabularNote } from '../model.js';
import type { IndexCrossRef } from '../xml/index-terms.js';
import type { ProcedureRule, SynonymEntry } from './data.js';
import { describeIndexPath, describeText, type Described } from './describe.js';
import { resolveCrossRefs } from './crossrefs.js';
import { layOut, TEXT_INCLUSION, TEXT_INDEX, TEXT_SHORT, TEXT_TITLE, TEXT_XREF, type Layout, type PendingText } from './layout.js';
import { stem, stems } from './text.js';
import { buildTypoDictionary, type TypoDictionary } from './typo.js';

const KIND_WEIGHT = [1, 0.75, 0.9, 0.9, 0.8];
const STALE = 0.5;
/** Words of the PCS approach values (the 5th character): a query that says one chooses the approach itself. */
const APPROACH_WORDS = ['open', 'percutaneous', 'endoscopic', 'external', 'opening', 'transorifice'];

/** Another version's data used as synonyms: its label (e.g. "FY2017") and, if known, its codes. */
export interface SupplementVersion {
  label: string;
  codes?: Iterable<string>;
}

export interface EncoderInput {
  system: CodeSystem;
  codes: ReleaseCode[];
  synonyms?: SynonymEntry[];
  procedures?: ProcedureRule[];
  indexPaths?: (IndexPath & { plainPath?: string[] })[];
  indexCrossRefs?: IndexCrossRef[];
  indexVersion?: SupplementVersion;
  /** Tabular notes; `inclusionTerm` and `includes` are used, the others ignored. */
  inclusionTerms?: TabularNote[];
  inclusionVersion?: SupplementVersion;
  /** Table of Drugs, Table of Neoplasms and External Cause Index rows of an XML year (used like index paths). */
  tableRows?: TableTerm[];
  tableVersion?: SupplementVersion;
}

export interface CompiledSynonym {
  stems: string[];
  alternatives: string[][];
  entry: SynonymEntry;
}

export interface EncoderStats {
  codes: number;
  tokens: number;
  postings: number;
  texts: number;
  indexPaths: { used: number; notInVersion: number; stale: number };
  crossRefs: { used: number; unresolved: number };
  tableRows: { used: number; notInVersion: number; stale: number };
  inclusionTerms: { used: number; notInVersion: number; stale: number };
}

/** The index of one code system's release. Doc ids are positions in the release's code list. */
export interface EncoderIndex extends Layout {
  system: CodeSystem;
  n: number;
  codes: string[];
  titles: string[];
  billable: Uint8Array;
  /** Doc ids sorted by code, and the codes in that order (binary search for prefixes). */
  sortedDocs: Int32Array;
  sortedCodes: string[];
  textKind: Uint8Array;
  textWeight: Float32Array;
  /** 1 when the text comes from another version and a code added since fits it better. */
  textStale: Uint8Array;
  textLabel: string[];
  typo: TypoDictionary;
  synonyms: Map<string, CompiledSynonym[]>;
  suffixes: ProcedureRule[];
  roots: ProcedureRule[];
  /** Usual approaches by body part (PCS): the body part's tokens and the rule, longest body part first. */
  approaches: { part: number[]; rule: ProcedureRule }[];
  /** Tokens that name an approach ("open", "percutaneous", "endoscopic", "external", "opening"). */
  approachWords: number[];
  stats: EncoderStats;
}


/** Codes sharing a prefix: [lo, hi) in sorted order. */
export function prefixRange(sortedCodes: readonly string[], prefix: string): [number, number] {
  const lower = (key: string): number => {
    let lo = 0;
    let hi = sortedCodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sortedCodes[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return [lower(prefix), lower(`${prefix}\uffff`)];
}

/**
 * Staleness of another version's text: it is stale for code X when this version has a code that the other
 * version lacked, in X's category, whose title says no more than the text (its content words are all among
 * the text's words) — that text would now lead to the new code (FY2017 "Depression" → F32.9, while FY2022
 * added F32.A "Depression, unspecified"). Returns null when the other version's codes are unknown.
 */
function stalenessCheck(codes: readonly ReleaseCode[], version: SupplementVersion | undefined, pcs: boolean): ((code: string, d: Described) => boolean) | null {
  if (!version?.codes) return null;
  const known = new Set(version.codes);
  const added = new Map<string, { code: string; words: string[] }[]>();
  for (const c of codes) {
    if (known.has(c.code) || !c.billable) continue;
    const words = describeText(c.longTitle, pcs).required.filter((t) => !t.isDefault).map((t) => t.stem);
    const list = added.get(c.code.slice(0, 3)) ?? [];
    list.push({ code: c.code, words });
    added.set(c.code.slice(0, 3), list);
  }
  return (code, d) => {
    const list = added.get(code.slice(0, 3));
    if (!list) return false;
    const has = new Set([...d.required.map((t) => t.stem), ...d.optional]);
    return list.some((a) => a.code !== code && a.words.length > 0 && a.words.every((w) => has.has(w)));
  };
}

export { TEXT_INCLUSION, TEXT_INDEX, TEXT_SHORT, TEXT_TITLE, TEXT_XREF, TITLE_BIT } from './layout.js';

export function buildEncoderIndex(input: EncoderInput): EncoderIndex {
  const { system, codes } = input;
  const n = codes.length;
  const pcs = system === 'icd10pcs';
  const docOf = new Map<string, number>();
  codes.forEach((c, i) => docOf.set(c.code, i));
  const sortedDocs = Int32Array.from(codes.keys()).sort((a, b) => (codes[a]!.code < codes[b]!.code ? -1 : 1));
  const sortedCodes = Array.from(sortedDocs, (d) => codes[d]!.code);

  const texts: PendingText[] = [];
  const refs: number[][] = Array.from({ length: n }, () => []);
  const addText = (t: PendingText): number => texts.push(t) - 1;
  // A text reaches its code (mode 0) and, for an index entry ending in "-" (mode 1) or a code that is a
  // header in this version (mode 2), the codes under it — except the header's default code, which it
  // reaches directly: "Lumbago M54.5" (a header since FY2022) means M54.50 "Low back pain, unspecified".
  const attach = (text: number, code: string, dash: boolean): boolean => {
    const self = docOf.get(code);
    if (self !== undefined) refs[self]!.push(text << 2);
    const header = self !== undefined && !codes[self]!.billable;
    const [lo, hi] = dash || header ? prefixRange(sortedCodes, code) : [0, 0];
    const own = self !== undefined && hi > lo ? defaultChild(self, lo, hi) : -1;
    for (let i = lo; i < hi; i++) {
      const d = sortedDocs[i]!;
      if (d !== self) refs[d]!.push((text << 2) | (d === own ? 0 : dash ? 1 : 2));
    }
    return self !== undefined || hi > lo;
  };
  // The billable code under a header that adds the fewest content words to the header's title, if only one
  // does (M54.5 → M54.50; S13.4 → S13.4XXA, initial encounter; I82.40 → I82.409, unspecified side).
  const defaults = new Map<number, number>();
  const contentOf = (d: number): string[] => texts[refs[d]![0]! >> 2]!.d.required.filter((t) => !t.isDefault).map((t) => t.stem);
  const defaultChild = (header: number, lo: number, hi: number): number => {
    const memo = defaults.get(header);
    if (memo !== undefined) return memo;
    const own = new Set(contentOf(header));
    let best = -1;
    let bestCost = Infinity;
    let tie = false;
    for (let i = lo; i < hi; i++) {
      const d = sortedDocs[i]!;
      if (d === header || !codes[d]!.billable) continue;
      const cost = new Set(contentOf(d).filter((w) => !own.has(w))).size;
      if (cost < bestCost) [best, bestCost, tie] = [d, cost, false];
      else if (cost === bestCost) tie = true;
    }
    const result = tie ? -1 : best;
    defaults.set(header, result);
    return result;
  };

  codes.forEach((c, d) => {
    refs[d]!.push(addText({ kind: TEXT_TITLE, weight: KIND_WEIGHT[TEXT_TITLE]!, label: '', d: describeText(c.longTitle, pcs) }) << 2);
    if (c.shortTitle !== '' && c.shortTitle !== c.longTitle) {
      refs[d]!.push(addText({ kind: TEXT_SHORT, weight: KIND_WEIGHT[TEXT_SHORT]!, label: c.shortTitle, d: describeText(c.shortTitle, pcs) }) << 2);
    }
  });

  const stats: EncoderStats = {
    codes: n, tokens: 0, postings: 0, texts: 0,
    indexPaths: { used: 0, notInVersion: 0, stale: 0 },
    crossRefs: { used: 0, unresolved: 0 },
    tableRows: { used: 0, notInVersion: 0, stale: 0 },
    inclusionTerms: { used: 0, notInVersion: 0, stale: 0 },
  };

  const inclStale = stalenessCheck(codes, input.inclusionVersion, pcs);
  const inclLabel = input.inclusionVersion?.label ?? '';
  for (const note of input.inclusionTerms ?? []) {
    if ((note.kind !== 'inclusionTerm' && note.kind !== 'includes') || note.code.includes(':')) continue;
    const d = describeText(note.text);
    const stale = inclStale?.(note.code, d) ?? false;
    const label = `inclusion term${inclLabel ? ` ${inclLabel}` : ''} of ${note.code}${stale ? ' (a newer code fits it better)' : ''}: ${note.text}`;
    const t = addText({ kind: TEXT_INCLUSION, weight: KIND_WEIGHT[TEXT_INCLUSION]! * (stale ? STALE : 1), stale, label, d });
    if (!attach(t, note.code, false)) stats.inclusionTerms.notInVersion++;
    else {
      stats.inclusionTerms.used++;
      if (stale) stats.inclusionTerms.stale++;
    }
  }

  const indexStale = stalenessCheck(codes, input.indexVersion, pcs);
  const indexLabel = `index${input.indexVersion ? ` ${input.indexVersion.label}` : ''}`;
  const paths = input.indexPaths ?? [];
  const addIndexText = (kind: number, code: string, label: string, d: Described, target?: Described): boolean => {
    const dash = code.endsWith('-');
    const c = dash ? code.slice(0, -1) : code;
    const stale = (indexStale?.(c, d) ?? false) || (target !== undefined && (indexStale?.(c, target) ?? false));
    const where = `${dash ? ` (category ${code})` : ''}${stale ? ' (a newer code fits it better)' : ''}`;
    const t = addText({ kind, weight: KIND_WEIGHT[kind]! * (stale ? STALE : 1), stale, label: `${indexLabel}${where}: ${label}`, d });
    if (stale && kind === TEXT_INDEX) stats.indexPaths.stale++;
    return attach(t, c, dash);
  };
  for (const p of paths) {
    if (addIndexText(TEXT_INDEX, p.code, (p.plainPath ?? p.path).join(' › '), describeIndexPath(p.path))) stats.indexPaths.used++;
    else stats.indexPaths.notInVersion++;
  }
  for (const x of resolveCrossRefs(paths, input.indexCrossRefs ?? [])) {
    const d = describeIndexPath(x.path);
    let used = false;
    for (const c of x.codes) used = addIndexText(TEXT_XREF, c.code, `${x.path.join(' › ')} → see ${x.target}`, d, describeIndexPath(c.path)) || used;
    if (used) stats.crossRefs.used++;
    else stats.crossRefs.unresolved++;
  }

  // The drug, neoplasm and external-cause rows: index texts labelled with their table and year. A drug
  // code lacks its 7th character, so it reaches the codes under it (initial encounter first, as a header's
  // default child).
  const tableStale = stalenessCheck(codes, input.tableVersion, pcs);
  const tableYear = input.tableVersion ? ` ${input.tableVersion.label}` : '';
  const TABLE_NAME = { drug: 'table of drugs', neoplasm: 'neoplasm table', eindex: 'external cause index' } as const;
  for (const r of input.tableRows ?? []) {
    const dash = r.code.endsWith('-');
    const c = dash ? r.code.slice(0, -1) : r.code;
    // The neoplasm table's heading "Ca in situ" says what the titles spell "carcinoma in situ" ("breast ca" is not in situ).
    const d = describeIndexPath(r.source === 'neoplasm' ? r.path.map((x) => (/^ca in situ$/i.test(x) ? 'Carcinoma in situ' : x)) : r.path);
    const stale = tableStale?.(c, d) ?? false;
    const label = `${TABLE_NAME[r.source]}${tableYear}${dash ? ` (category ${r.code})` : ''}${stale ? ' (a newer code fits it better)' : ''}: ${r.plainPath.join(' › ')}`;
    const t = addText({ kind: TEXT_INDEX, weight: KIND_WEIGHT[TEXT_INDEX]! * (stale ? STALE : 1), stale, label, d });
    if (!attach(t, c, dash)) stats.tableRows.notInVersion++;
    else {
      stats.tableRows.used++;
      if (stale) stats.tableRows.stale++;
    }
  }

  const flat = layOut(texts, refs);
  const { vocab, postDocs } = flat;

  // Known surface words (for typo correction): long-form texts and the curated terms.
  const surface = new Map<string, number>();
  const countWords = (text: string): void => {
    for (const w of text.toLowerCase().match(/[a-z]{4,}/g) ?? []) surface.set(w, (surface.get(w) ?? 0) + 1);
  };
  for (const c of codes) countWords(c.longTitle);
  for (const t of texts) if (t.kind !== TEXT_TITLE && t.kind !== TEXT_SHORT) countWords(t.label.slice(t.label.indexOf(': ') + 1));

  const synonyms = new Map<string, CompiledSynonym[]>();
  for (const entry of input.synonyms ?? []) {
    if (!entry.systems.includes(system)) continue;
    const key = stems(entry.term);
    const alternatives = entry.expansions.map((e) => stems(e)).filter((a) => a.length > 0);
    if (key.length === 0 || alternatives.length === 0) continue;
    const list = synonyms.get(key[0]!) ?? [];
    // Terms that stem alike ("arthroscopy", "arthroscopic") share one entry with both sets of expansions.
    const same = list.find((x) => x.stems.join(' ') === key.join(' '));
    if (same) same.alternatives.push(...alternatives.filter((a) => !same.alternatives.some((b) => b.join(' ') === a.join(' '))));
    else list.push({ stems: key, alternatives, entry });
    list.sort((a, b) => b.stems.length - a.stems.length);
    synonyms.set(key[0]!, list);
    countWords(entry.term);
  }
  const rules = system === 'icd10pcs' ? (input.procedures ?? []) : [];
  const byLength = (a: ProcedureRule, b: ProcedureRule): number => b.form.length - a.form.length;

  Object.assign(stats, { tokens: vocab.size, postings: postDocs.length, texts: texts.length });
  return {
    system, n,
    codes: codes.map((c) => c.code),
    titles: codes.map((c) => c.longTitle),
    billable: Uint8Array.from(codes, (c) => (c.billable ? 1 : 0)),
    sortedDocs, sortedCodes, ...flat,
    textKind: Uint8Array.from(texts, (t) => t.kind),
    textWeight: Float32Array.from(texts, (t) => t.weight),
    textStale: Uint8Array.from(texts, (t) => (t.stale ? 1 : 0)),
    textLabel: texts.map((t) => (t.kind === TEXT_TITLE ? '' : t.label)),
    typo: buildTypoDictionary(surface),
    synonyms,
    suffixes: rules.filter((r) => r.kind === 'suffix').sort(byLength),
    roots: rules.filter((r) => r.kind === 'root').sort(byLength),
    approaches: rules
      .filter((r) => r.kind === 'approach')
      .sort(byLength)
      .map((rule) => ({ rule, part: stems(rule.form).map((s) => vocab.get(s) ?? -1) }))
      .filter((a) => a.part.length > 0 && !a.part.includes(-1)),
    approachWords: APPROACH_WORDS.map((w) => vocab.get(stem(w))).filter((t): t is number => t !== undefined),
    stats,
  };
}
