/**
 * The contract between the HL7 v2 listener and the code that applies ADT to patients and encounters:
 * `toAdtEvent` turns one parsed ADT message into plain data (pure, no I/O); an `AdtHandler` applies it inside the
 * listener's transaction.
 */
import type { Hl7Message, Hl7Segment } from '@medplum/core';
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/audit/event.js';
import type { Read } from '../../platform/db/pipeline.js';
import { field, hl7Date, hl7Instant, Hl7Reject, messageType, repetitions, value } from './message.js';

export const SUPPORTED_ADT_EVENTS = ['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07', 'A08', 'A11', 'A12', 'A13', 'A28', 'A31', 'A40'] as const;
export type AdtEventCode = (typeof SUPPORTED_ADT_EVENTS)[number];

export interface PatientIdentifier {
  value: string;
  /** Assigning authority (CX-4, its namespace ID), or null. */
  authority: string | null;
  /** Identifier type code (CX-5: MR, SS, HN, …), or null. */
  type: string | null;
}

export interface PersonName {
  family: string | null;
  given: string | null;
  middle: string | null;
  suffix: string | null;
  prefix: string | null;
  /** Name type code (XPN-7: L legal, D display, M maiden, A alias, …), or null. */
  use: string | null;
}

export interface PostalAddress {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  /** Address type (XAD-7: H home, M mailing, B business, L legal, …), or null. */
  use: string | null;
}

export interface Phone {
  number: string;
  /** Telecom use code (XTN-2: PRN, WPN, ORN, NET, …) or 'home'/'work' from PID-13/PID-14 when absent. */
  use: string;
}

export interface Doctor {
  /** The NPI when any repetition carries one (identifier type or authority "NPI"), else the first ID given. */
  id: string | null;
  idIsNpi: boolean;
  family: string | null;
  given: string | null;
}

export interface Location {
  pointOfCare: string | null;
  room: string | null;
  bed: string | null;
  facility: string | null;
}

export interface NextOfKin {
  name: PersonName | null;
  /** NK1-3 relationship code. */
  relationship: string | null;
  address: PostalAddress | null;
  phones: Phone[];
}

export interface Guarantor {
  name: PersonName | null;
  address: PostalAddress | null;
  phones: Phone[];
  birthDate: string | null;
  /** GT1-11 relationship to the patient. */
  relationship: string | null;
}

export interface Coverage {
  /** IN1-2 plan ID. */
  planId: string | null;
  /** IN1-3 company ID and IN1-4 name. */
  companyId: string | null;
  companyName: string | null;
  groupNumber: string | null;
  /** IN1-36 policy number. */
  policyNumber: string | null;
  planType: string | null;
  insuredName: PersonName | null;
  /** IN1-17 insured's relationship to the patient. */
  insuredRelationship: string | null;
  effectiveDate: string | null;
  expirationDate: string | null;
}

export interface Visit {
  /** PID-18 (patient account number, CX-1). The encounter's key is `visitNumber ?? accountNumber`. */
  accountNumber: string | null;
  /** PV1-19 (visit number, CX-1). */
  visitNumber: string | null;
  /** PV1-2 as sent: I inpatient, O outpatient, E emergency, P preadmit, R recurring, B obstetrics. */
  patientClass: string | null;
  location: Location | null;
  priorLocation: Location | null;
  admitType: string | null;
  admitSource: string | null;
  attending: Doctor[];
  referring: Doctor[];
  consulting: Doctor[];
  admitting: Doctor[];
  hospitalService: string | null;
  financialClass: string | null;
  /** PV1-36 (UB-04 patient status codes in US feeds). */
  dischargeDisposition: string | null;
  admitAt: string | null;
  dischargeAt: string | null;
}

export interface Merge {
  /** MRG-1: the identifiers of the patient merged away. */
  priorIdentifiers: PatientIdentifier[];
  /** MRG-3 prior patient account number. */
  priorAccount: string | null;
  /** MRG-5 prior visit number. */
  priorVisitNumber: string | null;
}

export interface AdtPatient {
  /** PID-3 repetitions with a value; never empty. */
  identifiers: PatientIdentifier[];
  names: PersonName[];
  birthDate: string | null;
  sex: string | null;
  race: string | null;
  ethnicity: string | null;
  maritalStatus: string | null;
  language: string | null;
  addresses: PostalAddress[];
  phones: Phone[];
  email: string | null;
  ssn: string | null;
  deathDate: string | null;
  /** PID-30 death indicator (Y/N), null when absent. */
  deceased: boolean | null;
}

/** A typed, plain-data view of one ADT message. Dates are `YYYY-MM-DD`, instants ISO 8601 UTC. */
export interface AdtEvent {
  event: AdtEventCode;
  /** MSH-7 as an ISO instant (null when unreadable). */
  messageTime: string | null;
  /** EVN-6 (event occurred) or EVN-2 (recorded), ISO; null when absent. */
  occurredAt: string | null;
  patient: AdtPatient;
  nextOfKin: NextOfKin[];
  guarantor: Guarantor | null;
  coverages: Coverage[];
  visit: Visit | null;
  merge: Merge | null;
}

/** Applies one event inside the caller's transaction; throws AppError when it cannot (e.g. ADT_UNKNOWN_PATIENT). */
export interface AdtHandler {
  // The applier owns its own tables; the listener hands over its transaction untyped on purpose.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  apply(tx: Kysely<any>, event: AdtEvent, actor: Actor): Promise<{ patientId: string | null; encounterId: string | null }>;
  /**
   * Optional: the reads (which lock) of what `apply` will look up for these events, which the listener sends in its
   * transaction's first pipeline, before it applies the events one after the other in the same transaction. The
   * events touch different patients and visits.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  prefetch?(tx: Kysely<any>, events: readonly AdtEvent[]): Read[];
}

const orNull = (s: string): string | null => (s === '' ? null : s);

function identifiers(seg: Hl7Segment | undefined, index: number): PatientIdentifier[] {
  const f = field(seg, index);
  return repetitions(f)
    .map((r) => ({ value: value(f, 1, r), authority: orNull(value(f, 4, r)), type: orNull(value(f, 5, r)) }))
    .filter((id) => id.value !== '');
}

function names(seg: Hl7Segment | undefined, index: number): PersonName[] {
  const f = field(seg, index);
  return repetitions(f)
    .map((r) => ({
      family: orNull(value(f, 1, r)), given: orNull(value(f, 2, r)), middle: orNull(value(f, 3, r)),
      suffix: orNull(value(f, 4, r)), prefix: orNull(value(f, 5, r)), use: orNull(value(f, 7, r)),
    }))
    .filter((n) => n.family !== null || n.given !== null);
}

function addresses(seg: Hl7Segment | undefined, index: number): PostalAddress[] {
  const f = field(seg, index);
  return repetitions(f)
    .map((r) => ({
      line1: orNull(value(f, 1, r)), line2: orNull(value(f, 2, r)), city: orNull(value(f, 3, r)), state: orNull(value(f, 4, r)),
      postalCode: orNull(value(f, 5, r)), country: orNull(value(f, 6, r)), use: orNull(value(f, 7, r)),
    }))
    .filter((a) => Object.entries(a).some(([k, v]) => k !== 'use' && v !== null));
}

function phones(seg: Hl7Segment | undefined, index: number, fallbackUse: string): { phones: Phone[]; email: string | null } {
  const f = field(seg, index);
  const out: Phone[] = [];
  let email: string | null = null;
  for (const r of repetitions(f)) {
    const use = value(f, 2, r);
    const equipment = value(f, 3, r).toLowerCase();
    const mail = value(f, 4, r);
    if (mail && (use === 'NET' || equipment === 'internet' || equipment === 'x.400')) {
      email ??= mail;
      continue;
    }
    const composed = [value(f, 5, r), value(f, 6, r), value(f, 7, r)].filter(Boolean).join(' ');
    const number = value(f, 12, r) || value(f, 1, r) || composed;
    if (number) out.push({ number, use: use || fallbackUse });
  }
  return { phones: out, email };
}

function doctors(seg: Hl7Segment | undefined, index: number): Doctor[] {
  const f = field(seg, index);
  const byPerson = new Map<string, Doctor>();
  for (const r of repetitions(f)) {
    const id = orNull(value(f, 1, r));
    const family = orNull(value(f, 2, r));
    const given = orNull(value(f, 3, r));
    const isNpi = [value(f, 9, r), value(f, 13, r)].some((x) => x.toUpperCase() === 'NPI');
    // Repetitions of one person under several ID schemes (e.g. Epic's CONS/CDS/PROVID) become one doctor.
    const key = family !== null || given !== null ? `${family ?? ''}^${given ?? ''}` : `id:${id ?? r}`;
    const seen = byPerson.get(key);
    if (!seen) byPerson.set(key, { id, idIsNpi: isNpi && id !== null, family, given });
    else if (isNpi && id !== null && !seen.idIsNpi) byPerson.set(key, { ...seen, id, idIsNpi: true });
  }
  return [...byPerson.values()];
}

function location(seg: Hl7Segment | undefined, index: number): Location | null {
  const f = field(seg, index);
  const loc = { pointOfCare: orNull(value(f, 1)), room: orNull(value(f, 2)), bed: orNull(value(f, 3)), facility: orNull(value(f, 4)) };
  return Object.values(loc).every((v) => v === null) ? null : loc;
}

const first = (seg: Hl7Segment | undefined, index: number, component = 1): string | null => orNull(value(field(seg, index), component));

function patient(pid: Hl7Segment): AdtPatient {
  const ids = identifiers(pid, 3);
  if (ids.length === 0) {
    throw new Hl7Reject('HL7_REQUIRED_FIELD_MISSING', '101', 'AE', 'PID-3 (patient identifier list) has no identifier', 'PID-3');
  }
  const home = phones(pid, 13, 'home');
  const work = phones(pid, 14, 'work');
  const deathFlag = first(pid, 30);
  return {
    identifiers: ids,
    names: names(pid, 5),
    birthDate: hl7Date(value(field(pid, 7), 1)),
    sex: first(pid, 8),
    race: first(pid, 10),
    ethnicity: first(pid, 22),
    maritalStatus: first(pid, 16),
    language: first(pid, 15),
    addresses: addresses(pid, 11),
    phones: [...home.phones, ...work.phones],
    email: home.email ?? work.email,
    ssn: first(pid, 19),
    deathDate: hl7Date(value(field(pid, 29), 1)),
    deceased: deathFlag === null ? null : deathFlag.toUpperCase() === 'Y',
  };
}

function visit(pv1: Hl7Segment | undefined, pid: Hl7Segment, offset: string): Visit | null {
  if (!pv1) return null;
  const v: Visit = {
    accountNumber: first(pid, 18),
    visitNumber: first(pv1, 19),
    patientClass: first(pv1, 2),
    location: location(pv1, 3),
    priorLocation: location(pv1, 6),
    admitType: first(pv1, 4),
    admitSource: first(pv1, 14),
    attending: doctors(pv1, 7),
    referring: doctors(pv1, 8),
    consulting: doctors(pv1, 9),
    admitting: doctors(pv1, 17),
    hospitalService: first(pv1, 10),
    financialClass: first(pv1, 20),
    dischargeDisposition: first(pv1, 36),
    admitAt: hl7Instant(value(field(pv1, 44), 1), offset),
    dischargeAt: hl7Instant(value(field(pv1, 45), 1), offset),
  };
  // A28/A31/A40 often carry an empty PV1 (class N = not applicable): no visit.
  const empty = (v.patientClass === null || v.patientClass === 'N') && v.visitNumber === null && v.accountNumber === null && v.location === null;
  return empty ? null : v;
}

function oneName(seg: Hl7Segment | undefined, index: number): PersonName | null {
  return names(seg, index)[0] ?? null;
}

/**
 * Maps one parsed ADT message to an AdtEvent (pure).
 * @param message - a message from `parseHl7`
 * @param opts.defaultOffset - the sender's UTC offset for date-times that carry none (default '+0000')
 * @throws Hl7Reject — AR for a non-ADT message (200) or an unsupported event (201); AE for missing PID/PID-3 or MRG (101)
 */
export function toAdtEvent(message: Hl7Message, opts: { defaultOffset?: string } = {}): AdtEvent {
  const offset = opts.defaultOffset ?? '+0000';
  const type = messageType(message);
  if (type.code !== 'ADT') {
    throw new Hl7Reject('HL7_MESSAGE_UNSUPPORTED', '200', 'AR', `Message type ${type.code}^${type.trigger} is not supported; only ADT is applied`, 'MSH-9');
  }
  const evn = message.getSegment('EVN');
  const trigger = type.trigger || (value(field(evn, 1), 1).toUpperCase());
  if (!(SUPPORTED_ADT_EVENTS as readonly string[]).includes(trigger)) {
    throw new Hl7Reject('HL7_EVENT_UNSUPPORTED', '201', 'AR', `ADT event ${trigger || '(none)'} is not supported`, 'MSH-9');
  }
  const event = trigger as AdtEventCode;
  const pid = message.getSegment('PID');
  if (!pid) throw new Hl7Reject('HL7_REQUIRED_FIELD_MISSING', '101', 'AE', 'The message has no PID segment', 'PID');
  let merge: Merge | null = null;
  const mrg = message.getSegment('MRG');
  if (mrg) {
    merge = { priorIdentifiers: identifiers(mrg, 1), priorAccount: first(mrg, 3), priorVisitNumber: first(mrg, 5) };
  }
  if (event === 'A40' && (merge === null || merge.priorIdentifiers.length === 0)) {
    throw new Hl7Reject('HL7_REQUIRED_FIELD_MISSING', '101', 'AE', 'A40 needs MRG-1 (the prior patient identifier)', 'MRG-1');
  }
  const gt1 = message.getSegment('GT1');
  return {
    event,
    messageTime: hl7Instant(value(message.header.getField(7), 1), offset),
    occurredAt: hl7Instant(value(field(evn, 6), 1), offset) ?? hl7Instant(value(field(evn, 2), 1), offset),
    patient: patient(pid),
    nextOfKin: message.getAllSegments('NK1').map((nk1) => ({
      name: oneName(nk1, 2),
      relationship: first(nk1, 3),
      address: addresses(nk1, 4)[0] ?? null,
      phones: [...phones(nk1, 5, 'home').phones, ...phones(nk1, 6, 'work').phones],
    })),
    guarantor: gt1
      ? {
          name: oneName(gt1, 3), address: addresses(gt1, 5)[0] ?? null,
          phones: [...phones(gt1, 6, 'home').phones, ...phones(gt1, 7, 'work').phones],
          birthDate: hl7Date(value(field(gt1, 8), 1)), relationship: first(gt1, 11),
        }
      : null,
    coverages: message.getAllSegments('IN1').map((in1) => ({
      planId: first(in1, 2), companyId: first(in1, 3), companyName: first(in1, 4), groupNumber: first(in1, 8),
      policyNumber: first(in1, 36), planType: first(in1, 15), insuredName: oneName(in1, 16), insuredRelationship: first(in1, 17),
      effectiveDate: hl7Date(value(field(in1, 12), 1)), expirationDate: hl7Date(value(field(in1, 13), 1)),
    })),
    visit: visit(message.getSegment('PV1'), pid, offset),
    merge,
  };
}
