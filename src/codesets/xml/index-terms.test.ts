import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, haveRefData, ZIP_2017, zipEntryText } from './__fixtures__/sources.js';
import { parseIndexXml, type IndexResult } from './index-terms.js';

const find = (r: IndexResult, ...path: string[]) => r.paths.filter((p) => p.path.join(' | ') === path.join(' | '));

describe('parseIndexXml on a synthetic index', () => {
  let r: IndexResult;
  beforeAll(async () => {
    r = await parseIndexXml(fixture('index-mini.xml'), 'index-mini.xml');
  });

  it('yields one path per code, main term first, with and without nonessential modifiers', () => {
    expect(r.version).toBe('2099');
    expect(r.mainTerms).toBe(5);
    expect(r.paths.map((p) => p.code)).toEqual(['F444', 'Q278', 'Q278', 'E859', 'E854', 'A020', 'T754', 'T148', 'S729-', 'C841-']);
    expect(r.paths[0]).toEqual({ code: 'F444', path: ['Abasia (-astasia) (hysterical)'], plainPath: ['Abasia'] });
    expect(find(r, 'Aberrant (congenital)', 'artery (peripheral)', 'vein (peripheral) NEC')[0]?.plainPath).toEqual(['Aberrant', 'artery', 'vein NEC']);
    expect(find(r, 'Amyloidosis (generalized) (primary)', 'heart')[0]).toMatchObject({ code: 'E854', manif: 'I43' });
  });

  it('joins a leading modifier without inventing a space, and keeps a modifier-only title', () => {
    const gastro = r.paths.find((p) => p.code === 'A020');
    expect(gastro?.path.at(-1)).toBe('(gastro)enteritis');
    expect(gastro?.plainPath.at(-1)).toBe('enteritis');
    expect(r.paths.find((p) => p.code === 'T754')?.plainPath.at(-1)).toBe('(taser)');
    expect(r.paths.find((p) => p.code === 'C841-')?.path).toEqual(['Fracture, traumatic', 'Sézary']);
  });

  it('collects see / see also / see category / see subcategory per term', () => {
    expect(r.crossRefs).toEqual([
      { path: ['Abandonment'], plainPath: ['Abandonment'], see: 'Maltreatment' },
      { path: ['Aberrant (congenital)'], plainPath: ['Aberrant'], seeAlso: 'Malposition, congenital' },
      expect.objectContaining({ plainPath: ['Amyloidosis', 'with', 'infectious disease NEC'], seeCategory: 'M01' }),
      expect.objectContaining({ plainPath: ['Amyloidosis', 'with', 'acoustic or auditory'], seeSubcategory: 'H933' }),
      { path: ['Fracture, traumatic', 'femur, femoral', 'neck'], plainPath: ['Fracture, traumatic', 'femur, femoral', 'neck'], see: 'Fracture, femur, upper end, neck', seeAlso: 'Fracture, hip' },
    ]);
  });
});

describe.skipIf(!haveRefData)('parseIndexXml on the real FY2017 indexes (zip members)', () => {
  it('reads the alphabetic index: 7,973 main terms, 59,412 coded paths', async () => {
    const r = await parseIndexXml(await zipEntryText(ZIP_2017, 'icd10cm_index_2017.xml'), 'icd10cm_index_2017.xml');
    expect(r.version).toBe('2017');
    expect(r.mainTerms).toBe(7973);
    expect(r.paths).toHaveLength(59_412); // = <code> elements
    expect(r.paths.filter((p) => p.manif)).toHaveLength(746);
    expect(r.crossRefs.filter((c) => c.see)).toHaveLength(11_979);
    expect(r.crossRefs.filter((c) => c.seeAlso)).toHaveLength(1704);
    expect(r.crossRefs.filter((c) => c.seeCategory)).toHaveLength(15);
    expect(r.crossRefs.filter((c) => c.seeSubcategory)).toHaveLength(130);
    expect(Math.max(...r.paths.map((p) => p.path.length))).toBe(10); // main term + levels 1-9
    expect(r.paths[0]).toEqual({ code: 'Q871', path: ["Aarskog's syndrome"], plainPath: ["Aarskog's syndrome"] });
    const old = r.paths.find((p) => p.plainPath.join('|') === 'Infarct, infarction|myocardium, myocardial|healed or old');
    expect(old).toEqual({
      code: 'I252',
      path: ['Infarct, infarction', 'myocardium, myocardial (acute) (with stated duration of 4 weeks or less)', 'healed or old'],
      plainPath: ['Infarct, infarction', 'myocardium, myocardial', 'healed or old'],
    });
    expect(r.paths.find((p) => p.plainPath[0] === 'Amyloid heart')).toMatchObject({ code: 'E854', manif: 'I43' });
  });

  it('reads the external cause index with the same parser', async () => {
    const r = await parseIndexXml(await zipEntryText(ZIP_2017, 'icd10cm_eindex_2017.xml'), 'icd10cm_eindex_2017.xml');
    expect(r.mainTerms).toBe(314);
    expect(r.paths).toHaveLength(6208);
  });
});
