import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grouperOf } from '../../src/main/grouper.js';
import { addUser, login, loginAdmin, startTestPlatform, type Session, type TestPlatform } from '../support/platform.js';
import { REFDATA } from '../support/refdata.js';

let t: TestPlatform;
let coder: Session;
const actor = { userId: null, username: 'test', sourceIp: null, channel: 'cli' as const };
// heart failure with acute respiratory failure as a secondary: the MCC makes it DRG 291
const claim = { dischargeDate: '2025-11-15', sex: 'F', dischargeStatus: '01', pdx: 'I50.23', sdx: [{ code: 'J96.01', poa: 'Y' }, { code: 'I10', poa: 'Y' }] };

beforeAll(async () => {
  t = await startTestPlatform();
  const u = await addUser(t, 'coder1', ['coder']);
  coder = await login(t.app, u.username, u.password, u.totpSecret);
}, 120_000);
afterAll(() => t.close());

describe('POST /api/grouper/group', () => {
  it('answers MSDRG_NOT_LOADED (422) before any import', async () => {
    const r = await coder.request('POST', '/api/grouper/group', claim);
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'MSDRG_NOT_LOADED' });
  });

  it('returns the DRG with its trace; codes with dots, any case', async () => {
    const report = await grouperOf(t.platform).importDefinitions(actor, path.join(REFDATA, 'msdrg', 'v43.0'));
    expect(report).toMatchObject([{ version: 'v43.0', status: 'imported' }]);
    const r = await coder.request('POST', '/api/grouper/group', { ...claim, pdx: 'i50.23' });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ version: 'v43.0', notice: null, result: { drg: 291, mdc: 5, medSurg: 'MEDICAL', severity: 'MCC', returnCode: 'OK' } });
    expect(body.result.weight).toBeGreaterThan(1);
    expect(body.result.sdx).toEqual([
      { code: 'J9601', poa: 'Y', severity: 'MCC', flag: 'MCC', impact: 'BOTH' },
      { code: 'I10', poa: 'Y', severity: 'NCC', flag: 'NEITHER', impact: 'NONE' },
    ]);
    expect(body.result.trace).toContain('MDC 05 from i5023');
    expect(body.result.trace).toContain('MCC J9601 (POA Y) counts — not in the exclusion list of i5023');
    expect(body.result.trace.at(-1)).toBe('DRG 291 · MDC 05 · OK');
  });

  it('uses the latest loaded version with a notice when none is in force; a named version must be loaded', async () => {
    const late = (await coder.request('POST', '/api/grouper/group', { ...claim, dischargeDate: '20261201' })).json();
    expect(late).toMatchObject({ version: 'v43.0', result: { drg: 291 } });
    expect(late.notice).toMatch(/No loaded MS-DRG grouper version is in force on 2026-12-01/);
    expect(late.result.trace[0]).toBe(late.notice);
    const unknown = await coder.request('POST', '/api/grouper/group', { ...claim, version: 'v41.0' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'MSDRG_VERSION_UNKNOWN' });
  });

  it('applies HAC processing by the hospital POA status', async () => {
    // catheter-associated UTI not present on admission: a HAC, so the CC does not count in the final grouping
    const hac = { version: 'v43.0', sex: 'F', dischargeStatus: '01', pdx: 'J189', sdx: [{ code: 'T83511A', poa: 'N' }, { code: 'N390', poa: 'N' }] };
    const nonExempt = (await coder.request('POST', '/api/grouper/group', hac)).json();
    expect(nonExempt.result).toMatchObject({ drg: 195, hacStatus: 'FINAL_DRG_CHANGES', initial: { drg: 194 } });
    const exempt = (await coder.request('POST', '/api/grouper/group', { ...hac, hospital: 'exempt' })).json();
    expect(exempt.result).toMatchObject({ drg: 194, hacStatus: 'NOT_APPLICABLE' });
  });

  it('needs a signed-in user with read on coding', async () => {
    const anon = await t.app.inject({ method: 'POST', url: '/api/grouper/group', payload: claim });
    expect(anon.statusCode).toBe(401);
    const u = await addUser(t, 'clerk1', ['clerk']);
    const clerk = await login(t.app, u.username, u.password, u.totpSecret);
    expect((await clerk.request('POST', '/api/grouper/group', claim)).json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lists the loaded versions', async () => {
    const admin = await loginAdmin(t.app);
    const r = await admin.request('GET', '/api/grouper/versions');
    expect(r.json().items).toMatchObject([{ version: 'v43.0', fiscalYear: 2026, effectiveFrom: '2025-10-01', effectiveTo: '2026-03-31', drgCount: 772 }]);
  });
});
