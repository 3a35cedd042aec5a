import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { SourceError, type ReleaseCode } from '../model.js';
import { readXlsxSheet } from '../sources/xlsx.js';
import { makeXlsx } from '../sources/__fixtures__/make-xlsx.js';
import { hcpcsFromXlsxRows, parseHcpcsFixedWidth } from './hcpcs.js';

const REF = '/work/shared/refdata/hcpcs';
const ZIP_2019 = `${REF}/2019/2019-Alpha-Numeric-HCPCS-File.zip`;
const XLSX_2025 = `${REF}/2025-10/HCPC2025_OCT_ANWEB.xlsx`;

/** The 48 column names of the CMS workbook, in CMS order. */
const HEADER = [
  'HCPC', 'SEQNUM', 'RECID', 'LONG DESCRIPTION', 'SHORT DESCRIPTION', 'PRICE1', 'PRICE2', 'PRICE3', 'PRICE4', 'MULT_PI',
  'CIM1', 'CIM2', 'CIM3', 'MCM1', 'MCM2', 'MCM3', 'STATUTE', ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `LABCERT${i}`),
  ...[1, 2, 3, 4, 5].map((i) => `XREF${i}`), 'COV', 'ASC_GRP', 'ASC_DT', 'OPPS', 'OPPS_PI', 'OPPS_DT', 'PROCNOTE', 'BETOS',
  ...[1, 2, 3, 4, 5].map((i) => `TOS${i}`), 'ANEST_BU', 'ADD DT', 'ACT EFF DT', 'TERM DT', 'ACTION CD',
];

interface Rec {
  hcpc: string;
  seq: number;
  ric: string;
  long: string;
  short?: string;
  added?: string;
  eff?: string;
  term?: string;
  action?: string;
}

/** One synthetic 320-character record, fields at the CMS positions (other fields get filler values). */
function rec(r: Rec): string {
  const line = Array<string>(320).fill(' ');
  const put = (pos: number, s: string): void => [...s].forEach((ch, i) => (line[pos - 1 + i] = ch));
  put(1, r.hcpc.padEnd(5));
  put(6, String(r.seq).padStart(5, '0'));
  put(11, r.ric);
  put(12, r.long.padEnd(80).slice(0, 80));
  if (r.ric === '3' || r.ric === '7') {
    put(92, (r.short ?? '').padEnd(28));
    put(120, '00'); // pricing indicator, BETOS, TOS: present but not read
    put(257, 'O1F');
    put(261, '1');
    put(269, r.added ?? '');
    put(277, r.eff ?? '');
    put(285, r.term ?? '');
    put(293, r.action ?? '');
  }
  return line.join('');
}

// A synthetic release in both forms. Z9001's description runs over three records, the second starting with a
// space and holding a double space (both seen in the 2019 CMS file); ZZ is a modifier with a continuation.
const SAMPLE: { first: Rec; more: string[]; long: string }[] = [
  {
    first: {
      hcpc: 'Z9001', seq: 100, ric: '3', long: 'Synthetic test service, first line of a long description that',
      short: 'Synthetic svc long desc', added: '20150101', eff: '20250101', term: '20241231', action: 'D',
    },
    more: [' continues on a second record  with two spaces', 'and ends on a third record'],
    long:
      'Synthetic test service, first line of a long description that continues on a second record with two spaces ' +
      'and ends on a third record',
  },
  {
    first: { hcpc: 'Z9002', seq: 100, ric: '3', long: 'Synthetic supply, each', short: 'Synthetic supply', added: '20251001', action: 'A' },
    more: [],
    long: 'Synthetic supply, each',
  },
  {
    first: {
      hcpc: '   ZZ', seq: 100, ric: '7', long: 'Synthetic modifier whose description does not fit on one line of eighty',
      short: 'Synthetic modifier', added: '20020701', eff: '20020701', action: 'N',
    },
    more: ['characters, so it continues here'],
    long: 'Synthetic modifier whose description does not fit on one line of eighty characters, so it continues here',
  },
  {
    first: {
      hcpc: '   Z1', seq: 100, ric: '7', long: 'Second synthetic modifier',
      short: 'Synthetic mod 2', added: '20020701', eff: '20020701', action: 'N',
    },
    more: [],
    long: 'Second synthetic modifier',
  },
];

const PREAMBLE = [
  '***Disclaimers\t\t\t',
  '\t\t\t',
  '*Not a real HCPCS file.\u00a0 Synthetic test data.\t\t',
  '\u00a0\u00a0 second disclaimer line',
  '',
  '',
];

function sampleText(): string {
  const recs = SAMPLE.flatMap((s) => [
    rec(s.first),
    ...s.more.map((long, i) => rec({ hcpc: s.first.hcpc, seq: s.first.seq + 100 * (i + 1), ric: s.first.ric === '3' ? '4' : '8', long })),
  ]);
  return [...PREAMBLE, ...recs, ''].join('\r\n');
}

/** The same release as workbook rows: disclaimer row, header in row 3, columns in reverse order (found by name). */
function sampleRows(): string[][] {
  const rev = <T,>(a: T[]): T[] => [...a].reverse();
  const rows = SAMPLE.map((s) => {
    const cells: Record<string, string> = {
      HCPC: s.first.hcpc, SEQNUM: '0010', RECID: s.first.ric, PRICE1: '00', BETOS: 'O1F',
      'LONG DESCRIPTION': s.long, 'SHORT DESCRIPTION': s.first.short ?? '',
      'ADD DT': s.first.added ?? '', 'ACT EFF DT': s.first.eff ?? '', 'TERM DT': s.first.term ?? '', 'ACTION CD': s.first.action ?? '',
    };
    return rev(HEADER.map((h) => cells[h] ?? ''));
  });
  return [['*Not a real HCPCS file'], [], rev(HEADER), ...rows];
}

/** A workbook row in CMS column order from the cells it has. */
function rowOf(cells: Record<string, string>): string[] {
  return HEADER.map((h) => cells[h] ?? '');
}

function thrown(fn: () => unknown): SourceError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('expected a SourceError');
}

/** Reads one member of a zip on disk (the CMS zips are 2 MB; test-only). */
async function zipMember(path: string, name: string): Promise<Buffer> {
  const zip = await yauzl.fromBufferPromise(readFileSync(path), { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== name) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    }
  } finally {
    zip.close();
  }
  throw new Error(`${name} not in ${path}`);
}

const byKey = (codes: ReleaseCode[]): Map<string, ReleaseCode> => new Map(codes.map((c) => [`${c.kind}:${c.code}`, c]));

describe('parseHcpcsFixedWidth', () => {
  it('skips the disclaimer, joins continuation records and maps the fields', () => {
    const codes = parseHcpcsFixedWidth(sampleText(), 'sample.txt');
    expect(codes.map((c) => c.code)).toEqual(['Z9001', 'Z9002', 'ZZ', 'Z1']);
    expect(codes[0]).toEqual({
      code: 'Z9001', kind: 'code', billable: true, shortTitle: 'Synthetic svc long desc', longTitle: SAMPLE[0]?.long,
      addedOn: '2015-01-01', actionEffectiveOn: '2025-01-01', terminatedOn: '2024-12-31', actionCode: 'D',
    });
    expect(codes[1]).toMatchObject({ code: 'Z9002', actionEffectiveOn: null, terminatedOn: null, actionCode: 'A' });
    expect(codes[2]).toMatchObject({ code: 'ZZ', kind: 'modifier', billable: true, longTitle: SAMPLE[2]?.long });
  });

  it('accepts a record whose trailing filler is short, as in the 2019 file (316 characters)', () => {
    const lines = sampleText().split('\r\n');
    lines[7] = (lines[7] ?? '').slice(0, 316);
    expect(parseHcpcsFixedWidth(lines.join('\n'), 'f.txt')[0]?.longTitle).toBe(SAMPLE[0]?.long);
  });

  // Records are on lines 7-13 of the sample: Z9001 (7), its continuations (8, 9), Z9002 (10), ZZ (11, 12), Z1 (13).
  const bad = (edit: (lines: string[]) => void): SourceError => {
    const lines = sampleText().split('\r\n');
    edit(lines);
    return thrown(() => parseHcpcsFixedWidth(lines.join('\r\n'), 'bad.txt'));
  };
  /** An edit that overwrites line `lineNo` from 1-based column `col` with `text`. */
  const patch = (lineNo: number, col: number, text: string) => (l: string[]) => {
    const line = l[lineNo - 1] ?? '';
    l[lineNo - 1] = line.slice(0, col - 1) + text + line.slice(col - 1 + text.length);
  };
  const cut = (lineNo: number, length: number) => (l: string[]) => {
    l[lineNo - 1] = (l[lineNo - 1] ?? '').slice(0, length);
  };
  it.each([
    ['a truncated first record', 10, cut(10, 200), /record is 200 characters; a RIC 3 record has 293–320/],
    ['a truncated continuation', 8, cut(8, 50), /record is 50 characters; a RIC 4 record has 91–320/],
    ['an over-long record', 11, patch(11, 321, 'X'), /record is 321 characters/],
    ['an unknown RIC', 10, patch(10, 11, '5'), /unknown record identification code 5/],
    ['a continuation of another code', 9, patch(9, 1, 'Z9009'), /continuation \(RIC 4\) of "Z9009" without its first line/],
    ['a modifier continuation after a code', 8, patch(8, 11, '8'), /RIC 8.*without its first line \(RIC 7\)/],
    ['a continuation out of sequence', 9, patch(9, 6, '00100'), /sequence number 100 does not follow 200/],
    ['a continuation with no record before it', 7, (l: string[]) => l.splice(6, 1), /continuation \(RIC 4\) of "Z9001" without/],
    ['garbage between records', 10, (l: string[]) => l.splice(9, 0, 'this is not a record'), /not a HCPCS record/],
    ['an impossible date', 10, patch(10, 269, '20250230'), /bad add date "20250230"/],
    ['a duplicate code', 10, patch(10, 1, 'Z9001'), /duplicate code Z9001/],
  ])('throws SourceError at the line for %s', (_name, line, edit, message) => {
    const e = bad(edit);
    expect(e.file).toBe('bad.txt');
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
  });

  it('throws SourceError on a file with no records', () => {
    expect(thrown(() => parseHcpcsFixedWidth('', 'empty.txt'))).toMatchObject({ line: null, message: 'empty.txt: no HCPCS records found' });
    const garbage = Array.from({ length: 80 }, (_, i) => `garbage line ${i}`).join('\n');
    expect(thrown(() => parseHcpcsFixedWidth(garbage, 'g.txt'))).toMatchObject({ line: 50 });
  });
});

describe('hcpcsFromXlsxRows', () => {
  it('gives the same codes as the fixed-width form of the same release', async () => {
    // Through a real (generated) workbook, so shared strings and number cells are part of the round trip.
    const rows = await readXlsxSheet(makeXlsx([{ name: 'HCPC', rows: sampleRows() }]));
    expect(rows[2]?.[47]).toBe('HCPC');
    expect(rows[5]?.[47]).toBe('   ZZ');
    expect(hcpcsFromXlsxRows(rows, 'sample.xlsx')).toEqual(parseHcpcsFixedWidth(sampleText(), 'sample.txt'));
  });

  it('joins RECID 4 continuation rows (the 2019 workbook has one, G0503)', () => {
    const rows = [
      HEADER,
      rowOf({ HCPC: 'G0503', RECID: '3', 'LONG DESCRIPTION': 'First part', 'ADD DT': '20170101' }),
      rowOf({ HCPC: 'G0503', RECID: '4', 'LONG DESCRIPTION': 'second part' }),
    ];
    expect(hcpcsFromXlsxRows(rows, 'c.xlsx')).toMatchObject([
      { code: 'G0503', longTitle: 'First part second part', addedOn: '2017-01-01', terminatedOn: null, actionCode: null },
    ]);
  });

  const withRow = (cells: Record<string, string>): string[][] => [...sampleRows(), rowOf(cells).reverse()];
  it.each([
    ['an unknown RECID', { HCPC: 'Z9003', RECID: '5' }, /unknown RECID "5"/],
    ['a bad code', { HCPC: 'Z90', RECID: '3' }, /bad HCPCS code "Z90"/],
    ['a bad modifier', { HCPC: '  ZZZ', RECID: '7' }, /bad HCPCS modifier "  ZZZ"/],
    ['a continuation of another code', { HCPC: 'Z9003', RECID: '4' }, /continuation \(RECID 4\) of "Z9003" without its first row/],
    ['a date that is not YYYYMMDD', { HCPC: 'Z9003', RECID: '3', 'TERM DT': '45930' }, /bad termination date "45930"/],
    ['a duplicate code', { HCPC: 'Z9002', RECID: '3' }, /duplicate code Z9002/],
  ])('throws SourceError with the 1-based row for %s', (_name, cells, message) => {
    const e = thrown(() => hcpcsFromXlsxRows(withRow(cells), 'bad.xlsx'));
    expect(e.line).toBe(8);
    expect(e.message).toMatch(message);
  });

  it('throws SourceError on a missing header or column', () => {
    expect(thrown(() => hcpcsFromXlsxRows([['code', 'description'], ['A0021', 'x']], 'h.xlsx')).line).toBe(1);
    const noAction = sampleRows().map((r) => r.slice(1)); // reversed, so column 0 is ACTION CD
    expect(thrown(() => hcpcsFromXlsxRows(noAction, 'h.xlsx'))).toMatchObject({ line: 3, message: 'h.xlsx:3: header has no "ACTION CD" column' });
  });
});

describe.skipIf(!existsSync(ZIP_2019))('HCPCS 2019 annual file (CMS)', () => {
  it('parses the fixed-width file: 6,440 codes and 360 modifiers, equal to the workbook of the same zip', async () => {
    const codes = parseHcpcsFixedWidth((await zipMember(ZIP_2019, 'HCPC2019_CONTR_ANWEB.txt')).toString('latin1'), 'HCPC2019_CONTR_ANWEB.txt');
    expect(codes.filter((c) => c.kind === 'code')).toHaveLength(6440);
    expect(codes.filter((c) => c.kind === 'modifier')).toHaveLength(360);
    const map = byKey(codes);
    expect(map.get('code:A0021')).toEqual({
      code: 'A0021', kind: 'code', billable: true,
      shortTitle: 'Outside state ambulance serv', longTitle: 'Ambulance service, outside state per mile, transport (medicaid only)',
      addedOn: '1985-01-01', actionEffectiveOn: '1996-09-10', terminatedOn: null, actionCode: 'N',
    });
    expect(map.get('modifier:GA')?.longTitle).toBe('Waiver of liability statement issued as required by payer policy, individual case');
    // Three records, the second of them the file's one 316-character line.
    expect(map.get('code:G8891')).toMatchObject({
      longTitle:
        'Documentation of medical reason(s) for most recent ldl-c not under control (e.g., patients with palliative goals ' +
        'for whom treatment of hypertension with standard treatment goals is not clinically appropriate)',
      terminatedOn: '2014-12-31',
    });
    expect(map.get('modifier:ZA')).toMatchObject({ actionCode: 'D', terminatedOn: '2018-03-31', actionEffectiveOn: '2018-04-01' });
    expect(codes.filter((c) => c.terminatedOn !== null)).toHaveLength(515);

    const fromXlsx = hcpcsFromXlsxRows(await readXlsxSheet(await zipMember(ZIP_2019, 'HCPC2019_CONTR_ANWEB.xlsx')), 'HCPC2019_CONTR_ANWEB.xlsx');
    expect(fromXlsx.map((c) => c.code)).toEqual(codes.map((c) => c.code));
    // The one difference in CMS's data: 115 workbook rows leave ACT EFF DT blank where the text file repeats the add date.
    const differs = codes.filter((c, i) => JSON.stringify(c) !== JSON.stringify(fromXlsx[i]));
    expect(differs).toHaveLength(115);
    for (const c of differs) {
      expect({ ...byKey(fromXlsx).get(`${c.kind}:${c.code}`), actionEffectiveOn: c.addedOn }).toEqual(c);
    }
  });
});

describe.skipIf(!existsSync(XLSX_2025))('HCPCS October 2025 workbook (CMS)', () => {
  it('maps 8,463 codes and 383 modifiers', async () => {
    const codes = hcpcsFromXlsxRows(await readXlsxSheet(readFileSync(XLSX_2025)), 'HCPC2025_OCT_ANWEB.xlsx');
    expect(codes.filter((c) => c.kind === 'code')).toHaveLength(8463);
    expect(codes.filter((c) => c.kind === 'modifier')).toHaveLength(383);
    expect(codes.filter((c) => c.terminatedOn !== null)).toHaveLength(1225);
    expect(codes.filter((c) => c.kind === 'code' && c.code.startsWith('J'))).toHaveLength(1188);
    const map = byKey(codes);
    expect(map.get('code:J1100')).toEqual({
      code: 'J1100', kind: 'code', billable: true,
      shortTitle: 'Dexamethasone sodium phos', longTitle: 'Injection, dexamethasone sodium phosphate, 1 mg',
      addedOn: '1982-01-01', actionEffectiveOn: '2001-01-01', terminatedOn: null, actionCode: 'N',
    });
    expect(map.get('modifier:A1')).toMatchObject({ longTitle: 'Dressing for one wound', addedOn: '2002-07-01' });
    expect(map.get('modifier:JW')?.shortTitle).toBe('Discarded drug not administe');
    expect(map.get('code:C9088')).toMatchObject({ actionCode: 'D', terminatedOn: '2025-09-30', actionEffectiveOn: '2025-10-01' });
    expect(map.get('code:G0019')?.longTitle).toHaveLength(3398);
    expect(map.has('modifier:25')).toBe(false); // CPT (Level I) modifiers are not in the Level II file
  });
});
