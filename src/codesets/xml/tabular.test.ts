import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NoteKind } from '../model.js';
import { fixture, gunzipText, haveRefData, TABULAR_2021, ZIP_2017, zipEntryText } from './__fixtures__/sources.js';
import { parseTabularXml, type TabularResult } from './tabular.js';

const byCode = (r: TabularResult, code: string) => r.codes.find((c) => c.code === code);
const notesOf = (r: TabularResult, code: string, kind: NoteKind) => r.notes.filter((n) => n.code === code && n.kind === kind).map((n) => n.text);

describe('parseTabularXml on a synthetic tabular', () => {
  let r: TabularResult;
  beforeAll(async () => {
    r = await parseTabularXml(fixture('tabular-mini.xml'), 'tabular-mini.xml');
  });

  it('reads version, chapters (range split off the title) and sections', () => {
    expect(r.version).toBe('2099');
    expect(r.chapters).toEqual([
      { num: 1, title: 'Certain infectious and parasitic diseases', firstCode: 'A00', lastCode: 'B99' },
      { num: 19, title: 'Injury, poisoning and certain other consequences of external causes', firstCode: 'S00', lastCode: 'T88' },
      { num: 7, title: 'Diseases of the eye and adnexa', firstCode: 'H00', lastCode: 'H59' },
    ]);
    expect(r.sections.map((s) => [s.id, s.title, s.chapter])).toEqual([
      ['A00-A09', 'Intestinal infectious diseases', 1],
      ['B10', 'Other human herpesviruses', 1],
      ['S00-S09', 'Injuries to the head', 19],
      ['S50-S59', 'Injuries to the elbow and forearm', 19],
      ['T36-T50', 'Poisoning by drugs', 19],
      ['H40-H42', 'Glaucoma', 7],
    ]);
  });

  it('expands 7th characters in tabular order, with X placeholders, nearest rule and the S06 exception', () => {
    expect(r.codes.map((c) => `${c.code}${c.billable ? '*' : ''}`)).toEqual([
      'A00', 'A000*', 'A009*', 'B10*',
      'S06', 'S060', 'S060X', 'S060X1', 'S060X1A*', 'S060X1D*', 'S060X1S*', 'S060X7', 'S060X7A*',
      'S52', 'S520', 'S5201', 'S5201XA*', 'S5201XD*', 'S529', 'S529XXA*', 'S529XXB*',
      'T36', 'T360', 'T360X', 'T360X1', 'T360X1A*', 'T360X1D*', 'T360X1S*',
      'H40', 'H4010', 'H4010X0*', 'H4010X1*', 'H409*',
    ]);
    expect(r.codes.map((c) => c.order)).toEqual(r.codes.map((_, i) => i + 1));
    expect(byCode(r, 'T360X1A')).toMatchObject({
      longTitle: 'Poisoning by penicillins, accidental (unintentional), initial encounter',
      shortTitle: 'Poisoning by penicillins, accidental (unintentional), initial encounter',
    });
    expect(byCode(r, 'S529XXB')?.longTitle).toBe('Unspecified fracture of forearm, initial encounter for open fracture type I or II');
    expect(byCode(r, 'H409')?.longTitle).toBe('Sézary-like glaucoma, unspecified');
  });

  it('links every code to its parent; generated codes hang under the code they extend', () => {
    const parent = new Map(r.hierarchy.map((h) => [h.code, h.parent]));
    expect(r.hierarchy).toHaveLength(r.codes.length);
    expect(parent.get('A00')).toBeNull();
    expect(parent.get('A000')).toBe('A00');
    expect(parent.get('S060X1A')).toBe('S060X1');
    expect(parent.get('S529XXA')).toBe('S529');
    expect(parent.get('H4010X0')).toBe('H4010');
  });

  it('keeps every note with its owner: code, chapter:<n> or section:<id>', () => {
    expect(r.notes).toHaveLength(9);
    expect(notesOf(r, 'chapter:1', 'includes')).toEqual(['diseases generally recognized as communicable or transmissible']);
    expect(notesOf(r, 'section:A00-A09', 'excludes2')).toEqual(['certain localized infections']);
    expect(notesOf(r, 'A000', 'inclusionTerm')).toEqual(['Classical cholera', 'Irritable cries (< 2 years of age)']);
    expect(notesOf(r, 'section:B10', 'notes')).toEqual(['Section note']);
    expect(notesOf(r, 'B10', 'codeFirst')).toEqual(['underlying disease']);
    expect(notesOf(r, 'chapter:19', 'useAdditionalCode')).toHaveLength(1);
    expect(notesOf(r, 'T36', 'excludes1')).toEqual(['antineoplastic antibiotics (T45.1-)']);
  });

  it('lists the 7th-character rules with their inclusion notes', () => {
    expect(r.sevenChars.map((s) => s.code)).toEqual(['S06', 'S52', 'S520', 'T36', 'H4010']);
    expect(r.sevenChars[1]?.values).toEqual([
      { char: 'A', title: 'initial encounter for closed fracture' },
      { char: 'B', title: 'initial encounter for open fracture type I or II', inclusionTerms: ['initial encounter for open fracture NOS'] },
    ]);
  });
});

describe.skipIf(!haveRefData)('parseTabularXml on the real FY2021 tabular', () => {
  let r: TabularResult;
  let xml: string;
  beforeAll(async () => {
    r = await parseTabularXml(gunzipText(TABULAR_2021), 'icd10cm_tabular_2021.xml');
    xml = gunzipSync(readFileSync(TABULAR_2021)).toString('utf8'); // only to cross-check counts
  });

  it('gives the CMS FY2021 order file counts: 95,358 lines, 72,621 billable', () => {
    expect(r.version).toBe('2021');
    expect(r.chapters).toHaveLength(22);
    expect(r.sections).toHaveLength(296);
    expect(r.codes).toHaveLength(95_358);
    expect(r.codes.filter((c) => c.billable)).toHaveLength(72_621);
    expect(r.codes.length - 45_017).toBe(50_341); // 45,017 diag elements, the rest formed from sevenChrDef
    expect(r.sevenChars).toHaveLength(507);
    expect(new Set(r.codes.map((c) => c.code)).size).toBe(r.codes.length);
  });

  it('has one note per <note> of each kind, and one owner per container element', () => {
    const kinds: [NoteKind, number][] = [['excludes1', 2625], ['excludes2', 1045], ['codeFirst', 317], ['includes', 414], ['inclusionTerm', 6269], ['codeAlso', 206]];
    for (const [kind, elements] of kinds) {
      const blocks = [...xml.matchAll(new RegExp(`<${kind}>([\\s\\S]*?)</${kind}>`, 'g'))];
      expect(blocks).toHaveLength(elements);
      const noteCount = blocks.reduce((n, b) => n + (b[1]?.match(/<note>/g)?.length ?? 0), 0);
      const ours = r.notes.filter((n) => n.kind === kind);
      expect(ours, kind).toHaveLength(noteCount);
      expect(new Set(ours.map((n) => n.code)).size, kind).toBe(elements);
    }
    expect(r.notes.filter((n) => n.kind === 'excludes1')).toHaveLength(5441);
  });

  it('titles 7th-character codes like CMS: parent long title, comma, 7th-character title', () => {
    expect(byCode(r, 'T360X1')).toMatchObject({ billable: false, longTitle: 'Poisoning by penicillins, accidental (unintentional)' });
    expect(byCode(r, 'T360X1A')).toMatchObject({ billable: true, longTitle: 'Poisoning by penicillins, accidental (unintentional), initial encounter' });
    expect(byCode(r, 'T360X1S')?.longTitle).toBe('Poisoning by penicillins, accidental (unintentional), sequela');
    const s72 = r.sevenChars.find((s) => s.code === 'S72');
    expect(s72?.values.map((v) => v.char).join('')).toBe('ABCDEFGHJKMNPQRS');
    expect(byCode(r, 'S72001A')?.longTitle).toBe('Fracture of unspecified part of neck of right femur, initial encounter for closed fracture');
    expect(byCode(r, 'S72001R')?.longTitle).toBe('Fracture of unspecified part of neck of right femur, subsequent encounter for open fracture type IIIA, IIIB, or IIIC with malunion');
    expect(r.codes.filter((c) => c.code.startsWith('S72001')).map((c) => c.code)).toHaveLength(17);
    expect(byCode(r, 'O321XX0')?.longTitle).toBe('Maternal care for breech presentation, not applicable or unspecified');
    // A rule redefined deeper (S52.01 torus fractures: no open-fracture characters).
    expect(r.codes.filter((c) => /^S52011.$/.test(c.code)).map((c) => c.code.at(-1)).join('')).toBe('ADGKPS');
    // S06 6th character 7/8 (death before regaining consciousness): only A, per the category note.
    expect(r.codes.filter((c) => c.code.startsWith('S06307')).map((c) => c.code)).toEqual(['S06307', 'S06307A']);
  });

  it('attaches notes to the right codes (checked in the XML)', () => {
    expect(notesOf(r, 'G01', 'codeFirst')).toEqual(['underlying disease']);
    expect(notesOf(r, 'E11', 'excludes1')).toContain('type 1 diabetes mellitus (E10.-)');
    expect(notesOf(r, 'E11', 'excludes1')).toHaveLength(8);
    expect(notesOf(r, 'S060', 'inclusionTerm')).toEqual(['Commotio cerebri']);
    expect(notesOf(r, 'chapter:19', 'notes')[0]).toMatch(/^Use secondary code\(s\) from Chapter 20/);
    expect(notesOf(r, 'section:T36-T50', 'codeFirst')[0]).toBe(', for adverse effects, the nature of the adverse effect, such as:');
  });
});

describe.skipIf(!haveRefData)('parseTabularXml on the real FY2017 tabular (zip member)', () => {
  it('reads the FY2017 release: 21 chapters, 93,830 codes, 71,486 billable', async () => {
    const r = await parseTabularXml(await zipEntryText(ZIP_2017, 'icd10cm_tabular_2017.xml'), 'ICD10CM_FY2017_Full_XML.zip!icd10cm_tabular_2017.xml');
    expect(r.version).toBe('2017');
    expect(r.chapters).toHaveLength(21);
    expect(r.sections).toHaveLength(295);
    expect(r.sevenChars).toHaveLength(505);
    expect(r.codes).toHaveLength(93_830);
    expect(r.codes.length - 43_910).toBe(49_920); // 43,910 diag elements, 49,920 formed from sevenChrDef
    expect(r.codes.filter((c) => c.billable)).toHaveLength(71_486);
    expect(r.notes.filter((n) => n.kind === 'excludes1')).toHaveLength(5426);
    // FY2017 has no S06 exception note, so D and S are formed for 6th character 7 as well.
    expect(r.codes.filter((c) => c.code.startsWith('S06307')).map((c) => c.code)).toEqual(['S06307', 'S06307A', 'S06307D', 'S06307S']);
  });
});
