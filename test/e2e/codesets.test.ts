import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesetsOf } from '../../src/main/codesets.js';
import { REFDATA } from '../support/refdata.js';
import { loginAdmin, startTestPlatform, type Session, type TestPlatform } from '../support/platform.js';

let t: TestPlatform;
let admin: Session;
let c: ReturnType<typeof codesetsOf>;
const actor = { userId: null, username: 'test', sourceIp: null, channel: 'cli' as const };
let first: Awaited<ReturnType<typeof c.importCodesets>>;

beforeAll(async () => {
  t = await startTestPlatform();
  admin = await loginAdmin(t.app);
  c = codesetsOf(t.platform);
  first = await c.importCodesets([`${REFDATA}/icd10cm`, `${REFDATA}/icd10pcs`, `${REFDATA}/hcpcs`], actor, () => undefined);
}, 300_000);
afterAll(() => t.close());

describe('import of every release in ../shared/refdata', () => {
  it('loads each release as a version of its own with the published counts', () => {
    const byLabel = new Map(first.releases.map((r) => [r.label, r]));
    expect(byLabel.get('ICD-10-CM FY2025')).toMatchObject({ codes: 97_584, billable: 74_260, effectiveFrom: '2024-10-01', status: 'imported' });
    expect(byLabel.get('ICD-10-CM FY2025 April update')).toMatchObject({ codes: 97_584, billable: 74_260, effectiveFrom: '2025-04-01' });
    expect(byLabel.get('ICD-10-CM FY2026')).toMatchObject({ codes: 98_186, billable: 74_719, effectiveFrom: '2025-10-01' });
    expect(byLabel.get('ICD-10-PCS FY2025')).toMatchObject({ codes: 79_856, billable: 78_948 });
    expect(byLabel.get('ICD-10-PCS FY2026')).toMatchObject({ codes: 80_029, billable: 79_115 });
    expect(byLabel.get('ICD-10-CM FY2021 (tabular XML)')).toMatchObject({ billable: 72_621 });
    expect(byLabel.get('ICD-10-CM FY2017 (tabular XML)')?.billable).toBeGreaterThan(70_000);
    expect(byLabel.get('HCPCS 2019 annual')?.codes).toBe(6_440 + 360);
    expect(byLabel.get('HCPCS 2025 Oct update')?.codes).toBe(8_463 + 383);
    expect(first.skipped.some((s) => /fy2022/.test(s.file) && /no ICD-10-CM tabular XML of FY2022/.test(s.why))).toBe(true);
    expect(first.skipped.some((s) => /HCPC2019_CONTR_ANWEB\.xlsx/.test(s.file) && /\.txt copy/.test(s.why))).toBe(true);
  });

  it('records the source checksums and audits the import', async () => {
    const r = await t.sql("select sources from codeset_release where label = 'ICD-10-CM FY2026'");
    const files = r.rows[0].sources.map((s: { file: string; sha256: string }) => [s.file.split('/').pop(), s.sha256]);
    expect(files).toContainEqual(['2026-code-descriptions-tabular-order.zip', '55a9124a27ca78a4a5c41e1101eda064ec2e08d105ff9e78d1fbd1a83298ef11']);
    const audit = await t.sql("select count(*)::int as n from audit_event where category = 'reference' and action = 'write'");
    expect(audit.rows[0].n).toBe(first.releases.length);
  });

  it('validates the tabular and index XML against CDC schemas and records it', async () => {
    const r = await t.sql("select sources from codeset_release where label = 'ICD-10-CM FY2017 (tabular XML)'");
    const checks = r.rows[0].sources.filter((s: { check?: string }) => s.check).map((s: { file: string; check: string }) => [s.file.split('!').pop(), s.check]);
    expect(checks).toEqual(expect.arrayContaining([['icd10cm_tabular_2017.xml', 'validated against icd10cm_tabular.xsd'], ['icd10cm_index_2017.xml', 'validated against icd10cm_index.xsd']]));
    const pcs = await t.sql("select sources from codeset_release where label = 'ICD-10-PCS FY2026'");
    expect(pcs.rows[0].sources.some((s: { check?: string }) => /unvalidated: CMS publishes no schema/.test(s.check ?? ''))).toBe(true);
  });

  it('marks POA-exempt codes', async () => {
    const r = await t.sql("select count(*)::int as n from codeset_code c join codeset_release r on r.id = c.release_id where r.label = 'ICD-10-CM FY2026' and c.poa_exempt");
    expect(r.rows[0].n).toBeGreaterThan(38_000);
  });

  it('re-importing is a no-op', async () => {
    const before = (await t.sql('select count(*)::int as n from codeset_code')).rows[0].n;
    const again = await c.importCodesets([`${REFDATA}/icd10cm/fy2026`], actor, () => undefined);
    expect(again.releases.map((r) => r.status)).toEqual(['already loaded']);
    expect((await t.sql('select count(*)::int as n from codeset_code')).rows[0].n).toBe(before);
  });
});

describe('validate on a date', () => {
  it('answers valid, not-billable with children, not-yet-effective, deleted and unknown', async () => {
    const v = await c.codes.validate('F43.10', 'icd10cm', '2025-11-01');
    expect(v).toMatchObject({ valid: true, status: 'valid', code: 'F43.10' });
    expect(v.version.label).toBe('ICD-10-CM FY2026');
    const header = await c.codes.validate('e119', 'icd10cm', '2025-11-01');
    expect(header.valid).toBe(true);
    const cat = await c.codes.validate('F43.1', 'icd10cm', '2025-11-01');
    expect(cat.status).toBe('not-billable');
    expect(cat.children!.map((x) => x.code)).toEqual(['F43.10', 'F43.11', 'F43.12']);
    const added = await c.codes.diff('icd10cm', '2025', '2026');
    const newCode = added.added.find((x) => !x.code.startsWith('QA'))!.code;
    expect((await c.codes.validate(newCode, 'icd10cm', '2025-01-15')).status).toBe('not-yet-effective');
    const gone = added.deleted[0]!.code;
    const del = await c.codes.validate(gone, 'icd10cm', '2025-11-01');
    expect(del.status).toBe('deleted');
    expect(del.deletedOn).toBe('2025-10-01');
    // The FY2026 conversion table names the codes that replaced it.
    const withSuccessors = await Promise.all(added.deleted.map((x) => c.codes.validate(x.code, 'icd10cm', '2025-11-01')));
    expect(withSuccessors.filter((x) => (x.successors ?? []).length > 0).length).toBeGreaterThan(withSuccessors.length / 2);
    const conv = await t.sql('select count(*)::int as n from codeset_conversion');
    expect(conv.rows[0].n).toBeGreaterThan(5000);
    expect((await c.codes.validate('ZZZ99', 'icd10cm', '2025-11-01')).status).toBe('unknown');
  });

  it('uses the newest release, and says so, on a date no release covers', async () => {
    const v = await c.codes.validate('F43.10', 'icd10cm', '2026-12-01');
    expect(v.version).toMatchObject({ label: 'ICD-10-CM FY2026', inForce: false });
    expect(v.version.notice).toMatch(/No loaded .* in force on 2026-12-01/);
  });
});

describe('diff', () => {
  it('reconciles FY2025 → FY2026 with the CMS addenda', async () => {
    const d = await c.codes.diff('icd10cm', '2025', '2026');
    expect(d.added).toHaveLength(614);
    expect(d.deleted).toHaveLength(12);
    expect(d.billableToHeader).toHaveLength(16);
    expect(d.reconciliation?.matches).toBe(true);
    const pcs = await c.codes.diff('icd10pcs', '2025', '2026');
    expect(pcs.added.filter((x) => x.billable)).toHaveLength(206);
    expect(pcs.deleted.filter((x) => x.billable)).toHaveLength(39);
    const april = await c.codes.diff('icd10cm', '2024-10-01', '2025-04-01');
    expect(april.added.length + april.deleted.length + april.revised.length).toBe(0);
  });
});

describe('tree browser', () => {
  it('walks letter → category → subcategory → code, counting what lies below', async () => {
    const root = await c.codes.tree('icd10cm', undefined, '2025-11-01');
    expect(root.children.some((x) => x.code === 'E11')).toBe(true);
    const e11 = await c.codes.tree('icd10cm', 'E11', '2025-11-01');
    expect(e11.parent).toMatchObject({ code: 'E11', billable: false });
    expect(e11.children.map((x) => x.code)).toContain('E11.9');
    expect(e11.children.find((x) => x.code === 'E11.9')).toMatchObject({ billable: true, children: 0 });
    const t36 = await c.codes.tree('icd10cm', 'T36.0X', '2025-11-01');
    expect(t36.children.map((x) => x.code)).toContain('T36.0X1');
    expect((await c.codes.tree('icd10cm', 'T36.0X1', '2025-11-01')).children.map((x) => x.code)).toContain('T36.0X1A');
    const http = await admin.request('GET', '/api/codes/tree?system=icd10cm&parent=F43.1&date=2025-11-01');
    expect(http.json().children.map((x: { code: string }) => x.code)).toEqual(['F43.10', 'F43.11', 'F43.12']);
  });
});

describe('ICD-10-PCS builder', () => {
  it('offers only the values that form valid codes, step by step, with definitions', async () => {
    const first = await c.codes.pcsNext('', '2025-11-01');
    expect(first.step?.position).toBe(1);
    expect(first.step?.options.map((o) => o.char)).toContain('0');
    const op = await c.codes.pcsNext('0D', '2025-11-01');
    expect(op.step?.axisTitle).toMatch(/Operation/i);
    const resection = op.step!.options.find((o) => o.char === 'T')!;
    expect(resection.label).toBe('Resection');
    expect(resection.definition).toMatch(/Cutting out or off, without replacement, all of a body part/);
    const approaches = await c.codes.pcsNext('0DTR', '2025-11-01');
    expect(approaches.step?.options.map((o) => o.char)).toEqual(['0', '4']);
    const done = await c.codes.pcsNext('0DTJ4ZZ', '2025-11-01');
    expect(done.code).toMatchObject({ valid: true, title: 'Resection of Appendix, Percutaneous Endoscopic Approach' });
    expect(done.step).toBeNull();
    const http = await admin.request('GET', '/api/codes/pcs/builder?prefix=0DTJ&date=2025-11-01');
    expect(http.json().step.options.map((o: { char: string }) => o.char)).toEqual(['0', '4', '7', '8']);
    expect((await admin.request('GET', '/api/codes/pcs/builder?prefix=0DTI')).json().code).toBe('INVALID_PARAMETER');
  });
});

describe('FHIR R4 terminology', () => {
  it('$lookup, $validate-code and $expand, with OperationOutcome on errors', async () => {
    const look = await admin.request('GET', '/fhir/R4/CodeSystem/$lookup?system=http://hl7.org/fhir/sid/icd-10-cm&code=E11.9&date=2025-11-01');
    expect(look.statusCode).toBe(200);
    const params = look.json().parameter as { name: string; valueString?: string }[];
    expect(params.find((p) => p.name === 'display')?.valueString).toBe('Type 2 diabetes mellitus without complications');
    const val = await admin.request('GET', '/fhir/R4/CodeSystem/$validate-code?url=http://www.cms.gov/Medicare/Coding/ICD10&code=0DTJ4ZZ&date=2025-11-01');
    expect(val.json().parameter[0]).toEqual({ name: 'result', valueBoolean: true });
    const bad = await admin.request('GET', '/fhir/R4/CodeSystem/$validate-code?url=http://hl7.org/fhir/sid/icd-10-cm&code=E11&date=2025-11-01');
    expect(bad.json().parameter[0]).toEqual({ name: 'result', valueBoolean: false });
    const exp = await admin.request('GET', '/fhir/R4/ValueSet/$expand?url=http://hl7.org/fhir/sid/icd-10-cm&filter=type%202%20diabetes&count=5&date=2025-11-01');
    expect(exp.json().resourceType).toBe('ValueSet');
    expect(exp.json().expansion.contains.length).toBeGreaterThan(0);
    const unknown = await admin.request('GET', '/fhir/R4/CodeSystem/$lookup?system=http://snomed.info/sct&code=1');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] });
    const missing = await admin.request('GET', '/fhir/R4/CodeSystem/$lookup?system=http://hl7.org/fhir/sid/icd-10-cm&code=ZZZ99');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().resourceType).toBe('OperationOutcome');
  });
});

describe('HTTP API', () => {
  it('searches, validates and shows detail', async () => {
    const s = await admin.request('GET', '/api/codes/search?q=f4310&system=icd10cm&date=2025-11-01');
    expect(s.statusCode).toBe(200);
    expect(s.json().hits[0]).toMatchObject({ code: 'F43.10', system: 'icd10cm', billable: true });
    const words = await admin.request('GET', '/api/codes/search?q=type%202%20diabetes%20without%20complications&system=icd10cm&date=2025-11-01');
    expect(words.json().hits.map((h: { code: string }) => h.code)).toContain('E11.9');
    const v = await admin.request('GET', '/api/codes/validate?code=E11&system=icd10cm&date=2025-11-01');
    expect(v.json().status).toBe('not-billable');
    const d = await admin.request('GET', '/api/codes/icd10cm/T36.0X1A?date=2021-05-01');
    expect(d.statusCode).toBe(200);
    expect(d.json().version.label).toBe('ICD-10-CM FY2021 (tabular XML)');
    expect(d.json().ancestors.map((a: { code: string }) => a.code)).toEqual(expect.arrayContaining(['T36', 'T36.0']));
    expect(d.json().notes.length).toBeGreaterThan(0);
    // FY2026 has no tabular XML: notes come from FY2021 where the title is unchanged, index paths from FY2017.
    const e11 = (await admin.request('GET', '/api/codes/icd10cm/E11.9?date=2025-11-01')).json();
    expect(e11.version.label).toBe('ICD-10-CM FY2026');
    expect(e11.notesFrom).toMatch(/FY2021 \(tabular XML\); the title is unchanged since/);
    expect(e11.notes.some((n: { kind: string; text: string }) => n.kind === 'excludes1' && /type 1 diabetes/i.test(n.text))).toBe(true);
    expect(e11.indexFrom).toMatch(/FY2017/);
    expect(e11.indexPaths.length).toBeGreaterThan(0);
    expect((await admin.request('GET', '/api/codes/search?q=x&system=icd11')).json().code).toBe('CODE_SYSTEM_UNKNOWN');
    expect((await admin.request('GET', '/api/codes/validate?code=E11&system=icd10cm&date=2025-13-45')).statusCode).toBe(400);
    expect((await admin.request('GET', '/api/codes/icd10cm/ZZZ999')).json().code).toBe('CODE_NOT_FOUND');
  });
});
