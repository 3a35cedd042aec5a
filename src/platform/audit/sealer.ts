import type pg from 'pg';
import { writeAnchor } from './anchor.js';
import { contentHash, GENESIS_HASH, linkHash, type AuditRecord } from './event.js';

const SEAL_LOCK = 724_007_002;
const BATCH = 2000;

export interface SealerOptions {
  pool: pg.Pool;
  key: Buffer;
  anchorFile: string;
}

/** Maps a selected audit_event row to the record the hash and HMAC cover. */
export function recordFromRow(row: Record<string, unknown>): AuditRecord {
  return {
    eventUuid: row.event_uuid as string,
    occurredAt: row.occurred_at as Date,
    userId: (row.user_id as string | null) ?? null,
    username: (row.username as string | null) ?? null,
    onBehalfOf: (row.on_behalf_of as string | null) ?? null,
    patientId: (row.patient_id as string | null) ?? null,
    action: row.action as string,
    category: row.category as string,
    resourceType: (row.resource_type as string | null) ?? null,
    resourceId: (row.resource_id as string | null) ?? null,
    sourceIp: (row.source_ip as string | null) ?? null,
    channel: row.channel as string,
    outcome: row.outcome as string,
    reason: (row.reason as string | null) ?? null,
    breakGlass: row.break_glass as boolean,
    details: (row.details as string | null) ?? null,
  };
}

/**
 * Chains newly committed audit events into audit_seal. Exactly one writer at a time holds the advisory
 * lock (any number of Chartroom processes may call this); background passes skip when it is busy,
 * explicit ones (verify, shutdown) wait for it. After each batch
 * commits, the new head is written to the anchor file.
 * @returns the number of events sealed
 */
export async function sealPending(opts: SealerOptions, mode: 'wait' | 'skip-if-busy' = 'wait'): Promise<number> {
  const client = await opts.pool.connect();
  let sealed = 0;
  try {
    if (mode === 'wait') await client.query('select pg_advisory_lock($1)', [SEAL_LOCK]);
    else {
      const got = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [SEAL_LOCK]);
      if (!got.rows[0]?.ok) return 0;
    }
    try {
      for (;;) {
        const n = await sealBatch(client, opts);
        sealed += n;
        if (n < BATCH) break;
      }
    } finally {
      await client.query('select pg_advisory_unlock($1)', [SEAL_LOCK]);
    }
  } finally {
    client.release();
  }
  return sealed;
}

async function sealBatch(client: pg.PoolClient, opts: SealerOptions): Promise<number> {
  await client.query('begin');
  try {
    const head = await client.query<{ seq: number; hash: string }>(
      'select seq, hash from audit_seal order by seq desc limit 1',
    );
    let seq = head.rows[0]?.seq ?? 0;
    let prev = head.rows[0]?.hash ?? GENESIS_HASH;
    const taken = await client.query<{ event_id: number }>(
      `delete from audit_pending where event_id in (
         select event_id from audit_pending order by event_id limit ${BATCH} for update skip locked)
       returning event_id`,
    );
    if (taken.rowCount === 0) {
      await client.query('commit');
      return 0;
    }
    const ids = taken.rows.map((r) => r.event_id);
    const events = await client.query('select * from audit_event where id = any($1) order by id', [ids]);
    const cols: unknown[] = [];
    const values: string[] = [];
    let lastEvent = 0;
    for (const row of events.rows as Record<string, unknown>[]) {
      seq++;
      const id = row.id as number;
      const content = contentHash(recordFromRow(row));
      const hash = linkHash(prev, seq, id, content);
      const b = cols.length;
      values.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`);
      cols.push(seq, id, content, prev, hash);
      prev = hash;
      lastEvent = id;
    }
    if (values.length > 0) {
      await client.query(
        `insert into audit_seal (seq, event_id, content_hash, prev_hash, hash) values ${values.join(',')}`,
        cols,
      );
    }
    await client.query('commit');
    if (values.length > 0) {
      writeAnchor(opts.anchorFile, opts.key, { seq, eventId: lastEvent, hash: prev, sealedAt: new Date().toISOString() });
    }
    return taken.rowCount ?? 0;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

/** Seals on an interval until stopped; errors are reported and retried at the next tick. */
export function startSealer(opts: SealerOptions & { intervalMs: number; onError: (e: unknown) => void }): {
  stop(): Promise<void>;
} {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running.then(() => (stopped ? 0 : sealPending(opts, 'skip-if-busy'))).catch(opts.onError);
  }, opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      stopped = false;
      await sealPending(opts).catch(opts.onError);
      stopped = true;
    },
  };
}
