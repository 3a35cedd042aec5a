import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isNickname, nicknameConcept, parseNicknames } from './nicknames.js';

describe('nickname table', () => {
  it('pairs nicknames through their concept, both ways', () => {
    expect(isNickname('bob', 'robert')).toBe(true);
    expect(isNickname('robert', 'bobby')).toBe(true);
    expect(isNickname('bill', 'liam')).toBe(true);
    expect(isNickname('bob', 'alice')).toBe(false);
  });
  it('gives one canonical concept for blocking', () => {
    expect(nicknameConcept('bobby')).toBe(nicknameConcept('robert'));
    expect(nicknameConcept('zzyzx')).toBe('zzyzx');
  });
  it('notes a source for every entry', () => {
    const lines = fs.readFileSync(new URL('./data/nicknames.tsv', import.meta.url), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines.length).toBeGreaterThan(100);
    for (const l of lines) expect(l.split('\t')[2]?.trim()).toBeTruthy();
    expect(parseNicknames('a\tb,c\tsrc').get('c')).toEqual(new Set(['a']));
  });
});
