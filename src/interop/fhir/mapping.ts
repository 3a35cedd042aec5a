/**
 * FHIR R4 Patient / Encounter / Practitioner → Chartroom's shapes. Pure: JSON in, plain data out, no I/O.
 * Only what the MPI and encounters keep is read; everything else in the bundle is left alone.
 */
import type { Demographics } from '../../patients/demographics.js';
import type { Identifier } from '../../patients/service.js';
import type { EncounterClass } from '../../encounters/model.js';

type Json = Record<string, unknown>;
const arr = (x: unknown): Json[] => (Array.isArray(x) ? (x as Json[]) : []);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() !== '' ? x.trim() : undefined);

export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
export const SSN_SYSTEM = 'http://hl7.org/fhir/sid/us-ssn';

const SEX: Record<string, string> = { female: 'F', male: 'M', other: 'O', unknown: 'U' };

/** A valid-looking SSN (9 digits, not 000/666/9xx area): others (e.g. Synthea's 999-…) are test numbers and dropped. */
export function plausibleSsn(s: string | undefined): string | null {
  const d = (s ?? '').replace(/\D/g, '');
  if (d.length !== 9 || d.startsWith('9') || d.startsWith('000') || d.startsWith('666')) return null;
  return d;
}

function codingText(x: unknown): string | undefined {
  const c = x as Json | undefined;
  if (!c) return undefined;
  return str(c.text) ?? str(arr(c.coding)[0]?.display) ?? str(arr(c.coding)[0]?.code);
}

function extension(r: Json, url: string): Json | undefined {
  return arr(r.extension).find((e) => e.url === url);
}

/** The identifiers of a Patient, authority = the identifier's system (MRN, SSN and others). */
export function patientIdentifiers(p: Json): Identifier[] {
  return arr(p.identifier).flatMap((i) => {
    const value = str(i.value);
    const system = str(i.system);
    if (!value || !system || system === SSN_SYSTEM) return [];
    const type = str(arr((i.type as Json | undefined)?.coding)[0]?.code) ?? 'PI';
    return [{ authority: system.slice(0, 80), value: value.slice(0, 80), type: type.slice(0, 10) }];
  });
}

export function patientDemographics(p: Json): Demographics {
  const names = arr(p.name).map((n) => {
    const given = arr(n.given) as unknown as string[];
    return { family: str(n.family) ?? '', given: given[0] ?? '', middle: given.slice(1).join(' ') || undefined, prefix: (arr(n.prefix) as unknown as string[])[0], suffix: (arr(n.suffix) as unknown as string[])[0], use: str(n.use) ?? 'official' };
  }).filter((n) => n.family || n.given);
  const ssn = arr(p.identifier).find((i) => i.system === SSN_SYSTEM);
  const race = extension(p, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race');
  const eth = extension(p, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity');
  const extText = (e: Json | undefined) => str(arr(e?.extension).find((x) => x.url === 'text')?.valueString);
  return {
    names,
    birthDate: str(p.birthDate)?.slice(0, 10) ?? null,
    sex: SEX[str(p.gender) ?? 'unknown'] ?? 'U',
    addresses: arr(p.address).map((a) => ({ line1: (arr(a.line) as unknown as string[]).join(' '), city: str(a.city), state: str(a.state), postalCode: str(a.postalCode), country: str(a.country), use: str(a.use) })),
    phones: arr(p.telecom).filter((t) => t.system === 'phone' && str(t.value)).map((t) => ({ number: str(t.value) as string, use: str(t.use) })),
    email: str(arr(p.telecom).find((t) => t.system === 'email')?.value) ?? null,
    ssn: plausibleSsn(str(ssn?.value)),
    language: codingText(arr(p.communication)[0]?.language) ?? null,
    race: extText(race) ?? null,
    ethnicity: extText(eth) ?? null,
    maritalStatus: codingText(p.maritalStatus) ?? null,
    deathDate: str(p.deceasedDateTime)?.slice(0, 10) ?? null,
    nextOfKin: arr(p.contact).map((c) => ({ name: [arr((c.name as Json | undefined)?.given)[0], (c.name as Json | undefined)?.family].filter(Boolean).join(' '), relationship: codingText(arr(c.relationship)[0]) })).filter((k) => k.name),
    coverages: [],
  };
}

const CLASS: Record<string, EncounterClass> = { IMP: 'inpatient', ACUTE: 'inpatient', NONAC: 'inpatient', OBSENC: 'observation', EMER: 'emergency', AMB: 'outpatient', HH: 'outpatient', VR: 'outpatient', FLD: 'outpatient', PRENC: 'preadmit', SS: 'outpatient' };

export interface FhirEncounter {
  id: string;
  class: EncounterClass;
  status: 'planned' | 'active' | 'discharged' | 'cancelled';
  admitAt: string | null;
  dischargeAt: string | null;
  participantRefs: string[];
  serviceProviderRef: string | null;
  dischargeDisposition: string | null;
}

export function encounterOf(e: Json): FhirEncounter | null {
  const id = str(e.id);
  if (!id) return null;
  const status = str(e.status);
  const period = (e.period as Json | undefined) ?? {};
  return {
    id,
    class: CLASS[str((e.class as Json | undefined)?.code) ?? ''] ?? 'outpatient',
    status: status === 'finished' ? 'discharged' : status === 'cancelled' || status === 'entered-in-error' ? 'cancelled' : status === 'planned' || status === 'arrived' ? 'planned' : 'active',
    admitAt: str(period.start) ?? null,
    dischargeAt: status === 'finished' ? str(period.end) ?? null : null,
    participantRefs: arr(e.participant).map((p) => str((p.individual as Json | undefined)?.reference)).filter((x): x is string => !!x),
    serviceProviderRef: str((e.serviceProvider as Json | undefined)?.reference) ?? null,
    dischargeDisposition: str(arr(((e.hospitalization as Json | undefined)?.dischargeDisposition as Json | undefined)?.coding)[0]?.code) ?? null,
  };
}

export interface FhirPractitioner { npi: string | null; localId: string | null; family: string; given: string }

export function practitionerOf(p: Json): FhirPractitioner {
  const npi = str(arr(p.identifier).find((i) => i.system === NPI_SYSTEM)?.value) ?? null;
  const n = arr(p.name)[0] ?? {};
  return { npi, localId: npi ? null : str(p.id) ?? null, family: str(n.family) ?? '', given: (arr(n.given) as unknown as string[])[0] ?? '' };
}

/** A Chartroom patient as a FHIR R4 Patient (identifiers with their authority as system; SSN left out). */
export function toFhirPatient(v: { id: string; mrn: string; demographics: Demographics; identifiers: { authority: string; value: string; type: string }[]; status: string }): Json {
  const d = v.demographics;
  const gender = ({ F: 'female', M: 'male', O: 'other' } as Record<string, string>)[d.sex] ?? 'unknown';
  return {
    resourceType: 'Patient',
    id: v.id,
    active: v.status === 'active',
    identifier: v.identifiers.map((i) => ({ system: i.authority.includes(':') ? i.authority : `urn:chartroom:${i.authority}`, value: i.value, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: i.type }] } })),
    name: d.names.map((n) => ({ use: n.use === 'official' || !n.use ? 'official' : n.use === 'old' ? 'old' : 'usual', family: n.family, given: [n.given, ...(n.middle ? [n.middle] : [])].filter(Boolean), ...(n.suffix ? { suffix: [n.suffix] } : {}) })),
    gender,
    ...(d.birthDate ? { birthDate: d.birthDate } : {}),
    address: d.addresses.map((a) => ({ line: [a.line1], city: a.city, state: a.state, postalCode: a.postalCode, country: a.country })),
    telecom: [...d.phones.map((p) => ({ system: 'phone', value: p.number })), ...(d.email ? [{ system: 'email', value: d.email }] : [])],
  };
}

/** The match-grade of a Fellegi–Sunter decision (http://hl7.org/fhir/StructureDefinition/match-grade). */
export function matchGrade(decision: string, probability: number): 'certain' | 'probable' | 'possible' | 'certainly-not' {
  if (decision === 'match') return probability >= 0.999 ? 'certain' : 'probable';
  return decision === 'review' ? 'possible' : 'certainly-not';
}
