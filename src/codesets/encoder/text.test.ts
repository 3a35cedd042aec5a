import { describe, expect, it } from 'vitest';
import { describeIndexElement, describeText } from './describe.js';
import { deletions, editDistance, negatedWords, stem, stems, titleTokens, words } from './text.js';

describe('encoder text', () => {
  it('stems inflections and derived forms of one term together', () => {
    expect(stem('diabetes')).toBe(stem('diabetic'));
    expect(stem('infarction')).toBe(stem('infarct'));
    expect(stem('myocardial')).toBe(stem('myocardium'));
    expect(stem('fractures')).toBe(stem('fracture'));
    expect(stem('arteries')).toBe(stem('artery'));
    expect(stem('renal')).toBe('renal'); // too short to strip
    expect(stem('3a')).toBe('3a');
  });

  it('keeps clinical shorthand with a slash and drops stop words', () => {
    expect(words("s/p BKA w/o Barrett's")).toEqual(['s/p', 'bka', 'w/o', 'barrett']);
    expect(stems('fracture of the neck of femur')).toEqual(['fractur', 'neck', 'femur']);
  });

  it('flags default, negated and unspecified-axis words of a title', () => {
    const flags = (title: string): Record<string, string> =>
      Object.fromEntries(titleTokens(title).map((t) => [t.stem, `${t.isDefault ? 'D' : ''}${t.negated ? 'N' : ''}${t.axis ? 'A' : ''}`]));
    expect(flags('Migraine, unspecified, not intractable, without status migrainosus')).toEqual({ migrain: '', unspecifi: 'D', not: 'DN', intractabl: 'DN', without: 'DN', status: 'DN', migrainosus: 'DN' });
    expect(flags('Encounter for supervision of normal first pregnancy, unspecified trimester')['trimester']).toBe('DA');
    // "with unspecified complications" still says "with complications".
    expect(flags('Type 2 diabetes mellitus with unspecified complications')['complic']).toBe('');
    // The guideline default type of diabetes, and the negation ending at "in".
    const e11a = flags('Type 2 diabetes mellitus without complications in remission');
    expect([e11a['type'], e11a['2'], e11a['complic'], e11a['remiss']]).toEqual(['D', 'D', 'DN', '']);
  });

  it('reads nonessential modifiers and index spelling variants as optional', () => {
    expect(describeText('Essential (primary) hypertension').optional).toEqual(['primar']);
    const asthma = describeIndexElement('Asthma, asthmatic (bronchial)');
    expect(asthma.required.map((t) => t.stem)).toEqual(['asthm']);
    expect(asthma.optional).toEqual(expect.arrayContaining(['asthm', 'bronch']));
    expect(describeIndexElement('Fracture, pathological').required.map((t) => t.stem)).toEqual(['fractur', 'patholog']);
  });

  it('marks the negated stretch of a query', () => {
    expect(negatedWords('acute cystitis without hematuria, with fever')).toEqual([false, false, true, true, false, false]);
  });

  it('measures Damerau-Levenshtein distance with a bound', () => {
    expect(editDistance('pnuemonia', 'pneumonia', 2)).toBe(1);
    expect(editDistance('migrane', 'migraine', 2)).toBe(1);
    expect(editDistance('hypertenshun', 'hypertension', 2)).toBe(2);
    expect(editDistance('asthma', 'pneumonia', 2)).toBe(3);
    expect(deletions('abc', 1)).toEqual(new Set(['abc', 'bc', 'ac', 'ab']));
  });
});
