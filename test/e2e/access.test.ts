import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors/app-error.js';
import { principalOf } from '../../src/platform/http/app.js';
import { addUser, login, loginAdmin, startTestPlatform, type TestPlatform } from '../support/platform.js';

// The patient-scoped access helper, exercised through a fixture route as a capability would use it:
// GET /api/test/patients/:id reads one record, GET /api/test/patients searches.
let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
  await t.sql('create table test_patient (id text primary key, name text not null)');
  await t.sql("insert into test_patient values ('P1', 'Open Record'), ('P2', 'Confidential Record')");
  await t.sql('grant select on test_patient to chartroom_app');
  const { access, audit, db } = t.platform;
  await t.app.close();
  const { buildHttp } = await import('../../src/main/http.js');
  t.app = buildHttp(t.platform, { webRoot: null, logger: false });
  t.app.get('/api/test/patients/:id', async (req) => {
    const p = principalOf(req);
    const id = (req.params as { id: string }).id;
    await access.require(p, req.actor, id, 'read', 'clinical');
    const row = await sql<{ id: string; name: string }>`select id, name from test_patient where id = ${id}`.execute(db.app);
    await audit.record(req.actor, { action: 'read', category: 'clinical', patientId: id, resourceType: 'Patient', resourceId: id });
    if (!row.rows[0]) throw new AppError('NOT_FOUND', 'No patient with that id.');
    return row.rows[0];
  });
  t.app.get('/api/test/patients', async (req) => {
    const p = principalOf(req);
    const rows = await db.app.selectFrom(sql`test_patient`.as('tp')).select(sql<string>`tp.id`.as('id'))
      .where(access.visibleTo(p, sql.ref('tp.id'))).orderBy(sql`tp.id`).execute();
    return rows.map((r) => r.id);
  });
  await t.app.ready();
});
afterAll(() => t.close());

async function restrictP2(allowed: string[]) {
  const privacy = await addUser(t, `privacy-${allowed.length}`, ['privacy_officer']);
  const s = await login(t.app, privacy.username, privacy.password, privacy.totpSecret);
  await t.platform.access.restrict(principalOf({ principal: await t.platform.auth.authenticate(s.cookie.split('=')[1]!) } as never), { userId: privacy.id, username: privacy.username, sourceIp: null, channel: 'api' }, 'P2', 'VIP', allowed);
}

describe('patient-scoped access', () => {
  it('a record the user may not see is a 404, never a 403, and absent from search', async () => {
    const coder = await addUser(t, 'coder1', ['coder']);
    const clerk = await addUser(t, 'clerk1', ['clerk']);
    const doctor = await addUser(t, 'doc1', ['physician']);
    await restrictP2([doctor.id]);
    const c = await login(t.app, coder.username, coder.password, coder.totpSecret);
    expect((await c.request('GET', '/api/test/patients/P1')).statusCode).toBe(200);
    const hidden = await c.request('GET', '/api/test/patients/P2');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('NOT_FOUND');
    const missing = await c.request('GET', '/api/test/patients/P404');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toBe(hidden.body);
    expect((await c.request('GET', '/api/test/patients')).json()).toEqual(['P1']);

    // Deny wins: the clerk role denies clinical reads, so even an open record is not found.
    const k = await login(t.app, clerk.username, clerk.password, clerk.totpSecret);
    expect((await k.request('GET', '/api/test/patients/P1')).statusCode).toBe(404);

    // A user on the record's allow-list sees it.
    const d = await login(t.app, doctor.username, doctor.password, doctor.totpSecret);
    expect((await d.request('GET', '/api/test/patients/P2')).json()).toEqual({ id: 'P2', name: 'Confidential Record' });
    expect((await d.request('GET', '/api/test/patients')).json()).toEqual(['P1', 'P2']);

    const denied = await t.sql("select username, outcome, patient_id from audit_event where outcome = 'denied' and patient_id = 'P2'");
    expect(denied.rows.map((r) => r.username)).toContain('coder1');
  });
});

describe('break the glass', () => {
  it('refuses users who are not pre-authorised', async () => {
    const u = await addUser(t, 'nobtg', ['coder']);
    const s = await login(t.app, u.username, u.password, u.totpSecret);
    const res = await s.request('POST', '/api/break-glass', { patientId: 'P2', reason: 'patient in the emergency room' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('BREAK_GLASS_NOT_AUTHORISED');
  });

  it('gives time-boxed access with a reason, and flags every access in the window for privacy review', async () => {
    const u = await addUser(t, 'edcoder', ['coder'], { breakGlass: true });
    const s = await login(t.app, u.username, u.password, u.totpSecret);
    expect((await s.request('GET', '/api/test/patients/P2')).statusCode).toBe(404);
    expect((await s.request('POST', '/api/break-glass', { patientId: 'P2', reason: 'short' })).statusCode).toBe(400);
    expect((await s.request('POST', '/api/break-glass', { patientId: 'P2', reason: 'emergency: unconscious patient', minutes: 999 })).statusCode).toBe(400);
    const grant = await s.request('POST', '/api/break-glass', { patientId: 'P2', reason: 'emergency: unconscious patient', minutes: 30 });
    expect(grant.statusCode).toBe(201);
    const g = grant.json();
    expect(Date.parse(g.endsAt) - Date.parse(g.startsAt)).toBe(30 * 60_000);
    expect((await s.request('GET', '/api/test/patients/P2')).statusCode).toBe(200);
    expect((await s.request('GET', '/api/test/patients')).json()).toEqual(['P1', 'P2']);
    expect((await s.request('GET', '/api/break-glass/active')).json().items).toHaveLength(1);

    const flagged = await t.sql("select action, patient_id from audit_event where username = 'edcoder' and break_glass order by id");
    expect(flagged.rows).toEqual([{ action: 'break_glass', patient_id: 'P2' }, { action: 'read', patient_id: 'P2' }]);

    // The window closes: access is gone again.
    await t.sql("update break_glass_grant set ends_at = now() where user_id = $1", [u.id]);
    expect((await s.request('GET', '/api/test/patients/P2')).statusCode).toBe(404);

    const privacy = await addUser(t, 'po', ['privacy_officer']);
    const p = await login(t.app, privacy.username, privacy.password, privacy.totpSecret);
    const review = await p.request('GET', '/api/privacy/break-glass');
    expect(review.statusCode).toBe(200);
    const item = review.json().items.find((i: { grant: { username: string } }) => i.grant.username === 'edcoder');
    expect(item.grant.reason).toBe('emergency: unconscious patient');
    expect(item.events.map((e: { action: string }) => e.action)).toEqual(['break_glass', 'read']);
    const admin = await loginAdmin(t.app);
    expect((await admin.request('GET', '/api/privacy/break-glass')).statusCode).toBe(403);
  });
});
