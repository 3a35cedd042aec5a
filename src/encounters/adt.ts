import type { Kysely } from 'kysely';
import type { AdtEvent, AdtHandler, Doctor, Location } from '../interop/hl7v2/adt-event.js';
import type { Actor } from '../platform/audit/event.js';
import type { AuditTrail } from '../platform/audit/trail.js';
import type { Read } from '../platform/db/pipeline.js';
import { AppError } from '../platform/errors/app-error.js';
import type { Demographics } from '../patients/demographics.js';
import type { PatientFeed } from '../patients/feed.js';
import type { MergeService } from '../patients/merge.js';
import type { Identifier, Tx } from '../patients/service.js';
import { classFromHl7, dispositionCode } from './model.js';
import { encounterStore, type EncounterRow, type EncounterValues, type NewEncounter } from './store.js';
import type { EncounterDb } from './store.js';

/** Events that are about a visit and cannot be applied without one. */
const VISIT_EVENTS = new Set(['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07', 'A11', 'A12', 'A13']);

/** The AdtEvent's patient as demographics (what the sender left out stays as it is on an update). */
export function demographicsFrom(e: AdtEvent): Demographics {
  const p = e.patient;
  const s = (x: string | null | undefined) => x ?? '';
  return {
    names: p.names.map((n) => ({ family: s(n.family), given: s(n.given), middle: n.middle ?? undefined, suffix: n.suffix ?? undefined, prefix: n.prefix ?? undefined, use: n.use === 'L' || n.use === null ? 'official' : n.use === 'M' ? 'maiden' : n.use === 'A' ? 'alias' : 'usual' })),
    birthDate: p.birthDate,
    sex: (p.sex ?? 'U').toUpperCase().slice(0, 1),
    addresses: p.addresses.map((a) => ({ line1: [a.line1, a.line2].filter(Boolean).join(' '), city: a.city ?? undefined, state: a.state ?? undefined, postalCode: a.postalCode ?? undefined, country: a.country ?? undefined, use: a.use ?? undefined })),
    phones: p.phones.map((ph) => ({ number: ph.number, use: ph.use })),
    email: p.email,
    ssn: p.ssn && /^\d{3}-?\d{2}-?\d{4}$/.test(p.ssn) ? p.ssn : null,
    language: p.language,
    race: p.race,
    ethnicity: p.ethnicity,
    maritalStatus: p.maritalStatus,
    deathDate: p.deathDate,
    nextOfKin: e.nextOfKin.map((k) => ({ name: [k.name?.given, k.name?.family].filter(Boolean).join(' '), relationship: k.relationship ?? undefined, phone: k.phones[0]?.number })).filter((k) => k.name),
    guarantor: e.guarantor?.name ? { name: [e.guarantor.name.given, e.guarantor.name.family].filter(Boolean).join(' '), relationship: e.guarantor.relationship ?? undefined, phone: e.guarantor.phones[0]?.number } : null,
    coverages: e.coverages.map((c) => ({ payer: c.companyName ?? c.companyId ?? c.planId ?? 'unknown', plan: c.planId ?? undefined, memberId: c.policyNumber ?? undefined, groupNumber: c.groupNumber ?? undefined, relationship: c.insuredRelationship ?? undefined, effectiveFrom: c.effectiveDate ?? undefined, effectiveTo: c.expirationDate ?? undefined })),
  };
}

function ids(list: AdtEvent['patient']['identifiers']): Identifier[] {
  return list.map((i) => ({ authority: i.authority ?? 'UNKNOWN', value: i.value, type: i.type ?? 'MR' }));
}

function place(l: Location | null): string | null {
  if (!l) return null;
  return [l.facility, l.pointOfCare].filter(Boolean).join('/') || null;
}

/**
 * Applies ADT events to patients (through the patients module's feed) and encounters, inside the listener's
 * transaction. An A02, A03 or A08 for a visit not seen yet creates it; cancels (A11, A12, A13) undo the visit's
 * state change and keep it in the history.
 */
export class AdtApplier implements AdtHandler {
  constructor(
    private readonly feed: PatientFeed,
    private readonly merges: MergeService,
    private readonly audit: AuditTrail,
  ) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async apply(anyTx: Kysely<any>, e: AdtEvent, actor: Actor): Promise<{ patientId: string | null; encounterId: string | null }> {
    const tx = anyTx as Tx;
    const db = anyTx as unknown as EncounterDb;
    const demographics = demographicsFrom(e);
    const source = `hl7 ${e.event}`;
    if (e.event === 'A40') {
      const r = await this.feed.mergeIn(tx, actor, ids(e.patient.identifiers), ids(e.merge?.priorIdentifiers ?? []), demographics.names.length ? demographics : null, source);
      return { patientId: r.patientId, encounterId: null };
    }
    const patient = await this.feed.upsertIn(tx, actor, ids(e.patient.identifiers), demographics.names.length ? demographics : null, source);
    const key = visitKey(e);
    if (!e.visit || key === null) {
      if (VISIT_EVENTS.has(e.event)) throw new AppError('ADT_VISIT_MISSING', `${e.event} needs a visit (PV1-19 visit number or PID-18 account number).`);
      return { patientId: patient.patientId, encounterId: null };
    }
    const existing = await encounterStore.byAccount(db, key, true);
    if (existing && existing.patient_id !== patient.patientId) {
      throw new AppError('ADT_VISIT_OTHER_PATIENT', `Visit ${key} belongs to another patient; send an A40/A44 or correct the identifiers.`);
    }
    const values = await this.visitValues(db, e);
    const at = e.occurredAt ? new Date(e.occurredAt) : e.messageTime ? new Date(e.messageTime) : null;
    let enc: Pick<EncounterRow, 'id' | 'status' | 'class' | 'location' | 'bed'>;
    if (!existing) {
      const row = {
        ...values, patient_id: patient.patientId, account_number: key, class: values.class ?? 'outpatient', status: 'active', source,
        ...this.transition(e, null, values, at),
      } as NewEncounter;
      enc = { id: await encounterStore.insertHeld(db, row), status: row.status, class: row.class, location: row.location ?? null, bed: row.bed ?? null };
      if (patient.arrivedFor) await this.merges.noteArrivalIn(tx, patient.arrivedFor, 'encounter', enc.id);
    } else {
      enc = await encounterStore.revise(db, existing, { ...dropNulls(values), ...this.transition(e, existing, values, at) });
    }
    await encounterStore.addEvent(db, enc.id, e.event, at, { status: enc.status, class: enc.class, location: enc.location, bed: enc.bed });
    await this.audit.recordIn(tx, actor, { action: 'write', category: 'clinical', patientId: patient.patientId, resourceType: 'Encounter', resourceId: enc.id, reason: `ADT ${e.event}` });
    return { patientId: patient.patientId, encounterId: enc.id };
  }

  /** One statement for the patients and one for the encounters that `apply` will look up for these events. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  prefetch(anyTx: Kysely<any>, events: readonly AdtEvent[]): Read[] {
    const plain = events.filter((e) => e.event !== 'A40');
    return [this.feed.prefetchIn(anyTx as Tx, plain.map((e) => ids(e.patient.identifiers))), encounterStore.prefetchAccounts(anyTx, plain.flatMap((e) => visitKey(e) ?? []))]
      .filter((r) => r !== null);
  }

  /** Status, class and date changes an event makes, given the encounter as it stands (null: new). */
  private transition(e: AdtEvent, cur: EncounterRow | null, v: EncounterValues, at: Date | null): EncounterValues {
    switch (e.event) {
      case 'A01':
      case 'A04':
        return { status: 'active', admit_at: v.admit_at ?? cur?.admit_at ?? at };
      case 'A05':
        return { status: cur?.status === 'active' ? 'active' : 'planned' };
      case 'A02':
        return { status: cur?.status === 'discharged' ? 'discharged' : 'active', prior_location: cur?.location ?? v.prior_location ?? null };
      case 'A03':
        return { status: 'discharged', discharge_at: v.discharge_at ?? at ?? new Date() };
      case 'A06':
        return { class: 'inpatient' };
      case 'A07':
        return { class: v.class && v.class !== 'inpatient' ? v.class : 'outpatient' };
      case 'A11':
        return { status: 'cancelled' };
      case 'A12':
        return cur?.prior_location ? { location: cur.prior_location, prior_location: null, room: null, bed: null } : {};
      case 'A13':
        return { status: 'active', discharge_at: null, discharge_disposition: null };
      case 'A08':
      case 'A28':
      case 'A31':
      case 'A40':
        return {};
    }
  }

  private async visitValues(db: EncounterDb, e: AdtEvent): Promise<EncounterValues> {
    const v = e.visit;
    if (!v) return {};
    const doc = async (d: Doctor | undefined) => (d ? encounterStore.provider(db, { npi: d.idIsNpi ? d.id : null, localId: d.idIsNpi ? null : d.id, family: d.family ?? '', given: d.given ?? '' }) : null);
    const consulting: string[] = [];
    for (const d of v.consulting) {
      const id = await doc(d);
      if (id) consulting.push(id);
    }
    const isA12 = e.event === 'A12';
    return {
      visit_number: v.visitNumber,
      class: v.patientClass ? classFromHl7(v.patientClass) : undefined,
      admit_at: v.admitAt ? new Date(v.admitAt) : null,
      discharge_at: v.dischargeAt ? new Date(v.dischargeAt) : null,
      admit_type: v.admitType,
      admit_source: v.admitSource,
      discharge_disposition: dispositionCode(v.dischargeDisposition),
      hospital_service: v.hospitalService,
      location: isA12 ? null : place(v.location),
      room: isA12 ? null : v.location?.room ?? null,
      bed: isA12 ? null : v.location?.bed ?? null,
      prior_location: place(v.priorLocation),
      financial_class: v.financialClass,
      payer: e.coverages[0]?.companyName ?? e.coverages[0]?.companyId ?? null,
      attending_id: await doc(v.attending[0]),
      admitting_id: await doc(v.admitting[0]),
      referring_id: await doc(v.referring[0]),
      consulting_ids: consulting,
      reported_birth_date: e.patient.birthDate,
      reported_sex: e.patient.sex,
    };
  }
}

/** The encounter's key: PV1-19 visit number, else PID-18 account number. */
function visitKey(e: AdtEvent): string | null {
  return e.visit?.visitNumber ?? e.visit?.accountNumber ?? null;
}

/** An update keeps what the message left empty. */
function dropNulls(v: EncounterValues): EncounterValues {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined && !(Array.isArray(x) && x.length === 0)));
}
