import { describe, expect, it } from 'vitest';
import { formatMrn, isValidMrn, luhnDigit } from './mrn.js';

describe('MRN', () => {
  it('computes the Luhn digit (79927398713 is the textbook example)', () => {
    expect(luhnDigit('7992739871')).toBe(3);
    expect(luhnDigit('0000001000')).toBe(luhnDigit('1000'));
  });
  it('formats with width and check digit and validates the result', () => {
    const mrn = formatMrn('M{n:7}{check}', 1234);
    expect(mrn).toBe(`M0001234${luhnDigit('0001234')}`);
    expect(isValidMrn('M{n:7}{check}', mrn)).toBe(true);
    const wrong = mrn.slice(0, -1) + String((Number(mrn.slice(-1)) + 1) % 10);
    expect(isValidMrn('M{n:7}{check}', wrong)).toBe(false);
    expect(isValidMrn('M{n:7}{check}', 'X00012340')).toBe(false);
  });
  it('catches a single mistyped digit and most transpositions', () => {
    const mrn = formatMrn('{n:8}{check}', 4711);
    for (let i = 0; i < mrn.length - 1; i++) {
      const d = Number(mrn[i]);
      const typo = mrn.slice(0, i) + String((d + 3) % 10) + mrn.slice(i + 1);
      expect(isValidMrn('{n:8}{check}', typo)).toBe(false);
    }
  });
  it('works without a check digit', () => {
    expect(formatMrn('{n:6}', 42)).toBe('000042');
    expect(isValidMrn('{n:6}', '000042')).toBe(true);
  });
});
