import { describe, expect, it } from 'vitest';
import { damerauLevenshtein, jaro, jaroWinkler } from './strings.js';

describe('Jaro–Winkler', () => {
  it('gives the textbook values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 4);
    expect(jaro('dixon', 'dicksonx')).toBeCloseTo(0.7667, 4);
  });
  it('is 1 for equal strings, 0 for nothing in common or an empty side', () => {
    expect(jaroWinkler('smith', 'smith')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
  });
  it('handles strings longer than its scratch buffers', () => {
    const long = 'a'.repeat(300);
    expect(jaroWinkler(long, long + 'b')).toBeGreaterThan(0.99);
  });
});

describe('Damerau–Levenshtein (optimal string alignment)', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions', () => {
    expect(damerauLevenshtein('smith', 'smyth')).toBe(1);
    expect(damerauLevenshtein('abcd', 'acbd')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('', 'abc')).toBe(3);
    expect(damerauLevenshtein('ca', 'abc')).toBe(3);
  });
  it('stops at the bound', () => {
    expect(damerauLevenshtein('abcdef', 'uvwxyz', 1)).toBe(2);
    expect(damerauLevenshtein('abc', 'abcdefgh', 2)).toBe(3);
  });
});
