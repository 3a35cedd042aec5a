import { describe, expect, it } from 'vitest';
import { CsvReader, parseCsv } from './csv.js';

describe('CSV reader (RFC 4180, strict)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks; trims unquoted fields', () => {
    expect(parseCsv('id, name ,note\r\n1,"Smith, John","said ""hi""\nthere"\n2,x,\n')).toEqual([
      ['id', 'name', 'note'],
      ['1', 'Smith, John', 'said "hi"\nthere'],
      ['2', 'x', ''],
    ]);
  });
  it('reads a last line without a line end, and FEBRL-style ", " separators', () => {
    expect(parseCsv('a, b\r\n1, 2')).toEqual([['a', 'b'], ['1', '2']]);
  });
  it('gives the same rows however the text is cut into chunks', () => {
    const text = 'a,b\n"x""y",z\r\n"p\nq",r\n';
    const whole = parseCsv(text);
    for (let cut = 1; cut < text.length; cut++) {
      const r = new CsvReader('t');
      expect([...r.push(text.slice(0, cut)), ...r.push(text.slice(cut)), ...r.end()]).toEqual(whole);
    }
  });
  it('rejects a quote left open, a stray quote, text after a closing quote and binary data, naming the line', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n', 'f.csv')).toThrow(/f\.csv, line 2: a quoted field is never closed/);
    expect(() => parseCsv('a,b\n1,ab"c\n')).toThrow(/double quote inside an unquoted field/);
    expect(() => parseCsv('a,b\n1,"ab"c\n')).toThrow(/text after a closing quote/);
    expect(() => parseCsv('a,b\n1,\u0000\u0001\n')).toThrow(/MPI|binary data/);
    try {
      parseCsv('a\n\ufffd');
    } catch (e) {
      expect((e as { code: string }).code).toBe('MPI_CSV_INVALID');
    }
  });
});
