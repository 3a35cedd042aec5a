import { createHash } from 'node:crypto';
import { Hl7Message } from '@medplum/core';
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/audit/event.js';
import type { AuditTrail } from '../../platform/audit/trail.js';
import { isAppError } from '../../platform/errors/app-error.js';
import { buildAck, buildBareNak, type AckProblem } from './ack.js';
import { toAdtEvent, type AdtEvent, type AdtHandler } from './adt-event.js';
import { Hl7Reject, messageKey, parseHl7, type Hl7ErrorCondition, type ParseLimits } from './message.js';
import type { Hl7v2Tables, MessageStatus } from './schema.js';
import * as store from './store.js';

export interface IntakeDeps {
  db: Kysely<Hl7v2Tables>;
  audit: AuditTrail;
  handler: AdtHandler;
  limits: ParseLimits;
  /** The sender's UTC offset for date-times without one. */
  senderUtcOffset: string;
  /** One line per notable event; never patient data. */
  log: (line: string) => void;
}

export interface IntakeResult {
  /** The ACK text to send (segments CR-terminated, not framed). */
  ack: string;
  ackCode: 'AA' | 'AE' | 'AR';
  status: MessageStatus;
  messageId: number;
  errorId: number | null;
  reason: string | null;
  patientId: string | null;
  encounterId: string | null;
}

export interface IntakeContext {
  peer: string | null;
  /** Who applies it: the sender over MLLP, or the user replaying from the error queue. */
  actor?: Actor;
  /** The error-queue entry this is a replay of. */
  replayOf?: number | null;
}

/**
 * A failure that leaves nothing stored and must not be answered: the sender keeps the message and resends it
 * (the database is unreachable, the server is shutting down).
 */
export class IntakeUnavailable extends Error {}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const TRANSIENT = /^(08|57P|53)/; // connection, operator intervention (shutdown), insufficient resources
const RETRY = new Set(['40001', '40P01']); // serialization failure, deadlock

function pgCode(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

function isTransient(e: unknown): boolean {
  const code = pgCode(e);
  if (TRANSIENT.test(code)) return true;
  const msg = e instanceof Error ? e.message : '';
  return /ECONNREFUSED|ECONNRESET|Connection terminated|timeout exceeded when trying to connect|pool .*ended|Cannot use a pool after calling end/i.test(msg);
}

/** The MSH line alone, to answer a message whose body is broken. */
function headerOf(raw: string): Hl7Message | null {
  const first = raw.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/, 1)[0] ?? '';
  if (!first.startsWith('MSH|^~\\&|') || /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/.test(first)) return null;
  try {
    return Hl7Message.parse(first);
  } catch {
    return null;
  }
}

function problemOf(e: unknown): AckProblem & { code: string; ackCode: 'AE' | 'AR' } {
  if (e instanceof Hl7Reject) return { condition: e.condition, location: e.location, text: e.detail, code: e.code, ackCode: e.ackCode };
  if (isAppError(e)) {
    const condition: Hl7ErrorCondition = /UNKNOWN|NOT_FOUND/.test(e.code) ? '204' : /LOCKED|CONFLICT/.test(e.code) ? '206' : '207';
    return { condition, location: null, text: `${e.code}: ${e.detail}`, code: e.code, ackCode: 'AE' };
  }
  return { condition: '207', location: null, text: 'Internal error while applying the message; see the server log', code: 'INTERNAL', ackCode: 'AE' };
}

/**
 * Receives one HL7 v2 message: stores it raw and applies it in one transaction, then answers.
 * The answer is built only after COMMIT. Refused messages are stored with an error-queue entry (outside the
 * failed transaction). Throws IntakeUnavailable when nothing could be stored: then no ACK may be sent.
 * @param raw - the message text as received (one MLLP frame, UTF-8 decoded)
 */
export async function receive(deps: IntakeDeps, raw: string, ctx: IntakeContext): Promise<IntakeResult> {
  const contentHash = sha256(raw);
  const storable = raw.replace(/\x00/g, '\uFFFD'); // PostgreSQL text cannot hold NUL; the hash keeps the original
  let message: Hl7Message;
  try {
    message = parseHl7(raw, deps.limits);
  } catch (e) {
    if (!(e instanceof Hl7Reject)) throw e;
    const header = headerOf(raw);
    const key = header ? messageKey(header) : { sendingApp: '', sendingFacility: '', controlId: '' };
    const type = header?.header.getField(9)?.toString() ?? '';
    return refuse(deps, { ...key, messageType: type, contentHash, raw: storable, peer: ctx.peer, replayOf: ctx.replayOf ?? null }, header, problemOf(e));
  }
  const key = messageKey(message);
  const base = { ...key, messageType: message.header.getField(9)?.toString() ?? '', contentHash, raw, peer: ctx.peer, replayOf: ctx.replayOf ?? null };
  let event: AdtEvent;
  try {
    event = toAdtEvent(message, { defaultOffset: deps.senderUtcOffset });
  } catch (e) {
    if (e instanceof Hl7Reject && (e.condition === '200' || e.condition === '201')) {
      return stored(deps, { ...base, status: 'unsupported', ackCode: 'AR' }, message, problemOf(e));
    }
    return refuse(deps, base, message, problemOf(e));
  }
  const actor: Actor = ctx.actor ?? { userId: null, username: `mllp:${key.sendingApp.slice(0, 60) || 'unknown'}`, sourceIp: ctx.peer, channel: 'mllp' };
  for (let attempt = 0; ; attempt++) {
    try {
      return await apply(deps, base, message, event, actor);
    } catch (e) {
      if (RETRY.has(pgCode(e)) && attempt < 3) continue;
      if (pgCode(e) === '23505' && /applied_once/.test((e as Error).message) && attempt < 3) continue; // a concurrent twin won: now a duplicate
      if (isTransient(e)) throw new IntakeUnavailable('database unavailable', { cause: e });
      const p = problemOf(e);
      if (p.code === 'INTERNAL') deps.log(`hl7v2: applying ${base.messageType} failed: ${(e as Error).message}`);
      return refuse(deps, base, message, p);
    }
  }
}

type Base = Omit<store.NewMessage, 'status' | 'ackCode'>;

async function apply(deps: IntakeDeps, base: Base, message: Hl7Message, event: AdtEvent, actor: Actor): Promise<IntakeResult> {
  const locks = [`key:${base.sendingApp}|${base.sendingFacility}|${base.controlId}`, ...patientKeys(event)];
  // The message's audit events (patient, encounter, message) are written in one statement at the end.
  const outcome = await deps.db.transaction().execute((trx) => deps.audit.collectIn(trx as never, async () => {
    await store.lockKeys(trx, locks);
    const prior = await store.priorUse(trx, base);
    if (prior.applied) {
      const id = await store.insertMessage(trx, { ...base, status: 'duplicate', ackCode: 'AA', patientId: prior.applied.patient_id, encounterId: prior.applied.encounter_id });
      return { id, status: 'duplicate' as const, patientId: prior.applied.patient_id, encounterId: prior.applied.encounter_id };
    }
    const r = await deps.handler.apply(trx, event, actor);
    // Stored after the applier ran, so it carries the patient and encounter; same transaction, so both or neither.
    const id = await store.insertMessage(trx, { ...base, status: 'applied', ackCode: 'AA', reusedKey: prior.seen, patientId: r.patientId, encounterId: r.encounterId });
    await deps.audit.recordIn(trx as never, actor, {
      action: 'write', category: 'demographics', patientId: r.patientId, resourceType: 'Hl7Message', resourceId: String(id),
      reason: `HL7 v2 ADT^${event.event}${base.replayOf ? ` replayed from error ${base.replayOf}` : ''}`,
      details: { event: event.event, encounterId: r.encounterId, reusedKey: prior.seen },
    });
    return { id, status: 'applied' as const, patientId: r.patientId, encounterId: r.encounterId, reused: prior.seen };
  }));
  if ('reused' in outcome && outcome.reused) deps.log(`hl7v2: control ID reused with other content (message ${outcome.id}); applied`);
  return {
    ack: buildAck(message, 'AA', String(outcome.id)), ackCode: 'AA', status: outcome.status, messageId: outcome.id, errorId: null, reason: null,
    patientId: outcome.patientId, encounterId: outcome.encounterId,
  };
}

/** The patient keys of an event (its first PID-3, and the merged-away one for A40): messages for one patient run in order. */
function patientKeys(event: AdtEvent): string[] {
  const ids = [event.patient.identifiers[0], event.merge?.priorIdentifiers[0]].filter((x) => x !== undefined);
  return ids.map((i) => `patient:${i.authority ?? ''}|${i.value}`);
}

async function stored(deps: IntakeDeps, m: store.NewMessage, message: Hl7Message, problem: AckProblem): Promise<IntakeResult> {
  const id = await guarded(() => store.insertMessage(deps.db, m));
  return { ack: buildAck(message, 'AR', String(id), problem), ackCode: 'AR', status: m.status, messageId: id, errorId: null, reason: problem.text, patientId: null, encounterId: null };
}

async function refuse(deps: IntakeDeps, base: Base, message: Hl7Message | null, p: ReturnType<typeof problemOf>): Promise<IntakeResult> {
  const { messageId, errorId } = await guarded(() =>
    deps.db.transaction().execute(async (trx) => {
      const messageId = await store.insertMessage(trx, { ...base, status: 'error', ackCode: p.ackCode });
      const errorId = await store.insertError(trx, { messageId, errorCode: p.code, hl7Condition: p.condition, ackCode: p.ackCode, location: p.location, detail: p.text });
      return { messageId, errorId };
    }),
  );
  const ack = message ? buildAck(message, p.ackCode, String(messageId), p) : buildBareNak(String(messageId), p, controlIdGuess(base.raw));
  return { ack, ackCode: p.ackCode, status: 'error', messageId, errorId, reason: p.text, patientId: null, encounterId: null };
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new IntakeUnavailable('could not store the message', { cause: e });
  }
}

function controlIdGuess(raw: string): string {
  const first = raw.split(/\r|\n/, 1)[0] ?? '';
  const f = first.split('|')[9] ?? '';
  return /^[\x20-\x7E]{1,50}$/.test(f) ? f : '';
}
