/** Readable explanations of MCE edits for coders: what fired, on which code, and what to look at. */
import type { AgeRange } from './model.js';

const SEX_NAMES: Record<number, string> = { 0: 'unknown', 1: 'male', 2: 'female' };

function sexName(sex: number): string {
  return SEX_NAMES[sex] ?? `code ${sex}`;
}

/** The explanation of a code-level edit that needs no more than the code. */
export function explainCodeEdit(edit: string, code: string, role: string): string {
  const c = code === '' ? '(blank)' : code;
  switch (edit) {
    case 'INVALID_CODE':
      return role === 'principal' && isBlankOrZero(code)
        ? `The principal diagnosis is missing (${c}); every claim needs a valid principal diagnosis.`
        : `${c} is not a valid ${role === 'procedure' ? 'ICD-10-PCS' : 'ICD-10-CM'} code on the discharge date (deleted, not yet effective, not billable, or mistyped; codes are written without a decimal point).`;
    case 'E_CODE_AS_PDX':
      return `${c} is an external-cause code: it describes how an injury happened and cannot be the principal diagnosis; sequence the injury or condition first.`;
    case 'MANIFESTATION_AS_PDX':
      return `${c} is a manifestation code: code the underlying condition first and ${c} as a secondary diagnosis.`;
    case 'UNACCEPTABLE_PDX':
      return `${c} is not acceptable as a principal diagnosis for inpatient care (a status, history or encounter code); choose the condition that occasioned the admission.`;
    case 'REQUIRES_SDX':
      return `${c} may be the principal diagnosis only together with a secondary diagnosis; add the condition being treated.`;
    case 'NONSPECIFIC_PDX':
      return `${c} is a non-specific principal diagnosis for a patient discharged alive; code more specifically if documented.`;
    case 'QUESTIONABLE_ADMISSION':
      return `${c} as principal diagnosis is a questionable reason for an inpatient admission; review the medical necessity documentation.`;
    case 'WRONG_PROCEDURE_PERFORMED':
      return `${c} reports a wrong procedure (wrong patient, site or procedure); the claim needs review before billing.`;
    case 'MEDICARE_IS_SECONDARY_PAYER':
      return `${c} suggests that another payer may be primary to Medicare; check the coordination of benefits.`;
    case 'UNSPECIFIED':
      return `${c} is an unspecified code; use a more specific code if the record documents it (query the physician if needed).`;
    case 'DUPLICATE_OF_PDX':
      return `The secondary diagnosis ${c} repeats the principal diagnosis; remove the duplicate.`;
    case 'INVALID_ADMIT_DX':
      return `The admitting diagnosis ${c} is not a valid ICD-10-CM code on the discharge date.`;
    case 'NONSPECIFIC_OR':
      return `${c} is a non-specific O.R. procedure and the claim has no specific O.R. procedure; code the procedure more specifically.`;
    case 'OPEN_BIOPSY':
      return `${c} is an open biopsy; check that the biopsy was not done by a closed (percutaneous or endoscopic) approach.`;
    case 'NON_COVERED':
      return `Medicare does not cover ${c} in these circumstances (by the procedure itself or by the diagnoses, age or other procedures on the claim).`;
    case 'LIMITED_COVERAGE':
      return `Medicare covers ${c} only in limited circumstances; the claim is reviewed against the coverage criteria.`;
    case 'BILATERAL':
      return `${c} is one of several bilateral joint procedures on a musculoskeletal principal diagnosis; check that a bilateral or multiple-joint procedure was performed.`;
    case 'QUESTIONABLE_OBSTETRIC_ADMISSION':
      return `${c} is a delivery procedure but no secondary diagnosis reports the outcome of delivery (Z37); add it or review the admission.`;
    case 'SEX_CONFLICT':
      return `${c} is inconsistent with the patient's sex.`;
    default:
      return edit.startsWith('LIMITED_COVERAGE_')
        ? `Medicare covers ${c} (${edit.slice('LIMITED_COVERAGE_'.length).toLowerCase().replace(/_/g, ' ')}) only in limited circumstances.`
        : `${edit.toLowerCase().replace(/_/g, ' ')} on ${c}.`;
  }
}

export function explainAgeConflict(code: string, range: AgeRange, age: number): string {
  const span = range.startAge === range.endAge ? `age ${range.startAge}` : `ages ${range.startAge}–${range.endAge}`;
  return `${code} is a ${range.group} diagnosis (${span}) but the patient's age is ${age}; check the code and the age.`;
}

export function explainSexConflict(code: string, sex: number, wanted: 'male' | 'female'): string {
  return `${code} applies to ${wanted} patients only but the patient's sex is ${sexName(sex)}.`;
}

export function explainLengthOfStay(code: string, los: number, minimum: number): string {
  return `${code} implies a stay of at least ${minimum} days but the length of stay is ${los} day${los === 1 ? '' : 's'}; check the procedure code (e.g. its duration) or the dates.`;
}

export function explainClaimEdit(edit: string, claim: { age: number; sex: number; dischargeStatus: number }): string {
  switch (edit) {
    case 'INVALID_AGE':
      return `The age ${claim.age} is outside 0–124 years.`;
    case 'INVALID_SEX':
      return `The sex ${claim.sex} is not a valid value (0 unknown, 1 male, 2 female).`;
    case 'INVALID_DISCHARGE_STATUS':
      return `The discharge status ${String(claim.dischargeStatus).padStart(2, '0')} is not a valid patient discharge status code on the discharge date.`;
    default:
      return `${edit.toLowerCase().replace(/_/g, ' ')}.`;
  }
}

function isBlankOrZero(code: string): boolean {
  return /^[\s0]*$/.test(code);
}
