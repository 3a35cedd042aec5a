import { describe, expect, it } from 'vitest';
import { doubleMetaphone } from './double-metaphone.js';

describe('Double Metaphone', () => {
  it.each([
    ['Smith', 'SM0', 'XMT'],
    ['Schmidt', 'XMT', 'SMT'],
    ['Thomas', 'TMS', 'TMS'],
    ['Knight', 'NT', 'NT'],
    ['Wright', 'RT', 'RT'],
    ['Xavier', 'SF', 'SFR'],
    ['Jose', 'HS', 'HS'],
    ['Catherine', 'K0RN', 'KTRN'],
    ['Katherine', 'K0RN', 'KTRN'],
    ['Phillip', 'FLP', 'FLP'],
    ['Tom', 'TM', 'TM'],
    ['Caesar', 'SSR', 'SSR'],
    ['Edge', 'AJ', 'AJ'],
    ['Michael', 'MKL', 'MXL'],
    ['Gnome', 'NM', 'NM'],
    ['Zhang', 'JNK', 'JNK'],
  ])('%s → %s / %s', (word, primary, secondary) => {
    expect(doubleMetaphone(word)).toEqual([primary, secondary]);
  });
  it('codes sound-alike names alike and ignores case and punctuation', () => {
    expect(doubleMetaphone('Steven')[0]).toBe(doubleMetaphone('Stephen')[0]);
    expect(doubleMetaphone("o'neil")).toEqual(doubleMetaphone('ONEIL'));
    expect(doubleMetaphone('')).toEqual(['', '']);
  });
  it('never codes more than four characters', () => {
    expect(doubleMetaphone('Przybylskiewicz')[0].length).toBeLessThanOrEqual(4);
  });
});
