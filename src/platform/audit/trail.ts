import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type pg from 'pg';
import type { PlatformTables } from '../db/schema.js';
import { insertRows, withWriteBehind, writeStatement, type DeferredTable } from '../db/write-behind.js';
import { recordMac, type Actor, type AuditEventInput, type AuditRecord } from './event.js';

type Db = Kysely<PlatformTables>;
type Row = PlatformTables['audit_event'] extends infer T ? { [K in keyof T]: unknown } : never;

interface Pending {
  row: Record<string, unknown>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

const MAX_BATCH = 500;
const BATCH_COLUMNS: [string, string][] = [
  ['event_uuid', 'uuid'], ['occurred_at', 'timestamptz'], ['user_id', 'uuid'], ['username', 'text'],
  ['on_behalf_of', 'text'], ['patient_id', 'text'], ['action', 'text'], ['category', 'text'],
  ['resource_type', 'text'], ['resource_id', 'text'], ['source_ip', 'text'], ['channel', 'text'],
  ['outcome', 'text'], ['reason', 'text'], ['break_glass', 'boolean'], ['details', 'text'], ['mac', 'text'],
];
/** The audit table as write-behind writes it (the rows as one JSON array). */
const AUDIT_TABLE: DeferredTable = { table: 'audit_event', columns: BATCH_COLUMNS };
const MAX_FLUSHES_IN_FLIGHT = 4;

/**
 * The platform's audit API. Writes are audited with `recordIn(trx, …)` inside the caller's transaction;
 * reads with `record(…)`, which resolves once the event is committed, so a response leaves only after
 * its audit row is durable. Concurrent `record` calls are coalesced into multi-row inserts.
 */
export class AuditTrail {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly key: Buffer,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Builds the stored row for an event (pure apart from the clock and a fresh UUID). */
  toRecord(actor: Actor, e: AuditEventInput): AuditRecord {
    const patientId = e.patientId ?? null;
    return {
      eventUuid: randomUUID(),
      occurredAt: this.clock(),
      userId: actor.userId,
      username: actor.username,
      onBehalfOf: e.onBehalfOf ?? null,
      patientId,
      action: e.action,
      category: e.category,
      resourceType: e.resourceType ?? null,
      resourceId: e.resourceId ?? null,
      sourceIp: actor.sourceIp,
      channel: actor.channel,
      outcome: e.outcome ?? 'success',
      reason: e.reason ?? null,
      breakGlass: e.breakGlass ?? (patientId !== null && (actor.breakGlassPatients?.has(patientId) ?? false)),
      details: e.details ? JSON.stringify(e.details) : null,
    };
  }

  private toRow(r: AuditRecord): Record<string, unknown> {
    return {
      event_uuid: r.eventUuid,
      occurred_at: r.occurredAt,
      user_id: r.userId,
      username: r.username,
      on_behalf_of: r.onBehalfOf,
      patient_id: r.patientId,
      action: r.action,
      category: r.category,
      resource_type: r.resourceType,
      resource_id: r.resourceId,
      source_ip: r.sourceIp,
      channel: r.channel,
      outcome: r.outcome,
      reason: r.reason,
      break_glass: r.breakGlass,
      details: r.details,
      mac: recordMac(this.key, r),
    } satisfies Partial<Row>;
  }

  /** Audits inside the caller's transaction: the event commits or rolls back with the change. */
  async recordIn(trx: Transaction<PlatformTables> | Db, actor: Actor, e: AuditEventInput): Promise<void> {
    // Held to the end of a write-behind scope (`collectIn`), or written now.
    await insertRows(trx, AUDIT_TABLE, [this.toRow(this.toRecord(actor, e))]);
  }

  /**
   * Runs `fn` in the caller's transaction with its `recordIn(trx, …)` events held back and written in one
   * statement when `fn` has finished (with the other write-behind rows, `withWriteBehind`), still inside the
   * transaction, so they commit or roll back with the change, in the order they were recorded. For work that
   * audits several things at once, such as one HL7 message.
   */
  collectIn<T>(trx: Transaction<PlatformTables> | Db, fn: () => Promise<T>): Promise<T> {
    return withWriteBehind(trx, fn);
  }

  /** Audits on its own; resolves when the event is committed. */
  record(actor: Actor, e: AuditEventInput): Promise<void> {
    const row = this.toRow(this.toRecord(actor, e));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_FLUSHES_IN_FLIGHT) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0, MAX_BATCH);
    this.inFlight++;
    try {
      await this.insertBatch(batch.map((p) => p.row));
      for (const p of batch) p.resolve();
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.schedule();
    }
  }

  /** One prepared statement for any batch size: the rows travel as one JSON array. */
  private async insertBatch(rows: Record<string, unknown>[]): Promise<void> {
    const s = writeStatement([[AUDIT_TABLE, rows]]);
    await this.pool.query({ name: 'platform_audit_insert_batch', text: s.text, values: s.values });
  }

  /** Waits for every queued event (used at shutdown). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0) {
      if (this.queue.length > 0 && this.inFlight === 0) await this.flush();
      else await new Promise((r) => setTimeout(r, 5));
    }
  }
}
