import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import type { Kysely } from 'kysely';
import { buildEncoderIndex, type EncoderIndex, type SupplementVersion } from './encoder/index.js';
import type { IndexCrossRef } from './xml/index-terms.js';
import { loadEncoderVocabulary } from './encoder/load.js';
import type { EncoderVocabulary } from './encoder/data.js';
import type { CodeSystem, IndexPath, TableTerm, TabularNote } from './model.js';
import type { CodesetTables } from './schema.js';
import { codesetStore as store, type ReleaseRow } from './store.js';

/** Bump when the shape of EncoderIndex changes. */
const ENCODER_CACHE_FORMAT = 3;

/** A hash of the engine's own files, so a changed engine never reads an index built by an older one. */
function engineHash(): string {
  const dir = new URL('./encoder/', import.meta.url);
  const h = createHash('sha256');
  for (const f of fs.readdirSync(dir).filter((x) => /\.(js|ts|tsv)$/.test(x) && !x.includes('.test.')).sort()) h.update(f).update(fs.readFileSync(new URL(f, dir)));
  return h.digest('hex');
}

/**
 * Builds the in-memory encoder index of a release from its stored codes, with the newest XML year's
 * inclusion terms, alphabetic index and drug/neoplasm/external-cause tables as synonyms (the engine uses them only for codes valid in this
 * release and says so in each hit's provenance). Releases never change once imported, so an index is
 * built once per process and reused.
 */
export class EncoderCache {
  private readonly indexes = new Map<string, Promise<EncoderIndex>>();
  private vocabulary: EncoderVocabulary | null = null;
  private engine: string | null = null;

  /**
   * @param cacheDir - where built indexes are kept between processes (so a cold CLI search is fast), or null
   * @param appVersion - part of the cache key, with the vocabulary's hash: a new engine or vocabulary rebuilds
   */
  constructor(
    private readonly db: Kysely<CodesetTables>,
    private readonly cacheDir: string | null = null,
    private readonly appVersion = '0',
  ) {}

  /**
   * The index of a release. Its key covers the release and the XML years it borrows terms from, so importing
   * a new XML year (from any process) leads to a rebuild rather than a stale index.
   */
  async get(releaseId: number, system: CodeSystem, loaded?: ReleaseRow[]): Promise<EncoderIndex> {
    const releases = loaded ?? (await store.releases(this.db, system));
    const used = releases.filter((r) => r.id === releaseId || r.kind === 'xml').map((r) => [r.id, r.label, r.imported_at.toISOString(), r.has_tables]);
    const key = createHash('sha256')
      .update(JSON.stringify([ENCODER_CACHE_FORMAT, this.appVersion, used]))
      .digest('hex')
      .slice(0, 16);
    const mapKey = `${releaseId}:${key}`;
    let ix = this.indexes.get(mapKey);
    if (!ix) {
      for (const k of [...this.indexes.keys()]) if (k.startsWith(`${releaseId}:`)) this.indexes.delete(k);
      ix = this.cached(releaseId, system, key);
      ix.catch(() => this.indexes.delete(mapKey));
      this.indexes.set(mapKey, ix);
    }
    return ix;
  }

  /** A serialised index on disk, keyed by release (id, label, import time), app version and vocabulary. */
  private async cached(releaseId: number, system: CodeSystem, releaseKey: string): Promise<EncoderIndex> {
    this.vocabulary ??= loadEncoderVocabulary();
    if (!this.cacheDir) return this.build(releaseId, system);
    this.engine ??= engineHash();
    const key = createHash('sha256').update(`${releaseKey}|${this.engine}`).digest('hex').slice(0, 16);
    const file = path.join(this.cacheDir, `encoder-${releaseId}-${key}.v8`);
    try {
      return v8.deserialize(fs.readFileSync(file)) as EncoderIndex;
    } catch {
      // not cached yet (or unreadable): build it
    }
    const index = await this.build(releaseId, system);
    try {
      fs.mkdirSync(this.cacheDir, { recursive: true });
      for (const old of fs.readdirSync(this.cacheDir).filter((f) => f.startsWith(`encoder-${releaseId}-`))) fs.rmSync(path.join(this.cacheDir, old), { force: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, v8.serialize(index), { mode: 0o600 });
      fs.renameSync(tmp, file);
    } catch {
      // a read-only data directory only costs the next process a rebuild
    }
    return index;
  }

  private async build(releaseId: number, system: CodeSystem): Promise<EncoderIndex> {
    this.vocabulary ??= loadEncoderVocabulary();
    const codes = await store.searchableCodes(this.db, releaseId);
    let inclusionTerms: TabularNote[] | undefined;
    let indexPaths: (IndexPath & { plainPath?: string[] })[] | undefined;
    let indexCrossRefs: IndexCrossRef[] | undefined;
    let inclusionVersion: SupplementVersion | undefined;
    let indexVersion: SupplementVersion | undefined;
    let tableRows: TableTerm[] | undefined;
    let tableVersion: SupplementVersion | undefined;
    const codesOf = async (id: number) => (await store.searchableCodes(this.db, id)).map((c) => c.code);
    if (system === 'icd10cm') {
      const xml = (await store.releases(this.db, 'icd10cm')).filter((r) => r.kind === 'xml').sort((a, b) => b.effective_from.localeCompare(a.effective_from));
      const withNotes = xml.find((r) => r.has_notes);
      if (withNotes) {
        inclusionTerms = await store.inclusionTerms(this.db, withNotes.id);
        inclusionVersion = { label: `FY${withNotes.fiscal_year}`, codes: await codesOf(withNotes.id) };
      }
      // The newest XML year with drug, neoplasm and external-cause tables (FY2021 here).
      const withTables = xml.find((r) => r.has_tables);
      if (withTables) {
        tableRows = await store.allTableRows(this.db, withTables.id);
        tableVersion = { label: `FY${withTables.fiscal_year}`, codes: await codesOf(withTables.id) };
      }
      for (const r of xml) {
        const paths = await store.allIndexPaths(this.db, r.id);
        if (paths.length > 0) {
          indexPaths = paths;
          indexCrossRefs = await store.indexXrefs(this.db, r.id);
          indexVersion = { label: `FY${r.fiscal_year}`, codes: await codesOf(r.id) };
          break;
        }
      }
    }
    return buildEncoderIndex({
      system,
      codes,
      synonyms: this.vocabulary.synonyms,
      procedures: this.vocabulary.procedures,
      ...(inclusionTerms ? { inclusionTerms, inclusionVersion } : {}),
      ...(tableRows ? { tableRows, tableVersion } : {}),
      ...(indexPaths ? { indexPaths, indexVersion, ...(indexCrossRefs ? { indexCrossRefs } : {}) } : {}),
    });
  }
}
