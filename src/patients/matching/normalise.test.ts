import { describe, expect, it } from 'vitest';
import { normalise, normaliseAddress, normaliseDate, normaliseName, normalisePhone, normaliseSex, normaliseSsn, normaliseSuffix } from './normalise.js';

describe('normalisation', () => {
  it('names: case, accents, apostrophes, hyphens, titles, suffix kept apart', () => {
    expect(normaliseName('  José  ')).toEqual({ tokens: ['jose'], suffix: '' });
    expect(normaliseName("O'Brien-Smith")).toEqual({ tokens: ['obrien', 'smith'], suffix: '' });
    expect(normaliseName('Dr. Martin Luther King Jr.')).toEqual({ tokens: ['martin', 'luther', 'king'], suffix: 'jr' });
    expect(normaliseName('Henry VIII')).toEqual({ tokens: ['henry', 'viii'], suffix: '' });
    expect(normaliseName('John III')).toEqual({ tokens: ['john'], suffix: 'iii' });
    expect(normaliseSuffix('Junior')).toBe('jr');
    expect(normaliseSuffix('3rd')).toBe('iii');
  });
  it('name tokens: full name, given, middle and family name, without titles, particles, ordinals and initials', () => {
    const r = normalise({ id: '1', full_name: 'Thomas Clifford, 1st Baron Clifford of Chudleigh', given_name: 'Thomas', middle_name: 'J.', family_name: 'Chudleigh' });
    expect(r.nameTokens).toEqual(['thomas', 'clifford', 'chudleigh']);
    expect(normalise({ id: '2', given_name: 'Sir', family_name: 'Baronet' }).nameTokens).toEqual([]);
    expect(normalise({ id: '3', given_name: 'Mary Ann', family_name: 'Smith-Jones' }).nameTokens).toEqual(['mary', 'ann', 'smith', 'jones']);
  });
  it('dates: ISO, YYYYMMDD, US order; corrupted eight digits kept', () => {
    expect(normaliseDate('1980-03-07')).toBe('19800307');
    expect(normaliseDate('19800307')).toBe('19800307');
    expect(normaliseDate('3/7/1980')).toBe('19800307');
    expect(normaliseDate('25/12/1980')).toBe('19801225');
    expect(normaliseDate('19801340')).toBe('19801340');
    expect(normaliseDate('soon')).toBe('');
  });
  it('addresses: USPS abbreviations, unit numbers', () => {
    expect(normaliseAddress('12B North Main Street, Apt. 4')).toEqual({ text: '12b n main st', houseNumber: '12b', unit: '4' });
    expect(normaliseAddress('12b N Main St #4').text).toBe('12b n main st');
  });
  it('phones, SSNs, sex', () => {
    expect(normalisePhone('+1 (555) 123-4567')).toBe('5551234567');
    expect(normalisePhone('000-0000')).toBe('');
    expect(normaliseSsn('123-45-6789')).toBe('');
    expect(normaliseSsn('078-05-1121')).toBe('078051121');
    expect(normaliseSsn('999-99-9999')).toBe('');
    expect(normaliseSex('Female')).toBe('F');
    expect(normaliseSex('x')).toBe('');
  });
  it('a whole record, with the suffix taken from the family name', () => {
    const r = normalise({ id: '1', given_name: 'Robert', family_name: 'Smith Jr', birth_date: '1970-01-02', postal_code: '12345-6789' });
    expect(r).toMatchObject({ given: 'robert', family: 'smith', suffix: 'jr', dob: '19700102', postal: '12345-6789'.replace('-', '').slice(0, 5) });
    expect(r.familyCode).toBe('SM0');
  });
});
