import { AppError } from '../platform/errors/app-error.js';

/** Demographics as Chartroom keeps them. Pure types and checks; no I/O. */
export interface PersonName {
  family: string;
  given: string;
  middle?: string | undefined;
  suffix?: string | undefined;
  prefix?: string | undefined;
  /** official (legal), usual, maiden, nickname, alias, old */
  use?: string | undefined;
}
export interface Address {
  line1: string;
  line2?: string | undefined;
  city?: string | undefined;
  state?: string | undefined;
  postalCode?: string | undefined;
  country?: string | undefined;
  use?: string | undefined;
}
export interface Phone { number: string; use?: string | undefined }
export interface RelatedPerson { name: string; relationship?: string | undefined; phone?: string | undefined; address?: Address | undefined }
export interface Coverage {
  payer: string;
  plan?: string | undefined;
  memberId?: string | undefined;
  groupNumber?: string | undefined;
  subscriber?: string | undefined;
  relationship?: string | undefined;
  effectiveFrom?: string | undefined;
  effectiveTo?: string | undefined;
}

export const SEXES = ['F', 'M', 'O', 'U', 'A', 'N', 'X'] as const;

export interface Demographics {
  names: PersonName[];
  birthDate: string | null;
  /** administrative sex (HL7 table 0001) */
  sex: string;
  genderIdentity?: string | null | undefined;
  addresses: Address[];
  phones: Phone[];
  email?: string | null | undefined;
  /** Plain only in memory and over TLS to an authorised reader; stored sealed (see service). */
  ssn?: string | null | undefined;
  language?: string | null | undefined;
  race?: string | null | undefined;
  ethnicity?: string | null | undefined;
  maritalStatus?: string | null | undefined;
  deathDate?: string | null | undefined;
  nextOfKin: RelatedPerson[];
  guarantor?: RelatedPerson | null | undefined;
  coverages: Coverage[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Lower case, accents and punctuation removed, spaces collapsed: the form search and matching compare. */
export function normName(s: string | undefined | null): string {
  return (s ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z\s-]/g, '')
    .replace(/[\s-]+/g, ' ')
    .trim();
}

export function digits(s: string | undefined | null): string {
  return (s ?? '').replace(/\D/g, '');
}

/** SSN as 9 digits, or null; anything else is a validation error (never echoed back: it is PHI). */
export function normSsn(s: string | null | undefined): string | null {
  if (s === null || s === undefined || s.trim() === '') return null;
  const d = digits(s);
  if (d.length !== 9 || /^0{9}$/.test(d) || d.startsWith('9') || d.startsWith('666') || d.startsWith('000')) {
    throw new AppError('VALIDATION_FAILED', 'The SSN must be 9 digits in a valid range.');
  }
  return d;
}

export function maskSsn(last4: string | null): string | null {
  return last4 ? `***-**-${last4}` : null;
}

 
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/;

/** The name of the first string field holding a control character (PostgreSQL refuses NUL; none belongs in a record). */
function controlCharacterIn(x: unknown, at: string): string | null {
  if (typeof x === 'string') return CONTROL.test(x) ? at : null;
  if (Array.isArray(x)) {
    for (const [i, v] of x.entries()) {
      const hit = controlCharacterIn(v, `${at}[${i}]`);
      if (hit) return hit;
    }
  } else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      const hit = controlCharacterIn(v, at ? `${at}.${k}` : k);
      if (hit) return hit;
    }
  }
  return null;
}

/** Checks and tidies demographics given by a person or a feed. Throws VALIDATION_FAILED with the field named. */
export function cleanDemographics(d: Demographics, today = new Date().toISOString().slice(0, 10)): Demographics {
  const bad = controlCharacterIn(d, '');
  if (bad) throw new AppError('VALIDATION_FAILED', `${bad} holds a control character.`);
  const names = d.names.map((n) => ({ ...n, family: n.family.trim(), given: n.given.trim() })).filter((n) => n.family || n.given);
  if (names.length === 0) throw new AppError('VALIDATION_FAILED', 'A patient needs a name (family or given).');
  if (d.birthDate !== null) {
    if (!isIsoDate(d.birthDate)) throw new AppError('VALIDATION_FAILED', 'birthDate must be a date as YYYY-MM-DD.');
    if (d.birthDate > today) throw new AppError('VALIDATION_FAILED', 'birthDate is in the future.');
    if (d.birthDate < '1880-01-01') throw new AppError('VALIDATION_FAILED', 'birthDate is before 1880.');
  }
  for (const k of ['deathDate'] as const) {
    const v = d[k];
    if (v && !isIsoDate(v)) throw new AppError('VALIDATION_FAILED', `${k} must be a date as YYYY-MM-DD.`);
  }
  const sex = (d.sex || 'U').toUpperCase();
  if (!(SEXES as readonly string[]).includes(sex)) throw new AppError('VALIDATION_FAILED', `sex must be one of ${SEXES.join(', ')}.`);
  if (d.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(d.email)) throw new AppError('VALIDATION_FAILED', 'email is not an address.');
  return {
    ...d,
    names,
    sex,
    ssn: normSsn(d.ssn),
    addresses: d.addresses.filter((a) => a.line1.trim() || a.city?.trim() || a.postalCode?.trim()),
    phones: d.phones.filter((p) => digits(p.number).length >= 7),
  };
}

/** The columns search reads, derived from the demographics. */
export function searchColumns(d: Demographics) {
  const n = d.names[0] ?? { family: '', given: '' };
  const a = d.addresses[0];
  return {
    family_name: n.family,
    given_name: n.given,
    middle_name: n.middle ?? '',
    suffix: n.suffix ?? '',
    family_norm: normName(n.family),
    given_norm: normName(n.given),
    birth_date: d.birthDate,
    sex: d.sex,
    postal_code: (a?.postalCode ?? '').replace(/\s/g, '').slice(0, 5),
    phone_digits: digits(d.phones[0]?.number).slice(-10),
    ssn_last4: d.ssn ? d.ssn.slice(-4) : null,
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function union<T>(first: T[], second: T[], key: (x: T) => string): T[] {
  const seen = new Set(first.map(key));
  return [...first, ...second.filter((x) => !seen.has(key(x)))];
}

/**
 * Survivorship: the survivor keeps every value it has; blanks are filled from the merged patient; repeatable
 * items (names, addresses, phones, next of kin, coverages) are the union, the merged patient's marked "old".
 */
export function survive(survivor: Demographics, merged: Demographics): Demographics {
  const fill = <K extends keyof Demographics>(k: K): Demographics[K] => (survivor[k] === null || survivor[k] === undefined || survivor[k] === '' ? merged[k] : survivor[k]);
  const oldUse = <T extends { use?: string | undefined }>(xs: T[]) => xs.map((x) => ({ ...x, use: x.use === 'official' || !x.use ? 'old' : x.use }));
  return {
    ...survivor,
    names: union(survivor.names, oldUse(merged.names), (n) => `${normName(n.family)}|${normName(n.given)}`),
    birthDate: fill('birthDate'),
    sex: survivor.sex === 'U' ? merged.sex : survivor.sex,
    genderIdentity: fill('genderIdentity'),
    addresses: union(survivor.addresses, oldUse(merged.addresses), (a) => `${normName(a.line1)}|${a.postalCode ?? ''}`),
    phones: union(survivor.phones, merged.phones, (p) => digits(p.number)),
    email: fill('email'),
    ssn: fill('ssn'),
    language: fill('language'),
    race: fill('race'),
    ethnicity: fill('ethnicity'),
    maritalStatus: fill('maritalStatus'),
    deathDate: fill('deathDate'),
    nextOfKin: union(survivor.nextOfKin, merged.nextOfKin, (k) => normName(k.name)),
    guarantor: survivor.guarantor ?? merged.guarantor ?? null,
    coverages: union(survivor.coverages, merged.coverages, (c) => `${c.payer}|${c.memberId ?? ''}`),
  };
}

/**
 * Unmerge of the survivor: each field the merge changed goes back to its value before the merge, unless it has
 * changed again since (a later registration or feed update wins over the undo).
 */
export function revertMerge(before: Demographics, afterMerge: Demographics, current: Demographics): Demographics {
  const out: Record<string, unknown> = { ...current };
  for (const k of new Set([...Object.keys(before), ...Object.keys(afterMerge)]) as Set<keyof Demographics>) {
    if (sameJson(current[k], afterMerge[k]) && !sameJson(before[k], afterMerge[k])) out[k] = before[k];
  }
  return out as unknown as Demographics;
}

/** The fields of a demographics change, for the audit trail (names of fields, never their values). */
export function changedFields(a: Demographics, b: Demographics): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Demographics>;
  return [...keys].filter((k) => !sameJson(a[k], b[k])).sort();
}
