// The registration / edit form's flat state and its conversion to and from the API's demographics.
// The form edits the first name, address, phone, next of kin and coverage; further ones are kept as they are.
import { parseDate } from './format';
import type { Demographics } from './types';

export interface FormState {
  given: string;
  middle: string;
  family: string;
  suffix: string;
  birthDate: string;
  sex: string;
  line1: string;
  city: string;
  state: string;
  postalCode: string;
  phone: string;
  email: string;
  ssn: string;
  language: string;
  race: string;
  ethnicity: string;
  maritalStatus: string;
  nokName: string;
  nokRelationship: string;
  nokPhone: string;
  payer: string;
  plan: string;
  memberId: string;
  groupNumber: string;
}

export const EMPTY_FORM: FormState = {
  given: '', middle: '', family: '', suffix: '', birthDate: '', sex: 'U', line1: '', city: '', state: '', postalCode: '', phone: '',
  email: '', ssn: '', language: '', race: '', ethnicity: '', maritalStatus: '', nokName: '', nokRelationship: '', nokPhone: '',
  payer: '', plan: '', memberId: '', groupNumber: '',
};

const opt = (s: string): string | undefined => (s.trim() ? s.trim() : undefined);
const nul = (s: string): string | null => (s.trim() ? s.trim() : null);

/** The form as it was filled from stored demographics (for edit). */
export function formOf(d: Demographics): FormState {
  const n = d.names[0];
  const a = d.addresses[0];
  const k = d.nextOfKin[0];
  const c = d.coverages[0];
  return {
    given: n?.given ?? '', middle: n?.middle ?? '', family: n?.family ?? '', suffix: n?.suffix ?? '',
    birthDate: d.birthDate ?? '', sex: d.sex || 'U',
    line1: a?.line1 ?? '', city: a?.city ?? '', state: a?.state ?? '', postalCode: a?.postalCode ?? '',
    phone: d.phones[0]?.number ?? '', email: d.email ?? '', ssn: d.ssn ?? '', language: d.language ?? '', race: d.race ?? '',
    ethnicity: d.ethnicity ?? '', maritalStatus: d.maritalStatus ?? '',
    nokName: k?.name ?? '', nokRelationship: k?.relationship ?? '', nokPhone: k?.phone ?? '',
    payer: c?.payer ?? '', plan: c?.plan ?? '', memberId: c?.memberId ?? '', groupNumber: c?.groupNumber ?? '',
  };
}

/** Problems the clerk can fix before saving, by field; the server checks again. */
export function formErrors(f: FormState): Partial<Record<keyof FormState, string>> {
  const errors: Partial<Record<keyof FormState, string>> = {};
  if (!f.family.trim() && !f.given.trim()) errors.family = 'A family or given name is needed.';
  if (f.birthDate.trim() && !parseDate(f.birthDate)) errors.birthDate = 'A date: YYYY-MM-DD or MM/DD/YYYY.';
  const ssnDigits = f.ssn.replace(/\D/g, '');
  if (f.ssn.trim() && !f.ssn.includes('*') && ssnDigits.length !== 9) errors.ssn = 'Nine digits.';
  if (f.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim())) errors.email = 'Not an email address.';
  return errors;
}

/**
 * The demographics to send: the form's fields over `base` (the stored ones when editing), keeping the names,
 * addresses, phones, next of kin and coverages after the first as they were.
 */
export function demographicsOf(f: FormState, base?: Demographics): Demographics {
  const [firstName, ...moreNames] = base?.names ?? [];
  const [firstAddress, ...moreAddresses] = base?.addresses ?? [];
  const [firstPhone, ...morePhones] = base?.phones ?? [];
  const [firstKin, ...moreKin] = base?.nextOfKin ?? [];
  const [firstCoverage, ...moreCoverages] = base?.coverages ?? [];
  const hasAddress = [f.line1, f.city, f.state, f.postalCode].some((s) => s.trim());
  return {
    ...(base ?? {}),
    names: [{ ...firstName, family: f.family.trim(), given: f.given.trim(), middle: opt(f.middle), suffix: opt(f.suffix), use: firstName?.use ?? 'official' }, ...moreNames],
    birthDate: parseDate(f.birthDate),
    sex: f.sex || 'U',
    addresses: [
      ...(hasAddress ? [{ ...firstAddress, line1: f.line1.trim(), city: opt(f.city), state: opt(f.state), postalCode: opt(f.postalCode), use: firstAddress?.use ?? 'home' }] : []),
      ...moreAddresses,
    ],
    phones: [...(f.phone.trim() ? [{ ...firstPhone, number: f.phone.trim(), use: firstPhone?.use ?? 'home' }] : []), ...morePhones],
    email: nul(f.email),
    ssn: nul(f.ssn),
    language: nul(f.language),
    race: nul(f.race),
    ethnicity: nul(f.ethnicity),
    maritalStatus: nul(f.maritalStatus),
    nextOfKin: [...(f.nokName.trim() ? [{ ...firstKin, name: f.nokName.trim(), relationship: opt(f.nokRelationship), phone: opt(f.nokPhone) }] : []), ...moreKin],
    coverages: [
      ...(f.payer.trim() ? [{ ...firstCoverage, payer: f.payer.trim(), plan: opt(f.plan), memberId: opt(f.memberId), groupNumber: opt(f.groupNumber) }] : []),
      ...moreCoverages,
    ],
  };
}

/** Enough typed to look for duplicates: a family name and a given name or a birth date, or an SSN. */
export function worthMatching(f: FormState): boolean {
  const family = f.family.trim().length >= 2;
  return (family && (f.given.trim().length >= 1 || parseDate(f.birthDate) !== null)) || f.ssn.replace(/\D/g, '').length === 9;
}
