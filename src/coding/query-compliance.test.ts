import { describe, expect, it } from 'vitest';
import { answerAgrees, checkQuery } from './query-compliance.js';

const ok = {
  question: 'Based on the clinical indicators below, please clarify the respiratory status.',
  options: ['Acute respiratory failure with hypoxia', 'Hypoxemia without respiratory failure', 'Other (please specify)', 'Clinically undetermined'],
  indicators: [{ text: 'SpO2 84% on room air', source: 'ED note 2025-03-01' }],
};

describe('query compliance', () => {
  it('accepts a compliant query', () => expect(checkQuery(ok)).toEqual([]));
  it('refuses any mention of payment, DRG or weight', () => {
    for (const q of ['This would change the DRG.', 'Higher relative weight if documented', 'Reimbursement depends on it']) {
      expect(checkQuery({ ...ok, question: `${ok.question} ${q}` }).map((p) => p.rule)).toContain('no-financial-impact');
    }
  });
  it('requires "Other" and "Clinically undetermined", a clinical option and quoted indicators', () => {
    expect(checkQuery({ ...ok, options: ok.options.slice(0, 2) }).map((p) => p.rule)).toEqual(['option-other', 'option-undetermined']);
    expect(checkQuery({ ...ok, options: ['Other', 'Clinically undetermined'] }).map((p) => p.rule)).toEqual(['clinical-options']);
    expect(checkQuery({ ...ok, indicators: [] }).map((p) => p.rule)).toEqual(['clinical-indicators']);
    expect(checkQuery({ ...ok, indicators: [{ text: 'SpO2 84%', source: '' }] }).map((p) => p.rule)).toEqual(['clinical-indicators']);
  });
  it('refuses leading questions', () => {
    expect(checkQuery({ ...ok, question: 'Please document acute respiratory failure in the record.' }).map((p) => p.rule)).toContain('non-leading');
  });
  it('counts an answer as agreement only when it names a clinical option', () => {
    expect(answerAgrees('Acute respiratory failure with hypoxia')).toBe(true);
    expect(answerAgrees('Other (please specify)')).toBe(false);
    expect(answerAgrees('Clinically undetermined')).toBe(false);
  });
});
