// Shapes of the master patient index API (src/patients/routes.ts, service.ts, review.ts, merge.ts).
// Keep in step with the server.

export interface PersonName {
  family: string;
  given: string;
  middle?: string;
  suffix?: string;
  prefix?: string;
  use?: string;
}
export interface Address {
  line1: string;
  line2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
  use?: string;
}
export interface Phone {
  number: string;
  use?: string;
}
export interface RelatedPerson {
  name: string;
  relationship?: string;
  phone?: string;
  address?: Address;
}
export interface Coverage {
  payer: string;
  plan?: string;
  memberId?: string;
  groupNumber?: string;
  subscriber?: string;
  relationship?: string;
  effectiveFrom?: string;
  effectiveTo?: string;
}

export interface Demographics {
  names: PersonName[];
  birthDate: string | null;
  sex: string;
  genderIdentity?: string | null;
  addresses: Address[];
  phones: Phone[];
  email?: string | null;
  /** Masked (***-**-1234) in everything the server sends. */
  ssn?: string | null;
  language?: string | null;
  race?: string | null;
  ethnicity?: string | null;
  maritalStatus?: string | null;
  deathDate?: string | null;
  nextOfKin: RelatedPerson[];
  guarantor?: RelatedPerson | null;
  coverages: Coverage[];
}

export interface ShortName {
  family: string;
  given: string;
  middle: string;
  suffix: string;
}

export interface PatientView {
  id: string;
  mrn: string;
  enterpriseId: string;
  status: 'active' | 'merged';
  mergedInto: string | null;
  version: number;
  name: ShortName;
  birthDate: string | null;
  sex: string;
  demographics: Demographics;
  identifiers: { authority: string; value: string; type: string }[];
  updatedAt: string;
}

export interface SearchItem {
  id: string;
  mrn: string;
  name: ShortName;
  birthDate: string | null;
  sex: string;
  postalCode: string | null;
  ssn: string | null;
  rank: number;
}

export interface Contribution {
  field: string;
  level: string;
  weight: number;
}

export interface LikelyItem {
  patient: PatientView;
  score: number;
  decision: 'match' | 'review';
  contributions: Contribution[];
}

export interface HistoryItem {
  version: number;
  recordedAt: string;
  recordedBy: string | null;
  source: string;
  reason: string | null;
  demographics: Demographics;
}

export interface MergeView {
  id: string;
  survivorId: string;
  mergedId: string;
  mergedAt: string;
  mergedBy: string | null;
  reason: string | null;
  moved: Record<string, number>;
  unmergedAt: string | null;
  unmergedBy: string | null;
  unmergeReason: string | null;
}

export interface Candidate {
  id: string;
  score: number;
  band: 'match' | 'review';
  status: string;
  note: string | null;
  contributions: Contribution[];
  a: PatientView;
  b: PatientView;
}

export interface Overlay {
  patientId: string;
  mrn: string;
  birthDates: string[];
  sexes: string[];
  encounters: number;
  reasons: string[];
}

export interface Items<T> {
  items: T[];
}
