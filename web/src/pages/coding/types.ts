// Shapes of the coding API (src/coding/routes.ts): the DNFB work list, the abstract and its live evaluation,
// what-if, and physician queries.

export const BLOCKERS = ['not_coded', 'open_query', 'failing_edit'] as const;
export type Blocker = (typeof BLOCKERS)[number];
export const AGE_BANDS = ['0-3', '4-7', '8-14', '15-30', '31+'] as const;
export const CASE_STATUSES = ['new', 'in_progress', 'on_hold', 'coded', 'final'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const POA_CHOICES = ['Y', 'N', 'U', 'W', '1'] as const;
export type Poa = (typeof POA_CHOICES)[number] | '';

export interface WorkItem {
  encounterId: string;
  accountNumber: string;
  class: string;
  dischargeAt: string;
  daysSinceDischarge: number;
  ageBand: string;
  status: CaseStatus;
  assignedTo: string | null;
  /** The assignee's display name; null when they no longer may code. */
  assignee: { id: string; displayName: string | null } | null;
  drg: string | null;
  weight: number | null;
  expectedPayment: number | null;
  payer: string | null;
  blockers: Blocker[];
  openQueries: number;
  patient: { id: string; mrn: string; family: string; given: string } | null;
}

/** A user a case can be assigned to (GET /api/coding/coders). */
export interface Coder {
  id: string;
  username: string;
  displayName: string;
}

/** The answer of PUT /api/coding/assignments. */
export interface AssignmentResult {
  items: { encounterId: string; assignedTo: string | null }[];
  assignee: { id: string; displayName: string } | null;
}

export interface Worklist {
  items: WorkItem[];
  totals: Partial<Record<Blocker, Partial<Record<string, { cases: number; amount: number }>>>>;
  baseRate: number;
}

export interface TrendPoint {
  day: string;
  reason: string;
  ageBand: string;
  cases: number;
  amount: number;
}

export interface AbstractDx {
  code: string;
  poa: Poa;
}

export interface AbstractProcedure {
  code: string;
  date: string | null;
  physicianNpi: string | null;
}

export interface Abstract {
  principalDx: string | null;
  principalPoa: Poa;
  admittingDx: string | null;
  secondary: AbstractDx[];
  procedures: AbstractProcedure[];
  dischargeDisposition: string | null;
  admitSource: string | null;
  admitType: string | null;
  birthWeightGrams: number | null;
}

export type CodeRole = 'principal' | 'secondary' | 'admitting' | 'procedure';

export interface CodeCheck {
  code: string;
  role: CodeRole;
  valid: boolean;
  status: string;
  message: string;
  title: string | null;
  poaExempt: boolean;
}

export interface SdxUse {
  code: string;
  poa: string;
  severity: string;
  flag: string;
  impact: string;
}

export interface GroupResult {
  drg: number;
  mdc: number | null;
  medSurg: string | null;
  severity: string | null;
  returnCode: string;
  initial?: { drg: number } | null;
  sdx: SdxUse[];
  procedures: { code: string; class: string; impact: string }[];
  hacStatus?: string | null;
  weight: number | null;
  gmlos: number | null;
  amlos: number | null;
  trace: string[];
}

export interface MceEdit {
  edit: string;
  code: string | null;
  role: string | null;
  position: number | null;
  counted: boolean;
  explanation: string;
}

export interface Evaluation {
  checks: CodeCheck[];
  grouping: { version: string; notice: string | null; expectedPayment: number | null; result: GroupResult } | null;
  grouperError: string | null;
  edits: { editType: string; version: string; edits: MceEdit[] } | null;
  editError: string | null;
  codeSetNotice?: string | null;
}

export interface CaseVersion {
  version: number;
  savedAt: string;
  savedBy: string | null;
  status: string;
  reason: string | null;
}

export interface CodingCase {
  encounterId: string;
  status: CaseStatus;
  version: number;
  assignedTo: string | null;
  locked: boolean;
  encounter: {
    accountNumber: string;
    class: string;
    admitAt: string | null;
    dischargeAt: string | null;
    dischargeDispositionLabel: string | null;
    hospitalService: string | null;
    payer: string | null;
    lengthOfStayDays: number | null;
  };
  patient: { id: string; mrn: string; family: string; given: string; birthDate: string | null; sex: string | null; age: number };
  abstract: Abstract;
  evaluation: Evaluation;
  versions: CaseVersion[];
}

export interface WhatIfItem {
  kind: 'specificity' | 'secondary';
  replaces: string | null;
  code: string;
  severity: string;
  drg: number;
  drgTitle: string | null;
  weight: number | null;
  weightChange: number;
  expectedPaymentChange: number;
}

export interface WhatIf {
  base: { drg: number; weight: number | null } | null;
  items: WhatIfItem[];
}

export interface QueryTemplate {
  id: string;
  version: number;
  title: string;
  question: string;
  options: string[];
  indicatorHints: string[];
}

export interface PhysicianQuery {
  id: string;
  encounterId: string;
  patientId: string;
  template: { id: string; version: number };
  physicianId: string;
  authorId: string;
  question: string;
  indicators: { text: string; source: string }[];
  options: string[];
  status: 'open' | 'answered' | 'withdrawn';
  sentAt: string;
  ageDays: number;
  escalated: boolean;
  answeredAt: string | null;
  answer: string | null;
  answerNote: string | null;
  agreed: boolean | null;
}

export interface ReportRow {
  userId: string;
  username: string;
  sent: number;
  answered: number;
  responseRate: number;
  agreementRate: number;
  escalated: number;
  averageHoursToAnswer: number | null;
}

export interface Items<T> {
  items: T[];
}
