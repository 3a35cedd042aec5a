/**
 * The compliance check of a physician query (AHIMA/ACDIS "Guidelines for Achieving a Compliant Query Practice"):
 * clinical indicators quoted from the record, multiple choice with "other" and "clinically undetermined", never
 * leading, never about payment. Pure.
 */

export interface QueryDraft {
  question: string;
  indicators: { text: string; source: string }[];
  options: string[];
}

export interface ComplianceProblem { rule: string; message: string }

const MONEY = /\b(drg|ms-drg|weight|relative weight|payment|paid|pay|reimburse\w*|revenue|dollars?|\$|cmi|case mix|financial|money|cost)\b/i;
const LEADING = /\b(please (document|add|confirm)|can you (document|add)|should be documented|must document|agree that|isn'?t it)\b/i;

export const OTHER = 'Other (please specify)';
export const UNDETERMINED = 'Clinically undetermined';

export function checkQuery(q: QueryDraft): ComplianceProblem[] {
  const problems: ComplianceProblem[] = [];
  const all = [q.question, ...q.options, ...q.indicators.map((i) => i.text)].join('\n');
  if (MONEY.test(all)) problems.push({ rule: 'no-financial-impact', message: 'A query must not mention payment, DRG, weight or any financial impact.' });
  if (LEADING.test(q.question)) problems.push({ rule: 'non-leading', message: 'The question leads the physician to an answer; ask open, neutral questions.' });
  const lower = q.options.map((o) => o.toLowerCase());
  if (!lower.some((o) => o.startsWith('other'))) problems.push({ rule: 'option-other', message: 'Multiple choice must include "Other".' });
  if (!lower.some((o) => o.includes('clinically undetermined'))) problems.push({ rule: 'option-undetermined', message: 'Multiple choice must include "Clinically undetermined".' });
  if (q.options.filter((o) => !/^other|clinically undetermined/i.test(o)).length < 1) problems.push({ rule: 'clinical-options', message: 'Offer at least one clinically supported option.' });
  if (q.indicators.length === 0 || q.indicators.some((i) => i.text.trim().length < 3 || i.source.trim() === '')) {
    problems.push({ rule: 'clinical-indicators', message: 'Quote at least one clinical indicator from the record, each with its source (document, date).' });
  }
  if (q.question.trim().length < 10) problems.push({ rule: 'question', message: 'State the question (at least 10 characters).' });
  return problems;
}

/** Whether an answer agrees with the query, i.e. names a clinical option rather than "other" or "undetermined". */
export function answerAgrees(answer: string): boolean {
  return !/^other|clinically undetermined/i.test(answer.trim());
}
