import { sql, type Kysely, type Selectable } from 'kysely';
import type { Read } from '../../platform/db/pipeline.js';
import { insertRows, type DeferredTable } from '../../platform/db/write-behind.js';
import type { ErrorStatus, Hl7v2Tables, MessageStatus } from './schema.js';

type Db = Kysely<Hl7v2Tables>;
export type MessageRow = Selectable<Hl7v2Tables['hl7v2_message']>;
export type ErrorRow = Selectable<Hl7v2Tables['hl7v2_error']>;

export interface NewMessage {
  sendingApp: string;
  sendingFacility: string;
  controlId: string;
  messageType: string;
  contentHash: string;
  raw: string;
  status: MessageStatus;
  ackCode: 'AA' | 'AE' | 'AR';
  reusedKey?: boolean;
  patientId?: string | null;
  encounterId?: string | null;
  peer: string | null;
  replayOf?: number | null;
}

/**
 * Serialises the transactions that touch one patient (or one idempotency key) across connections and processes,
 * and reserves `ids` message ids for rows written later (`holdMessages`): a read for the transaction's first pipeline.
 */
export function lockKeys(keys: string[], ids = 0): Read<number[]> {
  // Sorted, so two transactions that need the same two locks take them in the same order.
  const sorted = [...new Set(keys)].sort();
  // The pool plans every statement afresh (force_custom_plan, for the searches whose best plan depends on the
  // values); the statements of ADT intake, foreign-key checks included, plan the same for any values: a cached
  // generic plan saves a third of PostgreSQL's time per message (planning the unnest lookups costs more than running them).
  return {
    statement: sql`select set_config('plan_cache_mode', 'force_generic_plan', true), (select count(*) from (select pg_advisory_xact_lock(h) from (select hashtextextended(k, 7411) as h, ord
      from unnest(${sorted}::text[]) with ordinality as u(k, ord) order by ord) s) l) as locks,
    array(select nextval('hl7v2_message_id_seq')::text from generate_series(1, ${ids}::int)) as ids`,
    decode: (rows) => ((rows[0]?.ids as string[] | undefined) ?? []).map(Number),
  };
}

type MessageKey = { sendingApp: string; sendingFacility: string; controlId: string; contentHash: string };

/**
 * What was stored before under each key: whether this exact content was applied, and whether the key was seen at
 * all. One statement for several messages (one text for any number of them: a prepared statement). Each key
 * is looked up by the key index (lateral): a join would be planned from the 100 rows PostgreSQL assumes for a
 * multi-array unnest and scan the whole table.
 */
export function priorUses(keys: readonly MessageKey[]): Read<{ applied: MessageRow | null; seen: boolean }[]> {
  return {
    statement: sql`select m.*, k.ord from unnest(${keys.map((k) => k.sendingApp)}::text[], ${keys.map((k) => k.sendingFacility)}::text[],
      ${keys.map((k) => k.controlId)}::text[]) with ordinality as k(app, fac, ctl, ord)
    cross join lateral (select * from hl7v2_message m where m.sending_app = k.app and m.sending_facility = k.fac and m.control_id = k.ctl
      and m.status in ('applied', 'duplicate') offset 0) m
    order by m.id`,
    decode: (found) => {
      const rows = found as (MessageRow & { ord: string })[];
      return keys.map((k, i) => {
        const mine = rows.filter((x) => Number(x.ord) === i + 1);
        return { applied: mine.find((x) => x.status === 'applied' && x.content_hash === k.contentHash) ?? null, seen: mine.length > 0 };
      });
    },
  };
}

const MESSAGE_COLUMNS: [keyof ReturnType<typeof messageRow>, string][] = [
  ['sending_app', 'text'], ['sending_facility', 'text'], ['control_id', 'text'], ['message_type', 'text'], ['content_hash', 'text'], ['raw', 'text'],
  ['status', 'text'], ['ack_code', 'text'], ['reused_key', 'boolean'], ['patient_id', 'text'], ['encounter_id', 'text'], ['peer', 'text'], ['replay_of', 'bigint'],
];
function messageRow(m: NewMessage) {
  return {
    sending_app: m.sendingApp, sending_facility: m.sendingFacility, control_id: m.controlId, message_type: m.messageType,
    content_hash: m.contentHash, raw: m.raw, status: m.status, ack_code: m.ackCode, reused_key: m.reusedKey ?? false,
    patient_id: m.patientId ?? null, encounter_id: m.encounterId ?? null, peer: m.peer, replay_of: m.replayOf ?? null,
  };
}

export async function insertMessage(db: Db, m: NewMessage): Promise<number> {
  return (await db.insertInto('hl7v2_message').values(messageRow(m)).returning('id').executeTakeFirstOrThrow()).id;
}

const MESSAGE_TABLE: DeferredTable = { table: 'hl7v2_message', columns: [['id', 'bigint'], ...MESSAGE_COLUMNS] };

/** Stores messages under ids reserved by `lockKeys`: with the transaction's other held rows (`withWriteBehind`). */
export function holdMessages(db: Db, ms: readonly { id: number; message: NewMessage }[]): Promise<void> {
  return insertRows(db, MESSAGE_TABLE, ms.map((m) => ({ id: m.id, ...messageRow(m.message) })));
}

export interface NewError {
  messageId: number;
  errorCode: string;
  hl7Condition: string;
  ackCode: 'AE' | 'AR';
  location: string | null;
  detail: string;
}

export async function insertError(db: Db, e: NewError): Promise<number> {
  const r = await db
    .insertInto('hl7v2_error')
    .values({ message_id: e.messageId, error_code: e.errorCode, hl7_condition: e.hl7Condition, ack_code: e.ackCode, location: e.location, detail: e.detail })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export interface ErrorFilters {
  status?: ErrorStatus | undefined;
  errorCode?: string | undefined;
  messageType?: string | undefined;
  sendingApp?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

export type ErrorListRow = ErrorRow & { message_type: string; sending_app: string; sending_facility: string; control_id: string };

export async function listErrors(db: Db, f: ErrorFilters): Promise<{ rows: ErrorListRow[]; total: number }> {
  let q = db.selectFrom('hl7v2_error as e').innerJoin('hl7v2_message as m', 'm.id', 'e.message_id');
  if (f.status) q = q.where('e.status', '=', f.status);
  if (f.errorCode) q = q.where('e.error_code', '=', f.errorCode);
  if (f.messageType) q = q.where('m.message_type', 'like', `${f.messageType.replace(/[%_\\]/g, '\\$&')}%`);
  if (f.sendingApp) q = q.where('m.sending_app', '=', f.sendingApp);
  if (f.from) q = q.where('e.created_at', '>=', new Date(f.from));
  if (f.to) q = q.where('e.created_at', '<', new Date(f.to));
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll('e')
    .select(['m.message_type', 'm.sending_app', 'm.sending_facility', 'm.control_id'])
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { rows, total: Number(total.n) };
}

export async function getError(db: Db, id: number, forUpdate = false): Promise<(ErrorRow & { raw: string; message_type: string; peer: string | null }) | null> {
  let q = db
    .selectFrom('hl7v2_error as e')
    .innerJoin('hl7v2_message as m', 'm.id', 'e.message_id')
    .selectAll('e')
    .select(['m.raw', 'm.message_type', 'm.peer'])
    .where('e.id', '=', id);
  if (forUpdate) q = q.forUpdate('e');
  return (await q.executeTakeFirst()) ?? null;
}

export async function resolveError(db: Db, id: number, r: { status: ErrorStatus; by: string; note: string | null; replayMessageId?: number | null }): Promise<void> {
  await db
    .updateTable('hl7v2_error')
    .set({ status: r.status, resolved_at: new Date(), resolved_by: r.by, resolution_note: r.note, replay_message_id: r.replayMessageId ?? null })
    .where('id', '=', id)
    .execute();
}

export async function noteFailedReplay(db: Db, id: number, detail: string, replayMessageId: number | null): Promise<void> {
  await db
    .updateTable('hl7v2_error')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), detail, replay_message_id: replayMessageId }))
    .where('id', '=', id)
    .execute();
}

export async function getMessage(db: Db, id: number): Promise<MessageRow | null> {
  return (await db.selectFrom('hl7v2_message').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function countMessages(db: Db): Promise<Record<MessageStatus, number>> {
  const rows = await db.selectFrom('hl7v2_message').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const out: Record<MessageStatus, number> = { applied: 0, duplicate: 0, unsupported: 0, error: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}
