// The registration / edit form's state and its conversion to and from the API's demographics. Pure: no React.
// The first name is the official (legal) one; further names, and every address, phone, next of kin and coverage,
// are rows of lists. Each row remembers the entry it was filled from (`base`), so that fields the form does not
// show (a name's prefix, a kin's address) are kept, and a row the clerk did not
// change comes back as the very entry it was. Rows left empty are dropped. A kin's address is four fields of its
// row (street, city, state, ZIP) over the stored address.
import { parseDate } from './format';
import type { Address, Coverage, Demographics, PersonName, Phone, RelatedPerson } from './types';

export interface NameRow {
  id: string;
  base?: PersonName;
  family: string;
  given: string;
  middle: string;
  suffix: string;
  use: string;
}
export interface AddressRow {
  id: string;
  base?: Address;
  line1: string;
  line2: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  use: string;
}
export interface PhoneRow {
  id: string;
  base?: Phone;
  number: string;
  use: string;
}
export interface KinRow {
  id: string;
  base?: RelatedPerson;
  name: string;
  relationship: string;
  phone: string;
  addressLine: string;
  addressCity: string;
  addressState: string;
  addressZip: string;
}
export interface CoverageRow {
  id: string;
  base?: Coverage;
  payer: string;
  plan: string;
  memberId: string;
  groupNumber: string;
  subscriber: string;
  relationship: string;
  effectiveFrom: string;
  effectiveTo: string;
}

export interface FormState {
  given: string;
  middle: string;
  family: string;
  suffix: string;
  birthDate: string;
  sex: string;
  email: string;
  ssn: string;
  language: string;
  race: string;
  ethnicity: string;
  maritalStatus: string;
  /** Names after the first (official) one. */
  otherNames: NameRow[];
  addresses: AddressRow[];
  phones: PhoneRow[];
  nextOfKin: KinRow[];
  /** The responsible party: none, or one row (the same fields as a next of kin). */
  guarantor: KinRow[];
  coverages: CoverageRow[];
}

/** The lists of the form, by their FormState key. */
export type ListKey = 'otherNames' | 'addresses' | 'phones' | 'nextOfKin' | 'guarantor' | 'coverages';

/**
 * Problems by field: `family`, `birthDate`… for the single fields, `<list>.<row index>.<field>` for a row's
 * (e.g. `phones.1.number`, `coverages.0.effectiveTo`).
 */
export type FormErrors = Partial<Record<string, string>>;

export const errorKey = (list: ListKey, index: number, field: string): string => `${list}.${index}.${field}`;

export const NAME_USES = ['alias', 'maiden', 'usual', 'nickname', 'old'];
export const ADDRESS_USES = ['home', 'work', 'mailing', 'temp', 'old'];
export const PHONE_USES = ['home', 'mobile', 'work', 'other'];

let nextId = 0;
const newId = (): string => `row-${++nextId}`;

export const emptyName = (): NameRow => ({ id: newId(), family: '', given: '', middle: '', suffix: '', use: 'alias' });
export const emptyAddress = (): AddressRow => ({ id: newId(), line1: '', line2: '', city: '', state: '', postalCode: '', country: '', use: 'home' });
export const emptyPhone = (): PhoneRow => ({ id: newId(), number: '', use: 'home' });
export const emptyKin = (): KinRow => ({ id: newId(), name: '', relationship: '', phone: '', addressLine: '', addressCity: '', addressState: '', addressZip: '' });
export const emptyCoverage = (): CoverageRow => ({ id: newId(), payer: '', plan: '', memberId: '', groupNumber: '', subscriber: '', relationship: '', effectiveFrom: '', effectiveTo: '' });

/** A new empty form: one empty row of each list but the other names (as the form always showed). */
export function emptyForm(): FormState {
  return {
    given: '', middle: '', family: '', suffix: '', birthDate: '', sex: 'U', email: '', ssn: '', language: '', race: '', ethnicity: '', maritalStatus: '',
    otherNames: [], addresses: [emptyAddress()], phones: [emptyPhone()], nextOfKin: [emptyKin()], guarantor: [], coverages: [emptyCoverage()],
  };
}

const opt = (s: string): string | undefined => (s.trim() ? s.trim() : undefined);
const nul = (s: string): string | null => (s.trim() ? s.trim() : null);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The form as it was filled from stored demographics (for edit). */
export function formOf(d: Demographics): FormState {
  const [n, ...more] = d.names;
  const atLeastOne = <T>(rows: T[], empty: () => T): T[] => (rows.length ? rows : [empty()]);
  return {
    given: n?.given ?? '', middle: n?.middle ?? '', family: n?.family ?? '', suffix: n?.suffix ?? '',
    birthDate: d.birthDate ?? '', sex: d.sex || 'U',
    email: d.email ?? '', ssn: d.ssn ?? '', language: d.language ?? '', race: d.race ?? '', ethnicity: d.ethnicity ?? '', maritalStatus: d.maritalStatus ?? '',
    otherNames: more.map((x) => ({ id: newId(), base: x, family: x.family, given: x.given, middle: x.middle ?? '', suffix: x.suffix ?? '', use: x.use ?? '' })),
    addresses: atLeastOne(d.addresses.map((x) => ({ id: newId(), base: x, line1: x.line1, line2: x.line2 ?? '', city: x.city ?? '', state: x.state ?? '', postalCode: x.postalCode ?? '', country: x.country ?? '', use: x.use ?? '' })), emptyAddress),
    phones: atLeastOne(d.phones.map((x) => ({ id: newId(), base: x, number: x.number, use: x.use ?? '' })), emptyPhone),
    nextOfKin: atLeastOne(d.nextOfKin.map((x) => ({ id: newId(), base: x, ...kinFields(x) })), emptyKin),
    guarantor: d.guarantor ? [{ id: newId(), base: d.guarantor, ...kinFields(d.guarantor) }] : [],
    coverages: atLeastOne(
      d.coverages.map((x) => ({
        id: newId(), base: x, payer: x.payer, plan: x.plan ?? '', memberId: x.memberId ?? '', groupNumber: x.groupNumber ?? '', subscriber: x.subscriber ?? '',
        relationship: x.relationship ?? '', effectiveFrom: x.effectiveFrom ?? '', effectiveTo: x.effectiveTo ?? '',
      })),
      emptyCoverage,
    ),
  };
}

/** The row's editable fields (everything but `id` and `base`). */
function fieldsOf(row: { id: string; base?: unknown }): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) if (k !== 'id' && k !== 'base') fields[k] = text(v);
  return fields;
}

const isEmpty = (fields: Record<string, string>, ignore: string[] = []): boolean => Object.entries(fields).every(([k, v]) => ignore.includes(k) || !v.trim());

/** Unchanged from the entry it was filled from: every shown field reads as it did. */
function unchanged(fields: Record<string, string>, base: object | undefined): boolean {
  if (!base) return false;
  const b = base as Record<string, unknown>;
  return Object.entries(fields).every(([k, v]) => v === text(b[k]));
}

/**
 * The entry of a row: the base when unchanged, else the base with the shown fields over it (trimmed; empty
 * optional fields left out, `required` ones kept as strings). Null for a row left empty (the `ignore`d fields,
 * such as a select's use, do not count).
 */
function entryOf<T extends object>(row: { id: string; base?: T }, required: string[], ignore: string[] = [], convert: Record<string, (s: string) => string> = {}): T | null {
  const fields = fieldsOf(row);
  if (unchanged(fields, row.base)) return row.base ?? null;
  if (isEmpty(fields, ignore)) return null;
  const out: Record<string, unknown> = { ...(row.base ?? {}) };
  for (const [k, raw] of Object.entries(fields)) {
    const v = convert[k] ? convert[k](raw.trim()) : raw.trim();
    if (v) out[k] = v;
    else if (required.includes(k)) out[k] = '';
    else delete out[k];
  }
  return out as T;
}

/** A kin's address fields in the row, and where each goes in the stored address. */
const KIN_ADDRESS = { addressLine: 'line1', addressCity: 'city', addressState: 'state', addressZip: 'postalCode' } as const;

/** The row fields of a stored next of kin. */
function kinFields(k: RelatedPerson): Omit<KinRow, 'id' | 'base'> {
  const a = (k.address ?? {}) as Partial<Address>;
  return {
    name: k.name, relationship: k.relationship ?? '', phone: k.phone ?? '',
    addressLine: a.line1 ?? '', addressCity: a.city ?? '', addressState: a.state ?? '', addressZip: a.postalCode ?? '',
  };
}

/** A next of kin from its row, as `entryOf` (the base when unchanged, null when empty), the address parts nested. */
function kinOf(row: KinRow): RelatedPerson | null {
  const fields = fieldsOf(row);
  if (row.base && unchanged(fields, kinFields(row.base))) return row.base;
  if (isEmpty(fields)) return null;
  const { address: baseAddress, ...rest } = row.base ?? { name: '' };
  const out: RelatedPerson = { ...rest, name: row.name.trim() };
  if (row.relationship.trim()) out.relationship = row.relationship.trim();
  else delete out.relationship;
  if (row.phone.trim()) out.phone = row.phone.trim();
  else delete out.phone;
  const address: Record<string, string | undefined> = { ...(baseAddress ?? {}) };
  for (const [k, to] of Object.entries(KIN_ADDRESS)) {
    const v = fields[k]!.trim();
    if (v) address[to] = v;
    else delete address[to];
  }
  // Kept while any part is left (a stored second line, say); gone when the clerk cleared every part.
  if (Object.entries(address).some(([k, v]) => k !== 'use' && v)) out.address = { ...address, line1: address.line1 ?? '' };
  return out;
}

const isoOr = (s: string): string => (s ? (parseDate(s) ?? s) : '');
const keep = <T>(xs: (T | null)[]): T[] => xs.filter((x): x is T => x !== null);

/** Digits of a phone number. */
const digits = (s: string): number => s.replace(/\D/g, '').length;
/** Fewer digits than any phone number has (a local number without its area code has seven). */
const MIN_PHONE_DIGITS = 7;

/** Problems the clerk can fix before saving, by field (see FormErrors); the server checks again. Rows kept as they were are not judged again. */
export function formErrors(f: FormState): FormErrors {
  const errors: FormErrors = {};
  if (!f.family.trim() && !f.given.trim()) errors.family = 'A family or given name is needed.';
  if (f.birthDate.trim() && !parseDate(f.birthDate)) errors.birthDate = 'A date: YYYY-MM-DD or MM/DD/YYYY.';
  const ssnDigits = f.ssn.replace(/\D/g, '');
  if (f.ssn.trim() && !f.ssn.includes('*') && ssnDigits.length !== 9) errors.ssn = 'Nine digits.';
  if (f.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim())) errors.email = 'Not an email address.';

  const judged = <R extends { id: string; base?: object }>(list: ListKey, rows: R[], ignore: string[], check: (row: R, err: (field: string, message: string) => void) => void) => {
    rows.forEach((row, i) => {
      const fields = fieldsOf(row);
      if (unchanged(fields, row.base) || isEmpty(fields, ignore)) return;
      check(row, (field, message) => {
        errors[errorKey(list, i, field)] = message;
      });
    });
  };
  const phoneCheck = (value: string, field: string, err: (field: string, message: string) => void) => {
    if (value.trim() && digits(value) < MIN_PHONE_DIGITS) err(field, `Too few digits (at least ${MIN_PHONE_DIGITS}).`);
  };
  judged('otherNames', f.otherNames, ['use'], (r, err) => {
    if (!r.family.trim() && !r.given.trim()) err('family', 'A family or given name is needed.');
  });
  judged('phones', f.phones, ['use'], (r, err) => phoneCheck(r.number, 'number', err));
  const personCheck = (r: KinRow, err: (field: string, message: string) => void) => {
    if (!r.name.trim()) err('name', 'A name is needed.');
    phoneCheck(r.phone, 'phone', err);
  };
  judged('nextOfKin', f.nextOfKin, [], personCheck);
  judged('guarantor', f.guarantor, [], personCheck);
  judged('coverages', f.coverages, [], (r, err) => {
    if (!r.payer.trim()) err('payer', 'A payer is needed.');
    const from = r.effectiveFrom.trim() ? parseDate(r.effectiveFrom) : null;
    const to = r.effectiveTo.trim() ? parseDate(r.effectiveTo) : null;
    if (r.effectiveFrom.trim() && !from) err('effectiveFrom', 'A date: YYYY-MM-DD or MM/DD/YYYY.');
    if (r.effectiveTo.trim() && !to) err('effectiveTo', 'A date: YYYY-MM-DD or MM/DD/YYYY.');
    if (from && to && to < from) err('effectiveTo', 'Before the effective-from date.');
  });
  return errors;
}

/**
 * The demographics to send: the form over `base` (the stored ones when editing). Every list comes from its rows:
 * a row not changed (and the first name, when not changed) is its stored entry as it was, an empty row is dropped.
 */
export function demographicsOf(f: FormState, base?: Demographics): Demographics {
  const firstName = base?.names[0];
  const nameFields = { family: f.family, given: f.given, middle: f.middle, suffix: f.suffix };
  return {
    ...(base ?? {}),
    names: [
      firstName && unchanged(nameFields, firstName)
        ? firstName
        : { ...firstName, family: f.family.trim(), given: f.given.trim(), middle: opt(f.middle), suffix: opt(f.suffix), use: firstName?.use ?? 'official' },
      ...keep(f.otherNames.map((r) => entryOf<PersonName>(r, ['family', 'given'], ['use']))),
    ],
    birthDate: parseDate(f.birthDate),
    sex: f.sex || 'U',
    addresses: keep(f.addresses.map((r) => entryOf<Address>(r, ['line1'], ['use']))),
    phones: keep(f.phones.map((r) => entryOf<Phone>(r, ['number'], ['use']))),
    email: nul(f.email),
    ssn: nul(f.ssn),
    language: nul(f.language),
    race: nul(f.race),
    ethnicity: nul(f.ethnicity),
    maritalStatus: nul(f.maritalStatus),
    nextOfKin: keep(f.nextOfKin.map(kinOf)),
    // No row: as stored (none), or removed (null); a row left empty is none either.
    ...(f.guarantor[0] ? { guarantor: kinOf(f.guarantor[0]) } : base?.guarantor ? { guarantor: null } : {}),
    coverages: keep(f.coverages.map((r) => entryOf<Coverage>(r, ['payer'], [], { effectiveFrom: isoOr, effectiveTo: isoOr }))),
  };
}

/**
 * What search-before-create matches on: the first name, birth date, sex, SSN and the first address, phone, next of
 * kin and coverage, as before the form had lists (typing in a further row does not ask again).
 */
export function probeOf(f: FormState): Demographics {
  const ssn = f.ssn.replace(/\D/g, '').length === 9 ? f.ssn : '';
  return demographicsOf({ ...f, ssn, otherNames: [], addresses: f.addresses.slice(0, 1), phones: f.phones.slice(0, 1), nextOfKin: f.nextOfKin.slice(0, 1), coverages: f.coverages.slice(0, 1) });
}

/** Enough typed to look for duplicates: a family name and a given name or a birth date, or an SSN. */
export function worthMatching(f: FormState): boolean {
  const family = f.family.trim().length >= 2;
  return (family && (f.given.trim().length >= 1 || parseDate(f.birthDate) !== null)) || f.ssn.replace(/\D/g, '').length === 9;
}
