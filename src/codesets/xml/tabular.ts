/**
 * Streaming parser for the ICD-10-CM Tabular List XML (`icd10cm_tabular_YYYY.xml`, root
 * `ICD10CM.tabular`, schema `icd10cm_tabular.xsd`). Besides the `diag` codes it forms the 7-character codes
 * the tabular only states as rules (`sevenChrDef`), so the billable set equals the CMS order file's.
 */
import type { NoteKind, ReleaseCode, TabularNote } from '../model.js';
import { cleanText, readXml, tabularCode, type XmlContext, type XmlHandler } from './sax-stream.js';

/** A chapter; `title` is the desc without its trailing code range, which is given as firstCode/lastCode. */
export interface TabularChapter {
  num: number;
  title: string;
  firstCode?: string;
  lastCode?: string;
}

/** A block of categories (`section id="A00-A09"`); title without the trailing "(A00-A09)". */
export interface TabularSection {
  id: string;
  title: string;
  chapter: number;
}

/** One 7th-character value; `inclusionTerms` are the rare `note`s CDC puts right after an extension. */
export interface SevenCharValue {
  char: string;
  title: string;
  inclusionTerms?: string[];
}

/** A `sevenChrDef`: `code` is the diag it is defined on (or `section:<id>` / `chapter:<n>`). */
export interface SevenCharDef {
  code: string;
  values: SevenCharValue[];
}

/**
 * Everything the tabular states. `codes` is in tabular order (`order` = position, 1-based) and holds
 * headers and billable codes; generated 7-character codes follow the code they extend. Note owners are
 * codes (no dots), `chapter:<n>` or `section:<id>` (prefixed because a section id such as `B10` can equal a
 * category code).
 */
export interface TabularResult {
  version: string;
  chapters: TabularChapter[];
  sections: TabularSection[];
  codes: ReleaseCode[];
  notes: TabularNote[];
  hierarchy: { code: string; parent: string | null }[];
  sevenChars: SevenCharDef[];
}

// `satisfies` keeps this list exhaustive: a NoteKind added to the model fails to compile here.
const NOTE_KINDS = {
  inclusionTerm: true,
  includes: true,
  excludes1: true,
  excludes2: true,
  codeFirst: true,
  useAdditionalCode: true,
  codeAlso: true,
  notes: true,
} satisfies Record<NoteKind, true>;

function isNoteKind(name: string | undefined): name is NoteKind {
  return name !== undefined && Object.hasOwn(NOTE_KINDS, name);
}

/** Elements whose text we collect (all text below them, so addenda markup such as `<new>` is kept). */
const TEXT_ELEMENTS = new Set(['version', 'name', 'desc', 'note', 'extension']);

const RANGE = /^(.*?)\s*\(([A-Z][0-9A-Z]{2})(?:-([A-Z][0-9A-Z]{2}))?\)$/;

/**
 * The one exception to a sevenChrDef that CDC states only in prose (S06 from FY2021 on): "7th characters D
 * and S do not apply to codes in category S06 with 6th character 7 - …, or 8 - …". CMS does not list those
 * codes (72 in FY2021), so the note is read and honoured; a year without the note expands in full.
 */
const SEVENTH_EXCEPTION = /^7th characters? (.+?) do(?:es)? not apply to codes in category ([A-Z][0-9][0-9A-Z]) with 6th characters? (.+)$/;

interface SevenException {
  chars: Set<string>;
  sixth: Set<string>;
}

interface Scope {
  kind: 'chapter' | 'section' | 'diag';
  /** Note owner: the code, `chapter:<n>` or `section:<id>`; null until the chapter/diag name is read. */
  owner: string | null;
  chapter?: TabularChapter;
  section?: TabularSection;
  code?: ReleaseCode;
  hasChildDiag: boolean;
  seven: SevenCharValue[] | null;
  exceptions?: SevenException[];
}

/**
 * Parses a tabular XML document. `fileName` (e.g. `zip!member`) only labels errors.
 * @throws SourceError on malformed or truncated XML, a wrong root, a DOCTYPE, addenda files, codes that
 *   are not ICD-10-CM codes, duplicate codes, or a 7th-character rule that cannot be applied.
 */
export async function parseTabularXml(chunks: AsyncIterable<string>, fileName: string): Promise<TabularResult> {
  const result: TabularResult = { version: '', chapters: [], sections: [], codes: [], notes: [], hierarchy: [], sevenChars: [] };
  await readXml(chunks, fileName, 'ICD10CM.tabular', (ctx) => tabularHandler(ctx, result));
  return result;
}

function tabularHandler(ctx: XmlContext, out: TabularResult): XmlHandler {
  const stack: string[] = [];
  const scopes: Scope[] = [];
  const seen = new Set<string>();
  let capture: { parts: string[]; depth: number; char?: string } | null = null;

  const top = (): Scope => scopes.at(-1) ?? ctx.fail('element outside a chapter');
  const addCode = (rc: ReleaseCode, parent: string | null): void => {
    if (seen.has(rc.code)) ctx.fail(`duplicate code ${rc.code}`);
    seen.add(rc.code);
    out.hierarchy.push({ code: rc.code, parent });
  };

  const onText = (name: string, parent: string | undefined, grand: string | undefined, text: string, char?: string): void => {
    if (name === 'version') {
      if (parent === 'ICD10CM.tabular') out.version = text;
      return;
    }
    if (name === 'note') {
      if (isNoteKind(parent) && (grand === 'chapter' || grand === 'section' || grand === 'diag')) {
        const owner = top().owner ?? ctx.fail(`<${parent}> before the <name> of its ${grand}`);
        if (text !== '') out.notes.push({ code: owner, kind: parent, text });
        if (parent === 'notes') sevenException(top(), text);
      } else if (parent === 'sevenChrDef') {
        // CDC writes an inclusion term of the preceding 7th character as a bare note (e.g. S72 "B").
        const last = top().seven?.at(-1) ?? ctx.fail('<note> before any <extension> in <sevenChrDef>');
        (last.inclusionTerms ??= []).push(text);
      }
      return; // notes of the introduction, sevenChrNote and sectionIndex carry no code-level meaning
    }
    if (name === 'extension') {
      if (parent !== 'sevenChrDef') return;
      if (char === undefined || !/^[0-9A-Z]$/.test(char)) ctx.fail(`7th character must be one letter or digit, got "${char ?? ''}"`);
      top().seven?.push({ char, title: text });
      return;
    }
    const scope = scopes.at(-1);
    if (scope === undefined || parent !== scope.kind) return; // e.g. visualImpairment's own headings
    if (name === 'name') nameOf(scope, text);
    else descOf(scope, text);
  };

  const sevenException = (scope: Scope, text: string): void => {
    const m = SEVENTH_EXCEPTION.exec(text);
    if (!m?.[1] || !m[3] || m[2] !== scope.owner) return;
    if (scope.hasChildDiag) ctx.fail(`7th-character exception note after child <diag> elements of ${m[2]}`);
    const chars = new Set(m[1].match(/\b[0-9A-Z]\b/g));
    const sixth = new Set([...m[3].matchAll(/(?:^|, or |, | or )([0-9A-Z]) - /g)].map((x) => x[1] ?? ''));
    if (chars.size === 0 || sixth.size === 0) ctx.fail(`cannot read the 7th-character exception "${text}"`);
    (scope.exceptions ??= []).push({ chars, sixth });
  };

  const nameOf = (scope: Scope, text: string): void => {
    if (scope.kind === 'chapter') {
      const num = Number(text);
      if (!Number.isInteger(num) || num < 1) ctx.fail(`chapter number "${text}" is not a positive integer`);
      scope.chapter = { num, title: '' };
      scope.owner = `chapter:${num}`;
      out.chapters.push(scope.chapter);
    } else if (scope.kind === 'diag' && scope.code) {
      const code = tabularCode(ctx, text);
      scope.code.code = code;
      scope.owner = code;
      const parent = scopes.at(-2);
      addCode(scope.code, parent?.kind === 'diag' ? (parent.code?.code ?? null) : null);
    }
  };

  const descOf = (scope: Scope, text: string): void => {
    const m = RANGE.exec(text);
    if (scope.chapter) {
      scope.chapter.title = m?.[1] ?? text;
      if (m?.[2] !== undefined) {
        scope.chapter.firstCode = m[2];
        scope.chapter.lastCode = m[3] ?? m[2];
      }
    } else if (scope.section) {
      scope.section.title = m?.[1] ?? text;
    } else if (scope.code) {
      if (scope.code.code === '') ctx.fail('<desc> before <name> in <diag>');
      scope.code.longTitle = text;
      // The XML has no short titles (those exist only in the order file); repeat the long one.
      scope.code.shortTitle = text;
    }
  };

  const openScope = (name: string, attrs: Readonly<Record<string, string>>): void => {
    if (name === 'chapter') {
      scopes.push({ kind: 'chapter', owner: null, hasChildDiag: false, seven: null });
    } else if (name === 'section') {
      const chapter = top().chapter ?? ctx.fail('<section> outside a named <chapter>');
      const id = attrs['id'] ?? ctx.fail('<section> without an id');
      const section: TabularSection = { id, title: '', chapter: chapter.num };
      out.sections.push(section);
      scopes.push({ kind: 'section', owner: `section:${id}`, section, hasChildDiag: false, seven: null });
    } else if (name === 'diag') {
      const parent = top();
      if (parent.kind === 'chapter') ctx.fail('<diag> directly inside a <chapter>');
      if (parent.kind === 'diag' && parent.owner === null) ctx.fail('child <diag> before the <name> of its parent');
      parent.hasChildDiag = true;
      const code: ReleaseCode = { code: '', billable: false, shortTitle: '', longTitle: '', order: out.codes.length + 1 };
      out.codes.push(code);
      scopes.push({ kind: 'diag', owner: null, code, hasChildDiag: false, seven: null });
    } else if (name === 'sevenChrDef') {
      const scope = top();
      // A rule written after child codes would not reach them in a one-pass expansion; the schema's
      // order (and every CDC file) puts it first, so treat anything else as malformed rather than guess.
      if (scope.hasChildDiag) ctx.fail('<sevenChrDef> after child <diag> elements');
      if (scope.owner === null) ctx.fail('<sevenChrDef> before the <name> of its element');
      scope.seven = [];
      out.sevenChars.push({ code: scope.owner, values: scope.seven });
    }
  };

  const closeDiag = (scope: Scope): void => {
    const rc = scope.code;
    if (rc === undefined || rc.code === '') ctx.fail('<diag> without a <name>');
    if (rc.longTitle === '') ctx.fail(`${rc.code} has no <desc>`);
    if (scope.hasChildDiag) return; // headers stay billable: false
    // The nearest rule wins: a sevenChrDef deeper down redefines one above it.
    const rule = scopes.findLast((s) => s.seven !== null)?.seven;
    if (!rule) {
      rc.billable = true;
      return;
    }
    if (rc.code.length > 6) ctx.fail(`${rc.code} already has 7 characters but a 7th-character rule applies`);
    if (rule.length === 0) ctx.fail(`empty <sevenChrDef> applies to ${rc.code}`);
    // Placeholder X fills positions up to 6 (T36.0X1 stays, O32.1 → O321XX); CMS lists no X headers.
    const base = rc.code.padEnd(6, 'X');
    const except = scopes.flatMap((s) => s.exceptions ?? []).filter((e) => e.sixth.has(base.charAt(5)));
    for (const v of rule) {
      if (except.some((e) => e.chars.has(v.char))) continue;
      const title = `${rc.longTitle}, ${v.title}`;
      const code: ReleaseCode = { code: base + v.char, billable: true, shortTitle: title, longTitle: title, order: out.codes.length + 1 };
      out.codes.push(code);
      addCode(code, rc.code);
    }
  };

  return {
    open(name, attrs) {
      stack.push(name);
      if (capture) return; // markup inside a text element (addenda <new>/<old>): keep collecting
      if (name === 'ICD10CM.tabular' && attrs['isAddenda'] === 'true') ctx.fail('addenda tabular files are not supported');
      if (TEXT_ELEMENTS.has(name)) {
        capture = { parts: [], depth: stack.length };
        if (name === 'extension') capture.char = attrs['char'];
      } else openScope(name, attrs);
    },
    text(text) {
      capture?.parts.push(text);
    },
    close(name) {
      if (capture) {
        if (capture.depth === stack.length) {
          const { parts, char } = capture;
          capture = null;
          onText(name, stack.at(-2), stack.at(-3), cleanText(parts.join('')), char);
        }
        stack.pop();
        return;
      }
      stack.pop();
      if (name === 'chapter' || name === 'section' || name === 'diag') {
        // Expand before popping, so a rule defined on the leaf itself is still in scope.
        const scope = top();
        if (scope.kind === 'diag') closeDiag(scope);
        if (scope.kind === 'chapter' && !scope.chapter) ctx.fail('<chapter> without a <name>');
        scopes.pop();
      }
    },
  };
}
