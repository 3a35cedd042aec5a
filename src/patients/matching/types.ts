/** A person record as the matching engine sees it. Every field but `id` is optional; empty means unknown. */
export interface PersonRecord {
  id: string;
  given_name?: string | null;
  middle_name?: string | null;
  family_name?: string | null;
  /**
   * The whole name as the source wrote it, when it has one (titles, middle names, other surnames:
   * `Thomas Clifford, 1st Baron Clifford of Chudleigh`); its tokens add to given, middle and family name.
   */
  full_name?: string | null;
  /** Generational suffix (Jr, Sr, II, III…); also split off the names when written there. */
  suffix?: string | null;
  /** `YYYY-MM-DD` or `YYYYMMDD` (other layouts are tried, unparseable dates are kept as digits). */
  birth_date?: string | null;
  sex?: string | null;
  address_line?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  phone?: string | null;
  ssn?: string | null;
  email?: string | null;
}

/** The fields that are compared; each has its own comparison levels. */
export type Field =
  | 'given_name'
  | 'family_name'
  | 'birth_date'
  | 'sex'
  | 'ssn'
  | 'email'
  | 'address'
  | 'city'
  | 'postal_code'
  | 'phone'
  | 'full_name';

/** A record after normalisation (what comparators and blocking read). */
export interface NormRecord {
  id: string;
  /** Given-name tokens, first one first (middle names follow). */
  given: string;
  givenTokens: string[];
  family: string;
  familyTokens: string[];
  /**
   * Every name token of the record (full name, given, middle and family name), distinct, without honorifics,
   * ranks, peerage titles, particles, ordinals and initials: what the full-name token-set comparison reads.
   */
  nameTokens: string[];
  suffix: string;
  /** Eight digits YYYYMMDD (or whatever digits could be read), '' when unknown. */
  dob: string;
  sex: '' | 'M' | 'F';
  ssn: string;
  email: string;
  address: string;
  houseNumber: string;
  unit: string;
  city: string;
  state: string;
  postal: string;
  phone: string;
  /** Double Metaphone primary codes of the first given token and the family name. */
  givenCode: string;
  familyCode: string;
}

/** One comparison level: its label and m/u probabilities. */
export interface Level {
  label: string;
  m: number;
  u: number;
}

/** m/u per level for one field; level 0 is always "null" (either value missing) and weighs 0. */
export interface FieldModel {
  levels: Level[];
  /** When set, the exact level's weight is adjusted by the value's frequency: value → share of records. */
  tf?: Record<string, number>;
  /** The share assumed for a value missing from `tf` (a rare value). */
  tfOther?: number;
}

/** Decision thresholds, in match weight (log2 odds, the prior included). */
export interface Thresholds {
  /** At or above: automatic link. */
  link: number;
  /** At or above (and below `link`): human review. Below: non-match. */
  review: number;
}

export interface Model {
  version: 1;
  /** Prior probability that two random records are one person. */
  lambda: number;
  fields: Partial<Record<Field, FieldModel>>;
  thresholds: Thresholds;
  /**
   * How strongly the household rules apply (0–1), estimated from the data: the share of record pairs at one address
   * with one family name that are plainly two people (other given name and other birth date), over 0.25, capped at 1.
   * A file with no households (every address one person) keeps them weak; a population with families gets them whole.
   */
  householdStrength: number;
}

export type Decision = 'match' | 'review' | 'non-match';

/** One bar of the waterfall. */
export interface Contribution {
  field: string;
  level: string;
  weight: number;
}

/** An explained pair score: stable and JSON-serialisable (stored with candidate pairs and shown to reviewers). */
export interface PairScore {
  score: number;
  decision: Decision;
  contributions: Contribution[];
}
