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

describe('assignment to coders', () => {
  let other: Session;
  let otherId = '';
  let coderId = '';
  let disabledId = '';
  let clerk: Session;
  let cases: string[];
  const worklist = async (s: Session, q = '') => (await s.request('GET', `/api/coding/worklist${q}`)).json().items as { encounterId: string; assignedTo: string | null; assignee: { id: string; displayName: string | null } | null; patient: { mrn: string } | null }[];
  const assignedTo = async (ids: string[]) => (await t.sql('select encounter_id, assigned_to from coding_case where encounter_id = any($1) order by encounter_id', [ids])).rows.map((r) => r.assigned_to as string | null);

  beforeAll(async () => {
    cases = [];
    for (const [mrn, visit] of [['C200', 'CV200'], ['C201', 'CV201']] as const) {
      const r = await t.platform.db.app.transaction().execute((tx) => patientsOf(t.platform).adt.apply(tx, discharge(mrn, visit, '1950-02-03', 'M'), system));
      cases.push(String(r.encounterId));
    }
    coderId = coder.info.user ? (coder.info.user as { id: string }).id : '';
    const o = await addUser(t, 'coder-o', ['coder'], { displayName: 'Oona Coder' });
    otherId = o.id;
    other = await login(t.app, o.username, o.password, o.totpSecret);
    disabledId = (await addUser(t, 'coder-gone', ['coder'])).id;
    await t.platform.users.setDisabled(null, system, disabledId, true);
    const k = await addUser(t, 'clerk-a', ['clerk']);
    clerk = await login(t.app, k.username, k.password, k.totpSecret);
  });

  it('lists the active users who may code, to anyone who may see the work list', async () => {
    const r = await coder.request('GET', '/api/coding/coders');
    expect(r.statusCode, r.body).toBe(200);
    const ids = r.json().items.map((u: { id: string }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([coderId, otherId]));
    expect(ids).not.toContain(physicianId);
    expect(ids).not.toContain(disabledId);
    expect(r.json().items.find((u: { id: string }) => u.id === otherId)).toEqual({ id: otherId, username: 'coder-o', displayName: 'Oona Coder' });
    expect((await physician.request('GET', '/api/coding/coders')).statusCode).toBe(200);
    expect((await clerk.request('GET', '/api/coding/coders')).json().code).toBe('FORBIDDEN');
  });

  it('assigns one case; the work list names the assignee and filters by them, by "me" and by "none"', async () => {
    const r = await coder.request('PUT', `/api/coding/cases/${cases[0]}/assignee`, { userId: otherId });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ encounterId: cases[0], assignedTo: otherId });
    const item = (await worklist(coder)).find((i) => i.encounterId === cases[0]);
    expect(item?.assignee).toEqual({ id: otherId, displayName: 'Oona Coder' });
    expect(item?.patient?.mrn).toBeTruthy();
    expect((await worklist(coder, `?assignedTo=${otherId}`)).map((i) => i.encounterId)).toEqual([cases[0]]);
    expect((await worklist(other, '?assignedTo=me')).map((i) => i.encounterId)).toEqual([cases[0]]);
    const none = (await worklist(coder, '?assignedTo=none')).map((i) => i.encounterId);
    expect(none).toContain(cases[1]);
    expect(none).not.toContain(cases[0]);
  });

  it('assigns several cases in one call, each audited, and unassigns them', async () => {
    const before = Number((await t.sql("select count(*) as n from audit_event where resource_type = 'CodingCase' and action = 'write'")).rows[0].n);
    const r = await coder.request('PUT', '/api/coding/assignments', { encounterIds: cases, userId: coderId });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().items).toEqual(cases.map((encounterId) => ({ encounterId, assignedTo: coderId })));
    expect(r.json().assignee.id).toBe(coderId);
    expect(await assignedTo(cases)).toEqual([coderId, coderId]);
    const audit = await t.sql("select resource_id, patient_id, reason, details, user_id from audit_event where resource_type = 'CodingCase' and action = 'write' and resource_id = any($1) and reason = 'assigned to coder-c' order by resource_id", [cases]);
    expect(audit.rows.map((a) => a.resource_id)).toEqual([...cases].sort());
    expect(audit.rows.every((a) => a.patient_id && a.user_id === coderId)).toBe(true);
    expect(JSON.parse(String(audit.rows.find((a) => a.resource_id === cases[0])?.details))).toMatchObject({ assignedTo: coderId, previous: otherId });
    expect((await worklist(coder, '?assignedTo=me')).map((i) => i.encounterId)).toEqual(expect.arrayContaining(cases));

    const un = await coder.request('PUT', '/api/coding/assignments', { encounterIds: cases, userId: null });
    expect(un.statusCode, un.body).toBe(200);
    expect(await assignedTo(cases)).toEqual([null, null]);
    const after = Number((await t.sql("select count(*) as n from audit_event where resource_type = 'CodingCase' and action = 'write'")).rows[0].n);
    expect(after - before).toBe(4);
  });

  it('refuses an assignee who is not an active coder, with its code, and changes nothing', async () => {
    for (const userId of [physicianId, disabledId, '00000000-0000-4000-8000-000000000000']) {
      const r = await coder.request('PUT', '/api/coding/assignments', { encounterIds: cases, userId });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().code).toBe('CODING_ASSIGNEE_INVALID');
      expect(r.json().detail).toMatch(/active user who may code/);
      expect((await coder.request('PUT', `/api/coding/cases/${cases[0]}/assignee`, { userId })).json().detail).toMatch(/active user who may code/);
    }
    expect(await assignedTo(cases)).toEqual([null, null]);
  });

  it('is all or nothing: an unknown or restricted case refuses the whole assignment', async () => {
    const unknown = await coder.request('PUT', '/api/coding/assignments', { encounterIds: [cases[0], '00000000-0000-4000-8000-000000000001'], userId: otherId });
    expect(unknown.statusCode, unknown.body).toBe(404);
    expect(unknown.json().detail).toMatch(/1 of the 2 cases were not found; nothing was assigned/);
    const pid = (await t.sql('select patient_id from coding_case where encounter_id = $1', [cases[1]])).rows[0].patient_id as string;
    await t.sql("insert into patient_restriction (patient_id, reason) values ($1, 'staff member')", [pid]);
    try {
      const restricted = await coder.request('PUT', '/api/coding/assignments', { encounterIds: cases, userId: otherId });
      expect(restricted.statusCode, restricted.body).toBe(404);
      const denied = await t.sql("select count(*) as n from audit_event where outcome = 'denied' and patient_id = $1 and category = 'coding'", [pid]);
      expect(Number(denied.rows[0].n)).toBeGreaterThanOrEqual(1);
    } finally {
      await t.sql('delete from patient_restriction where patient_id = $1', [pid]);
    }
    expect(await assignedTo(cases)).toEqual([null, null]);
  });

  it('needs write on coding to assign: 403 for a physician (read only) and a clerk', async () => {
    for (const s of [physician, clerk]) {
      const bulk = await s.request('PUT', '/api/coding/assignments', { encounterIds: cases, userId: otherId });
      expect(bulk.statusCode, bulk.body).toBe(403);
      expect(bulk.json().code).toBe('FORBIDDEN');
      expect((await s.request('PUT', `/api/coding/cases/${cases[0]}/assignee`, { userId: otherId })).statusCode).toBe(403);
    }
    expect(await assignedTo(cases)).toEqual([null, null]);
  });

  it('refuses an assignedTo filter that is not a user id, "me" or "none"', async () => {
    const r = await coder.request('GET', '/api/coding/worklist?assignedTo=somebody');
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toBe('INVALID_PARAMETER');
  });
});
