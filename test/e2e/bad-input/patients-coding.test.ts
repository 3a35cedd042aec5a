import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, login, startTestPlatform, type Session, type TestPlatform } from '../../support/platform.js';

// Bad input on the MPI, encounter, FHIR $match and coding routes: clear 4xx codes, nothing stored.
let t: TestPlatform;
let clerk: Session;
let coder: Session;

const demo = { names: [{ family: 'Okafor', given: 'Ada' }], birthDate: '1970-01-01', sex: 'F', addresses: [], phones: [], nextOfKin: [], coverages: [] };
const count = async () => Number((await t.sql('select count(*) as n from patient')).rows[0].n);

beforeAll(async () => {
  t = await startTestPlatform();
  const c = await addUser(t, 'clerk-bad', ['clerk']);
  clerk = await login(t.app, c.username, c.password, c.totpSecret);
  const k = await addUser(t, 'coder-bad', ['coder']);
  coder = await login(t.app, k.username, k.password, k.totpSecret);
});
afterAll(() => t.close());

describe('patients', () => {
  it('refuses malformed registrations with a stable code and stores nothing', async () => {
    const before = await count();
    const cases: [unknown, string][] = [
      [{ demographics: { ...demo, names: [] } }, 'VALIDATION_FAILED'],
      [{ demographics: { ...demo, names: [{ family: 'x'.repeat(500), given: 'A' }] } }, 'VALIDATION_FAILED'],
      [{ demographics: { ...demo, birthDate: '1970-02-30' } }, 'VALIDATION_FAILED'],
      [{ demographics: { ...demo, sex: 'Q' } }, 'VALIDATION_FAILED'],
      [{ demographics: { ...demo, ssn: '000-00-0000' } }, 'VALIDATION_FAILED'],
      [{ demographics: { ...demo, email: 'not an address' } }, 'VALIDATION_FAILED'],
      [{ demographics: { ...demo, extra: 1 } }, 'VALIDATION_FAILED'],
      [{ demographics: demo, identifiers: [{ authority: 'A', value: 'v' }], admin: true }, 'VALIDATION_FAILED'],
      [{ demographics: { ...demo, names: [{ family: '\u0000\u0001\uffff', given: '' }] } }, 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      const r = await clerk.request('POST', '/api/patients', body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.json().code).toBe(code);
    }
    expect(await count()).toBe(before);
  });

  it('treats search input as data: SQL, wildcards and huge input', async () => {
    for (const q of ["name=' or 1=1 --", 'name=%25%25%25', 'name=_', 'mrn=%27%3B%20drop%20table%20patient%3B']) {
      const r = await clerk.request('GET', `/api/patients?${q}`);
      expect([200, 400], q).toContain(r.statusCode);
      if (r.statusCode === 200) expect(r.json().items).toEqual([]);
    }
    expect((await clerk.request('GET', `/api/patients?name=${'a'.repeat(5000)}`)).statusCode).toBe(400);
    expect((await clerk.request('GET', '/api/patients?ssn4=12345')).statusCode).toBe(400);
    expect((await t.sql("select to_regclass('patient') as t")).rows[0].t).toBe('patient');
  });

  it('answers 404 for unknown ids and refuses unknown decisions and merges', async () => {
    expect((await clerk.request('GET', '/api/patients/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
    expect((await clerk.request('POST', '/api/mpi/merges/abc/unmerge', { reason: 'because' })).statusCode).toBe(404);
    expect((await clerk.request('POST', '/api/mpi/candidates/1/decision', { decision: 'maybe' })).json().code).toBe('VALIDATION_FAILED');
    const a = (await clerk.request('POST', '/api/patients', { demographics: demo })).json();
    expect((await clerk.request('POST', '/api/mpi/merges', { survivorId: a.id, mergedId: a.id })).json().code).toBe('MERGE_INVALID');
    expect((await clerk.request('GET', '/api/encounters?kind=everything')).statusCode).toBe(400);
    expect((await clerk.request('GET', '/api/encounters?kind=discharges&from=yesterday')).statusCode).toBe(400);
  });

  it('FHIR $match refuses what is not a Parameters with a Patient, as OperationOutcome', async () => {
    const notParams = await clerk.request('POST', '/fhir/R4/Patient/$match', { resourceType: 'Patient' });
    expect(notParams.statusCode).toBe(400);
    const empty = await clerk.request('POST', '/fhir/R4/Patient/$match', { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: { resourceType: 'Patient' } }] });
    expect(empty.json().resourceType).toBe('OperationOutcome');
  });
});

describe('coding', () => {
  const abstract = { principalDx: 'I50.23', principalPoa: 'Y', admittingDx: null, secondary: [], procedures: [], dischargeDisposition: '01', admitSource: null, admitType: null, birthWeightGrams: null };

  it('refuses abstracts of the wrong shape: 10,000 diagnoses, junk codes, bad POA', async () => {
    const id = 'no-such-encounter';
    const many = { ...abstract, secondary: Array.from({ length: 10_000 }, (_, i) => ({ code: `A${String(i).padStart(2, '0')}`, poa: 'Y' })) };
    expect((await coder.request('POST', `/api/coding/cases/${id}/evaluate`, { abstract: many })).statusCode).toBe(400);
    expect((await coder.request('POST', `/api/coding/cases/${id}/evaluate`, { abstract: { ...abstract, secondary: [{ code: 'J96.01', poa: 'Q' }] } })).statusCode).toBe(400);
    expect((await coder.request('POST', `/api/coding/cases/${id}/evaluate`, { abstract: { ...abstract, principalDx: '\u0000\u00ff' } })).statusCode).toBe(404);
    expect((await coder.request('GET', `/api/coding/cases/${id}`)).statusCode).toBe(404);
    expect((await coder.request('PUT', `/api/coding/cases/${id}/abstract`, { abstract, status: 'billed' })).statusCode).toBe(400);
    expect((await coder.request('POST', '/api/coding/queries/abc/answer', { answer: 'x' })).statusCode).toBe(404);
    expect((await coder.request('POST', '/api/coding/queries', { encounterId: id, templateId: 'sepsis', physicianId: 'not-a-uuid', indicators: [] })).statusCode).toBe(400);
    expect((await coder.request('GET', '/api/coding/queries')).json().code).toBe('VALIDATION_FAILED');
    expect((await clerk.request('GET', '/api/coding/worklist')).statusCode).toBe(403);
  });
});
