import type { Actor } from '../../platform/audit/event.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/security/auth-service.js';
import { receive, type IntakeDeps, type IntakeResult } from './intake.js';
import type { ErrorStatus } from './schema.js';
import * as store from './store.js';

export interface ErrorListQuery {
  status?: ErrorStatus | undefined;
  errorCode?: string | undefined;
  messageType?: string | undefined;
  sendingApp?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface ErrorSummary {
  id: number;
  createdAt: string;
  status: ErrorStatus;
  errorCode: string;
  hl7Condition: string;
  ackCode: 'AE' | 'AR';
  location: string | null;
  detail: string;
  attempts: number;
  messageId: number;
  messageType: string;
  sendingApp: string;
  sendingFacility: string;
  controlId: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  replayMessageId: number | null;
}

export interface ErrorDetail extends ErrorSummary {
  raw: string;
  peer: string | null;
}

export interface ReplayOutcome {
  error: ErrorDetail;
  result: Pick<IntakeResult, 'ackCode' | 'status' | 'messageId' | 'reason' | 'patientId' | 'encounterId'> & { ack: string };
}

/** The clerks who fix feeds (write on demographics) and administrators (admin on settings). */
function mayWork(p: Principal): void {
  if (!p.permissions.can('write', 'demographics') && !p.permissions.can('admin', 'settings')) {
    throw new AppError('FORBIDDEN', 'You may not work the HL7 error queue.');
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function summary(r: store.ErrorListRow): ErrorSummary {
  return {
    id: r.id, createdAt: r.created_at.toISOString(), status: r.status, errorCode: r.error_code, hl7Condition: r.hl7_condition,
    ackCode: r.ack_code, location: r.location, detail: r.detail, attempts: r.attempts, messageId: r.message_id,
    messageType: r.message_type, sendingApp: r.sending_app, sendingFacility: r.sending_facility, controlId: r.control_id,
    resolvedAt: iso(r.resolved_at), resolvedBy: r.resolved_by, resolutionNote: r.resolution_note, replayMessageId: r.replay_message_id,
  };
}

/**
 * The HL7 v2 error queue: messages answered AE/AR, to correct and replay or to dismiss. Raw messages hold patient
 * data, so opening one is audited; replays and dismissals are audited as writes.
 */
export class Hl7ErrorQueue {
  constructor(private readonly intake: IntakeDeps) {}

  async list(p: Principal, actor: Actor, q: ErrorListQuery): Promise<{ items: ErrorSummary[]; total: number }> {
    mayWork(p);
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
    const { rows, total } = await store.listErrors(this.intake.db, { ...q, limit, offset: Math.max(q.offset ?? 0, 0) });
    await this.intake.audit.record(actor, { action: 'read', category: 'interface', resourceType: 'Hl7Error', details: { rows: rows.length, filters: Object.keys(q).filter((k) => q[k as keyof ErrorListQuery] !== undefined) } });
    return { items: rows.map(summary), total };
  }

  async get(p: Principal, actor: Actor, id: number): Promise<ErrorDetail> {
    mayWork(p);
    const detail = await this.load(id);
    await this.intake.audit.record(actor, { action: 'read', category: 'demographics', resourceType: 'Hl7Error', resourceId: String(id), reason: 'HL7 error queue: raw message opened' });
    return detail;
  }

  /**
   * Runs the message (or its corrected text) through intake again. Success resolves the entry; a new failure
   * leaves it open with the new reason and one more attempt.
   */
  async replay(p: Principal, actor: Actor, id: number, correctedRaw?: string, note?: string): Promise<ReplayOutcome> {
    mayWork(p);
    const entry = await this.load(id);
    if (entry.status !== 'open') throw new AppError('HL7_ERROR_RESOLVED', `Error ${id} is already ${entry.status}.`);
    const raw = (correctedRaw ?? entry.raw).replace(/\r\n|\n/g, '\r');
    const result = await receive(this.intake, raw, { peer: actor.sourceIp, actor, replayOf: id });
    const ok = result.ackCode === 'AA';
    if (ok) {
      await store.resolveError(this.intake.db, id, { status: 'replayed', by: actor.username ?? 'unknown', note: note ?? null, replayMessageId: result.messageId });
    } else {
      await store.noteFailedReplay(this.intake.db, id, result.reason ?? 'refused again', result.messageId);
      // The failed replay made an entry of its own; the original stays the one to work.
      if (result.errorId !== null) await store.resolveError(this.intake.db, result.errorId, { status: 'dismissed', by: 'system', note: `replay of error ${id}` });
    }
    await this.intake.audit.record(actor, {
      action: 'write', category: 'demographics', outcome: ok ? 'success' : 'failure', patientId: result.patientId,
      resourceType: 'Hl7Error', resourceId: String(id), reason: `HL7 error replayed${correctedRaw !== undefined ? ' with corrected text' : ''}`,
      details: { ackCode: result.ackCode, messageId: result.messageId, corrected: correctedRaw !== undefined },
    });
    return { error: await this.load(id), result: { ack: result.ack, ackCode: result.ackCode, status: result.status, messageId: result.messageId, reason: result.reason, patientId: result.patientId, encounterId: result.encounterId } };
  }

  async dismiss(p: Principal, actor: Actor, id: number, note?: string): Promise<ErrorDetail> {
    mayWork(p);
    const entry = await this.load(id);
    if (entry.status !== 'open') throw new AppError('HL7_ERROR_RESOLVED', `Error ${id} is already ${entry.status}.`);
    await store.resolveError(this.intake.db, id, { status: 'dismissed', by: actor.username ?? 'unknown', note: note ?? null });
    await this.intake.audit.record(actor, { action: 'write', category: 'interface', resourceType: 'Hl7Error', resourceId: String(id), reason: 'HL7 error dismissed' });
    return this.load(id);
  }

  private async load(id: number): Promise<ErrorDetail> {
    const r = await store.getError(this.intake.db, id);
    if (!r) throw new AppError('HL7_ERROR_NOT_FOUND', `No HL7 error-queue entry ${id}.`);
    const m = await store.getMessage(this.intake.db, r.message_id);
    return { ...summary({ ...r, sending_app: m?.sending_app ?? '', sending_facility: m?.sending_facility ?? '', control_id: m?.control_id ?? '' }), raw: r.raw, peer: r.peer };
  }
}
