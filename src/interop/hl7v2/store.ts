import { sql, type Kysely, type Selectable } from 'kysely';
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

/** Serialises the transactions that touch one patient (or one idempotency key) across connections and processes. */
export async function lockKeys(db: Db, keys: string[]): Promise<void> {
  // Sorted, so two transactions that need the same two locks take them in the same order; one round trip.
  const sorted = [...new Set(keys)].sort();
  await sql`select pg_advisory_xact_lock(h)::text from (select hashtextextended(k, 7411) as h, ord from unnest(${sorted}::text[]) with ordinality as u(k, ord) order by ord) s`.execute(db);
}

/** What was stored before under this key: whether this exact content was applied, and whether the key was seen at all. */
export async function priorUse(db: Db, k: { sendingApp: string; sendingFacility: string; controlId: string; contentHash: string }): Promise<{ applied: MessageRow | null; seen: boolean }> {
  const rows = await db
    .selectFrom('hl7v2_message')
    .selectAll()
    .where('sending_app', '=', k.sendingApp)
    .where('sending_facility', '=', k.sendingFacility)
    .where('control_id', '=', k.controlId)
    .where('status', 'in', ['applied', 'duplicate'])
    .orderBy('id')
    .execute();
  return { applied: rows.find((r) => r.status === 'applied' && r.content_hash === k.contentHash) ?? null, seen: rows.length > 0 };
}

export async function insertMessage(db: Db, m: NewMessage): Promise<number> {
  const r = await db
    .insertInto('hl7v2_message')
    .values({
      sending_app: m.sendingApp, sending_facility: m.sendingFacility, control_id: m.controlId, message_type: m.messageType,
      content_hash: m.contentHash, raw: m.raw, status: m.status, ack_code: m.ackCode, reused_key: m.reusedKey ?? false,
      patient_id: m.patientId ?? null, encounter_id: m.encounterId ?? null, peer: m.peer, replay_of: m.replayOf ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
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
