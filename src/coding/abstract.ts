/** The coded abstract of one encounter, and the claims built from it for the grouper and the MCE. Pure. */
import { AppError } from '../platform/errors/app-error.js';

export const POA_VALUES = ['Y', 'N', 'U', 'W', '1'] as const;
export type Poa = (typeof POA_VALUES)[number] | '';

export interface AbstractDx { code: string; poa: Poa }
export interface AbstractProcedure { code: string; date: string | null; physicianNpi: string | null }

export interface Abstract {
  principalDx: string | null;
  /** POA of the principal diagnosis (it counts for HACs and reporting). */
  principalPoa: Poa;
  admittingDx: string | null;
  secondary: AbstractDx[];
  procedures: AbstractProcedure[];
  dischargeDisposition: string | null;
  admitSource: string | null;
  admitType: string | null;
  birthWeightGrams: number | null;
}

export const MAX_SECONDARY = 24;
export const MAX_PROCEDURES = 25;

export const EMPTY_ABSTRACT: Abstract = {
  principalDx: null, principalPoa: '', admittingDx: null, secondary: [], procedures: [], dischargeDisposition: null, admitSource: null, admitType: null, birthWeightGrams: null,
};

/** A code as the grouper and MCE read it: upper case, no dot, no spaces. */
export function bareCode(code: string): string {
  return code.replace(/[.\s]/g, '').toUpperCase();
}

/** Shape checks (the code-set checks happen in the service, on the discharge date's version). */
export function checkAbstract(a: Abstract): Abstract {
  if (a.secondary.length > MAX_SECONDARY) throw new AppError('ABSTRACT_INVALID', `At most ${MAX_SECONDARY} secondary diagnoses.`);
  if (a.procedures.length > MAX_PROCEDURES) throw new AppError('ABSTRACT_INVALID', `At most ${MAX_PROCEDURES} procedures.`);
  const codeOk = (c: string) => /^[A-Z0-9]{3,7}$/.test(bareCode(c));
  for (const c of [a.principalDx, a.admittingDx, ...a.secondary.map((s) => s.code), ...a.procedures.map((p) => p.code)]) {
    if (c !== null && c !== '' && !codeOk(c)) throw new AppError('ABSTRACT_INVALID', `${c.slice(0, 12)} is not a code.`);
  }
  for (const s of [a.principalPoa, ...a.secondary.map((x) => x.poa)]) {
    if (s !== '' && !(POA_VALUES as readonly string[]).includes(s)) throw new AppError('ABSTRACT_INVALID', `POA must be Y, N, U, W or 1 (exempt), not ${String(s).slice(0, 4)}.`);
  }
  for (const p of a.procedures) if (p.date !== null && !/^\d{4}-\d{2}-\d{2}$/.test(p.date)) throw new AppError('ABSTRACT_INVALID', 'Procedure dates are YYYY-MM-DD.');
  if (a.birthWeightGrams !== null && (!Number.isInteger(a.birthWeightGrams) || a.birthWeightGrams < 100 || a.birthWeightGrams > 9000)) {
    throw new AppError('ABSTRACT_INVALID', 'Birth weight is in grams (100–9000).');
  }
  const seen = new Set<string>();
  for (const s of a.secondary) {
    const k = bareCode(s.code);
    if (seen.has(k)) throw new AppError('ABSTRACT_INVALID', `${s.code} is listed twice.`);
    seen.add(k);
  }
  return { ...a, secondary: a.secondary.filter((s) => s.code.trim() !== ''), procedures: a.procedures.filter((p) => p.code.trim() !== '') };
}

export interface PatientFacts { age: number; sex: 'M' | 'F' | 'U'; dischargeDate: string; admitDate: string | null; dischargeStatus: string }

/** Age in whole years on a date. */
export function ageOn(birthDate: string | null, date: string): number {
  if (!birthDate) return 0;
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.max(0, y - by - (m < bm || (m === bm && d < bd) ? 1 : 0));
}

export function lengthOfStay(admit: string | null, discharge: string): number {
  if (!admit) return 0;
  return Math.max(0, Math.round((Date.parse(`${discharge}T00:00:00Z`) - Date.parse(`${admit}T00:00:00Z`)) / 86_400_000));
}

/** The grouper's claim. */
export function groupingClaim(a: Abstract, f: PatientFacts) {
  return {
    pdx: bareCode(a.principalDx ?? ''),
    sdx: a.secondary.map((s) => ({ code: bareCode(s.code), poa: s.poa === '' ? ' ' : s.poa })),
    procedures: a.procedures.map((p) => bareCode(p.code)),
    sex: f.sex === 'M' ? '1' : f.sex === 'F' ? '2' : '0',
    dischargeStatus: (a.dischargeDisposition ?? f.dischargeStatus).padStart(2, '0'),
    age: f.age,
  };
}

/** The MCE's claim. */
export function editClaim(a: Abstract, f: PatientFacts) {
  return {
    dischargeDate: f.dischargeDate.replace(/-/g, ''),
    age: f.age,
    sex: f.sex === 'M' ? 1 : f.sex === 'F' ? 2 : 0,
    dischargeStatus: Number(a.dischargeDisposition ?? f.dischargeStatus) || 1,
    los: lengthOfStay(f.admitDate, f.dischargeDate),
    diagnoses: [bareCode(a.principalDx ?? ''), ...a.secondary.map((s) => bareCode(s.code))].filter(Boolean),
    procedures: a.procedures.map((p) => bareCode(p.code)),
    admitDiagnosis: a.admittingDx ? bareCode(a.admittingDx) : undefined,
  };
}
