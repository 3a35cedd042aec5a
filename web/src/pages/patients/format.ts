// Pure helpers of the patient pages: names as people read them, dates as clerks type them, the search box.
import type { ShortName } from './types';

export const SEX_OPTIONS = [
  { value: 'F', label: 'Female' },
  { value: 'M', label: 'Male' },
  { value: 'X', label: 'Non-binary (X)' },
  { value: 'O', label: 'Other' },
  { value: 'U', label: 'Unknown' },
];

export function sexLabel(code: string | null | undefined): string {
  return SEX_OPTIONS.find((o) => o.value === code)?.label ?? code ?? '';
}

/** "FAMILY, Given Middle Suffix" — the form registration desks file by. */
export function displayName(n: Partial<ShortName> | null | undefined): string {
  if (!n) return '';
  const rest = [n.given, n.middle, n.suffix].filter((s) => s && s.trim()).join(' ');
  const family = (n.family ?? '').toUpperCase();
  if (!family) return rest;
  return rest ? `${family}, ${rest}` : family;
}

function validIso(y: number, m: number, d: number): string | null {
  if (y < 1800 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A date as typed (YYYY-MM-DD, MM/DD/YYYY, M/D/YYYY, MMDDYYYY) as YYYY-MM-DD, or null when it is not one yet. */
export function parseDate(text: string): string | null {
  const t = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return validIso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (m) return validIso(Number(m[3]), Number(m[1]), Number(m[2]));
  m = /^(\d{2})(\d{2})(\d{4})$/.exec(t);
  if (m) return validIso(Number(m[3]), Number(m[1]), Number(m[2]));
  return null;
}

export interface SearchQuery {
  name: string;
  birthDate: string;
  mrn: string;
}

/**
 * The one search box: a name ("Ada Okafor", "Okafor, Ada"), an MRN (digits, maybe a prefix or dashes), or a
 * name followed by a birth date ("okafor 05/04/1971").
 */
export function parseSearchBox(text: string): SearchQuery {
  const t = text.trim().replace(/\s+/g, ' ');
  if (!t) return { name: '', birthDate: '', mrn: '' };
  if (!t.includes(' ') && /\d/.test(t) && !parseDate(t) && /^[A-Za-z]{0,4}[\d-]+$/.test(t)) return { name: '', birthDate: '', mrn: t };
  const words = t.split(' ');
  let birthDate = '';
  const rest: string[] = [];
  for (const w of words) {
    const d = parseDate(w);
    if (d && !birthDate) birthDate = d;
    else rest.push(w);
  }
  return { name: rest.join(' '), birthDate, mrn: '' };
}

/** The age in whole years on `today` (YYYY-MM-DD), or null. */
export function ageOn(birthDate: string | null, today = new Date().toISOString().slice(0, 10)): number | null {
  if (!birthDate) return null;
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  let age = ty - y;
  if (tm < m || (tm === m && td < d)) age -= 1;
  return age >= 0 ? age : null;
}

/** Field names of the matcher's contributions as a reviewer reads them. */
const FIELD_LABEL: Record<string, string> = {
  prior: 'Prior (base rate)',
  given_name: 'Given name',
  family_name: 'Family name',
  middle_name: 'Middle name',
  birth_date: 'Birth date',
  sex: 'Sex',
  address: 'Address',
  address_line: 'Address',
  location: 'Location overlap',
  household: 'Household evidence',
  city: 'City',
  state: 'State',
  postal_code: 'Postal code',
  phone: 'Phone',
  ssn: 'SSN',
  email: 'Email',
  suffix: 'Suffix',
};

export function fieldLabel(field: string): string {
  return FIELD_LABEL[field] ?? field.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}
