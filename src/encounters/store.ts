import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import { definedOnly, hold, type Read } from '../platform/db/pipeline.js';
import { flushRows, insertRows, type DeferredTable } from '../platform/db/write-behind.js';
import type { EncounterTables } from './schema.js';

export type EncounterDb = Kysely<EncounterTables> | Transaction<EncounterTables>;
export type EncounterRow = Selectable<EncounterTables['encounter']>;
export type EncounterValues = Updateable<EncounterTables['encounter']>;
export type NewEncounter = EncounterValues & { patient_id: string; account_number: string; class: string; status: EncounterRow['status']; source: string };

const EVENT_TABLE: DeferredTable = { table: 'encounter_event', columns: [['encounter_id', 'text'], ['event', 'text'], ['occurred_at', 'timestamptz'], ['detail', 'jsonb']] };
/** Per transaction: encounters read ahead by `prefetchAccounts` (account → row, null when there is none), used once. */
const prefetched = new WeakMap<object, Map<string, EncounterRow | null>>();
const PROVIDER_IDS = new Map<string, string>();

/** SQL of encounters and providers, nothing else. */
export const encounterStore = {
  async byAccount(db: EncounterDb, accountNumber: string, forUpdate = false): Promise<EncounterRow | undefined> {
    const ahead = forUpdate ? prefetched.get(db) : undefined;
    if (ahead?.has(accountNumber)) {
      const row = ahead.get(accountNumber) ?? undefined;
      ahead.delete(accountNumber);
      return row;
    }
    let q = db.selectFrom('encounter').selectAll().where('account_number', '=', accountNumber);
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirst();
  },

  /** A read (for the caller's pipeline), FOR UPDATE, of the encounters of several accounts, for `byAccount(…, true)` to answer once each. */
  prefetchAccounts(db: EncounterDb, accounts: readonly string[]): Read | null {
    const unique = [...new Set(accounts)];
    if (unique.length === 0) return null;
    return {
      statement: sql`select e.* from unnest(${unique}::text[]) as k(a)
        cross join lateral (select * from encounter where account_number = k.a offset 0 for update) e order by e.id`,
      decode(rows) {
        const ahead = prefetched.get(db) ?? new Map<string, EncounterRow | null>();
        prefetched.set(db, ahead);
        for (const a of unique) ahead.set(a, (rows as EncounterRow[]).find((x) => x.account_number === a) ?? null);
      },
    };
  },

  byId(db: EncounterDb, id: string): Promise<EncounterRow | undefined> {
    return db.selectFrom('encounter').selectAll().where('id', '=', id).executeTakeFirst();
  },

  insert(db: EncounterDb, values: NewEncounter) {
    return db.insertInto('encounter').values(values).returningAll().executeTakeFirstOrThrow();
  },

  /**
   * Inserts an encounter under an id chosen here (as the table's default would) and answers the id without
   * waiting: the statement travels with the transaction's next one (`hold`).
   */
  async insertHeld(db: EncounterDb, values: NewEncounter): Promise<string> {
    const id = randomUUID();
    await hold(db, db.insertInto('encounter').values({ ...values, id }));
    return id;
  },

  update(db: EncounterDb, id: string, values: EncounterValues) {
    return db.updateTable('encounter').set({ ...values, updated_at: new Date() } as never).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },

  /**
   * Updates an encounter read FOR UPDATE (`current`: its newest state) and answers the new state without waiting
   * for the database: the statement travels with the transaction's next one (`hold`).
   */
  async revise(db: EncounterDb, current: EncounterRow, values: EncounterValues): Promise<EncounterRow> {
    const set = definedOnly({ ...values, updated_at: new Date() });
    await hold(db, db.updateTable('encounter').set(set as never).where('id', '=', current.id));
    return { ...current, ...set };
  },

  /** Append-only: written with the transaction's other held rows when inside `withWriteBehind`. */
  addEvent(db: EncounterDb, encounterId: string, event: string, occurredAt: Date | null, detail: Record<string, unknown>) {
    return insertRows(db, EVENT_TABLE, [{ encounter_id: encounterId, event, occurred_at: occurredAt, detail }]);
  },

  async events(db: EncounterDb, encounterId: string) {
    await flushRows(db);
    return db.selectFrom('encounter_event').selectAll().where('encounter_id', '=', encounterId).orderBy('id').execute();
  },

  /** A provider by NPI, else by local id and name; created when unseen (de-duplicated across messages and imports). */
  async provider(db: EncounterDb, p: { npi: string | null; localId: string | null; family: string; given: string }): Promise<string> {
    // Only ids read back from committed rows are remembered (a row inserted by a transaction that then rolls back
    // must not be); provider rows are never deleted nor re-keyed, so a remembered id stays right.
    const key = `${p.npi ?? ''}|${p.localId ?? ''}|${p.family}|${p.given}`;
    const known = PROVIDER_IDS.get(key);
    if (known) return known;
    const existing = p.npi ? await db.selectFrom('provider').select('id').where('npi', '=', p.npi).executeTakeFirst() : undefined;
    if (existing) {
      if (PROVIDER_IDS.size > 50_000) PROVIDER_IDS.clear();
      PROVIDER_IDS.set(key, existing.id);
      return existing.id;
    }
    return this.providerRow(db, p);
  },

  async providerRow(db: EncounterDb, p: { npi: string | null; localId: string | null; family: string; given: string }): Promise<string> {
    if (p.npi) {
      // "do nothing", not "do update": no row lock on a provider another message holds (no lock-order deadlocks).
      const r = await db.insertInto('provider').values({ npi: p.npi, local_id: p.localId, family_name: p.family, given_name: p.given })
        .onConflict((oc) => oc.column('npi').doNothing()).returning('id').executeTakeFirst();
      if (r) return r.id;
      return (await db.selectFrom('provider').select('id').where('npi', '=', p.npi).executeTakeFirstOrThrow()).id;
    }
    const found = await db.selectFrom('provider').select('id').where('npi', 'is', null).where('local_id', p.localId === null ? 'is' : '=', p.localId as never)
      .where('family_name', '=', p.family).where('given_name', '=', p.given).executeTakeFirst();
    if (found) return found.id;
    const r = await db.insertInto('provider').values({ npi: null, local_id: p.localId, family_name: p.family, given_name: p.given })
      .onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
    if (r) return r.id;
    const again = await db.selectFrom('provider').select('id').where('npi', 'is', null).where('local_id', p.localId === null ? 'is' : '=', p.localId as never)
      .where('family_name', '=', p.family).where('given_name', '=', p.given).executeTakeFirstOrThrow();
    return again.id;
  },

  async movePatient(db: EncounterDb, fromId: string, toId: string): Promise<string[]> {
    const rows = await db.updateTable('encounter').set({ patient_id: toId }).where('patient_id', '=', fromId).returning('id').execute();
    return rows.map((r) => r.id);
  },

  async moveRows(db: EncounterDb, ids: string[], toId: string): Promise<void> {
    if (ids.length > 0) await db.updateTable('encounter').set({ patient_id: toId }).where('id', 'in', ids).execute();
  },
};
