import { createHash } from 'node:crypto';
import { Hl7Message } from '@medplum/core';
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/audit/event.js';
import type { AuditTrail } from '../../platform/audit/trail.js';
import { pipelinedTransaction } from '../../platform/db/pipeline.js';
import { takeHeldRows } from '../../platform/db/write-behind.js';
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
  /** The subject of the sender's certificate, verified by the TLS handshake (client certificates required). */
  sender?: string | null;
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

/** A message parsed and mapped, ready to apply. */
interface Ready {
  base: Base;
  message: Hl7Message;
  event: AdtEvent;
  actor: Actor;
  /** Advisory locks: its idempotency key and its patients. */
  locks: string[];
  /** What it must not share with another message of a batch: its locks, every patient identifier, its visit. */
  clash: string[];
}

/** Parses and maps a message; a message that cannot be applied is stored and answered here (`done`). */
async function prepare(deps: IntakeDeps, raw: string, ctx: IntakeContext): Promise<{ ready: Ready } | { done: IntakeResult }> {
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
    return { done: await refuse(deps, { ...key, messageType: type, contentHash, raw: storable, peer: ctx.peer, replayOf: ctx.replayOf ?? null }, header, problemOf(e)) };
  }
  const key = messageKey(message);
  const base = { ...key, messageType: message.header.getField(9)?.toString() ?? '', contentHash, raw, peer: ctx.peer, replayOf: ctx.replayOf ?? null };
  let event: AdtEvent;
  try {
    event = toAdtEvent(message, { defaultOffset: deps.senderUtcOffset });
  } catch (e) {
    if (e instanceof Hl7Reject && (e.condition === '200' || e.condition === '201')) {
      return { done: await stored(deps, { ...base, status: 'unsupported', ackCode: 'AR' }, message, problemOf(e)) };
    }
    return { done: await refuse(deps, base, message, problemOf(e)) };
  }
  // Who sent it: the certificate's subject when the handshake verified one, else what MSH-3 says.
  const actor: Actor = ctx.actor ?? { userId: null, username: `mllp:${(ctx.sender ?? key.sendingApp).slice(0, 120) || 'unknown'}`, sourceIp: ctx.peer, channel: 'mllp' };
  const locks = [`key:${base.sendingApp}|${base.sendingFacility}|${base.controlId}`, ...patientKeys(event)];
  const visit = event.visit?.visitNumber ?? event.visit?.accountNumber ?? null;
  const clash = [...locks, ...event.patient.identifiers.map((i) => `id:${i.authority ?? ''}|${i.value}`), ...(visit !== null ? [`visit:${visit}`] : [])];
  return { ready: { base, message, event, actor, locks, clash } };
}

/**
 * Receives one HL7 v2 message: stores it raw and applies it in one transaction, then answers.
 * The answer is built only after COMMIT. Refused messages are stored with an error-queue entry (outside the
 * failed transaction). Throws IntakeUnavailable when nothing could be stored: then no ACK may be sent.
 * @param raw - the message text as received (one MLLP frame, UTF-8 decoded)
 */
export async function receive(deps: IntakeDeps, raw: string, ctx: IntakeContext): Promise<IntakeResult> {
  const p = await prepare(deps, raw, ctx);
  return 'done' in p ? p.done : applyAlone(deps, p.ready);
}

/** What `receiveMany` answers for one message: its result, or IntakeUnavailable (answer nothing). */
export type IntakeOutcome = IntakeResult | IntakeUnavailable;

/**
 * Receives the messages waiting on several connections at once (group commit): those that touch different
 * patients and keys are applied in ONE transaction — one lock statement, one duplicate check, one insert of the
 * message rows and one of their audit events for all of them, one COMMIT — and each is answered only after it.
 * If any of them fails (an error to answer, a conflict), the batch rolls back and each is applied on its own, so
 * a message's outcome never depends on its neighbours. Messages that share a patient or key with an earlier one
 * of the batch are applied after it, on their own, in arrival order.
 */
export async function receiveMany(deps: IntakeDeps, items: readonly { raw: string; ctx: IntakeContext }[]): Promise<IntakeOutcome[]> {
  const out = new Array<IntakeOutcome | undefined>(items.length);
  const batch: { i: number; r: Ready }[] = [];
  const later: { i: number; r: Ready }[] = [];
  const taken = new Set<string>();
  for (const [i, item] of items.entries()) {
    try {
      const p = await prepare(deps, item.raw, item.ctx);
      if ('done' in p) {
        out[i] = p.done;
        continue;
      }
      // A merge (A40) touches more than its identifiers name: always on its own.
      const clash = p.ready.event.event === 'A40' || p.ready.clash.some((k) => taken.has(k));
      for (const k of p.ready.clash) taken.add(k);
      (clash ? later : batch).push({ i, r: p.ready });
    } catch (e) {
      out[i] = e instanceof IntakeUnavailable ? e : new IntakeUnavailable('could not store the message', { cause: e });
    }
  }
  let alone = later;
  if (batch.length === 1) alone = [...batch, ...later];
  else if (batch.length > 1) {
    try {
      const results = await applyBatch(deps, batch.map((b) => b.r));
      for (const [k, b] of batch.entries()) out[b.i] = results[k]!;
    } catch (e) {
      if (isTransient(e)) {
        const down = new IntakeUnavailable('database unavailable', { cause: e });
        for (const b of [...batch, ...later]) out[b.i] = down;
        return out as IntakeOutcome[];
      }
      alone = [...batch, ...later].sort((a, b) => a.i - b.i);
    }
  }
  for (const b of alone) {
    try {
      out[b.i] = await applyAlone(deps, b.r);
    } catch (e) {
      out[b.i] = e instanceof IntakeUnavailable ? e : new IntakeUnavailable('could not store the message', { cause: e });
    }
  }
  return out as IntakeOutcome[];
}

/**
 * Group commit for the listener: up to `maxInFlight` batches run at once (each on its own connection to the
 * database); a message that arrives while they are all busy waits for the next one, which takes every message
 * waiting by then (one per MLLP connection at most, since a connection waits for its ACK). Two in flight keep both
 * processes busy: while one batch waits for PostgreSQL, the next is parsed and applied.
 */
export class IntakeBatcher {
  private readonly waiting: { raw: string; ctx: IntakeContext; resolve: (r: IntakeResult) => void; reject: (e: unknown) => void }[] = [];
  private running = 0;

  constructor(
    private readonly deps: IntakeDeps,
    private readonly opts: { maxInFlight: number; maxBatch: number } = { maxInFlight: 2, maxBatch: 32 },
  ) {}

  /** Resolves with the message's result once committed; rejects with IntakeUnavailable when nothing was stored. */
  submit(raw: string, ctx: IntakeContext): Promise<IntakeResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ raw, ctx, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.opts.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.opts.maxBatch);
      this.running++;
      receiveMany(this.deps, batch)
        .then(
          (results) => results.forEach((r, i) => (r instanceof IntakeUnavailable ? batch[i]!.reject(r) : batch[i]!.resolve(r))),
          (e: unknown) => batch.forEach((b) => b.reject(e)),
        )
        .finally(() => {
          this.running--;
          this.next();
        });
    }
  }
}

/** Applies one message in its own transaction, retrying conflicts; an error to answer is stored and answered. */
async function applyAlone(deps: IntakeDeps, r: Ready): Promise<IntakeResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await applyBatch(deps, [r]))[0]!;
    } catch (e) {
      if (RETRY.has(pgCode(e)) && attempt < 3) continue;
      if (pgCode(e) === '23505' && /applied_once/.test((e as Error).message) && attempt < 3) continue; // a concurrent twin won: now a duplicate
      if (isTransient(e)) throw new IntakeUnavailable('database unavailable', { cause: e });
      const p = problemOf(e);
      if (p.code === 'INTERNAL') deps.log(`hl7v2: applying ${r.base.messageType} failed: ${(e as Error).message}`);
      return refuse(deps, r.base, r.message, p);
    }
  }
}

type Base = Omit<store.NewMessage, 'status' | 'ackCode'>;

/**
 * Applies messages for different patients in one transaction; throws (and stores nothing) if any fails. Two
 * pipelines carry the fixed statements: BEGIN, the locks, the duplicate check and the applier's reads ahead; then
 * the held rows (message rows, audit events, versions) and COMMIT.
 */
async function applyBatch(deps: IntakeDeps, rs: readonly Ready[]): Promise<IntakeResult[]> {
  const outcomes = await pipelinedTransaction(
    deps.db,
    (trx) => [store.lockKeys(rs.flatMap((r) => r.locks), rs.length), store.priorUses(rs.map((r) => r.base)), ...(deps.handler.prefetch?.(trx, rs.map((r) => r.event)) ?? [])] as const,
    // The messages' audit events (patient, encounter, message) are held to the end, with the other held rows.
    (trx, [ids, priors]) => deps.audit.collectIn(trx as never, async () => {
      const rows: store.NewMessage[] = [];
      for (const [k, r] of rs.entries()) {
        const prior = priors[k]!;
        if (prior.applied) {
          rows.push({ ...r.base, status: 'duplicate', ackCode: 'AA', patientId: prior.applied.patient_id, encounterId: prior.applied.encounter_id });
          continue;
        }
        const a = await deps.handler.apply(trx, r.event, r.actor);
        // Stored after the applier ran, so it carries the patient and encounter; same transaction, so both or neither.
        rows.push({ ...r.base, status: 'applied', ackCode: 'AA', reusedKey: prior.seen, patientId: a.patientId, encounterId: a.encounterId });
        await deps.audit.recordIn(trx as never, r.actor, {
          action: 'write', category: 'demographics', patientId: a.patientId, resourceType: 'Hl7Message', resourceId: String(ids[k]),
          reason: `HL7 v2 ADT^${r.event.event}${r.base.replayOf ? ` replayed from error ${r.base.replayOf}` : ''}`,
          details: { event: r.event.event, encounterId: a.encounterId, reusedKey: prior.seen },
        });
      }
      await store.holdMessages(trx, rows.map((message, k) => ({ id: ids[k]!, message })));
      // The message rows and every held audit, version and event row: one statement, in the pipeline with COMMIT.
      return { last: [takeHeldRows(trx)], result: rows.map((row, k) => ({ id: ids[k]!, row })) };
    }),
  );
  return outcomes.map(({ id, row }, k) => {
    if (row.reusedKey) deps.log(`hl7v2: control ID reused with other content (message ${id}); applied`);
    return {
      ack: buildAck(rs[k]!.message, 'AA', String(id)), ackCode: 'AA' as const, status: row.status, messageId: id, errorId: null, reason: null,
      patientId: row.patientId ?? null, encounterId: row.encounterId ?? null,
    };
  });
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
