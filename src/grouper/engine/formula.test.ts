import { describe, expect, it } from 'vitest';
import { tinyFiles } from './__fixtures__/tiny.js';
import { CodeTable } from './code-table.js';
import { compileDefinitions } from './compile.js';
import { parseDefinitions } from './definitions.js';
import { formatFormula, FormulaSyntaxError, parseFormula } from './formula.js';
import { DefinitionError } from './tsv.js';

describe('formula language', () => {
  it('~ binds tightest, then &, then |; both left-associative', () => {
    expect(formatFormula(parseFormula('a | b & c'))).toBe('a | b & c');
    expect(parseFormula('a | b & c')).toEqual({
      kind: 'or', left: { kind: 'atom', prefix: '', name: 'a' },
      right: { kind: 'and', left: { kind: 'atom', prefix: '', name: 'b' }, right: { kind: 'atom', prefix: '', name: 'c' } },
    });
    expect(parseFormula('~PDX:x & y')).toMatchObject({ kind: 'and', left: { kind: 'not', arg: { kind: 'atom', prefix: 'PDX', name: 'x' } } });
    expect(formatFormula(parseFormula('(a | b) & ~(c & d)'))).toBe('(a | b) & ~(c & d)');
    expect(parseFormula('ONLY:incident')).toEqual({ kind: 'atom', prefix: 'ONLY', name: 'incident' });
  });

  it('refuses what does not parse, with the position', () => {
    expect(() => parseFormula('(a & b')).toThrow(FormulaSyntaxError);
    expect(() => parseFormula('a & & b')).toThrow(/unexpected '&' at character 5/);
    expect(() => parseFormula('FOO:bar')).toThrow(/bad atom 'FOO:bar'/);
    expect(() => parseFormula('a b')).toThrow(/unexpected 'b'/);
    expect(() => parseFormula('')).toThrow(/empty formula/);
    expect(() => parseFormula('a $ b')).toThrow(/unexpected character/);
  });
});

describe('definitions are parsed strictly, naming the file and the line', () => {
  const broken = (file: string, edit: (text: string) => string) => {
    const files = tinyFiles();
    files[file] = edit(files[file]!);
    return () => compileDefinitions(parseDefinitions(files));
  };
  it('cell counts, numbers, severities, formulas, dangling references', () => {
    expect(broken('drgs.tsv', (t) => t.replace('242\t5\t', '242\t5\t\t'))).toThrow(/drgs.tsv line 3: expected 6 tab-separated cells, found 7/);
    expect(broken('diagnoses.tsv', (t) => t.replace('I5023\t5\tCC', 'I5023\t5\tXX'))).toThrow(/diagnoses.tsv line 2: severity must be MCC, CC or NCC/);
    expect(broken('diagnoses.tsv', (t) => t.replace('I5023\t5\t', 'I5023\tfive\t'))).toThrow(/diagnoses.tsv line 2: mdc must be an integer/);
    expect(broken('drg_formulas.tsv', (t) => t.replace('pmsys & MCC', 'pmsys & (MCC'))).toThrow(/drg_formulas.tsv line 6: formula: missing '\)'/);
    expect(broken('diagnoses.tsv', (t) => t.replace('I5023\t5\tCC\t1', 'I5023\t5\tCC\t77'))).toThrow(/exclusion group 77 is not in cc_exclusions.tsv/);
    expect(broken('procedures.tsv', (t) => t.replace('pm\tZ@0001', 'pm\tZ@0002'))).toThrow(/procedures.tsv line 3: cluster Z@0002/);
    expect(broken('cc_exclusions.tsv', (t) => t.replace('1\t1\tN179', '1\t2\tN179'))).toThrow(/cc_exclusions.tsv line 2: count does not match/);
    expect(broken('mdcs.tsv', () => '')).toThrow(/mdcs.tsv line 1: the file is empty/);
    expect(() => parseDefinitions({})).toThrow(DefinitionError);
  });
});

describe('code table', () => {
  it('finds codes in any case, never a code with other characters', () => {
    const t = new CodeTable(['I5023', 'A00', 'Z@0217', '0JH609Z']);
    expect(t.find('I5023')).toBe(0);
    expect(t.lowerCase).toBe(false);
    expect(t.find('i5023')).toBe(0);
    expect(t.lowerCase).toBe(true);
    expect(t.find('0jh609z')).toBe(3);
    expect(t.find('z@0217')).toBe(2);
    expect(t.find('I50.23')).toBe(-1);
    expect(t.find('I502')).toBe(-1);
    expect(t.find('A000')).toBe(-1);
    expect(t.find('')).toBe(-1);
    expect(t.find('I5023XXX')).toBe(-1);
    expect(() => new CodeTable(['A00', 'a00'])).toThrow(/listed twice/);
  });
});
