import { describe, expect, it } from 'vitest';
import { SourceError } from '../model.js';
import { fixture, gunzipText, havePcsData, tablesXml, textChunks } from './__fixtures__/sources.js';
import { parsePcsTables } from './tables.js';

const FILE = 'tables-mini.xml';

/** The SourceError that parsing an edited copy of the fixture gives. */
async function failure(edit: (xml: string) => string): Promise<SourceError> {
  const error: unknown = await parsePcsTables(fixture(FILE, edit), FILE).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('parsePcsTables on a synthetic file', () => {
  it('reads tables (axes 1-3 with the operation definition) and rows (axes 4-7 with their labels)', async () => {
    const r = await parsePcsTables(fixture(FILE), FILE);
    expect(r.version).toBe('2099');
    expect(r.title).toBe('2099 ICD-10-PCS Tables & Rows');
    expect(r.tables.map((t) => t.code)).toEqual(['0DT', '0DB', 'XW0']);
    const [dt] = r.tables;
    expect(dt!.line).toBe(6);
    expect(dt!.axes).toEqual([
      { pos: 1, title: 'Section', code: '0', label: 'Medical and Surgical' },
      { pos: 2, title: 'Body System', code: 'D', label: 'Gastrointestinal System' },
      { pos: 3, title: 'Operation', code: 'T', label: 'Resection', definition: 'Cutting out or off, without replacement, all of a body part' },
    ]);
    expect(dt!.rows.map((row) => row.codes)).toEqual([4, 2]);
    expect(dt!.rows[1]).toEqual({
      codes: 2,
      line: 41,
      axes: [
        { pos: 4, title: 'Body Part', labels: [{ code: 'J', label: 'Appendix' }] },
        { pos: 5, title: 'Approach', labels: [{ code: '4', label: 'Percutaneous Endoscopic' }] },
        { pos: 6, title: 'Device', labels: [{ code: 'Z', label: 'No Device' }] },
        { pos: 7, title: 'Qualifier', labels: [{ code: 'G', label: 'Hand-Assisted' }, { code: 'Z', label: 'No Qualifier' }] },
      ],
    });
    expect(r.tables[2]!.axes[2]).toEqual({ pos: 3, title: 'Operation', code: '0', label: 'Introduction' });
  });

  it('gives the same result whatever the chunk size', async () => {
    const one = await parsePcsTables(fixture(FILE, undefined, 1), FILE);
    const big = await parsePcsTables(fixture(FILE, undefined, 1 << 20), FILE);
    expect(one).toEqual(big);
  });
});

describe('parsePcsTables refuses bad input with the file and line', () => {
  it.each([
    ['another root', (x: string) => x.replace(/ICD10PCS\.tabular/g, 'ICD10CM.tabular'), 3, /expected root element <ICD10PCS.tabular>/],
    ['a DOCTYPE', (x: string) => x.replace('<!--', '<!DOCTYPE x>\n<!--'), 2, /DOCTYPE/],
    ['malformed XML', (x: string) => x.replace('<label code="8">Small Intestine</label>', '<label code="8">Small Intestine</lable>'), 25, /column/],
    ['an unknown entity', (x: string) => x.replace('Appendix', 'App&nbsp;endix'), 44, /column/],
    ['an unknown element', (x: string) => x.replace('<title>Approach</title>', '<title>Approach</title><note>x</note>'), 28, /unexpected <note> in <axis>/],
    ['text between elements', (x: string) => x.replace('<pcsRow codes="2">', 'stray<pcsRow codes="2">'), 41, /unexpected text "stray" in <pcsTable>/],
    ['a row codes count that does not match', (x: string) => x.replace('<pcsRow codes="4">', '<pcsRow codes="5">'), 40, /codes="5" but its labels combine to 4 codes/],
    ['a values count that does not match', (x: string) => x.replace('<axis pos="4" values="2">', '<axis pos="4" values="3">'), 26, /values="3" but lists 2 labels/],
    ['a character PCS does not use', (x: string) => x.replace('<label code="J">', '<label code="O">'), 44, /"O" is not one ICD-10-PCS character/],
    ['a value listed twice', (x: string) => x.replace('<label code="8">', '<label code="6">'), 25, /lists value "6" twice/],
    ['axes out of order', (x: string) => x.replace('<axis pos="5" values="2">', '<axis pos="6" values="2">'), 27, /<axis pos="6"> out of order: expected pos="5"/],
    ['a missing row axis', (x: string) => x.replace(/<axis pos="7" values="2">[\s\S]*?<\/axis>/, ''), 55, /has 3 axes; expected pos 4-7/],
    ['a table axis with two labels', (x: string) => x.replace('<axis pos="2" values="1">', '<axis pos="2">').replace('<label code="D">', '<label code="C">Other</label><label code="D">'), 14, /table axis 2 must have exactly one <label>, found 2/],
    ['a definition on a row axis', (x: string) => x.replace('<label code="J">Appendix</label>', '<label code="J">Appendix</label><definition>x</definition>'), 44, /<definition> in row axis 4/],
    ['an empty label', (x: string) => x.replace('>Appendix<', '> <'), 44, /<label> is empty/],
    ['a label without code', (x: string) => x.replace('<label code="J">', '<label>'), 44, /<label> has no code attribute/],
    ['a table without rows', (x: string) => x.replace(/<pcsRow codes="2">\s*<axis pos="4" values="1">\s*<title>Body Part<\/title>\s*<label code="6">Stomach[\s\S]*?<\/pcsRow>/, ''), 76, /table 0DB has no <pcsRow>/],
    ['a table listed twice', (x: string) => x.replace('<label code="B">Excision', '<label code="T">Excision'), 94, /table 0DT appears twice/],
    ['a missing version', (x: string) => x.replace('<version>2099</version>', ''), 145, /no <version>/],
    ['a second root element', (x: string) => `${x}<ICD10PCS.tabular/>`, 146, /column/],
    ['a truncated file', (x: string) => x.slice(0, x.indexOf('<pcsRow codes="2">')), 41, /unclosed|not closed|end/i],
  ])('%s', async (_name, edit, line, message) => {
    const error = await failure(edit);
    expect(error.file).toBe(FILE);
    expect(error.message).toMatch(message);
    expect(error.line).toBe(line);
  });

  it('refuses Buffer chunks (undecoded bytes)', async () => {
    async function* bytes(): AsyncGenerator<string> {
      await Promise.resolve();
      yield Buffer.from('<ICD10PCS.tabular/>') as unknown as string;
    }
    await expect(parsePcsTables(bytes(), 'x.xml')).rejects.toThrow(/chunks must be strings/);
  });

  it('refuses an empty document and a document without tables', async () => {
    await expect(parsePcsTables(textChunks(''), 'empty.xml')).rejects.toBeInstanceOf(SourceError);
    await expect(parsePcsTables(textChunks('<ICD10PCS.tabular><version>1</version></ICD10PCS.tabular>'), 'none.xml')).rejects.toThrow(/none.xml:1: no <pcsTable>/);
  });
});

describe.skipIf(!havePcsData)('parsePcsTables on the real CMS files', () => {
  it.each([
    [2025, 908, 2661, 78_948],
    [2026, 914, 2733, 79_115],
  ])('FY%i: %i tables, %i rows, codes attributes summing to %i, within a second', async (year, tables, rows, codes) => {
    const started = performance.now();
    const r = await parsePcsTables(gunzipText(tablesXml(year)), `icd10pcs_tables_${year}.xml`);
    const ms = performance.now() - started;
    expect(r.version).toBe(String(year));
    expect(r.title).toBe(`${year} ICD-10-PCS Tables`);
    expect(r.tables).toHaveLength(tables);
    expect(r.tables.reduce((n, t) => n + t.rows.length, 0)).toBe(rows);
    expect(r.tables.reduce((n, t) => n + t.rows.reduce((m, row) => m + row.codes, 0), 0)).toBe(codes);
    // The operation axis has a definition in most tables (not in e.g. the imaging "Type" tables).
    expect(r.tables.filter((t) => t.axes[2].definition !== undefined).length).toBe(year === 2025 ? 852 : 857);
    console.info(`parsePcsTables FY${year}: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(3000); // ≤ 1 s on an idle machine; slack for a loaded CI runner
  });
});
