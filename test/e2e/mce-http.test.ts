import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mceOf } from '../../src/main/mce.js';
import { addUser, login, loginAdmin, startTestPlatform, type Session, type TestPlatform } from '../support/platform.js';
import { REFDATA } from '../support/refdata.js';

let t: TestPlatform;
let coder: Session;
const actor = { userId: null, username: 'test', sourceIp: null, channel: 'cli' as const };
const claim = { dischargeDate: '20251115', age: 30, sex: 'F', dischargeStatus: 1, los: 2, pdx: 'O80', sdx: ['O80'], procedures: ['10E0XZZ'] };

beforeAll(async () => {
  t = await startTestPlatform();
  const u = await addUser(t, 'coder1', ['coder']);
  coder = await login(t.app, u.username, u.password, u.totpSecret);
}, 120_000);
afterAll(() => t.close());

describe('POST /api/mce/edit', () => {
  it('answers MCE_TABLES_MISSING (422) before any import', async () => {
    const r = await coder.request('POST', '/api/mce/edit', claim);
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'MCE_TABLES_MISSING' });
  });

  it('returns the edits in CMS order, each with its code and an explanation', async () => {
    const report = await mceOf(t.platform).importTables(actor, path.join(REFDATA, 'mce', 'v43.0'));
    expect(report).toMatchObject([{ version: 'v43.0', status: 'imported' }]);
    const r = await coder.request('POST', '/api/mce/edit', claim);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ editType: 'PREPAYMENT', version: 'v43.0', dischargeDate: '2025-11-15' });
    expect(body.edits.map((e: { edit: string; code: string }) => `${e.edit}:${e.code}`)).toEqual(['DUPLICATE_OF_PDX:O80', 'QUESTIONABLE_OBSTETRIC_ADMISSION:10E0XZZ']);
    expect(body.edits[1]).toMatchObject({ role: 'procedure', position: 0, counted: true });
    expect(body.edits[1].explanation).toMatch(/delivery procedure/);
    expect(body.counts).toEqual([{ edit: 'DUPLICATE_OF_PDX', count: 1 }, { edit: 'QUESTIONABLE_OBSTETRIC_ADMISSION', count: 1 }]);
  });

  it('gives INVALID_DISCHARGE_DATE for a date the MCE cannot read, and MCE_TABLES_MISSING for one no version covers', async () => {
    expect((await coder.request('POST', '/api/mce/edit', { ...claim, dischargeDate: '2025-11-15' })).json()).toMatchObject({ editType: 'INVALID_DISCHARGE_DATE', edits: [] });
    expect((await coder.request('POST', '/api/mce/edit', { ...claim, dischargeDate: '20260501' })).json()).toMatchObject({ code: 'MCE_TABLES_MISSING' });
  });

  it('needs a signed-in user with read on coding', async () => {
    const anon = await t.app.inject({ method: 'POST', url: '/api/mce/edit', payload: claim });
    expect(anon.statusCode).toBe(401);
    const u = await addUser(t, 'clerk1', ['clerk']);
    const clerk = await login(t.app, u.username, u.password, u.totpSecret);
    expect((await clerk.request('POST', '/api/mce/edit', claim)).json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lists the loaded versions', async () => {
    const admin = await loginAdmin(t.app);
    const r = await admin.request('GET', '/api/mce/versions');
    expect(r.json().items).toMatchObject([{ version: 'v43.0', windowStart: '2025-10-01', windowEnd: '2026-03-31', terminationDate: '2026-09-30', mceRelease: 'MCE-2.0-43.1.0.0' }]);
  });
});
