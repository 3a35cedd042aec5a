import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receive } from '../../../src/interop/hl7v2/intake.js';
import { hl7v2Of } from '../../../src/main/hl7v2.js';
import { patientsOf } from '../../../src/main/patients.js';
import { addUser, login, loginAdmin, type Session, startTestPlatform, type TestPlatform } from '../../support/platform.js';

// Hostile input to the HL7 v2 error-queue API: who may use it, malformed parameters and bodies, and replays of junk.
let t: TestPlatform;
let clerk: Session;
let coder: Session;
let admin: Session;
let entry: number;

const BROKEN = 'MSH|^~\\&|BADAPP|BADFAC|||20260101||ADT^A04|BAD1|P|2.5.1\rEVN|A04\rPID|1||||NOID^PAT\rPV1|1|O|||||||||||||||||V77\r';

beforeAll(async () => {
  t = await startTestPlatform();
  const c = await addUser(t, 'clerk1', ['clerk']);
  clerk = await login(t.app, c.username, c.password, c.totpSecret);
  const d = await addUser(t, 'coder1', ['coder']);
  coder = await login(t.app, d.username, d.password, d.totpSecret);
  admin = await loginAdmin(t.app);
  const { intake } = hl7v2Of(t.platform, patientsOf(t.platform).adt, () => undefined);
  const r = await receive(intake, BROKEN, { peer: null });
  expect(r.ackCode).toBe('AE');
  entry = r.errorId!;
}, 120_000);
afterAll(() => t.close());

const base = '/api/interop/hl7v2/errors';

describe('who may work the queue', () => {
  it('401 without a session, 403 for a coder, 200 for a clerk and an administrator', async () => {
    expect((await t.app.inject({ method: 'GET', url: base })).statusCode).toBe(401);
    const denied = await coder.request('GET', base);
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await coder.request('POST', `${base}/${entry}/replay`, {})).statusCode).toBe(403);
    expect((await coder.request('GET', `${base}/${entry}`)).statusCode).toBe(403);
    const list = await clerk.request('GET', base);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: entry, errorCode: 'HL7_REQUIRED_FIELD_MISSING', location: 'PID-3' }] });
    expect((await admin.request('GET', `${base}?status=open`)).statusCode).toBe(200);
  });

  it('a POST without the CSRF token is refused', async () => {
    const r = await t.app.inject({ method: 'POST', url: `${base}/${entry}/dismiss`, headers: { cookie: clerk.cookie }, payload: {} });
    expect(r.statusCode).toBe(403);
  });
});

describe('malformed parameters and bodies', () => {
  it.each([
    ['?status=bogus'], ['?errorCode=x%27%3B%20drop%20table'], ['?limit=0'], ['?limit=100000'], ['?offset=-1'], ['?from=yesterday'],
    ['?messageType=ADT%25'], ['?unknown=1'], [`?sendingApp=${'x'.repeat(300)}`],
  ])('list %s is 400', async (q) => {
    const r = await clerk.request('GET', `${base}${q}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().code).toMatch(/VALIDATION_FAILED|INVALID_PARAMETER/);
  });

  it.each([['abc'], ['-1'], ['0'], ['1.5'], ['99999999999999999999']])('id %s is 400', async (id) => {
    expect((await clerk.request('GET', `${base}/${id}`)).statusCode).toBe(400);
  });

  it('an unknown id is 404 HL7_ERROR_NOT_FOUND', async () => {
    const r = await clerk.request('GET', `${base}/999999`);
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('HL7_ERROR_NOT_FOUND');
    expect((await clerk.request('POST', `${base}/999999/replay`, {})).json().code).toBe('HL7_ERROR_NOT_FOUND');
  });

  it('replay bodies: extra fields, empty or oversized text, wrong types are refused; nothing changes', async () => {
    for (const body of [{ raw: '' }, { extra: true }, { note: 'x'.repeat(2000) }, []]) {
      const r = await clerk.request('POST', `${base}/${entry}/replay`, body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 40)).toBe(400);
    }
    const big = await clerk.request('POST', `${base}/${entry}/replay`, { raw: 'MSH|' + 'x'.repeat(1_100_000) });
    expect([400, 413]).toContain(big.statusCode);
    const still = await clerk.request('GET', `${base}/${entry}`);
    expect(still.json()).toMatchObject({ status: 'open', attempts: 0 });
  });

  it('a replay of junk text is answered (AR) and leaves the entry open with one more attempt', async () => {
    const r = await clerk.request('POST', `${base}/${entry}/replay`, { raw: '\u0000\u0001 not hl7 at all' });
    expect(r.statusCode).toBe(200);
    expect(r.json().result).toMatchObject({ ackCode: 'AR' });
    expect(r.json().error).toMatchObject({ status: 'open', attempts: 1 });
    // The failed replay does not add a second open entry to work.
    expect((await clerk.request('GET', `${base}?status=open`)).json().total).toBe(1);
  });

  it('a corrected replay applies; replaying or dismissing it again is 409', async () => {
    const fixed = BROKEN.replace('PID|1||||', 'PID|1||BADMRN1^^^BADFAC^MR||');
    const r = await clerk.request('POST', `${base}/${entry}/replay`, { raw: fixed, note: 'MRN added' });
    expect(r.statusCode).toBe(200);
    expect(r.json().result.reason).toBeNull();
    expect(r.json()).toMatchObject({ result: { ackCode: 'AA' }, error: { status: 'replayed', resolvedBy: 'clerk1' } });
    expect((await clerk.request('POST', `${base}/${entry}/replay`, {})).statusCode).toBe(409);
    expect((await clerk.request('POST', `${base}/${entry}/dismiss`, {})).json().code).toBe('HL7_ERROR_RESOLVED');
    const audit = await t.sql("select count(*)::int as n from audit_event where resource_type = 'Hl7Error' and action = 'write'");
    expect(audit.rows[0].n).toBeGreaterThanOrEqual(2);
  });
});
