import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { AuditTrail } from '../audit/trail.js';
import type { Actor } from '../audit/event.js';
import type { PlatformTables } from '../db/schema.js';
import { AppError } from '../errors/app-error.js';
import type { Principal } from './auth-service.js';

/** Categories break-the-glass may open (patient data, not administration). */
const BREAK_GLASS_CATEGORIES = new Set(['demographics', 'clinical', 'documents', 'coding', 'sensitive', 'release', 'registry', 'billing']);
const MAX_MINUTES = 240;

export interface BreakGlassGrant {
  id: string;
  patientId: string;
  reason: string;
  startsAt: string;
  endsAt: string;
}

/**
 * The patient-scoped access check every capability uses. A record the user may not see is reported as
 * not found (never "forbidden"), so its existence does not leak; searches filter with `visibleTo`.
 */
export class PatientAccess {
  constructor(
    private readonly db: Kysely<PlatformTables>,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Allows `action` on `category` data of one patient or throws NOT_FOUND (and audits the refusal).
   * Access through an active break-the-glass grant is allowed and marks the actor, so that every audit
   * event of this request about that patient is flagged for privacy review.
   */
  async require(p: Principal, actor: Actor, patientId: string, action: string, category: string, resourceType = 'Patient'): Promise<void> {
    const permitted = p.permissions.can(action, category);
    const row = await this.db
      .selectFrom(sql`(select 1)`.as('x'))
      .select([
        sql<boolean>`exists (select 1 from patient_restriction r where r.patient_id = ${patientId})`.as('restricted'),
        sql<boolean>`exists (select 1 from patient_restriction_allow a where a.patient_id = ${patientId} and a.user_id = ${p.userId})`.as('allowed'),
        sql<boolean>`exists (select 1 from break_glass_grant g where g.user_id = ${p.userId} and g.patient_id = ${patientId} and now() between g.starts_at and g.ends_at)`.as('glass'),
      ])
      .executeTakeFirstOrThrow();
    const restrictedOk = !row.restricted || row.allowed;
    if (permitted && restrictedOk) return;
    if (row.glass && BREAK_GLASS_CATEGORIES.has(category) && action !== 'admin') {
      actor.breakGlassPatients?.add(patientId);
      return;
    }
    await this.audit.record(actor, {
      action: action === 'write' ? 'write' : 'read', category, outcome: 'denied', patientId, resourceType,
      reason: permitted ? 'restricted patient' : `no ${action} permission on ${category}`,
    });
    throw new AppError('NOT_FOUND', `No ${resourceType.toLowerCase()} with that id.`);
  }

  /**
   * A condition for searches: rows whose patient the principal may see. Use in a where clause with the
   * column holding the patient id, e.g. `.where(access.visibleTo(p, sql.ref('p.id')))`.
   */
  visibleTo(p: Principal, patientColumn: Expression<string>): Expression<SqlBool> {
    return sql<SqlBool>`(not exists (select 1 from patient_restriction r where r.patient_id = ${patientColumn})
      or exists (select 1 from patient_restriction_allow a where a.patient_id = ${patientColumn} and a.user_id = ${p.userId})
      or exists (select 1 from break_glass_grant g where g.patient_id = ${patientColumn} and g.user_id = ${p.userId} and now() between g.starts_at and g.ends_at))`;
  }

  /** Marks a patient confidential: only the listed users (and break-the-glass) may see the record. */
  async restrict(p: Principal, actor: Actor, patientId: string, reason: string, allowedUserIds: string[]): Promise<void> {
    if (!p.permissions.can('review', 'privacy') && !p.permissions.can('admin', 'settings')) {
      throw new AppError('FORBIDDEN', 'Only a privacy officer may restrict a record.');
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('patient_restriction').values({ patient_id: patientId, reason, created_by: p.userId })
        .onConflict((oc) => oc.column('patient_id').doUpdateSet({ reason })).execute();
      await trx.deleteFrom('patient_restriction_allow').where('patient_id', '=', patientId).execute();
      if (allowedUserIds.length > 0) {
        await trx.insertInto('patient_restriction_allow').values(allowedUserIds.map((user_id) => ({ patient_id: patientId, user_id }))).execute();
      }
      await this.audit.recordIn(trx, actor, { action: 'privilege_change', category: 'privacy', patientId, reason: `record restricted: ${reason}` });
    });
  }

  /** Break the glass: a pre-authorised user states why and gets time-boxed access to one patient. */
  async breakGlass(p: Principal, actor: Actor, input: { patientId: string; reason: string; minutes?: number | undefined }): Promise<BreakGlassGrant> {
    if (!p.breakGlassAuthorised) {
      await this.audit.record(actor, { action: 'break_glass', category: 'privacy', outcome: 'denied', patientId: input.patientId, reason: input.reason.slice(0, 500) });
      throw new AppError('BREAK_GLASS_NOT_AUTHORISED', 'You are not authorised to break the glass. Ask your privacy officer.');
    }
    const reason = input.reason.trim();
    if (reason.length < 10) throw new AppError('VALIDATION_FAILED', 'State the reason for emergency access (at least 10 characters).');
    const minutes = input.minutes ?? 60;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES) {
      throw new AppError('VALIDATION_FAILED', `Emergency access lasts 1 to ${MAX_MINUTES} minutes.`);
    }
    const now = new Date();
    const grant = await this.db.transaction().execute(async (trx) => {
      const g = await trx.insertInto('break_glass_grant')
        .values({ user_id: p.userId, patient_id: input.patientId, reason, starts_at: now, ends_at: new Date(now.getTime() + minutes * 60_000) })
        .returningAll().executeTakeFirstOrThrow();
      await this.audit.recordIn(trx, actor, {
        action: 'break_glass', category: 'privacy', patientId: input.patientId, resourceType: 'BreakGlassGrant', resourceId: g.id,
        reason, breakGlass: true, details: { minutes },
      });
      return g;
    });
    return toGrant(grant);
  }

  async activeGrants(p: Principal): Promise<BreakGlassGrant[]> {
    const rows = await this.db.selectFrom('break_glass_grant').selectAll()
      .where('user_id', '=', p.userId).where('ends_at', '>', new Date()).orderBy('starts_at', 'desc').execute();
    return rows.map(toGrant);
  }

  /** For the privacy officer: every grant with the audit events flagged in its window. */
  async review(p: Principal, actor: Actor, limit = 100) {
    if (!p.permissions.can('review', 'privacy')) throw new AppError('FORBIDDEN', 'Privacy review needs the privacy officer role.');
    const grants = await this.db.selectFrom('break_glass_grant as g').innerJoin('app_user as u', 'u.id', 'g.user_id')
      .select(['g.id', 'g.patient_id', 'g.reason', 'g.starts_at', 'g.ends_at', 'g.user_id', 'u.username'])
      .orderBy('g.starts_at', 'desc').limit(limit).execute();
    const items = [];
    for (const g of grants) {
      const events = await this.db.selectFrom('audit_event').selectAll()
        .where('user_id', '=', g.user_id).where('break_glass', '=', true)
        .where('occurred_at', '>=', g.starts_at).where('occurred_at', '<=', g.ends_at)
        .orderBy('occurred_at').limit(500).execute();
      items.push({ grant: { ...toGrant(g), username: g.username }, events: events.map((e) => ({
        id: e.id, time: e.occurred_at.toISOString(), action: e.action, category: e.category, patientId: e.patient_id,
        resourceType: e.resource_type, resourceId: e.resource_id, outcome: e.outcome, reason: e.reason,
      })) });
    }
    await this.audit.record(actor, { action: 'read', category: 'audit', reason: 'break-glass review', details: { grants: items.length } });
    return items;
  }
}

function toGrant(g: { id: string; patient_id: string; reason: string; starts_at: Date; ends_at: Date }): BreakGlassGrant {
  return { id: g.id, patientId: g.patient_id, reason: g.reason, startsAt: g.starts_at.toISOString(), endsAt: g.ends_at.toISOString() };
}
