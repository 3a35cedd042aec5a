import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { ReleaseCode, TabularNote, IndexPath, TableTerm } from './model.js';
import type { TabularChapter, TabularSection } from './xml/tabular.js';

/** The chapters and blocks of an XML year's tabular list. */
export interface TabularOutline {
  chapters: TabularChapter[];
  sections: TabularSection[];
}
import type { CodesetTables } from './schema.js';
import type { IndexCrossRef } from './xml/index-terms.js';

type Db = Kysely<CodesetTables> | Transaction<CodesetTables>;
const CHUNK = 10_000;

export type ReleaseRow = Selectable<CodesetTables['codeset_release']>;

/** SQL of the code sets, nothing else. Bulk inserts travel as arrays and are unnested (one statement per 10,000 rows). */
export const codesetStore = {
  releases(db: Db, system?: string): Promise<ReleaseRow[]> {
    let q = db.selectFrom('codeset_release').selectAll();
    if (system) q = q.where('system', '=', system);
    return q.orderBy('system').orderBy('effective_from').orderBy('kind').execute();
  },

  findRelease(db: Db, system: string, fiscalYear: number, effectiveFrom: string, kind: string) {
    return db.selectFrom('codeset_release').select('id').where('system', '=', system).where('fiscal_year', '=', fiscalYear)
      .where('effective_from', '=', effectiveFrom).where('kind', '=', kind).executeTakeFirst();
  },

  async insertRelease(db: Db, r: { system: string; fiscalYear: number; effectiveFrom: string; kind: string; label: string; codes: ReleaseCode[]; sources: unknown; addenda: unknown; hasNotes: boolean }): Promise<number> {
    const row = await db.insertInto('codeset_release').values({
      system: r.system, fiscal_year: r.fiscalYear, effective_from: r.effectiveFrom, kind: r.kind, label: r.label,
      code_count: r.codes.length, billable_count: r.codes.filter((c) => c.billable).length,
      sources: JSON.stringify(r.sources), addenda: r.addenda === null ? null : JSON.stringify(r.addenda), has_notes: r.hasNotes,
    }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  },

  async insertCodes(db: Db, releaseId: number, codes: ReleaseCode[], poaExempt: Set<string> | null): Promise<void> {
    for (let i = 0; i < codes.length; i += CHUNK) {
      const part = codes.slice(i, i + CHUNK);
      const extra = part.map((c) => (c.kind ? JSON.stringify({ kind: c.kind, addedOn: c.addedOn ?? null, actionEffectiveOn: c.actionEffectiveOn ?? null, terminatedOn: c.terminatedOn ?? null, actionCode: c.actionCode ?? null }) : null));
      await sql`insert into codeset_code (release_id, code, billable, short_title, long_title, order_no, poa_exempt, extra)
        select ${releaseId}, * from unnest(${part.map((c) => c.code)}::text[], ${part.map((c) => c.billable)}::boolean[],
          ${part.map((c) => c.shortTitle)}::text[], ${part.map((c) => c.longTitle)}::text[], ${part.map((c) => c.order ?? null)}::integer[],
          ${part.map((c) => (poaExempt ? poaExempt.has(c.code) : null))}::boolean[], ${extra}::jsonb[])`.execute(db);
    }
  },

  async insertNotes(db: Db, releaseId: number, notes: TabularNote[]): Promise<void> {
    const seq = new Map<string, number>();
    const withSeq = notes.map((n) => {
      const k = `${n.code}|${n.kind}`;
      const s = (seq.get(k) ?? 0) + 1;
      seq.set(k, s);
      return { ...n, seq: s };
    });
    for (let i = 0; i < withSeq.length; i += CHUNK) {
      const part = withSeq.slice(i, i + CHUNK);
      await sql`insert into codeset_note (release_id, code, kind, seq, text)
        select ${releaseId}, * from unnest(${part.map((n) => n.code)}::text[], ${part.map((n) => n.kind)}::text[], ${part.map((n) => n.seq)}::integer[], ${part.map((n) => n.text)}::text[])`.execute(db);
    }
  },

  async insertIndexPaths(db: Db, releaseId: number, paths: (IndexPath & { plainPath?: string[] })[]): Promise<void> {
    for (let i = 0; i < paths.length; i += CHUNK) {
      const part = paths.slice(i, i + CHUNK);
      // text[][] cannot be ragged, so each path travels joined by a separator no title contains.
      await sql`insert into codeset_index_path (release_id, code, path, plain_path)
        select ${releaseId}, c, string_to_array(p, chr(31)), string_to_array(pp, chr(31))
        from unnest(${part.map((p) => p.code)}::text[], ${part.map((p) => p.path.join('\u001f'))}::text[], ${part.map((p) => (p.plainPath ?? p.path).join('\u001f'))}::text[]) as t(c, p, pp)`.execute(db);
    }
  },

  /** The drug, neoplasm and external-cause rows of an XML year; marks the release as having them. */
  async insertTableRows(db: Db, releaseId: number, rows: TableTerm[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      await sql`insert into codeset_table_row (release_id, source, code, path, plain_path)
        select ${releaseId}, s, c, string_to_array(p, chr(31)), string_to_array(pp, chr(31))
        from unnest(${part.map((r) => r.source)}::text[], ${part.map((r) => r.code)}::text[], ${part.map((r) => r.path.join('\u001f'))}::text[], ${part.map((r) => r.plainPath.join('\u001f'))}::text[]) as t(s, c, p, pp)`.execute(db);
    }
    if (rows.length > 0) await db.updateTable('codeset_release').set({ has_tables: true }).where('id', '=', releaseId).execute();
  },

  async hasTables(db: Db, releaseId: number): Promise<boolean> {
    const row = await db.selectFrom('codeset_release').select('has_tables').where('id', '=', releaseId).executeTakeFirst();
    return row?.has_tables ?? false;
  },

  /** Appends source records (files read later into a loaded release) to the release's list. */
  async addSources(db: Db, releaseId: number, sources: unknown[]): Promise<void> {
    await sql`update codeset_release set sources = sources || ${JSON.stringify(sources)}::jsonb where id = ${releaseId}`.execute(db);
  },

  async insertOutline(db: Db, releaseId: number, outline: TabularOutline): Promise<void> {
    await db.insertInto('codeset_tabular_outline').values({ release_id: releaseId, chapters: JSON.stringify(outline.chapters), sections: JSON.stringify(outline.sections) }).execute();
  },

  async outline(db: Db, releaseId: number): Promise<TabularOutline | null> {
    const row = await db.selectFrom('codeset_tabular_outline').select(['chapters', 'sections']).where('release_id', '=', releaseId).executeTakeFirst();
    return row ? { chapters: row.chapters as TabularOutline['chapters'], sections: row.sections as TabularOutline['sections'] } : null;
  },

  async allTableRows(db: Db, releaseId: number): Promise<TableTerm[]> {
    const rows = await db.selectFrom('codeset_table_row').select(['source', 'code', 'path', 'plain_path']).where('release_id', '=', releaseId).execute();
    return rows.map((r) => ({ source: r.source as TableTerm['source'], code: r.code, path: r.path, plainPath: r.plain_path }));
  },

  /** The table rows whose code is one of `codes` (the code, its 6-character drug form, its categories with "-"). */
  tableRows(db: Db, releaseId: number, codes: string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return db.selectFrom('codeset_table_row').select(['source', 'code', 'path']).where('release_id', '=', releaseId).where('code', 'in', codes)
      .orderBy('source').orderBy('path').limit(100).execute();
  },

  async insertIndexXrefs(db: Db, releaseId: number, refs: unknown[]): Promise<void> {
    if (refs.length > 0) await db.insertInto('codeset_index_xref').values({ release_id: releaseId, refs: JSON.stringify(refs) }).execute();
  },

  async indexXrefs(db: Db, releaseId: number): Promise<IndexCrossRef[]> {
    const row = await db.selectFrom('codeset_index_xref').select('refs').where('release_id', '=', releaseId).executeTakeFirst();
    return (row?.refs as IndexCrossRef[] | undefined) ?? [];
  },

  async insertConversion(db: Db, releaseId: number, rows: { currentCode: string; effectiveFrom: string | null; previousCodes: string }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      await sql`insert into codeset_conversion (release_id, current_code, effective_from, previous_codes)
        select ${releaseId}, * from unnest(${part.map((r) => r.currentCode)}::text[], ${part.map((r) => r.effectiveFrom)}::date[], ${part.map((r) => r.previousCodes)}::text[])`.execute(db);
    }
  },

  async insertPcsData(db: Db, releaseId: number, tables: unknown, definitions: unknown): Promise<void> {
    await db.insertInto('codeset_pcs_data').values({ release_id: releaseId, tables: JSON.stringify(tables), definitions: definitions === null ? null : JSON.stringify(definitions) }).execute();
  },

  pcsData(db: Db, releaseId: number) {
    return db.selectFrom('codeset_pcs_data').select(['tables', 'definitions']).where('release_id', '=', releaseId).executeTakeFirst();
  },

  code(db: Db, releaseId: number, code: string) {
    return db.selectFrom('codeset_code').selectAll().where('release_id', '=', releaseId).where('code', '=', code).executeTakeFirst();
  },

  /** The releases (by id) that contain a code. */
  async releasesWith(db: Db, code: string, system: string): Promise<number[]> {
    const rows = await db.selectFrom('codeset_code as c').innerJoin('codeset_release as r', 'r.id', 'c.release_id')
      .select('r.id').where('c.code', '=', code).where('r.system', '=', system).execute();
    return rows.map((r) => r.id);
  },

  children(db: Db, releaseId: number, prefix: string, limit: number) {
    return db.selectFrom('codeset_code').select(['code', 'long_title', 'billable']).where('release_id', '=', releaseId)
      .where('code', 'like', `${prefix.replace(/[%_\\]/g, '\\$&')}%`).where('code', '!=', prefix).where('billable', '=', true)
      .orderBy('order_no').orderBy('code').limit(limit).execute();
  },

  async searchableCodes(db: Db, releaseId: number): Promise<ReleaseCode[]> {
    const rows = await db.selectFrom('codeset_code').select(['code', 'billable', 'short_title', 'long_title', 'order_no']).where('release_id', '=', releaseId).execute();
    return rows.map((r) => ({ code: r.code, billable: r.billable, shortTitle: r.short_title, longTitle: r.long_title, ...(r.order_no !== null ? { order: r.order_no } : {}) }));
  },

  async inclusionTerms(db: Db, releaseId: number): Promise<TabularNote[]> {
    const rows = await db.selectFrom('codeset_note').select(['code', 'kind', 'text']).where('release_id', '=', releaseId).where('kind', 'in', ['inclusionTerm', 'includes']).execute();
    return rows.map((r) => ({ code: r.code, kind: r.kind as TabularNote['kind'], text: r.text }));
  },

  async allIndexPaths(db: Db, releaseId: number): Promise<(IndexPath & { plainPath?: string[] })[]> {
    const rows = await db.selectFrom('codeset_index_path').select(['code', 'path', 'plain_path']).where('release_id', '=', releaseId).execute();
    return rows.map((r) => ({ code: r.code, path: r.path, ...(r.plain_path ? { plainPath: r.plain_path } : {}) }));
  },

  /** The next level below a prefix: codes one step longer than the prefix where such codes exist, with how many lie below each. */
  async childrenOf(db: Db, releaseId: number, prefix: string) {
    const rows = await db.selectFrom('codeset_code').select(['code', 'long_title', 'billable']).where('release_id', '=', releaseId)
      .where(sql<boolean>`left(code, ${prefix.length}) = ${prefix}`).where(sql<boolean>`length(code) > ${prefix.length}`).orderBy('code').execute();
    const level = Math.min(...rows.map((r) => r.code.length));
    const children = rows.filter((r) => r.code.length === level);
    const below = new Map(children.map((c) => [c.code, 0]));
    for (const r of rows) {
      if (r.code.length > level) {
        const key = r.code.slice(0, level);
        const n = below.get(key);
        if (n !== undefined) below.set(key, n + 1);
      }
    }
    return children.map((c) => ({ ...c, below: below.get(c.code) ?? 0 }));
  },

  allCodes(db: Db, releaseId: number) {
    return db.selectFrom('codeset_code').select(['code', 'billable', 'long_title']).where('release_id', '=', releaseId).execute();
  },

  notes(db: Db, releaseId: number, codes: string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return db.selectFrom('codeset_note').select(['code', 'kind', 'text']).where('release_id', '=', releaseId).where('code', 'in', codes).orderBy('code').orderBy('kind').orderBy('seq').execute();
  },

  /** Titles of the given codes in a release (those it has). */
  titlesOf(db: Db, releaseId: number, codes: string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return db.selectFrom('codeset_code').select(['code', 'long_title']).where('release_id', '=', releaseId).where('code', 'in', codes).execute();
  },

  /** The Excludes1 and Excludes2 notes at the given codes. */
  excludesNotes(db: Db, releaseId: number, codes: string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return db.selectFrom('codeset_note').select(['code', 'kind', 'text']).where('release_id', '=', releaseId).where('code', 'in', codes)
      .where('kind', 'in', ['excludes1', 'excludes2']).orderBy('code').orderBy('kind').orderBy('seq').execute();
  },

  indexPaths(db: Db, releaseId: number, code: string) {
    return db.selectFrom('codeset_index_path').select('path').where('release_id', '=', releaseId).where('code', '=', code).limit(50).execute();
  },

  successors(db: Db, releaseIds: number[], code: string) {
    if (releaseIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('codeset_conversion').select(['current_code', 'effective_from']).where('release_id', 'in', releaseIds)
      .where(sql<boolean>`${code} = any(string_to_array(previous_codes, ','))`).execute();
  },
};
