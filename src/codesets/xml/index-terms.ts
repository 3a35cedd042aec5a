/**
 * Streaming parser for the ICD-10-CM Alphabetic Index XML (`icd10cm_index_YYYY.xml`, also the External
 * Cause index `icd10cm_eindex_YYYY.xml`; root `ICD10CM.index`, schema `icd10cm_index.xsd`):
 * letter → mainTerm → term (nested, `level` 1–9). The Table of Neoplasms and the Table of Drugs use the
 * same root and term structure with `cell`s instead of `code`s; `walkIndex` serves both (see tables.ts).
 */
import type { IndexPath } from '../model.js';
import { cleanText, indexCode, readXml, type XmlContext } from './sax-stream.js';

/**
 * An index path to a code. `path` keeps the nonessential modifiers (`<nemod>`, already parenthesised in
 * the source) as the printed index shows them, e.g. "Abasia (-astasia) (hysterical)"; `plainPath` drops
 * them ("Abasia"). Codes have no dots and keep a trailing "-" when the index leaves characters to the
 * tabular (`S72.00-` → `S7200-`). `manif` is the manifestation code printed in brackets after it.
 */
export interface IndexEntry extends IndexPath {
  plainPath: string[];
  manif?: string;
}

/** A cross reference of a term: see / see also (text) and see category / subcategory (codes, no dots). */
export interface IndexCrossRef {
  path: string[];
  plainPath: string[];
  see?: string;
  seeAlso?: string;
  seeCategory?: string;
  seeSubcategory?: string;
}

/** The alphabetic index: `paths` has one entry per `code` element, in document order. */
export interface IndexResult {
  version: string;
  /** Number of `mainTerm` elements (the index's headwords). */
  mainTerms: number;
  paths: IndexEntry[];
  crossRefs: IndexCrossRef[];
}

/** What the walker reports to the index and table parsers. */
export interface IndexSink {
  version(text: string): void;
  heading(col: number, title: string): void;
  code(entry: IndexEntry): void;
  /** `ctx` lets the table parser report a bad cell at its line; `manif` is the term's text qualifier. */
  cell(cell: { col: number; text: string; path: string[]; plainPath: string[]; manif?: string }, ctx: XmlContext): void;
  crossRef(ref: IndexCrossRef): void;
  mainTerm(): void;
}

interface Frame {
  title: string;
  plain: string;
  crossRef?: IndexCrossRef;
  entry?: IndexEntry;
  manifText?: string;
}

type Capture = { kind: 'title'; parts: { text: string; nemod: boolean }[]; inNemod: boolean; depth: number } | { kind: 'text'; parts: string[]; depth: number; col?: string };

const TEXT_ELEMENTS = new Set(['version', 'code', 'manif', 'see', 'seeAlso', 'seecat', 'subcat', 'cell', 'head']);

/** Joins a title's segments: a space goes before a nemod only where the source has none ("Abasia(…)"). */
function titleText(parts: { text: string; nemod: boolean }[]): { title: string; plain: string } {
  let full = '';
  for (const p of parts) {
    if (p.nemod && full !== '' && !/\s$/.test(full)) full += ' ';
    full += p.nemod ? cleanText(p.text) : p.text; // "(gastro)</nemod>enteritis" stays one word
  }
  const title = cleanText(full);
  const plain = cleanText(parts.filter((p) => !p.nemod).map((p) => p.text).join(''));
  // A title made only of a modifier, e.g. "(taser)", would leave an empty path element.
  return { title, plain: plain === '' ? title : plain };
}

/**
 * Walks an `ICD10CM.index` document and reports codes, cells, headings and cross references to `sink`.
 * `kind` says which of the two shapes is expected: both share the root, so a table read as an index (or
 * the reverse) would otherwise just look empty.
 * @throws SourceError on malformed/truncated XML, a wrong root, a DOCTYPE, the other kind's elements
 *   (`indexHeading`/`cell` in an index, `code` in a table), a term whose `level` does not match its
 *   nesting, a term without a title, or codes that are not ICD-10-CM codes.
 */
export async function walkIndex(chunks: AsyncIterable<string>, fileName: string, kind: 'index' | 'table', sink: IndexSink): Promise<void> {
  await readXml(chunks, fileName, 'ICD10CM.index', (ctx: XmlContext) => {
    const stack: string[] = [];
    const frames: Frame[] = [];
    let capture: Capture | null = null;
    const frame = (): Frame => frames.at(-1) ?? ctx.fail('term content outside a mainTerm');
    const paths = (): { path: string[]; plainPath: string[] } => ({ path: frames.map((f) => f.title), plainPath: frames.map((f) => f.plain) });
    const ref = (): IndexCrossRef => {
      const f = frame();
      if (f.crossRef === undefined) {
        f.crossRef = paths();
        sink.crossRef(f.crossRef);
      }
      return f.crossRef;
    };

    const onText = (name: string, parent: string | undefined, text: string, col: string | undefined): void => {
      const inTerm = parent === 'mainTerm' || parent === 'term';
      if (name === 'version' && parent === 'ICD10CM.index') sink.version(text);
      else if (name === 'head' && parent === 'indexHeading') sink.heading(column(col), text);
      else if (!inTerm) return;
      else if (name === 'code') {
        const entry: IndexEntry = { code: indexCode(ctx, text), ...paths() };
        frame().entry = entry;
        sink.code(entry);
      } else if (name === 'manif' && kind === 'table') {
        // The neoplasm table (FY2017–FY2022) misuses <manif> once, for a text qualifier of "book-leaf
        // (mouth)": "ventral surface of tongue and floor of mouth". Tables have no manifestation codes.
        frame().manifText = text;
      } else if (name === 'manif') {
        const entry = frame().entry ?? ctx.fail('<manif> without a <code> in the same term');
        entry.manif = indexCode(ctx, text);
      } else if (name === 'cell') {
        const manif = frame().manifText;
        sink.cell({ col: column(col), text, ...paths(), ...(manif !== undefined && { manif }) }, ctx);
      } else if (name === 'see') ref().see = text;
      else if (name === 'seeAlso') ref().seeAlso = text;
      else if (name === 'seecat') ref().seeCategory = indexCode(ctx, text);
      else if (name === 'subcat') ref().seeSubcategory = indexCode(ctx, text);
    };

    const column = (col: string | undefined): number => {
      const n = Number(col);
      return Number.isInteger(n) && n >= 1 && n <= 9 ? n : ctx.fail(`col must be 1-9, got "${col ?? ''}"`);
    };

    return {
      open(name, attrs) {
        stack.push(name);
        if (capture?.kind === 'title' && name === 'nemod') capture.inNemod = true;
        if (capture) return;
        // Addenda mark changes with <diff>/<old>/<new>, which this reader would merge into one text.
        if (name === 'ICD10CM.index' && attrs['isAddenda'] === 'true') ctx.fail('addenda index files are not supported');
        if (kind === 'index' && (name === 'indexHeading' || name === 'cell')) ctx.fail(`<${name}> in an index: this is a neoplasm/drug table`);
        if (kind === 'table' && name === 'code') ctx.fail('<code> in a table: this is an alphabetic index');
        if (name === 'mainTerm' || name === 'term') {
          // level counts enclosing terms (mainTerm is 0); a mismatch means the nesting is not what we read.
          const expected = frames.length;
          if (name === 'term' && (frames.length === 0 || attrs['level'] !== String(expected))) {
            ctx.fail(`<term level="${attrs['level'] ?? ''}"> at nesting depth ${expected}`);
          }
          if (name === 'mainTerm') sink.mainTerm();
          frames.push({ title: '', plain: '' });
        } else if (name === 'title' && (stack.at(-2) === 'mainTerm' || stack.at(-2) === 'term')) {
          capture = { kind: 'title', parts: [], inNemod: false, depth: stack.length };
        } else if (TEXT_ELEMENTS.has(name)) {
          capture = { kind: 'text', parts: [], depth: stack.length, col: attrs['col'] };
        }
      },
      text(text) {
        if (capture?.kind === 'title') capture.parts.push({ text, nemod: capture.inNemod });
        else capture?.parts.push(text);
      },
      close(name) {
        const c = capture;
        if (c && c.depth !== stack.length) {
          if (c.kind === 'title' && name === 'nemod') c.inNemod = false;
          stack.pop();
          return;
        }
        stack.pop();
        if (c?.kind === 'title') {
          capture = null;
          const f = frame();
          ({ title: f.title, plain: f.plain } = titleText(c.parts));
          if (f.title === '') ctx.fail('empty term title');
        } else if (c) {
          capture = null;
          onText(name, stack.at(-1), cleanText(c.parts.join('')), c.col);
        } else if (name === 'mainTerm' || name === 'term') {
          if (frame().title === '') ctx.fail(`<${name}> without a <title>`);
          frames.pop();
        }
      },
    };
  });
}

/**
 * Parses the alphabetic index (or external cause index). Each `code` yields an IndexEntry whose path runs
 * from the main term through its subterms; see / see also / see category references go to `crossRefs`.
 * @throws SourceError as walkIndex does (including when the document is a neoplasm/drug table).
 */
export async function parseIndexXml(chunks: AsyncIterable<string>, fileName: string): Promise<IndexResult> {
  const out: IndexResult = { version: '', mainTerms: 0, paths: [], crossRefs: [] };
  await walkIndex(chunks, fileName, 'index', {
    version: (v) => (out.version = v),
    heading: () => undefined, // never called: walkIndex rejects tables in 'index' mode
    cell: () => undefined,
    code: (e) => out.paths.push(e),
    crossRef: (r) => out.crossRefs.push(r),
    mainTerm: () => out.mainTerms++,
  });
  return out;
}
