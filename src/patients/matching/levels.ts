import { isNickname } from './nicknames.js';
import { dateParts } from './normalise.js';
import { damerauLevenshtein, jaroWinkler } from './strings.js';
import type { Field, NormRecord } from './types.js';

/**
 * The comparison levels of each field, most to least similar. Level 0 is always `null` (a value missing on either
 * side: no evidence either way). The comparators below return the index of the level a pair falls in.
 */
export const LEVELS = {
  given_name: ['null', 'exact', 'nickname', 'typo', 'similar', 'initial-or-part', 'swapped', 'different'],
  family_name: ['null', 'exact', 'typo', 'similar', 'part', 'swapped', 'different'],
  birth_date: ['null', 'exact', 'day-month-transposed', 'one-digit', 'one-component', 'year-only', 'within-5-years', 'different'],
  sex: ['null', 'same', 'different'],
  ssn: ['null', 'exact', 'one-edit', 'different'],
  email: ['null', 'exact', 'similar', 'different'],
  address: ['null', 'exact', 'similar', 'same-number', 'different'],
  city: ['null', 'exact', 'similar', 'different'],
  postal_code: ['null', 'exact', 'one-edit', 'same-area', 'different'],
  phone: ['null', 'exact', 'one-edit', 'different'],
  full_name: ['null', 'shared-2', 'shared', 'different'],
} as const satisfies Record<Field, readonly string[]>;

export const FIELDS = Object.keys(LEVELS) as Field[];
/** Fields that tell people apart; these alone drive the EM classification. */
export const PERSON_FIELDS: Field[] = ['given_name', 'family_name', 'birth_date', 'sex', 'ssn', 'email', 'full_name'];
/** Fields that members of one household share; their evidence is capped and never drives EM (see README). */
export const LOCATION_FIELDS: Field[] = ['address', 'city', 'postal_code', 'phone'];

function near(a: string, b: string): boolean {
  return a === b || (Math.min(a.length, b.length) >= 3 && damerauLevenshtein(a, b, 1) <= 1);
}

/**
 * True when given and family names are swapped between the two records: both cross over, or one crosses over and
 * the other name is missing on one side (`Thomas Gabriel` vs `— Thomas`).
 */
export function isSwapped(a: NormRecord, b: NormRecord): boolean {
  if (a.given && a.given === b.given) return false;
  if (a.family && a.family === b.family) return false;
  const gf = !!a.given && !!b.family && near(a.given, b.family);
  const fg = !!a.family && !!b.given && near(a.family, b.given);
  if (gf && fg) return true;
  if (gf) return !a.family || !b.given;
  if (fg) return !a.given || !b.family;
  return false;
}

export function compareGiven(a: NormRecord, b: NormRecord, swapped: boolean): number {
  const x = a.given;
  const y = b.given;
  if (swapped) return x && y ? 6 : 0;
  if (!x || !y) return 0;
  if (x === y) return 1;
  const fx = a.givenTokens[0] ?? x;
  const fy = b.givenTokens[0] ?? y;
  if (isNickname(fx, fy)) return 2;
  const jw = jaroWinkler(x, y);
  if (jw >= 0.94 || (Math.min(x.length, y.length) >= 3 && damerauLevenshtein(x, y, 1) <= 1)) return 3;
  if (jw >= 0.88 || (a.givenCode !== '' && a.givenCode === b.givenCode)) return 4;
  if ((fx.length === 1 && fy.startsWith(fx)) || (fy.length === 1 && fx.startsWith(fy))) return 5;
  if (a.givenTokens.some((t) => t.length > 1 && b.givenTokens.includes(t))) return 5;
  return 7;
}

export function compareFamily(a: NormRecord, b: NormRecord, swapped: boolean): number {
  const x = a.family;
  const y = b.family;
  if (swapped) return x && y ? 5 : 0;
  if (!x || !y) return 0;
  if (x === y) return 1;
  const jw = jaroWinkler(x, y);
  if (jw >= 0.94 || (Math.min(x.length, y.length) >= 3 && damerauLevenshtein(x, y, 1) <= 1)) return 2;
  // A shared part of a multi-part name (Garcia-Lopez, Garcia) before mere similarity.
  if ((a.familyTokens.length > 1 || b.familyTokens.length > 1) && a.familyTokens.some((t) => t.length > 1 && b.familyTokens.includes(t))) return 4;
  if (jw >= 0.88 || (a.familyCode !== '' && a.familyCode === b.familyCode)) return 3;
  const cx = x.replace(/ /g, '');
  const cy = y.replace(/ /g, '');
  if (cx === cy || (Math.min(cx.length, cy.length) >= 4 && (cx.includes(cy) || cy.includes(cx)))) return 4;
  return 6;
}

export function compareDob(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const [ya, ma, da] = dateParts(a);
  const [yb, mb, db] = dateParts(b);
  if (ya === yb && ma === db && da === mb) return 2;
  if (damerauLevenshtein(a, b, 1) <= 1) return 3;
  const same = (ya === yb ? 1 : 0) + (ma === mb ? 1 : 0) + (da === db ? 1 : 0);
  if (same === 2) return 4;
  if (ya === yb) return 5;
  return Math.abs(ya - yb) <= 5 ? 6 : 7;
}

/** Exact / one edit / different, for identifiers made of digits (SSN, phone, postal code). */
function compareCode(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  return damerauLevenshtein(a, b, 1) <= 1 ? 2 : 3;
}

/** Exact / one edit / same area (all but the last two characters agree: a US ZIP3, a UK postcode sector) / different. */
export function comparePostal(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  if (damerauLevenshtein(a, b, 1) <= 1) return 2;
  return a.length >= 5 && a.length === b.length && a.slice(0, -2) === b.slice(0, -2) ? 3 : 4;
}

export function compareEmail(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const la = a.slice(0, a.indexOf('@'));
  const lb = b.slice(0, b.indexOf('@'));
  if (la === lb) return 2;
  // Typos, but not other numbers: jsmith12 and jsmith34 are usually two people.
  return a.replace(/\D/g, '') === b.replace(/\D/g, '') && damerauLevenshtein(a, b, 2) <= 2 ? 2 : 3;
}

export function compareAddress(a: NormRecord, b: NormRecord): number {
  if (!a.address || !b.address) return 0;
  if (a.address === b.address) return a.unit === b.unit || !a.unit || !b.unit ? 1 : 3;
  const sameNumber = a.houseNumber !== '' && a.houseNumber === b.houseNumber;
  if (damerauLevenshtein(a.address, b.address, 2) <= 2 || (sameNumber && jaroWinkler(a.address, b.address) >= 0.92)) return 2;
  return sameNumber ? 3 : 4;
}

export function compareCity(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  return jaroWinkler(a, b) >= 0.9 ? 2 : 3;
}

/** A token the given- or family-name field compares already: the first given token or a family-name token. */
function isPrimary(r: NormRecord, t: string): boolean {
  return t === r.givenTokens[0] || r.familyTokens.includes(t);
}

/**
 * Full-name token sets: the tokens two records share beyond what the given and family names compare (a token that
 * is a first given or family token on both sides is theirs). `null` when neither record has a name token beyond its
 * first given and family name (nothing more to compare); two shared, one, none.
 */
export function compareFullName(a: NormRecord, b: NormRecord): number {
  if (!a.nameTokens.some((t) => !isPrimary(a, t)) && !b.nameTokens.some((t) => !isPrimary(b, t))) return 0;
  let shared = 0;
  for (const t of a.nameTokens) if (isSharedToken(a, b, t)) shared++;
  return shared >= 2 ? 1 : shared === 1 ? 2 : 3;
}

/** A name token of `a` that the full-name comparison counts as shared with `b`. */
export function isSharedToken(a: NormRecord, b: NormRecord, t: string): boolean {
  return b.nameTokens.includes(t) && !(isPrimary(a, t) && isPrimary(b, t));
}

/** The level index of every field, in FIELDS order, written into `out`. */
export function compareLevels(a: NormRecord, b: NormRecord, out: Uint8Array): Uint8Array {
  const swapped = isSwapped(a, b);
  out[0] = compareGiven(a, b, swapped);
  out[1] = compareFamily(a, b, swapped);
  out[2] = compareDob(a.dob, b.dob);
  out[3] = !a.sex || !b.sex ? 0 : a.sex === b.sex ? 1 : 2;
  out[4] = compareCode(a.ssn, b.ssn);
  out[5] = compareEmail(a.email, b.email);
  out[6] = compareAddress(a, b);
  out[7] = compareCity(a.city, b.city);
  out[8] = comparePostal(a.postal, b.postal);
  out[9] = compareCode(a.phone, b.phone);
  // When both names agree already, shared middle names mostly repeat that (a junior's are his father's).
  out[10] = out[0] >= 1 && out[0] <= 3 && out[1] >= 1 && out[1] <= 3 ? 0 : compareFullName(a, b);
  return out;
}
