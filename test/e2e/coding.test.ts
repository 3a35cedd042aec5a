import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdtEvent } from '../../src/interop/hl7v2/adt-event.js';
import { codesetsOf } from '../../src/main/codesets.js';
import { grouperOf } from '../../src/main/grouper.js';
import { mceOf } from '../../src/main/mce.js';
import { patientsOf } from '../../src/main/patients.js';
import { addUser, login, startTestPlatform, type Session, type TestPlatform } from '../support/platform.js';
import { REFDATA } from '../support/refdata.js';

let t: TestPlatform;
let coder: Session;
let physician: Session;
let physicianId = '';
let encounterId = '';

const system = { userId: null, username: 'test', sourceIp: null, channel: 'system' as const };

function discharge(mrn: string, visit: string, birthDate: string, sex: string): AdtEvent {
  return {
    event: 'A03', messageTime: '2025-03-05T12:00:00.000Z', occurredAt: null,
    patient: { identifiers: [{ value: mrn, authority: 'HOSP', type: 'MR' }], names: [{ family: 'Whitlock', given: 'Edna', middle: null, suffix: null, prefix: null, use: 'L' }], birthDate, sex, race: null, ethnicity: null, maritalStatus: null, language: null, addresses: [], phones: [], email: null, ssn: null, deathDate: null, deceased: null },
    nextOfKin: [], guarantor: null, coverages: [],
    visit: { accountNumber: null, visitNumber: visit, patientClass: 'I', location: null, priorLocation: null, admitType: '1', admitSource: '7', attending: [], referring: [], consulting: [], admitting: [], hospitalService: 'MED', financialClass: 'MC', dischargeDisposition: '01', admitAt: '2025-03-01T09:00:00.000Z', dischargeAt: '2025-03-05T12:00:00.000Z' },
    merge: null,
  };
}

const abstract = (pdx: string | null, sdx: { code: string; poa: string }[] = []) => ({
  principalDx: pdx, principalPoa: 'Y', admittingDx: null, secondary: sdx, procedures: [], dischargeDisposition: '01', admitSource: '7', admitType: '1', birthWeightGrams: null,
});

beforeAll(async () => {
  t = await startTestPlatform();
  await codesetsOf(t.platform).importCodesets([path.join(REFDATA, 'icd10cm', 'fy2025'), path.join(REFDATA, 'icd10pcs', 'fy2025')], system, () => undefined);
  await grouperOf(t.platform).importDefinitions(system, path.join(REFDATA, 'msdrg', 'v42.0'));
  await mceOf(t.platform).importTables(system, path.join(REFDATA, 'mce', 'v42.0'));
  const r = await t.platform.db.app.transaction().execute((tx) => patientsOf(t.platform).adt.apply(tx, discharge('C100', 'CV100', '1948-06-01', 'F'), system));
  encounterId = r.encounterId as string;
  const c = await addUser(t, 'coder-c', ['coder']);
  coder = await login(t.app, c.username, c.password, c.totpSecret);
  const d = await addUser(t, 'dr-house', ['physician']);
  physicianId = d.id;
  physician = await login(t.app, d.username, d.password, d.totpSecret);
}, 180_000);
afterAll(() => t.close());

describe('the DNFB work list and the abstract', () => {
  it('lists the discharged encounter as not coded, with days since discharge', async () => {
    const r = await coder.request('GET', '/api/coding/worklist');
    expect(r.statusCode, r.body).toBe(200);
    const item = r.json().items.find((i: { encounterId: string }) => i.encounterId === encounterId);
    expect(item.blockers).toEqual(['not_coded']);
    expect(item.daysSinceDischarge).toBeGreaterThan(100);
    expect(item.ageBand).toBe('31+');
    expect(r.json().totals.not_coded['31+'].cases).toBeGreaterThanOrEqual(1);
  });

  it('groups live as the coder types: HF alone, then with acute respiratory failure as MCC (DRG 291)', async () => {
    const aloneRes = await coder.request('POST', `/api/coding/cases/${encounterId}/evaluate`, { abstract: abstract('I50.23') });
    expect(aloneRes.statusCode, aloneRes.body).toBe(200);
    const alone = aloneRes.json();
    expect(alone.grouping.result.mdc).toBe(5);
    expect(alone.grouping.version).toBe('v42.0');
    const withMcc = (await coder.request('POST', `/api/coding/cases/${encounterId}/evaluate`, { abstract: abstract('I50.23', [{ code: 'J96.01', poa: 'Y' }]) })).json();
    expect(withMcc.grouping.result.drg).toBe(291);
    expect(withMcc.grouping.result.sdx[0]).toMatchObject({ code: 'J9601', severity: 'MCC', flag: 'MCC' });
    expect(withMcc.grouping.expectedPayment).toBeCloseTo(withMcc.grouping.result.weight * 6500, 1);
    expect(withMcc.grouping.result.trace.join(' ')).toMatch(/291/);
    expect(alone.grouping.result.drg).not.toBe(291);
    expect(withMcc.checks.every((c: { valid: boolean }) => c.valid)).toBe(true);
    const bad = (await coder.request('POST', `/api/coding/cases/${encounterId}/evaluate`, { abstract: abstract('I50', [{ code: 'Z99.99', poa: 'Y' }]) })).json();
    expect(bad.checks.map((c: { status: string }) => c.status)).toEqual(['not-billable', 'unknown']);
  });

  it('finds the documentation opportunity (what-if) without touching the abstract', async () => {
    const r = (await coder.request('POST', `/api/coding/cases/${encounterId}/what-if`, { abstract: abstract('I50.23') })).json();
    const arf = r.items.find((i: { code: string }) => i.code === 'J9601');
    expect(arf).toMatchObject({ kind: 'secondary', drg: 291, severity: 'MCC' });
    expect(arf.weightChange).toBeGreaterThan(0);
    expect(r.items.every((i: { drg: number }) => i.drg !== r.base.drg)).toBe(true);
  });

  it('saves versions, refuses final with a bad code, locks final, re-opens with a reason', async () => {
    const save = (body: object) => coder.request('PUT', `/api/coding/cases/${encounterId}/abstract`, body);
    expect((await save({ abstract: abstract('I50.23'), status: 'in_progress', version: 0 })).json().version).toBe(1);
    expect((await save({ abstract: abstract('I50'), status: 'final' })).json().code).toBe('ABSTRACT_INCOMPLETE');
    expect((await save({ abstract: abstract('I50.23', [{ code: 'J96.01', poa: '' }]), status: 'coded' })).json().code).toBe('ABSTRACT_INCOMPLETE');
    expect((await save({ abstract: abstract('I50.23'), status: 'in_progress', version: 0 })).json().code).toBe('ABSTRACT_VERSION_CONFLICT');
    const fin = await save({ abstract: abstract('I50.23', [{ code: 'J96.01', poa: 'Y' }]), status: 'final' });
    expect(fin.statusCode, fin.body).toBe(200);
    expect([fin.json().status, fin.json().locked, fin.json().version]).toEqual(['final', true, 2]);
    expect((await save({ abstract: abstract('I50.9'), status: 'in_progress' })).json().code).toBe('ABSTRACT_LOCKED');
    const wl = (await coder.request('GET', '/api/coding/worklist')).json().items.map((i: { encounterId: string }) => i.encounterId);
    expect(wl).not.toContain(encounterId);
    expect((await coder.request('POST', `/api/coding/cases/${encounterId}/reopen`, { reason: 'x' })).statusCode).toBe(400);
    const re = await coder.request('POST', `/api/coding/cases/${encounterId}/reopen`, { reason: 'late documentation arrived' });
    expect([re.json().status, re.json().version]).toEqual(['in_progress', 3]);
    expect(re.json().versions[0].reason).toBe('late documentation arrived');
    const audit = await t.sql("select reason from audit_event where resource_type = 'CodingAbstract' order by id");
    expect(audit.rows.map((r) => r.reason)).toContain('re-opened: late documentation arrived');
  });
});

describe('physician queries', () => {
  it('refuses a non-compliant query and sends a compliant one to the physician, who answers it', async () => {
    const base = { encounterId, templateId: 'respiratory-failure', physicianId, indicators: [{ text: 'SpO2 84% on room air', source: 'ED note 2025-03-01' }] };
    const leading = await coder.request('POST', '/api/coding/queries', { ...base, question: 'Please document acute respiratory failure so the DRG pays more.' });
    expect(leading.json().code).toBe('QUERY_NOT_COMPLIANT');
    const noOptions = await coder.request('POST', '/api/coding/queries', { ...base, options: ['Acute respiratory failure', 'Hypoxemia'] });
    expect(noOptions.json().detail).toMatch(/Other.*Clinically undetermined/s);
    const sent = await coder.request('POST', '/api/coding/queries', base);
    expect(sent.statusCode, sent.body).toBe(201);
    const wl = (await coder.request('GET', '/api/coding/worklist')).json().items.find((i: { encounterId: string }) => i.encounterId === encounterId);
    expect(wl.blockers).toContain('open_query');
    expect(wl.status).toBe('on_hold');
    const inbox = (await physician.request('GET', '/api/coding/queries?inbox=true')).json().items;
    expect(inbox.map((q: { id: string }) => q.id)).toEqual([sent.json().id]);
    expect((await coder.request('POST', `/api/coding/queries/${sent.json().id}/answer`, { answer: 'Clinically undetermined' })).statusCode).toBe(404);
    expect((await physician.request('POST', `/api/coding/queries/${sent.json().id}/answer`, { answer: 'Made up' })).statusCode).toBe(400);
    const ans = await physician.request('POST', `/api/coding/queries/${sent.json().id}/answer`, { answer: 'Acute respiratory failure with hypoxia' });
    expect([ans.json().status, ans.json().agreed]).toEqual(['answered', true]);
    expect((await physician.request('POST', `/api/coding/queries/${sent.json().id}/answer`, { answer: 'Clinically undetermined' })).json().code).toBe('QUERY_CLOSED');
    const back = (await coder.request('GET', `/api/coding/cases/${encounterId}`)).json();
    expect(back.status).toBe('in_progress');
    const report = (await coder.request('GET', '/api/coding/queries/report')).json();
    expect(report.byPhysician.find((r: { username: string }) => r.username === 'dr-house')).toMatchObject({ sent: 1, answered: 1, responseRate: 1, agreementRate: 1 });
  });
});
