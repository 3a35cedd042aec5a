import { sql, type Kysely } from 'kysely';
import { AppError } from '../platform/errors/app-error.js';
import type { CodeSystem } from './model.js';
import { formatCode, normaliseCode } from './releases/order-file.js';
import type { CodesetTables } from './schema.js';
import { codesetStore as store, type ReleaseRow } from './store.js';
import { EncoderCache } from './encoder-cache.js';
import { searchAll } from './encoder/index.js';
import { codeRefs, type CodeRef } from './excludes.js';
import { pcsBuilder, type PcsBuilder } from './pcs/builder.js';
import type { PcsDefinitions } from './pcs/definitions.js';
import type { PcsTables } from './pcs/tables.js';
import { chooseRelease, effectiveTo, type ReleaseChoice, type ReleaseInfo } from './versions.js';

export const SYSTEMS: readonly CodeSystem[] = ['icd10cm', 'icd10pcs', 'hcpcs'];

const TABLE_NAMES = { drug: 'Table of Drugs and Chemicals', neoplasm: 'Table of Neoplasms', eindex: 'External Cause Index' } as const;

export interface VersionView {
  label: string;
  fiscalYear: number;
  effectiveFrom: string;
  effectiveTo: string;
  inForce: boolean;
  notice: string | null;
}

export interface ValidateResult {
  code: string;
  system: CodeSystem;
  date: string;
  valid: boolean;
  status: 'valid' | 'not-billable' | 'not-yet-effective' | 'deleted' | 'unknown';
  message: string;
  title?: string;
  version: VersionView;
  children?: { code: string; title: string }[];
  effectiveFrom?: string;
  deletedOn?: string;
  successors?: string[];
}

export interface SearchHit {
  code: string;
  title: string;
  billable: boolean;
  system: CodeSystem;
  score: number;
}

/** An Excludes1/Excludes2 note that applies to a code: at the code or a header above it (`at`), with the codes it points at. */
export interface ExcludesNote {
  kind: 'excludes1' | 'excludes2';
  text: string;
  at: string;
  refs: CodeRef[];
}

/** A search hit's Excludes notes and the release they come from (a version without XML borrows them), or null when none is known. */
export interface HitExcludes {
  from: string;
  notes: ExcludesNote[];
}

export function checkSystem(system: string): CodeSystem {
  if (!(SYSTEMS as readonly string[]).includes(system)) {
    throw new AppError('CODE_SYSTEM_UNKNOWN', `Unknown code system "${system.slice(0, 40)}": use icd10cm, icd10pcs or hcpcs.`);
  }
  return system as CodeSystem;
}

export function checkDate(date: string | undefined, today: () => string): string {
  if (date === undefined || date === '') return today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new AppError('INVALID_PARAMETER', `date must be YYYY-MM-DD, got "${date.slice(0, 40)}".`);
  }
  return date;
}

const info = (r: ReleaseRow): ReleaseInfo => ({ id: r.id, system: r.system, fiscalYear: r.fiscal_year, effectiveFrom: r.effective_from, kind: r.kind, label: r.label });

/** Code-set queries: releases, the version in force, validation, detail, diff. Reference data, not patient data. */
export class CodesetService {
  /** Builders per release: reference data never changes once imported, so caching is safe across processes. */
  private readonly builders = new Map<number, PcsBuilder | null>();

  private readonly encoders: EncoderCache;

  constructor(
    private readonly db: Kysely<CodesetTables>,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
    cache: { dir: string | null; appVersion: string } = { dir: null, appVersion: '0' },
  ) {
    this.encoders = new EncoderCache(db, cache.dir, cache.appVersion);
  }

  async releases(system?: CodeSystem) {
    const rows = await store.releases(this.db, system);
    const infos = rows.map(info);
    return rows.map((r) => ({
      id: r.id, system: r.system, fiscalYear: r.fiscal_year, effectiveFrom: r.effective_from, effectiveTo: effectiveTo(infos, info(r)),
      kind: r.kind, label: r.label, codes: r.code_count, billable: r.billable_count, hasNotes: r.has_notes, importedAt: r.imported_at.toISOString(),
    }));
  }

  /** The release used for a date (the one in force, or the newest with a notice). */
  async choose(system: CodeSystem, date: string, loaded?: ReleaseRow[]): Promise<ReleaseChoice> {
    const rows = (loaded ?? (await store.releases(this.db, system))).map(info);
    const choice = chooseRelease(rows, system, date);
    if (!choice) throw new AppError('CODESET_NOT_LOADED', `No ${system} release is loaded. Import one with: chartroom import codesets <folder>`);
    return choice;
  }

  private view(c: ReleaseChoice): VersionView {
    return { label: c.release.label, fiscalYear: c.release.fiscalYear, effectiveFrom: c.release.effectiveFrom, effectiveTo: c.effectiveTo, inForce: c.inForce, notice: c.notice };
  }

  /** Is a code valid on a date? Headers list their billable children; deleted codes their successors. */
  async validate(input: string, systemName: string, dateIn?: string): Promise<ValidateResult> {
    const system = checkSystem(systemName);
    const date = checkDate(dateIn, this.today);
    const code = normaliseCode(input);
    const choice = await this.choose(system, date);
    const version = this.view(choice);
    const shown = formatCode(system, code);
    const base = { code: shown, system, date, version };
    if (!/^[A-Z0-9]{1,7}$/.test(code)) return { ...base, valid: false, status: 'unknown', message: `${input.slice(0, 20)} is not a code of ${system}.` };
    const row = await store.code(this.db, choice.release.id, code);
    if (row?.billable) return { ...base, valid: true, status: 'valid', title: row.long_title, message: `${shown} is valid on ${date} (${version.label}).` };
    if (row) {
      const children = (await store.children(this.db, choice.release.id, code, 50)).map((c) => ({ code: formatCode(system, c.code), title: c.long_title }));
      return { ...base, valid: false, status: 'not-billable', title: row.long_title, children, message: `${shown} is a header, not billable: use one of its ${children.length}${children.length === 50 ? '+' : ''} billable codes.` };
    }
    const all = await store.releases(this.db, system);
    const withCode = new Set(await store.releasesWith(this.db, code, system));
    const later = all.filter((r) => withCode.has(r.id) && r.effective_from > date).sort((a, b) => a.effective_from.localeCompare(b.effective_from))[0];
    if (later) return { ...base, valid: false, status: 'not-yet-effective', effectiveFrom: later.effective_from, message: `${shown} is not effective until ${later.effective_from} (${later.label}).` };
    const earlier = all.filter((r) => withCode.has(r.id) && r.effective_from <= date).sort((a, b) => b.effective_from.localeCompare(a.effective_from))[0];
    if (earlier) {
      const next = all.filter((r) => r.kind !== 'xml' && r.effective_from > earlier.effective_from && !withCode.has(r.id)).sort((a, b) => a.effective_from.localeCompare(b.effective_from))[0];
      const deletedOn = next?.effective_from ?? effectiveTo(all.map(info), info(earlier));
      const successors = (await store.successors(this.db, all.map((r) => r.id), code)).map((s) => formatCode(system, s.current_code));
      return {
        ...base, valid: false, status: 'deleted', deletedOn, successors: [...new Set(successors)],
        message: `${shown} was deleted on ${deletedOn}${successors.length ? `; use ${[...new Set(successors)].join(', ')}` : ''}.`,
      };
    }
    return { ...base, valid: false, status: 'unknown', message: `${shown} is in no loaded ${system} release.` };
  }

  /** Code detail: titles, hierarchy, billable, POA exemption, notes and index paths where loaded. */
  async detail(input: string, systemName: string, dateIn?: string) {
    const system = checkSystem(systemName);
    const date = checkDate(dateIn, this.today);
    const code = normaliseCode(input);
    const choice = await this.choose(system, date);
    const row = await store.code(this.db, choice.release.id, code);
    if (!row) throw new AppError('CODE_NOT_FOUND', `${formatCode(system, code)} is not in ${choice.release.label}.`);
    const ancestors: { code: string; title: string }[] = [];
    for (let len = system === 'icd10cm' ? 3 : 3; len < code.length; len++) {
      const a = await store.code(this.db, choice.release.id, code.slice(0, len));
      if (a) ancestors.push({ code: formatCode(system, a.code), title: a.long_title });
    }
    const { notes, notesFrom } = await this.notesFor(system, choice, row.code, row.long_title, ancestors.map((a) => normaliseCode(a.code)));
    const { paths, indexFrom } = await this.indexPathsFor(choice, row.code);
    const { tableRows, tablesFrom } = system === 'icd10cm' ? await this.tableRowsFor(choice, row.code) : { tableRows: [], tablesFrom: null };
    const outline = system === 'icd10cm' ? await this.outlineFor(choice, row.code) : { chapter: null, block: null, blocks: [], outlineFrom: null };
    return {
      code: formatCode(system, row.code), system, title: row.long_title, shortTitle: row.short_title, billable: row.billable,
      poaExempt: row.poa_exempt, ...outline, ancestors, version: this.view(choice), extra: row.extra ?? null,
      notes: notes.map((n) => ({ code: formatCode(system, n.code), kind: n.kind, text: n.text })),
      notesFrom,
      indexPaths: paths,
      indexFrom,
      tableRows,
      tablesFrom,
    };
  }

  /**
   * The chapter and block (section) of an ICD-10-CM code, from the version's own tabular XML or else the
   * newest XML year's chapter and block ranges (a category added since still falls in its range), saying
   * which year they are borrowed from. Null where no XML year is loaded or no range holds the category.
   */
  private async outlineFor(choice: ReleaseChoice, code: string) {
    const years = (await store.releases(this.db, 'icd10cm')).filter((r) => r.kind === 'xml').sort((a, b) => b.effective_from.localeCompare(a.effective_from));
    const category = code.slice(0, 3);
    const inRange = (first: string | undefined, last: string | undefined) => first !== undefined && category >= first.slice(0, 3) && category <= (last ?? first).slice(0, 3);
    for (const r of [...years.filter((y) => y.id === choice.release.id), ...years.filter((y) => y.id !== choice.release.id)]) {
      const outline = await store.outline(this.db, r.id);
      if (!outline) continue;
      const ch = outline.chapters.find((c) => inRange(c.firstCode, c.lastCode));
      // Blocks nest (C00-C96 Malignant neoplasms holds C15-C26): all that hold the category, widest first.
      const ends = (id: string): [string, string] => [id.split('-')[0]!, id.split('-')[1] ?? id.split('-')[0]!];
      const blocks = outline.sections
        .filter((s) => inRange(...ends(s.id)))
        .sort((a, b) => ends(a.id)[0].localeCompare(ends(b.id)[0]) || ends(b.id)[1].localeCompare(ends(a.id)[1]))
        .map((s) => ({ id: s.id, title: s.title }));
      return {
        chapter: ch ? { num: ch.num, title: ch.title, range: `${ch.firstCode ?? ''}-${ch.lastCode ?? ''}` } : null,
        block: blocks.at(-1) ?? null,
        blocks,
        outlineFrom: r.id === choice.release.id ? r.label : `chapter and block ranges of ${r.label}`,
      };
    }
    return { chapter: null, block: null, blocks: [] as { id: string; title: string }[], outlineFrom: null };
  }

  /**
   * The Table of Drugs, Table of Neoplasms and External Cause Index rows that lead to a code: the version's
   * own tables, else the newest XML year's (the code exists in this version, so they apply to it), saying
   * which year. A row leads to the code when it names the code or one of the headers above it, with or
   * without "-" (drug codes leave the 7th character to the coder, the neoplasm table writes C79.8-).
   */
  private async tableRowsFor(choice: ReleaseChoice, code: string) {
    const keys = [code];
    if (code.length === 7) keys.push(code.slice(0, 6));
    // A row naming a header leads to the codes under it (the external cause index writes W54.0 for W54.0XXA).
    for (let len = 3; len < code.length; len++) keys.push(code.slice(0, len), `${code.slice(0, len)}-`);
    const years = (await store.releases(this.db, 'icd10cm')).filter((r) => r.has_tables).sort((a, b) => b.effective_from.localeCompare(a.effective_from));
    const ordered = [...years.filter((r) => r.id === choice.release.id), ...years.filter((r) => r.id !== choice.release.id)];
    for (const r of ordered) {
      const rows = await store.tableRows(this.db, r.id, keys);
      if (rows.length === 0) continue;
      return {
        tableRows: rows.map((x) => ({ source: x.source, table: TABLE_NAMES[x.source as keyof typeof TABLE_NAMES] ?? x.source, code: formatCode('icd10cm', x.code), path: x.path })),
        tablesFrom: r.id === choice.release.id ? r.label : `tables of ${r.label}`,
      };
    }
    return { tableRows: [] as { source: string; table: string; code: string; path: string[] }[], tablesFrom: null };
  }

  /**
   * The instructional notes of a code. A version without tabular XML borrows the notes of the newest XML
   * year in which the code had the same title, and says which year they come from.
   */
  private async notesFor(system: CodeSystem, choice: ReleaseChoice, code: string, title: string, ancestors: string[]) {
    const all = await store.releases(this.db, system);
    const own = all.find((r) => r.id === choice.release.id);
    const candidates = own?.has_notes ? [own] : all.filter((r) => r.has_notes).sort((a, b) => b.effective_from.localeCompare(a.effective_from));
    for (const r of candidates) {
      const there = r.id === choice.release.id ? { long_title: title } : await store.code(this.db, r.id, code);
      if (!there || there.long_title !== title) continue;
      const notes = await store.notes(this.db, r.id, [code, ...ancestors]);
      return { notes, notesFrom: r.id === choice.release.id ? r.label : `${r.label}; the title is unchanged since` };
    }
    return { notes: [], notesFrom: null };
  }

  /** Index paths leading to a code: the version's own index, else the newest index year (codes valid in this version only). */
  private async indexPathsFor(choice: ReleaseChoice, code: string) {
    const own = await store.indexPaths(this.db, choice.release.id, code);
    if (own.length > 0) return { paths: own.map((p) => p.path), indexFrom: choice.release.label };
    for (const r of (await store.releases(this.db, choice.release.system)).filter((x) => x.kind === 'xml').sort((a, b) => b.effective_from.localeCompare(a.effective_from))) {
      const paths = await store.indexPaths(this.db, r.id, code);
      if (paths.length > 0) return { paths: paths.map((p) => p.path), indexFrom: `alphabetic index of ${r.label}` };
    }
    return { paths: [] as string[][], indexFrom: null };
  }

  /**
   * The ICD-10-PCS builder: for the characters chosen so far, the values of the next axis that still
   * lead to valid codes on the date, with their definitions; for seven characters, the code itself.
   */
  async pcsNext(prefixIn: string, dateIn?: string) {
    const date = checkDate(dateIn, this.today);
    const prefix = normaliseCode(prefixIn);
    if (!/^[0-9A-HJ-NP-Z]{0,7}$/.test(prefix)) throw new AppError('INVALID_PARAMETER', 'A PCS prefix is up to 7 characters 0-9 and A-Z without I and O.');
    const choice = await this.choose('icd10pcs', date);
    let builder = this.builders.get(choice.release.id);
    if (builder === undefined) {
      const data = await store.pcsData(this.db, choice.release.id);
      builder = data ? pcsBuilder(data.tables as PcsTables, (data.definitions as PcsDefinitions | null) ?? undefined) : null;
      this.builders.set(choice.release.id, builder);
    }
    if (!builder) throw new AppError('CODESET_NOT_LOADED', `${choice.release.label} was imported without its PCS tables XML; import icd10pcs_tables_${choice.release.fiscalYear}.xml with it.`);
    const row = prefix.length === 7 ? await store.code(this.db, choice.release.id, prefix) : undefined;
    return {
      prefix,
      version: this.view(choice),
      step: builder.next(prefix),
      chosen: prefix.length === 7 ? builder.describe(prefix) : null,
      code: prefix.length === 7 ? { code: prefix, valid: builder.isValid(prefix), title: row?.long_title ?? null } : null,
    };
  }

  /** The tree browser: the children of a code (or, with no parent, the categories under a letter or the letters). */
  async tree(systemName: string, parentIn: string | undefined, dateIn?: string) {
    const system = checkSystem(systemName);
    const date = checkDate(dateIn, this.today);
    const parent = normaliseCode(parentIn ?? '');
    if (!/^[A-Z0-9]{0,7}$/.test(parent)) throw new AppError('INVALID_PARAMETER', 'parent must be a code or a code prefix.');
    const choice = await this.choose(system, date);
    const rows = await store.childrenOf(this.db, choice.release.id, parent);
    const node = parent ? await store.code(this.db, choice.release.id, parent) : undefined;
    return {
      system, version: this.view(choice),
      parent: parent ? { code: formatCode(system, parent), title: node?.long_title ?? null, billable: node?.billable ?? false } : null,
      children: rows.map((r) => ({ code: formatCode(system, r.code), title: r.long_title, billable: r.billable, children: r.below })),
    };
  }

  /** A version named by fiscal year (`2026`) or effective date (`2025-04-01`). */
  private async version(system: CodeSystem, name: string): Promise<ReleaseRow> {
    const rows = (await store.releases(this.db, system)).filter((r) => r.kind !== 'xml');
    const found = /^\d{4}$/.test(name)
      ? rows.filter((r) => r.fiscal_year === Number(name)).sort((a, b) => a.effective_from.localeCompare(b.effective_from))[0]
      : rows.find((r) => r.effective_from === name);
    if (!found) throw new AppError('CODE_VERSION_UNKNOWN', `No loaded ${system} release is named "${name.slice(0, 20)}"; name it by fiscal year (2026) or effective date (2025-04-01).`);
    return found;
  }

  /** Codes added, deleted, retitled, and changed between billable and header; reconciled with the addenda. */
  async diff(systemName: string, fromName: string, toName: string) {
    const system = checkSystem(systemName);
    const [from, to] = [await this.version(system, fromName), await this.version(system, toName)];
    const [a, b] = [await store.allCodes(this.db, from.id), await store.allCodes(this.db, to.id)];
    const before = new Map(a.map((c) => [c.code, c]));
    const after = new Map(b.map((c) => [c.code, c]));
    const show = (c: { code: string; long_title: string; billable: boolean }) => ({ code: formatCode(system, c.code), title: c.long_title, billable: c.billable });
    const added = b.filter((c) => !before.has(c.code)).map(show);
    const deleted = a.filter((c) => !after.has(c.code)).map(show);
    const revised: { code: string; from: string; to: string }[] = [];
    const billableToHeader: ReturnType<typeof show>[] = [];
    const headerToBillable: ReturnType<typeof show>[] = [];
    for (const c of b) {
      const old = before.get(c.code);
      if (!old) continue;
      if (old.long_title !== c.long_title) revised.push({ code: formatCode(system, c.code), from: old.long_title, to: c.long_title });
      if (old.billable && !c.billable) billableToHeader.push(show(c));
      if (!old.billable && c.billable) headerToBillable.push(show(c));
    }
    const addenda = to.addenda as { added: number; deleted: number; revised: number } | null;
    // The order addenda count a change between billable and header as a delete plus an add.
    const computed = { added: added.length + billableToHeader.length + headerToBillable.length, deleted: deleted.length + billableToHeader.length + headerToBillable.length, revised: revised.length };
    return {
      system, from: from.label, to: to.label, added, deleted, revised, billableToHeader, headerToBillable,
      reconciliation: addenda ? { addenda, computed, matches: addenda.added === computed.added && addenda.deleted === computed.deleted } : null,
    };
  }

  /**
   * The encoder: codes, words in any order, abbreviations, lay terms, procedure names, index terms and
   * typos, ranked so the most specific billable codes that fit come first (see encoder/). Each hit says
   * why it matched.
   */
  async search(
    q: string,
    systemName: string | undefined,
    dateIn: string | undefined,
    limit = 20,
    options: { excludes?: boolean } = {},
  ): Promise<{ hits: (SearchHit & { why: string[]; excludes?: HitExcludes | null })[]; versions: VersionView[] }> {
    const text = q.trim();
    if (text.length === 0 || text.length > 200) throw new AppError('QUERY_INVALID', 'Type between 1 and 200 characters.');
    const systems = systemName ? [checkSystem(systemName)] : [...SYSTEMS];
    const date = checkDate(dateIn, this.today);
    const n = Math.min(Math.max(limit, 1), 100);
    const versions: VersionView[] = [];
    const indexes = [];
    for (const system of systems) {
      // One read of the release list serves both the version choice and the encoder's cache key.
      const rows = await store.releases(this.db, system);
      const choice = await this.choose(system, date, rows).catch((e: unknown) => {
        if (systemName) throw e;
        return null;
      });
      if (!choice) continue;
      versions.push(this.view(choice));
      indexes.push(await this.encoders.get(choice.release.id, system, rows));
    }
    if (versions.length === 0) throw new AppError('CODESET_NOT_LOADED', 'No code sets are loaded yet. Import them with: chartroom import codesets <folder>');
    const hits = searchAll(indexes, text, { limit: n }).map((h) => ({ code: h.display, title: h.title, billable: h.billable, system: h.system, score: Math.round(h.score * 1000) / 1000, why: h.why }));
    if (!options.excludes) return { hits, versions };
    const cm = hits.filter((h) => h.system === 'icd10cm');
    const cmVersion = cm.length > 0 ? await this.choose('icd10cm', date) : null;
    const excludes = cmVersion ? await this.excludesFor(cmVersion, cm.map((h) => ({ code: normaliseCode(h.code), title: h.title }))) : new Map<string, HitExcludes | null>();
    return { hits: hits.map((h) => (h.system === 'icd10cm' ? { ...h, excludes: excludes.get(normaliseCode(h.code)) ?? null } : h)), versions };
  }

  /**
   * The Excludes1/Excludes2 notes of ICD-10-CM codes, at the code and at every header above it: from the
   * version's own tabular XML, else from the newest XML year in which the code has the same title (marked
   * with that year), as code detail borrows them; null for a code no XML year describes so.
   */
  private async excludesFor(choice: ReleaseChoice, codes: { code: string; title: string }[]): Promise<Map<string, HitExcludes | null>> {
    const all = await store.releases(this.db, 'icd10cm');
    const own = all.find((r) => r.id === choice.release.id);
    const candidates = own?.has_notes ? [own] : all.filter((r) => r.has_notes).sort((a, b) => b.effective_from.localeCompare(a.effective_from));
    const out = new Map<string, HitExcludes | null>();
    let todo = codes;
    for (const r of candidates) {
      if (todo.length === 0) break;
      const titles = r.id === choice.release.id ? new Map(todo.map((c) => [c.code, c.title])) : new Map((await store.titlesOf(this.db, r.id, todo.map((c) => c.code))).map((x) => [x.code, x.long_title]));
      const here = todo.filter((c) => titles.get(c.code) === c.title);
      todo = todo.filter((c) => titles.get(c.code) !== c.title);
      const keys = new Set(here.flatMap((c) => Array.from({ length: c.code.length - 2 }, (_, i) => c.code.slice(0, 3 + i))));
      const notes = await store.excludesNotes(this.db, r.id, [...keys]);
      const from = r.id === choice.release.id ? r.label : `${r.label}; the title is unchanged since`;
      for (const c of here) {
        const mine = notes.filter((x) => c.code.startsWith(x.code)).map((x) => ({ kind: x.kind as ExcludesNote['kind'], text: x.text, at: formatCode('icd10cm', x.code), refs: codeRefs(x.text) }));
        out.set(c.code, { from, notes: mine });
      }
    }
    for (const c of todo) out.set(c.code, null);
    return out;
  }

  /** The obvious baseline the benchmark compares with: PostgreSQL pg_trgm similarity over the titles. */
  async searchTrigram(q: string, systemName: string | undefined, dateIn: string | undefined, limit = 20): Promise<{ hits: SearchHit[]; versions: VersionView[] }> {
    const text = q.trim();
    if (text.length === 0 || text.length > 200) throw new AppError('QUERY_INVALID', 'Type between 1 and 200 characters.');
    const systems = systemName ? [checkSystem(systemName)] : [...SYSTEMS];
    const date = checkDate(dateIn, this.today);
    const hits: SearchHit[] = [];
    const versions: VersionView[] = [];
    const n = Math.min(Math.max(limit, 1), 100);
    for (const system of systems) {
      let choice: ReleaseChoice;
      try {
        choice = await this.choose(system, date);
      } catch {
        continue;
      }
      versions.push(this.view(choice));
      const code = normaliseCode(text);
      const words = text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0);
      const rows = await this.db.selectFrom('codeset_code').select(['code', 'long_title', 'billable'])
        .select(sql<number>`case when code = ${code} then 2 when code like ${`${code}%`} then 1.5 - length(code) * 0.01 else similarity(long_title, ${text}) end`.as('score'))
        .where('release_id', '=', choice.release.id)
        .where((eb) => eb.or([
          eb('code', 'like', `${code.replace(/[%_\\]/g, '\\$&')}%`),
          eb.and(words.map((w) => eb(sql`lower(long_title)`, 'like', `%${w.replace(/[%_\\]/g, '\\$&')}%`))),
        ]))
        .orderBy('score', 'desc').orderBy('billable', 'desc').orderBy(sql`length(long_title)`).limit(n).execute();
      for (const r of rows) hits.push({ code: formatCode(system, r.code), title: r.long_title, billable: r.billable, system, score: Number(r.score) });
    }
    hits.sort((x, y) => y.score - x.score);
    return { hits: hits.slice(0, n), versions };
  }
}
