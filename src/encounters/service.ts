import { sql, type Kysely } from 'kysely';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import type { PlatformTables } from '../platform/db/schema.js';
import { AppError } from '../platform/errors/app-error.js';
import type { PatientAccess } from '../platform/security/access.js';
import type { Principal } from '../platform/security/auth-service.js';
import type { PatientReferenceHolder } from '../patients/references.js';
import { DISCHARGE_DISPOSITIONS } from './model.js';
import type { EncounterTables } from './schema.js';
import { encounterStore, type EncounterDb, type EncounterRow } from './store.js';

type Db = Kysely<EncounterTables & PlatformTables & { patient: { id: string; mrn: string; family_name: string; given_name: string; birth_date: string | null; sex: string; status: string } }>;

export interface EncounterView {
  id: string;
  patientId: string;
  accountNumber: string;
  visitNumber: string | null;
  class: string;
  status: string;
  admitAt: string | null;
  dischargeAt: string | null;
  admitType: string | null;
  admitSource: string | null;
  dischargeDisposition: string | null;
  dischargeDispositionLabel: string | null;
  hospitalService: string | null;
  location: string | null;
  room: string | null;
  bed: string | null;
  financialClass: string | null;
  payer: string | null;
  lengthOfStayDays: number | null;
}

export function encounterView(r: EncounterRow): EncounterView {
  const los = r.admit_at ? Math.max(0, Math.round(((r.discharge_at ?? new Date()).getTime() - r.admit_at.getTime()) / 86_400_000)) : null;
  return {
    id: r.id, patientId: r.patient_id, accountNumber: r.account_number, visitNumber: r.visit_number, class: r.class, status: r.status,
    admitAt: r.admit_at?.toISOString() ?? null, dischargeAt: r.discharge_at?.toISOString() ?? null, admitType: r.admit_type, admitSource: r.admit_source,
    dischargeDisposition: r.discharge_disposition, dischargeDispositionLabel: r.discharge_disposition ? DISCHARGE_DISPOSITIONS[r.discharge_disposition] ?? null : null,
    hospitalService: r.hospital_service, location: r.location, room: r.room, bed: r.bed, financialClass: r.financial_class, payer: r.payer, lengthOfStayDays: los,
  };
}

/** Encounters: a patient's visits, the census and the discharge list; and the merge holder for encounters. */
export class EncounterService {
  constructor(
    private readonly db: Db,
    private readonly access: PatientAccess,
    private readonly audit: AuditTrail,
  ) {}

  /** Moves encounters between patients for merge and unmerge (registered with the patients module). */
  readonly references: PatientReferenceHolder = {
    name: 'encounter',
    moveAll: (tx, from, to) => encounterStore.movePatient(tx, from, to),
    moveRows: (tx, ids, to) => encounterStore.moveRows(tx, ids, to),
  };

  /**
   * Records an encounter that an import brings (FHIR), inside the import's transaction: created when its account
   * number is new, otherwise updated. The attending provider is de-duplicated by NPI.
   */
  async recordIn(tx: Kysely<never>, actor: Actor, patientId: string, e: { accountNumber: string; class: string; status: EncounterRow['status']; admitAt: Date | null; dischargeAt: Date | null; dischargeDisposition: string | null; attending: { npi: string | null; localId: string | null; family: string; given: string } | null; source: string }) {
    const db = tx as unknown as EncounterDb;
    const attending_id = e.attending ? await encounterStore.provider(db, e.attending) : null;
    const values = { class: e.class, status: e.status, admit_at: e.admitAt, discharge_at: e.dischargeAt, discharge_disposition: e.dischargeDisposition, attending_id, source: e.source };
    const existing = await encounterStore.byAccount(db, e.accountNumber, true);
    if (existing && existing.patient_id !== patientId) throw new AppError('ADT_VISIT_OTHER_PATIENT', `Encounter ${e.accountNumber} belongs to another patient.`);
    const row = existing ? await encounterStore.update(db, existing.id, values) : await encounterStore.insert(db, { ...values, patient_id: patientId, account_number: e.accountNumber });
    await encounterStore.addEvent(db, row.id, existing ? 'import-update' : 'import', null, { source: e.source });
    await this.audit.recordIn(tx, actor, { action: 'write', category: 'clinical', patientId, resourceType: 'Encounter', resourceId: row.id, reason: e.source });
    return { id: row.id, created: !existing };
  }

  /** Discharged (or un-discharged) encounters changed since `cursor`, oldest change first: for the coding work list. */
  changedSince(cursor: Date, limit = 5000) {
    return this.db.selectFrom('encounter').select(['id', 'patient_id', 'account_number', 'class', 'status', 'admit_at', 'discharge_at', 'discharge_disposition', 'payer', 'updated_at'])
      .where('updated_at', '>', cursor).orderBy('updated_at').limit(limit).execute();
  }

  /** One encounter's facts for coding (no access check: the caller checks the patient). */
  async factsOf(id: string) {
    const r = await encounterStore.byId(this.db, id);
    if (!r) throw new AppError('NOT_FOUND', 'No encounter with that id.');
    return encounterView(r);
  }

  /** A provider (e.g. a FHIR Practitioner) de-duplicated by NPI, else by local id and name. */
  providerIn(tx: Kysely<never>, p: { npi: string | null; localId: string | null; family: string; given: string }): Promise<string> {
    return encounterStore.provider(tx, p);
  }

  private mayRead(p: Principal): void {
    if (!p.permissions.can('read', 'demographics')) throw new AppError('FORBIDDEN', 'You may not read encounters.');
  }

  async ofPatient(p: Principal, actor: Actor, patientId: string): Promise<EncounterView[]> {
    this.mayRead(p);
    await this.access.require(p, actor, patientId, 'read', 'demographics');
    const rows = await this.db.selectFrom('encounter').selectAll().where('patient_id', '=', patientId).orderBy('admit_at', 'desc').execute();
    await this.audit.record(actor, { action: 'read', category: 'demographics', patientId, resourceType: 'Encounter', reason: 'encounters of patient', details: { count: rows.length } });
    return rows.map(encounterView);
  }

  async get(p: Principal, actor: Actor, id: string) {
    this.mayRead(p);
    const row = await encounterStore.byId(this.db, id);
    if (!row) throw new AppError('NOT_FOUND', 'No encounter with that id.');
    await this.access.require(p, actor, row.patient_id, 'read', 'demographics', 'Encounter');
    const events = await encounterStore.events(this.db, id);
    await this.audit.record(actor, { action: 'read', category: 'demographics', patientId: row.patient_id, resourceType: 'Encounter', resourceId: id });
    return { ...encounterView(row), events: events.map((e) => ({ event: e.event, occurredAt: e.occurred_at?.toISOString() ?? null, recordedAt: e.recorded_at.toISOString(), detail: e.detail })) };
  }

  /** The census (active inpatient, observation and emergency visits) or the discharges of a period. */
  async list(p: Principal, actor: Actor, q: { kind: 'census' | 'discharges'; from?: string | undefined; to?: string | undefined; limit?: number | undefined }) {
    this.mayRead(p);
    let query = this.db.selectFrom('encounter as e').innerJoin('patient as p', 'p.id', 'e.patient_id')
      .selectAll('e').select(['p.mrn', 'p.family_name', 'p.given_name', 'p.birth_date', 'p.sex'])
      .where(() => this.access.visibleTo(p, sql.ref('e.patient_id')));
    if (q.kind === 'census') {
      query = query.where('e.status', '=', 'active').where('e.class', 'in', ['inpatient', 'observation', 'emergency', 'obstetrics']).orderBy('e.location').orderBy('e.bed');
    } else {
      for (const d of [q.from, q.to]) if (d !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new AppError('VALIDATION_FAILED', 'from and to are dates as YYYY-MM-DD.');
      query = query.where('e.status', '=', 'discharged');
      if (q.from) query = query.where('e.discharge_at', '>=', new Date(`${q.from}T00:00:00Z`));
      if (q.to) query = query.where('e.discharge_at', '<', new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000));
      query = query.orderBy('e.discharge_at', 'desc');
    }
    const rows = await query.limit(Math.min(q.limit ?? 200, 1000)).execute();
    const items = rows.map((r) => ({ ...encounterView(r), patient: { mrn: r.mrn, family: r.family_name, given: r.given_name, birthDate: r.birth_date, sex: r.sex } }));
    await Promise.all([...new Set(items.map((i) => i.patientId))].map((pid) => this.audit.record(actor, { action: 'read', category: 'demographics', patientId: pid, resourceType: 'Encounter', reason: q.kind })));
    return { items };
  }

  /**
   * Overlay suspects (one record, two people): patients whose visits report conflicting birth dates or sexes,
   * or a birth date other than the one on the patient.
   */
  async overlays(p: Principal, actor: Actor) {
    if (!p.permissions.can('write', 'demographics')) throw new AppError('FORBIDDEN', 'You may not work the overlay list.');
    const rows = await sql<{ patient_id: string; mrn: string; birth_dates: string[]; sexes: string[]; encounters: string }>`
      select e.patient_id, p.mrn,
        array_remove(array_agg(distinct e.reported_birth_date::text) || array[p.birth_date::text], null) as birth_dates,
        array_remove(array_agg(distinct nullif(e.reported_sex, 'U')) || array[nullif(p.sex, 'U')], null) as sexes,
        count(*)::text as encounters
      from encounter e join patient p on p.id = e.patient_id
      where p.status = 'active' and ${this.access.visibleTo(p, sql.ref('e.patient_id'))}
      group by e.patient_id, p.mrn, p.birth_date, p.sex
      having count(distinct e.reported_birth_date) filter (where e.reported_birth_date is not null) > 1
        or count(distinct nullif(e.reported_sex, 'U')) > 1
        or bool_or(e.reported_birth_date is not null and p.birth_date is not null and e.reported_birth_date <> p.birth_date)
      limit 500`.execute(this.db);
    const items = rows.rows.map((r) => ({
      patientId: r.patient_id, mrn: r.mrn, birthDates: [...new Set(r.birth_dates)].sort(), sexes: [...new Set(r.sexes)].sort(), encounters: Number(r.encounters),
      reasons: [...(new Set(r.birth_dates).size > 1 ? ['conflicting birth dates'] : []), ...(new Set(r.sexes).size > 1 ? ['conflicting sexes'] : [])],
    }));
    await Promise.all(items.map((i) => this.audit.record(actor, { action: 'read', category: 'demographics', patientId: i.patientId, resourceType: 'Patient', reason: 'overlay work list' })));
    return { items };
  }
}
