// The Table of Drugs, the Table of Neoplasms and the External Cause Index of the XML years (issue 10): parsed
// with the XML year, stored per year, shown in code detail (borrowed, with their year, by versions without
// XML) and used by the encoder as search terms with their provenance; and the chapters and blocks of the XML
// years, which give every version's codes chapter → block → category → code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesetsOf } from '../../src/main/codesets.js';
import { REFDATA } from '../support/refdata.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let t: TestPlatform;
let c: ReturnType<typeof codesetsOf>;
const actor = { userId: null, username: 'test', sourceIp: null, channel: 'cli' as const };
let first: Awaited<ReturnType<typeof c.importCodesets>>;
const SOURCES = [`${REFDATA}/icd10cm/xml`, `${REFDATA}/icd10cm/fy2026/2026-code-descriptions-tabular-order.zip`];

beforeAll(async () => {
  t = await startTestPlatform();
  c = codesetsOf(t.platform);
  first = await c.importCodesets(SOURCES, actor, () => undefined);
}, 300_000);
afterAll(() => t.close());

describe('drug, neoplasm and external-cause tables of the XML years', () => {
  it('imports them with their XML year; FY2022 (no tabular) stays skipped', async () => {
    const byLabel = new Map(first.releases.map((r) => [r.label, r]));
    expect(byLabel.get('ICD-10-CM FY2021 (tabular XML)')?.tableRows).toBeGreaterThan(50_000);
    expect(byLabel.get('ICD-10-CM FY2017 (tabular XML)')?.tableRows).toBeGreaterThan(50_000);
    expect(byLabel.get('ICD-10-CM FY2026')?.tableRows).toBeUndefined();
    for (const kind of ['drug', 'eindex', 'neoplasm']) {
      expect(first.skipped.some((s) => s.file.endsWith(`icd10cm_${kind}_2022.xml.gz`) && /no ICD-10-CM tabular XML of FY2022/.test(s.why))).toBe(true);
    }
    const r = await t.sql("select r.label, t.source, count(*)::int as n from codeset_table_row t join codeset_release r on r.id = t.release_id group by 1, 2 order by 1, 2");
    const fy21 = Object.fromEntries(r.rows.filter((x: { label: string }) => x.label.includes('FY2021')).map((x: { source: string; n: number }) => [x.source, x.n]));
    expect(fy21.drug).toBe(43_170 - 2 * 1591);
    expect(fy21.neoplasm).toBe(10_916 - 1898);
    expect(fy21.eindex).toBeGreaterThan(5000);
  });

  it('records how each table file was checked against its schema', async () => {
    const r = await t.sql("select label, sources from codeset_release where kind = 'xml' order by label");
    const checks = new Map<string, string>();
    for (const row of r.rows) for (const s of row.sources as { file: string; check?: string }[]) if (s.check) checks.set(s.file.split(/[!/]/).pop()!.replace(/\.gz$/, ''), s.check);
    expect(checks.get('icd10cm_eindex_2021.xml')).toMatch(/^validated against icd10cm_index\.xsd$|^unvalidated: xmllint/);
    expect(checks.get('icd10cm_drug_2021.xml')).toMatch(/^validated against icd10cm_drug_neoplasm\.xsd$|^unvalidated: xmllint/);
    // CDC's FY2017 drug and neoplasm files do not match the FY2017 schema shipped with them.
    expect(checks.get('icd10cm_drug_2017.xml')).toMatch(/^unvalidated: /);
  });

  it('shows the rows that lead to a code in detail, borrowed with their year by a version without XML', async () => {
    const d = await c.codes.detail('T39.1X1A', 'icd10cm', '2025-11-01');
    expect(d.version.label).toBe('ICD-10-CM FY2026');
    expect(d.tablesFrom).toBe('tables of ICD-10-CM FY2021 (tabular XML)');
    expect(d.tableRows).toContainEqual({ source: 'drug', table: 'Table of Drugs and Chemicals', code: 'T39.1X1', path: ['Acetaminophen', 'Poisoning Accidental (unintentional)'] });
    const own = await c.codes.detail('C25.0', 'icd10cm', '2021-03-01');
    expect(own.tablesFrom).toBe('ICD-10-CM FY2021 (tabular XML)');
    expect(own.tableRows.map((r) => r.path.join(' › '))).toContain('Neoplasm, neoplastic › pancreas › head › Malignant Primary');
    const dash = await c.codes.detail('C79.81', 'icd10cm', '2025-11-01');
    expect(dash.tableRows.some((r) => r.source === 'neoplasm' && r.code === 'C79.81')).toBe(true);
    const ext = await c.codes.detail('W54.0XXA', 'icd10cm', '2025-11-01');
    expect(ext.tableRows.some((r) => r.table === 'External Cause Index' && r.path.join(' › ') === 'Bite, bitten by › dog')).toBe(true);
  });

  it('searches with them, saying which table and year a hit comes from', async () => {
    const drug = await c.codes.search('poisoning by acetaminophen accidental', 'icd10cm', '2025-11-01', 5);
    expect(drug.hits[0]).toMatchObject({ code: 'T39.1X1A' });
    expect(drug.hits[0]!.why).toContain('table of drugs FY2021: Acetaminophen › Poisoning Accidental (unintentional)');
    const lisinopril = await c.codes.search('adverse effect of lisinopril', 'icd10cm', '2025-11-01', 5);
    expect(lisinopril.hits[0]!.code).toBe('T46.4X5A');
    const pancreas = await c.codes.search('malignant neoplasm of pancreas head', 'icd10cm', '2025-11-01', 5);
    expect(pancreas.hits[0]!.code).toBe('C25.0');
    const metastasis = await c.codes.search('metastatic cancer to liver', 'icd10cm', '2025-11-01', 5);
    expect(metastasis.hits[0]!.code).toBe('C78.7');
    expect(metastasis.hits[0]!.why.some((w) => w.startsWith('neoplasm table FY2021: Neoplasm, neoplastic › hepatic'))).toBe(true);
  }, 120_000);

  it('shows chapter → block → category → code, with the ranges borrowed from the newest XML year where needed', async () => {
    // F32.A was added in FY2022: it still falls in the FY2021 ranges of chapter 5 and block F30-F39.
    const d = await c.codes.detail('F32.A', 'icd10cm', '2025-11-01');
    expect(d.chapter).toEqual({ num: 5, title: 'Mental, Behavioral and Neurodevelopmental disorders', range: 'F01-F99' });
    expect(d.block).toEqual({ id: 'F30-F39', title: 'Mood [affective] disorders' });
    expect(d.outlineFrom).toBe('chapter and block ranges of ICD-10-CM FY2021 (tabular XML)');
    expect(d.ancestors.map((a) => a.code)).toEqual(['F32']);
    const own = await c.codes.detail('C25.0', 'icd10cm', '2021-03-01');
    expect(own).toMatchObject({ chapter: { num: 2 }, block: { id: 'C15-C26' }, outlineFrom: 'ICD-10-CM FY2021 (tabular XML)' });
    expect(own.blocks.map((b) => b.id)).toEqual(['C00-C96', 'C00-C75', 'C15-C26']);
    const old = await c.codes.detail('I10', 'icd10cm', '2017-03-01');
    expect(old).toMatchObject({ chapter: { num: 9 }, block: { id: 'I10-I16' }, outlineFrom: 'ICD-10-CM FY2017 (tabular XML)' });
  });

  it('adds the tables to an XML year loaded without them, once', async () => {
    await t.sql('delete from codeset_tabular_outline');
    await t.sql('delete from codeset_table_row');
    await t.sql('update codeset_release set has_tables = false');
    const again = await c.importCodesets(SOURCES, actor, () => undefined);
    const fy21 = again.releases.find((r) => r.label === 'ICD-10-CM FY2021 (tabular XML)');
    expect(fy21).toMatchObject({ status: 'already loaded', tableRows: expect.any(Number) });
    const n = (await t.sql('select count(*)::int as n from codeset_table_row')).rows[0].n;
    expect((await t.sql('select count(*)::int as n from codeset_tabular_outline')).rows[0].n).toBe(2);
    expect((await c.codes.detail('F32.A', 'icd10cm', '2025-11-01')).block?.id).toBe('F30-F39');
    expect(n).toBeGreaterThan(100_000);
    const third = await c.importCodesets(SOURCES, actor, () => undefined);
    expect(third.releases.every((r) => r.status === 'already loaded' && r.tableRows === undefined)).toBe(true);
    expect((await t.sql('select count(*)::int as n from codeset_table_row')).rows[0].n).toBe(n);
  }, 300_000);
});
