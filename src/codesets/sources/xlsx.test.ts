import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../model.js';
import { listXlsxSheets, readXlsxSheet } from './xlsx.js';
import { colName, makeXlsx, makeZip } from './__fixtures__/make-xlsx.js';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REAL_2025 = '/work/shared/refdata/hcpcs/2025-10/HCPC2025_OCT_ANWEB.xlsx';

/** A workbook around one hand-written sheet, with a hand-written shared-string table. */
function workbookWith(sheetData: string, sst: string): Buffer {
  const sheetXml = `<worksheet xmlns="${MAIN}"><sheetData>${sheetData}</sheetData></worksheet>`;
  return makeXlsx([{ name: 'S', sheetXml }], [{ name: 'xl/sharedStrings.xml', data: `<sst xmlns="${MAIN}">${sst}</sst>` }]);
}

async function rejection(p: Promise<unknown>): Promise<SourceError> {
  const e: unknown = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SourceError);
  return e as SourceError;
}

describe('readXlsxSheet', () => {
  it('reads the rows of a generated workbook, by name and by position', async () => {
    const buf = makeXlsx([
      { name: 'First', rows: [['a', 'b'], ['1', 'x']] },
      { name: 'Second & more', rows: [['HCPC', 'RECID'], ['   A1', '7']] },
    ]);
    expect(await listXlsxSheets(buf)).toEqual(['First', 'Second & more']);
    expect(await readXlsxSheet(buf)).toEqual([['a', 'b'], ['1', 'x']]);
    expect(await readXlsxSheet(buf, { sheet: 'Second & more' })).toEqual([['HCPC', 'RECID'], ['   A1', '7']]);
    expect(await readXlsxSheet(buf, { sheet: 1 })).toEqual([['HCPC', 'RECID'], ['   A1', '7']]);
  });

  it('places cells by reference, fills gaps, and decodes every cell type', async () => {
    const sst =
      '<si><t>plain</t></si>' +
      '<si><r><rPr><b/></rPr><t>rich </t></r><r><t xml:space="preserve">text</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>' +
      '<si><t>line_x000D_break &amp; _x005F_x0041_</t></si>' +
      '<si><t/></si>';
    const data =
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c><c r="AB1"><v>3350.5</v></c></row>' +
      // row 2 missing; row 3 has cells without r (they follow the previous cell)
      '<row r="3"><c r="B3" t="b"><v>1</v></c><c t="b"><v>0</v></c><c t="inlineStr"><is><t>inline</t></is></c></row>' +
      '<row r="4"><c r="A4" t="inlineStr"><is><r><t>in</t></r><r><t>line rich</t></r></is></c>' +
      '<c r="B4" t="str"><f>CONCAT("a","b")</f><v>ab</v></c><c r="C4" t="e"><v>#N/A</v></c>' +
      '<c r="D4" t="s"><v>2</v></c><c r="E4" t="s"><v>3</v></c><c r="F4" s="2"/><c r="G4"><v><![CDATA[42]]></v></c></row>' +
      '<row><c t="s"><v>0</v></c></row>'; // row without r: the next row
    const rows = await readXlsxSheet(workbookWith(data, sst));
    expect(rows).toHaveLength(5);
    const first = rows[0] ?? [];
    expect(first).toHaveLength(28);
    expect(first[0]).toBe('plain');
    expect(first[1]).toBe('');
    expect(first[2]).toBe('rich text'); // runs joined, phonetic hint left out
    expect(first[27]).toBe('3350.5'); // AB = column 27
    expect(rows[1]).toEqual([]);
    expect(rows[2]).toEqual(['', 'TRUE', 'FALSE', 'inline']);
    expect(rows[3]).toEqual(['inline rich', 'ab', '#N/A', 'line\rbreak & _x0041_', '', '', '42']);
    expect(rows[4]).toEqual(['plain']);
  });

  it('accepts prefixed element names and absolute relationship targets', async () => {
    const buf = makeZip([
      { name: 'xl/workbook.xml', data: `<x:workbook xmlns:x="${MAIN}" xmlns:rel="urn:r"><x:sheets><x:sheet name="P" sheetId="1" rel:id="r1"/></x:sheets></x:workbook>` },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: '<Relationships><Relationship Id="r1" Type="t/worksheet" Target="/xl/data/p.xml"/><Relationship Id="r2" Type="t/sharedStrings" Target="data/../strings.xml"/></Relationships>',
      },
      { name: 'xl/strings.xml', data: `<x:sst xmlns:x="${MAIN}"><x:si><x:t>shared</x:t></x:si></x:sst>` },
      {
        name: 'xl/data/p.xml',
        data: `\uFEFF<x:worksheet xmlns:x="${MAIN}"><x:sheetData><x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>ok</x:t></x:is></x:c><x:c r="C2" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
      },
    ]);
    expect(await readXlsxSheet(buf)).toEqual([[], ['', 'ok', 'shared']]);
  });

  it('throws SourceError on a non-zip, a zip that is not a workbook, and a missing sheet', async () => {
    expect((await rejection(readXlsxSheet(Buffer.from('HCPC,RECID\nA0021,3\n'), { fileName: 'x.xlsx' }))).message).toMatch(
      /^x\.xlsx: not a zip file/,
    );
    expect((await rejection(readXlsxSheet(makeZip([{ name: 'a.txt', data: 'hi' }])))).message).toMatch(/xl\/workbook\.xml is missing/);
    const missing = await rejection(readXlsxSheet(makeXlsx([{ name: 'Only', rows: [] }]), { sheet: 'Other' }));
    expect(missing.message).toMatch(/no sheet "Other" in the workbook \(sheets: "Only"\)/);
    expect((await rejection(readXlsxSheet(makeXlsx([{ name: 'Only', rows: [] }]), { sheet: 3 }))).message).toMatch(/no sheet 3/);
  });

  it('throws SourceError with the XML line on malformed XML, a DTD, or bad cell references', async () => {
    const bad = await rejection(readXlsxSheet(workbookWith('<row r="1">\n<c r="A1"><v>1</v></row>', '')));
    expect(bad.file).toBe('workbook.xlsx!xl/worksheets/sheet1.xml');
    expect(bad.line).toBe(2);
    expect(bad.message).toMatch(/malformed XML/);
    const dtd = makeXlsx([{ name: 'S', sheetXml: '<!DOCTYPE w [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>' }]);
    expect((await rejection(readXlsxSheet(dtd))).message).toMatch(/DOCTYPE is not allowed/);
    expect((await rejection(readXlsxSheet(workbookWith('<row r="2"/><row r="1"/>', '')))).message).toMatch(/out-of-order row/);
    expect((await rejection(readXlsxSheet(workbookWith('<row r="1"><c r="B2"><v>1</v></c></row>', '')))).message).toMatch(
      /bad cell reference r="B2"/,
    );
    expect((await rejection(readXlsxSheet(workbookWith('<row r="1"><c r="A1" t="s"><v>5</v></c></row>', '<si><t>a</t></si>')))).message).toMatch(
      /shared string "5" out of range \(1 strings\)/,
    );
  });

  it('refuses zip bombs: high compression ratio, and more bytes than the limit', async () => {
    // 2 MB of one repeated row deflates to a few KB: over 200:1 on a member over 1 MB.
    const big = `<worksheet><sheetData>${'<row/>'.repeat(350_000)}</sheetData></worksheet>`;
    const bomb = makeXlsx([{ name: 'S', sheetXml: big }]);
    expect(bomb.length).toBeLessThan(50_000);
    expect((await rejection(readXlsxSheet(bomb))).message).toMatch(/compression ratio above 200:1/);
    // The same content stored (ratio 1:1) passes the ratio check but not a 1 MB total limit.
    const stored = makeZip([
      { name: 'xl/workbook.xml', data: `<workbook xmlns:r="r"><sheets><sheet name="S" r:id="a"/></sheets></workbook>` },
      { name: 'xl/_rels/workbook.xml.rels', data: '<Relationships><Relationship Id="a" Target="s.xml"/></Relationships>' },
      { name: 'xl/s.xml', data: big, store: true },
    ]);
    expect(await readXlsxSheet(stored)).toHaveLength(350_000);
    expect((await rejection(readXlsxSheet(stored, { maxUncompressedBytes: 1_000_000 }))).message).toMatch(/refusing to inflate past 1000000 bytes/);
  });

  it('names columns like Excel (fixture helper)', () => {
    expect([0, 25, 26, 27, 47, 701, 702].map(colName)).toEqual(['A', 'Z', 'AA', 'AB', 'AV', 'ZZ', 'AAA']);
  });
});

describe.skipIf(!existsSync(REAL_2025))('readXlsxSheet on the CMS October 2025 HCPCS workbook', () => {
  it('reads the header and 8,846 data rows of 48 columns', async () => {
    const buf = readFileSync(REAL_2025);
    expect(await listXlsxSheets(buf)).toEqual(['HCPC2025_OCT_ANWEB']);
    const rows = await readXlsxSheet(buf, { sheet: 'HCPC2025_OCT_ANWEB' });
    expect(rows).toHaveLength(8847);
    expect(rows.every((r) => r.length === 48)).toBe(true);
    const header = rows[0] ?? [];
    expect(header.slice(0, 5)).toEqual(['HCPC', 'SEQNUM', 'RECID', 'LONG DESCRIPTION', 'SHORT DESCRIPTION']);
    expect(header.slice(44)).toEqual(['ADD DT', 'ACT EFF DT', 'TERM DT', 'ACTION CD']);
    expect(rows[1]?.slice(0, 4)).toEqual(['   A1', '0010', '7', 'Dressing for one wound']);
    expect(rows[8846]?.[0]).toBe('V5364');
  });
});
