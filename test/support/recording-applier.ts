import { sql, type Kysely } from 'kysely';
import type { AdtEvent, AdtHandler } from '../../src/interop/hl7v2/adt-event.js';
import type { Actor } from '../../src/platform/audit/event.js';
import { AppError } from '../../src/platform/errors/app-error.js';

/**
 * A minimal AdtHandler for the listener's own tests: records each applied event in a table of its own
 * (created on first use), inside the listener's transaction. `failOn` makes it throw after writing, to prove
 * that nothing of a failed message is kept.
 */
export class RecordingApplier implements AdtHandler {
  failOn: ((e: AdtEvent) => boolean) | null = null;
  /** Milliseconds to hold each transaction open (for the kill test). */
  delayMs = 0;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async apply(tx: Kysely<any>, event: AdtEvent, actor: Actor): Promise<{ patientId: string | null; encounterId: string | null }> {
    const id = event.patient.identifiers[0]!;
    const patientId = `${id.authority ?? ''}|${id.value}`;
    const encounterId = event.visit?.visitNumber ?? event.visit?.accountNumber ?? null;
    await sql`insert into test_adt_applied (event, patient_key, encounter_key, actor, at) values (${event.event}, ${patientId}, ${encounterId}, ${actor.username}, clock_timestamp())`.execute(tx);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failOn?.(event)) throw new AppError('NOT_FOUND', 'the test applier refuses this event');
    return { patientId, encounterId };
  }
}

export const RECORDING_TABLE = `create table if not exists test_adt_applied (
  id bigserial primary key, event text not null, patient_key text not null, encounter_key text, actor text, at timestamptz default now())`;
