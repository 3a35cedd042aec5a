import { describe, expect, it } from 'vitest';
import { fixture, gunzipText, haveRefData, XML_DIR } from './__fixtures__/sources.js';
import { parseTableXml } from './tables.js';

describe('parseTableXml on a synthetic neoplasm table', () => {
  it('turns each coded cell into a path ending with its column heading; "-" and "--" are no code', async () => {
    const r = await parseTableXml(fixture('table-mini.xml'), 'table-mini.xml');
    expect(r.version).toBe('2099');
    expect(r.columns.map((c) => c.title)).toEqual(['Neoplasm', 'Malignant Primary', 'Malignant Secondary', 'Ca in situ']);
    expect(r.rows.map((x) => `${x.code}@${x.col}`)).toEqual(['C801@2', 'C799@3', 'D099@4', 'C762@2', 'C798-@3', 'C44509@2', 'D045@4', 'C0689@2']);
    expect(r.rows[4]).toEqual({ code: 'C798-', col: 3, path: ['Neoplasm, neoplastic', 'abdomen, abdominal', 'Malignant Secondary'], plainPath: ['Neoplasm, neoplastic', 'abdomen, abdominal', 'Malignant Secondary'] });
    expect(r.rows.at(-1)).toMatchObject({ plainPath: ['Neoplasm, neoplastic', 'book-leaf', 'Malignant Primary'], manif: 'ventral surface of tongue and floor of mouth' });
    expect(r.crossRefs).toEqual([expect.objectContaining({ seeAlso: 'Neoplasm, abdomen, wall, skin' })]);
  });
});

describe.skipIf(!haveRefData)('parseTableXml on the real FY2021 tables', () => {
  it('reads the Table of Neoplasms: 10,916 cells, 1,898 of them "-"', async () => {
    const r = await parseTableXml(gunzipText(`${XML_DIR}/fy2021/icd10cm_neoplasm_2021.xml.gz`), 'icd10cm_neoplasm_2021.xml');
    expect(r.version).toBe('2021');
    expect(r.columns).toHaveLength(7);
    expect(r.rows).toHaveLength(10_916 - 1898);
    const cavity = r.rows.filter((x) => x.plainPath.slice(0, 3).join('|') === 'Neoplasm, neoplastic|abdomen, abdominal|cavity');
    expect(cavity.map((x) => [x.code, x.path.at(-1)])).toEqual([
      ['C762', 'Malignant Primary'], ['C798-', 'Malignant Secondary'], ['D098', 'Ca in situ'],
      ['D367', 'Benign'], ['D487', 'Uncertain Behavior'], ['D4989', 'Unspecified Behavior'],
    ]);
  });

  it('reads the Table of Drugs: 5,173 substances, 43,170 cells, 2 × 1,591 of them "--"', async () => {
    const r = await parseTableXml(gunzipText(`${XML_DIR}/fy2021/icd10cm_drug_2021.xml.gz`), 'icd10cm_drug_2021.xml');
    expect(r.mainTerms).toBe(5173);
    expect(r.rows).toHaveLength(43_170 - 2 * 1591);
    expect(r.rows.filter((x) => x.path[0] === '1-propanol').map((x) => x.code)).toEqual(['T513X1', 'T513X2', 'T513X3', 'T513X4']);
    expect(r.columns[1]).toEqual({ col: 2, title: 'Poisoning Accidental (unintentional)' });
  });
});
