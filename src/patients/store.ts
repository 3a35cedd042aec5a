import { sql, type Expression, type Insertable, type Kysely, type Selectable, type SqlBool, type Transaction, type Updateable } from 'kysely';
import { definedOnly, hold, type Read } from '../platform/db/pipeline.js';
import { flushRows, insertRows, type DeferredTable } from '../platform/db/write-behind.js';
import type { PatientTables } from './schema.js';

export type PatientDb = Kysely<PatientTables> | Transaction<PatientTables>;
export type PatientRow = Selectable<PatientTables['patient']>;
/** A new patient's row as written: its ids are chosen by the caller. */
export type NewPatient = Insertable<PatientTables['patient']> & { id: string; enterprise_id: string };

/**
 * MRN numbers, taken from the sequence a block at a time (one round trip per block rather than per patient). The
 * numbers of a block not used when the process ends are never assigned: MRNs have gaps, as any sequence's numbers
 * do (a rolled-back registration leaves one too); each is still assigned once.
 */
export class MrnNumbers {
  private block: number[] = [];

  constructor(private readonly size = 16) {}

  async next(db: PatientDb): Promise<number> {
    if (this.block.length === 0) this.block = await patientStore.mrnNumbers(db, this.size);
    return this.block.shift()!;
  }
}

export const MRN_AUTHORITY = 'CHARTROOM-MRN';
export const ENTERPRISE_AUTHORITY = 'CHARTROOM-EID';

export interface SearchQuery {
  family: string[];
  given: string[];
  /** given-name variants (nicknames) to accept as exact */
  givenVariants: string[];
  birthDate: string | null;
  mrn: string | null;
  ssn4: string | null;
  limit: number;
}

const IDENTIFIER_TABLE: DeferredTable = { table: 'patient_identifier', columns: [['patient_id', 'text'], ['authority', 'text'], ['value', 'text'], ['type', 'text']] };

/** Per transaction: holders of identifiers read ahead by `prefetchIdentifiers` (`authority|value` → rows), used once. */
const prefetched = new WeakMap<object, Map<string, PatientRow[]>>();
/** Rows read with FOR UPDATE by `prefetchIdentifiers`: the newest state, already locked. */
const lockedRows = new WeakSet<PatientRow>();

const VERSION_TABLE: DeferredTable = {
  table: 'patient_version',
  columns: [['patient_id', 'text'], ['version', 'integer'], ['recorded_by', 'text'], ['source', 'text'], ['reason', 'text'], ['demographics', 'jsonb']],
};

/** SQL of the master patient index, nothing else. */
export const patientStore = {
  /** The next `count` numbers of the MRN sequence. */
  mrnNumbers(db: PatientDb, count: number): Promise<number[]> {
    return sql<{ n: string }>`select nextval('patient_mrn_seq') as n from generate_series(1, ${count}::int)`.execute(db).then((r) => r.rows.map((x) => Number(x.n)));
  },

  insertPatient(db: PatientDb, values: NewPatient) {
    return db.insertInto('patient').values(values).returningAll().executeTakeFirstOrThrow();
  },

  /** Inserts a patient without waiting for the answer: the statement travels with the transaction's next one (`hold`). */
  insertHeld(db: PatientDb, values: NewPatient): Promise<void> {
    return hold(db, db.insertInto('patient').values(values));
  },

  updatePatient(db: PatientDb, id: string, values: Updateable<PatientTables['patient']>) {
    return db.updateTable('patient').set({ ...values, updated_at: new Date() } as never).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  /**
   * Updates a patient read FOR UPDATE (`current`: its newest state) and answers the new state without waiting for
   * the database: the statement travels with the transaction's next one (`hold`). Not when a name changes (the
   * sound-alike columns are computed by the database): then `updatePatient`.
   */
  async revise(db: PatientDb, current: PatientRow, values: Updateable<PatientTables['patient']>): Promise<PatientRow> {
    const set = definedOnly({ ...values, updated_at: new Date() });
    await hold(db, db.updateTable('patient').set(set as never).where('id', '=', current.id));
    return { ...current, ...set };
  },

  /** Append-only: written with the transaction's other held rows when inside `withWriteBehind`. */
  insertVersion(db: PatientDb, v: { patientId: string; version: number; by: string | null; source: string; reason: string | null; demographics: unknown }) {
    return insertRows(db, VERSION_TABLE, [{ patient_id: v.patientId, version: v.version, recorded_by: v.by, source: v.source, reason: v.reason, demographics: v.demographics }]);
  },

  byId(db: PatientDb, id: string, forUpdate = false): Promise<PatientRow | undefined> {
    let q = db.selectFrom('patient').selectAll().where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  },

  async byIdentifier(db: PatientDb, authority: string | null, value: string): Promise<PatientRow[]> {
    const ahead = authority !== null ? prefetched.get(db) : undefined;
    const key = `${authority ?? ''}|${value}`;
    const rows = ahead?.get(key);
    if (rows) {
      ahead!.delete(key);
      return rows;
    }
    await flushRows(db);
    let q = db.selectFrom('patient_identifier as i').innerJoin('patient as p', 'p.id', 'i.patient_id').selectAll('p').where('i.value', '=', value);
    if (authority !== null) q = q.where('i.authority', '=', authority);
    return q.execute();
  },

  /**
   * A read (for the caller's pipeline, first in its transaction: nothing held) of the holders of many identifiers in one statement,
   * locking them (FOR UPDATE), for `byIdentifier` to answer from later in the same transaction (each once). `groups` are the
   * identifiers of different patients: a group whose holder is also another group's is not kept (its lookups go to
   * the table, seeing the other's changes).
   */
  prefetchIdentifiers(db: PatientDb, groups: readonly (readonly { authority: string; value: string }[])[]): Read | null {
    const flat = groups.flatMap((g, n) => g.map((i) => ({ a: i.authority, v: i.value, n })));
    if (flat.length === 0) return null;
    const statement = sql`select k.a as key_a, k.v as key_v, k.n as key_n, p.*
      from unnest(${flat.map((i) => i.a)}::text[], ${flat.map((i) => i.v)}::text[], ${flat.map((i) => i.n)}::int[]) as k(a, v, n)
      cross join lateral (select p.* from patient_identifier i join patient p on p.id = i.patient_id where i.value = k.v and i.authority = k.a offset 0 for update of p) p
      order by p.id`;
    const decode = (rows: (PatientRow & { key_a: string; key_v: string; key_n: number })[]) => {
      const owner = new Map<string, number>();
      const shared = new Set<number>();
      for (const row of rows) {
        const first = owner.get(row.id);
        if (first === undefined) owner.set(row.id, row.key_n);
        else if (first !== row.key_n) shared.add(row.key_n);
      }
      const ahead = prefetched.get(db) ?? new Map<string, PatientRow[]>();
      prefetched.set(db, ahead);
      for (const i of flat) {
        if (shared.has(i.n)) continue;
        const mine = rows.filter((x) => x.key_a === i.a && x.key_v === i.v).map(({ key_a: _a, key_v: _v, key_n: _n, ...row }) => row);
        for (const row of mine) lockedRows.add(row);
        ahead.set(`${i.a}|${i.v}`, mine);
      }
    };
    return { statement, decode };
  },

  /** Whether the row was read with FOR UPDATE ahead (then it is the newest state and locked). */
  isLocked(row: PatientRow): boolean {
    return lockedRows.has(row);
  },

  /** Who holds any of these identifiers (one query for all of them). */
  async holdersOf(db: PatientDb, ids: readonly { authority: string; value: string }[]) {
    if (ids.length === 0) return [];
    await flushRows(db);
    return db
      .selectFrom('patient_identifier as i')
      .innerJoin('patient as p', 'p.id', 'i.patient_id')
      .select(['i.authority', 'i.value', 'p.id', 'p.mrn'])
      .where((eb) => eb.or(ids.map((i) => eb.and([eb('i.value', '=', i.value), eb('i.authority', '=', i.authority)]))))
      .execute();
  },

  async identifiers(db: PatientDb, patientId: string) {
    await flushRows(db);
    return db.selectFrom('patient_identifier').select(['authority', 'value', 'type']).where('patient_id', '=', patientId).orderBy('id').execute();
  },

  /** Adds identifiers nobody holds (the caller checked): with the transaction's held rows under `withWriteBehind`. */
  async addIdentifiers(db: PatientDb, patientId: string, ids: { authority: string; value: string; type: string }[]): Promise<void> {
    await insertRows(db, IDENTIFIER_TABLE, ids.map((i) => ({ patient_id: patientId, ...i })));
  },

  async versions(db: PatientDb, patientId: string) {
    await flushRows(db);
    return db.selectFrom('patient_version').selectAll().where('patient_id', '=', patientId).orderBy('version', 'desc').execute();
  },

  async version(db: PatientDb, patientId: string, version: number) {
    await flushRows(db);
    return db.selectFrom('patient_version').selectAll().where('patient_id', '=', patientId).where('version', '=', version).executeTakeFirstOrThrow();
  },

  /**
   * Candidates for a search: exact identifiers, or names close in spelling (trigram), sound (double metaphone),
   * nickname, swapped order, each narrowed by birth date and SSN last 4 when given. Ranked in SQL, a page at most.
   */
  async search(db: PatientDb, q: SearchQuery, visible: (col: Expression<string>) => Expression<SqlBool>): Promise<(PatientRow & { rank: number })[]> {
    const conds: Expression<unknown>[] = [sql`p.status = 'active'`, visible(sql.ref<string>('p.id'))];
    if (q.mrn) conds.push(sql`p.id in (select patient_id from patient_identifier where value = ${q.mrn})`);
    if (q.birthDate) conds.push(sql`p.birth_date = ${q.birthDate}::date`);
    if (q.ssn4) conds.push(sql`p.ssn_last4 = ${q.ssn4}`);
    let rank = sql`1.0`;
    if (q.family.length > 0 || q.given.length > 0) {
      const names = [...q.family, ...q.given];
      // Spelled out per token (no unnest) so that PostgreSQL can OR the trigram GIN and metaphone indexes.
      // `x <% name` is word similarity: one part of a hyphenated or two-word family name matches on its own.
      const famHit = sql.join(names.map((x) => sql`(p.family_norm % ${x} or ${x} <% p.family_norm or p.family_dm = dmetaphone(${x}))`), sql` or `);
      const givens = [...names, ...q.givenVariants];
      const givenHit = sql.join([
        ...names.map((x) => sql`(p.given_norm % ${x} or ${x} <% p.given_norm or p.given_dm = dmetaphone(${x}))`),
        ...(q.givenVariants.length ? [sql`p.given_norm = any(${givens}::text[])`] : []),
      ], sql` or `);
      // One word may be either name; two or more must match a family and a given name (in either order).
      conds.push(names.length === 1 ? sql`((${famHit}) or (${givenHit}))` : sql`((${famHit}) and (${givenHit}))`);
      rank = sql`greatest(
          (select max(similarity(p.family_norm, f)) from unnest(${q.family.length ? q.family : names}::text[]) f) +
          coalesce((select max(similarity(p.given_norm, g)) from unnest(${q.given.length ? [...q.given, ...q.givenVariants] : names}::text[]) g), 0),
          (select max(similarity(p.family_norm, g)) from unnest(${q.given.length ? q.given : names}::text[]) g) +
          (select max(similarity(p.given_norm, f)) from unnest(${q.family.length ? q.family : names}::text[]) f) - 0.2)`;
    }
    const where = sql.join(conds, sql` and `);
    // Candidates first, each branch through its own index (a union, so the planner cannot fall back to scanning
    // every patient to rank them); then the precise conditions and the ranking over those few, each candidate read
    // by its key (`offset 0` keeps the planner from answering the conditions with bitmaps over the whole trigram
    // indexes instead: 100 ms for a common given name at a million patients).
    const cap = 1000;
    const names = [...q.family, ...q.given];
    const branches = q.mrn ? [sql`select patient_id as id from patient_identifier where value = ${q.mrn}`]
      : q.birthDate ? [sql`select id from patient where birth_date = ${q.birthDate}::date`]
        : [
          ...names.flatMap((x) => [
            sql`(select id from patient where family_dm = dmetaphone(${x}) limit ${cap})`,
            // similar spellings are looked up among the distinct names (patient_name_term, once: an array, so that a
            // LIMIT above cannot tempt the planner into reading every term), then their holders by btree
            sql`(select id from patient where family_norm = any(array(select term from patient_name_term where term % ${x})) limit ${cap})`,
            sql`(select id from patient where family_norm = any(array(select term from patient_name_term where ${x} <% term)) limit ${cap})`,
            ...(names.length === 1
              ? [
                sql`(select id from patient where given_dm = dmetaphone(${x}) limit ${cap})`,
                sql`(select id from patient where given_norm = any(array(select term from patient_name_term where term % ${x})) limit ${cap})`,
              ]
              : []),
          ]),
          ...(q.ssn4 ? [sql`select id from patient where ssn_last4 = ${q.ssn4}`] : []),
        ];
    const query = sql<PatientRow & { rank: number }>`with cand as (${sql.join(branches, sql` union `)})
      select p.*, ${rank} as rank from cand cross join lateral (select * from patient where id = cand.id offset 0) p where ${where}
      order by rank desc, p.family_norm, p.given_norm, p.birth_date nulls last limit ${q.limit}`;
    // Slightly stricter trigram thresholds than pg_trgm's 0.3/0.6 keep the index's candidates few; sound-alike typos are
    // the metaphone branches' job.
    return db.transaction().execute(async (tx) => {
      // One search is a few milliseconds of index lookups: parallel workers would only add their start-up.
      await sql`select set_config('pg_trgm.similarity_threshold', '0.35', true), set_config('pg_trgm.word_similarity_threshold', '0.7', true), set_config('max_parallel_workers_per_gather', '0', true)`.execute(tx);
      return (await query.execute(tx)).rows;
    });
  },

  /** Loose candidates for duplicate detection: same sound of the family name or same birth date, phone or SSN last 4. */
  async likely(db: PatientDb, probe: { family: string; given: string; birthDate: string | null; phone: string; ssn4: string | null }, limit: number) {
    const r = await sql<PatientRow>`select p.* from patient p where p.status = 'active' and (
        (p.family_dm = dmetaphone(${probe.family}) and ${probe.family} <> '')
        or (${probe.family} <> '' and p.family_norm = any(array(select term from patient_name_term where term % ${probe.family})))
        or (p.birth_date = ${probe.birthDate}::date and (p.given_dm = dmetaphone(${probe.given}) or p.family_norm % ${probe.given || '\u0000'}))
        or (${probe.phone} <> '' and p.phone_digits = ${probe.phone})
        or (${probe.ssn4}::text is not null and p.ssn_last4 = ${probe.ssn4} and p.birth_date = ${probe.birthDate}::date))
      order by similarity(p.family_norm, ${probe.family}) + similarity(p.given_norm, ${probe.given}) desc limit ${limit}`.execute(db);
    return r.rows;
  },
};
