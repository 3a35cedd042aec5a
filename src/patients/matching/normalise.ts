import { doubleMetaphone } from './double-metaphone.js';
import type { NormRecord, PersonRecord } from './types.js';

const SUFFIXES: Record<string, string> = {
  jr: 'jr', junior: 'jr', jnr: 'jr', sr: 'sr', senior: 'sr', snr: 'sr',
  ii: 'ii', '2nd': 'ii', iii: 'iii', '3rd': 'iii', iv: 'iv', '4th': 'iv', v: 'v',
};
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'rev', 'sir', 'mx']);
/**
 * Words of a written-out name that name no one: honorifics, ranks, peerage titles and honours, particles. Left out of
 * the full-name tokens (two records sharing "sir" or "baron" share nothing of the person); the given and family name
 * fields keep them as written.
 */
const NAME_NOISE = new Set([
  ...TITLES, 'lady', 'lord', 'dame', 'hon', 'honourable', 'rt', 'right', 'revd', 'reverend', 'baron', 'baroness',
  'baronet', 'bt', 'bart', 'earl', 'count', 'countess', 'duke', 'duchess', 'marquess', 'marquis', 'viscount',
  'viscountess', 'prince', 'princess', 'capt', 'captain', 'col', 'colonel', 'admiral', 'lt', 'lieutenant', 'sgt',
  'kbe', 'obe', 'mbe', 'cbe', 'kcb', 'frs', 'fsa', 'of', 'the', 'and',
]);
/** Ordinals and numbers (`1st`, `13th`, `2`): part of a title, not of the name. */
const ORDINAL = /^\d+(st|nd|rd|th)?$/;

/** Lower case, accents stripped, apostrophes dropped, other punctuation (hyphens too) to spaces, spaces squeezed. */
export function cleanText(s: string | null | undefined): string {
  if (!s) return '';
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[’'`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A name split into tokens with titles removed and a generational suffix taken out. */
export function normaliseName(raw: string | null | undefined): { tokens: string[]; suffix: string } {
  const tokens: string[] = [];
  let suffix = '';
  for (const t of cleanText(raw).split(' ')) {
    if (!t) continue;
    const s = SUFFIXES[t];
    // 'v' alone is a suffix only after another token (it is also an initial).
    if (s && (tokens.length > 0 || t.length > 1) && (s !== 'v' || tokens.length > 0)) {
      suffix = s;
      continue;
    }
    if (TITLES.has(t) && tokens.length === 0) continue;
    tokens.push(t);
  }
  return { tokens, suffix };
}

/** A generational suffix in any spelling ('Jr.', 'junior', '3rd', 'III') → 'jr' | 'sr' | 'ii' | 'iii' | 'iv' | 'v' | ''. */
export function normaliseSuffix(raw: string | null | undefined): string {
  return SUFFIXES[cleanText(raw).replace(/ /g, '')] ?? '';
}

function validYmd(y: number, m: number, d: number): boolean {
  return y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/**
 * A birth date as eight digits YYYYMMDD. Reads `YYYY-MM-DD`, `YYYYMMDD`, `YYYY/MM/DD` and US `MM/DD/YYYY`;
 * anything else with eight digits is kept as its digits (corrupted dates still compare digit by digit).
 */
export function normaliseDate(raw: string | null | undefined): string {
  if (!raw) return '';
  const s = raw.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(s);
  if (m) return `${m[1]}${m[2]!.padStart(2, '0')}${m[3]!.padStart(2, '0')}`;
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    // US order unless the first part cannot be a month.
    const [mm, dd] = a > 12 && b <= 12 ? [b, a] : [a, b];
    return `${m[3]}${String(mm).padStart(2, '0')}${String(dd).padStart(2, '0')}`;
  }
  const digits = s.replace(/\D/g, '');
  if (digits.length === 8) return digits;
  return '';
}

/** `YYYYMMDD` → year, month, day (NaN where not digits). */
export function dateParts(dob: string): [number, number, number] {
  return [Number(dob.slice(0, 4)), Number(dob.slice(4, 6)), Number(dob.slice(6, 8))];
}

export function isValidDob(dob: string): boolean {
  const [y, m, d] = dateParts(dob);
  return dob.length === 8 && validYmd(y, m, d);
}

const SEX: Record<string, 'M' | 'F'> = { m: 'M', male: 'M', man: 'M', '1': 'M', f: 'F', female: 'F', woman: 'F', '2': 'F' };

export function normaliseSex(raw: string | null | undefined): '' | 'M' | 'F' {
  return SEX[cleanText(raw)] ?? '';
}

/** USPS Publication 28 style abbreviations (street suffixes, directions, unit designators). */
const ADDRESS_ABBREVIATIONS: Record<string, string> = {
  street: 'st', str: 'st', avenue: 'ave', av: 'ave', road: 'rd', drive: 'dr', drv: 'dr', lane: 'ln', court: 'ct',
  place: 'pl', boulevard: 'blvd', circle: 'cir', terrace: 'ter', highway: 'hwy', parkway: 'pkwy', square: 'sq',
  crescent: 'cres', close: 'cl', way: 'way', trail: 'trl', point: 'pt', mount: 'mt', heights: 'hts',
  north: 'n', south: 's', east: 'e', west: 'w', northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
};
const UNIT_WORDS = new Set(['apt', 'apartment', 'unit', 'suite', 'ste', 'flat', 'rm', 'room', 'fl', 'floor', 'bldg', 'lot']);

/** An address line → its normalised text, house number and unit (`12B Main Street Apt 4` → `12b main st`, `12b`, `4`). */
export function normaliseAddress(raw: string | null | undefined): { text: string; houseNumber: string; unit: string } {
  const src = (raw ?? '').replace(/#\s*/g, ' unit ');
  const tokens = cleanText(src).split(' ').filter(Boolean);
  const out: string[] = [];
  let unit = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (UNIT_WORDS.has(t) && i + 1 < tokens.length) {
      unit = tokens[++i]!;
      continue;
    }
    out.push(ADDRESS_ABBREVIATIONS[t] ?? t);
  }
  const houseNumber = out.length > 0 && /^\d/.test(out[0]!) ? out[0]! : '';
  return { text: out.join(' '), houseNumber, unit };
}

/** Digits only; a North American number keeps its last ten digits. */
export function normalisePhone(raw: string | null | undefined): string {
  const d = (raw ?? '').replace(/\D/g, '');
  if (d.length < 7) return '';
  if (/^(\d)\1+$/.test(d)) return '';
  return d.length > 10 ? d.slice(-10) : d;
}

/** Digits only; placeholders (all one digit, 123456789, area 000) read as unknown. */
export function normaliseSsn(raw: string | null | undefined): string {
  const d = (raw ?? '').replace(/\D/g, '');
  if (d.length < 4 || /^(\d)\1+$/.test(d) || d === '123456789' || (d.length === 9 && d.startsWith('000'))) return '';
  return d;
}

export function normalisePostal(raw: string | null | undefined): string {
  const p = cleanText(raw).replace(/ /g, '');
  return /^\d{9}$/.test(p) ? p.slice(0, 5) : p;
}

export function normaliseEmail(raw: string | null | undefined): string {
  const e = (raw ?? '').trim().toLowerCase();
  return e.includes('@') ? e : '';
}

/** The distinct name tokens of the given texts, without noise words, ordinals, initials and suffixes. */
export function nameTokenSet(...names: (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const n of names)
    for (const t of normaliseName(n).tokens) if (t.length > 1 && !NAME_NOISE.has(t) && !ORDINAL.test(t) && !out.includes(t)) out.push(t);
  return out;
}

/** The record as comparators and blocking read it. */
export function normalise(r: PersonRecord): NormRecord {
  const given = normaliseName(r.given_name);
  const middle = normaliseName(r.middle_name);
  const family = normaliseName(r.family_name);
  const givenTokens = [...given.tokens, ...middle.tokens];
  const addr = normaliseAddress(r.address_line);
  const g = given.tokens.join(' ');
  const f = family.tokens.join(' ');
  return {
    id: r.id,
    given: g,
    givenTokens,
    family: f,
    familyTokens: family.tokens,
    nameTokens: nameTokenSet(r.full_name, r.given_name, r.middle_name, r.family_name),
    suffix: normaliseSuffix(r.suffix) || family.suffix || given.suffix || middle.suffix,
    dob: normaliseDate(r.birth_date),
    sex: normaliseSex(r.sex),
    ssn: normaliseSsn(r.ssn),
    email: normaliseEmail(r.email),
    address: addr.text,
    houseNumber: addr.houseNumber,
    unit: addr.unit,
    city: cleanText(r.city),
    state: cleanText(r.state),
    postal: normalisePostal(r.postal_code),
    phone: normalisePhone(r.phone),
    givenCode: given.tokens[0] ? doubleMetaphone(given.tokens[0])[0] : '',
    familyCode: f ? doubleMetaphone(f.replace(/ /g, ''))[0] : '',
  };
}
