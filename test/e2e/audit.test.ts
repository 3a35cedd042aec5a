import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/platform/audit/verify.js';
import { addUser, login, loginAdmin, startTestPlatform, type Session, type TestPlatform } from '../support/platform.js';

let t: TestPlatform;
let admin: Session;
beforeAll(async () => {
  t = await startTestPlatform();
  admin = await loginAdmin(t.app);
});
afterAll(() => t.close());

const verify = () => verifyAuditChain({ pool: t.platform.db.ownerPool, key: t.platform.secrets.auditKey, anchorFile: t.platform.anchorFile });
/** Plays someone with SQL access who switches the immutability triggers off to tamper. */
async function tamper(statement: string, params: unknown[] = []): Promise<void> {
  await t.sql('alter table audit_event disable trigger user');
  await t.sql('alter table audit_seal disable trigger user');
  try {
    await t.sql(statement, params);
  } finally {
    await t.sql('alter table audit_event enable trigger user');
    await t.sql('alter table audit_seal enable trigger user');
  }
}

describe('audit report', () => {
  it('lists login events, successes and failures, with user, time, source and outcome', async () => {
    await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'not-the-password' } });
    const res = await admin.request('GET', '/api/audit?action=login');
    expect(res.statusCode).toBe(200);
    const { items, total } = res.json();
    expect(total).toBeGreaterThanOrEqual(2);
    expect(items.every((e: { action: string }) => e.action === 'login')).toBe(true);
    const outcomes = new Set(items.map((e: { outcome: string }) => e.outcome));
    expect(outcomes).toEqual(new Set(['success', 'failure']));
    const ok = items.find((e: { outcome: string }) => e.outcome === 'success');
    expect(ok.username).toBe('admin');
    expect(ok.channel).toBe('api');
    expect(ok.sourceIp).toBe('127.0.0.1');
    expect(Date.parse(ok.time)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('filters by user and time, and sorts by any allowed field', async () => {
    const u = await addUser(t, 'sorter', ['auditor']);
    await login(t.app, u.username, u.password, u.totpSecret);
    const byUser = (await admin.request('GET', '/api/audit?user=sorter&action=login')).json();
    expect(byUser.items.map((e: { username: string }) => e.username)).toEqual(['sorter']);
    const future = (await admin.request('GET', `/api/audit?from=${new Date(Date.now() + 3600_000).toISOString()}`)).json();
    expect(future.total).toBe(0);
    for (const sort of ['time', 'user', 'patient', 'action', 'category', 'outcome', 'channel', 'resourceType']) {
      const res = await admin.request('GET', `/api/audit?sort=${sort}&order=asc&limit=5`);
      expect(res.statusCode, sort).toBe(200);
    }
    const asc = (await admin.request('GET', '/api/audit?sort=user&order=asc&limit=1000')).json().items.map((e: { username: string | null }) => e.username ?? '');
    expect(asc.filter(Boolean)).toEqual([...asc.filter(Boolean)].sort());
  });

  it('answers 400 for an unknown or injected sort value and an unknown parameter', async () => {
    for (const sort of ['name', 'occurred_at', 'time;select pg_sleep(5)', "time'--", 'time desc, (select 1)']) {
      const res = await admin.request('GET', `/api/audit?sort=${encodeURIComponent(sort)}`);
      expect(res.statusCode, sort).toBe(400);
      expect(res.json().code).toBe('INVALID_SORT');
    }
    const param = await admin.request('GET', `/api/audit?${encodeURIComponent("a'--")}=1`);
    expect(param.statusCode).toBe(400);
    expect(param.json().code).toBe('INVALID_PARAMETER');
  });

  it('exports CSV with formula cells escaped, and audits the export', async () => {
    await addUser(t, 'x-csv', ['coder'], { displayName: '=HYPERLINK("http://evil")' });
    await t.platform.audit.record({ userId: null, username: '=cmd|calc', sourceIp: null, channel: 'cli' }, { action: 'read', category: 'demographics', patientId: '+1234', reason: '@SUM(A1)' });
    const res = await admin.request('GET', '/api/audit/export.csv?category=demographics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,time,username/);
    expect(lines[1]).toContain(`"'=cmd|calc"`);
    expect(lines[1]).toContain(`"'+1234"`);
    expect(lines[1]).toContain(`"'@SUM(A1)"`);
    expect(res.body).not.toMatch(/(^|,)[=+@-]/m);
    const exports = (await admin.request('GET', '/api/audit?action=export')).json();
    expect(exports.items[0]).toMatchObject({ action: 'export', category: 'audit', username: 'admin' });
  });
});

describe('audit settings', () => {
  it('audits every change of an audit setting, and keeps retention at six years or more', async () => {
    expect((await admin.request('GET', '/api/settings/audit')).json()).toEqual({ retentionYears: 6, logReferenceReads: false });
    expect((await admin.request('PUT', '/api/settings/audit', { retentionYears: 2 })).json().code).toBe('VALIDATION_FAILED');
    const changed = await admin.request('PUT', '/api/settings/audit', { retentionYears: 10 });
    expect(changed.json().retentionYears).toBe(10);
    const events = (await admin.request('GET', '/api/audit?action=audit_setting_change')).json().items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ username: 'admin', category: 'audit', reason: 'retentionYears: 6 → 10' });
    const u = await addUser(t, 'aud-reader', ['auditor']);
    const s = await login(t.app, u.username, u.password, u.totpSecret);
    expect((await s.request('PUT', '/api/settings/audit', { retentionYears: 7 })).statusCode).toBe(403);
  });
});

describe('append-only and tamper-evident', () => {
  it('the runtime role cannot UPDATE or DELETE audit rows', async () => {
    await expect(t.platform.db.appPool.query("update audit_event set reason = 'x'")).rejects.toThrow(/permission denied/);
    await expect(t.platform.db.appPool.query('delete from audit_event')).rejects.toThrow(/permission denied/);
    await expect(t.platform.db.appPool.query('delete from audit_seal')).rejects.toThrow(/permission denied/);
    await expect(t.platform.db.appPool.query('truncate audit_event')).rejects.toThrow(/permission denied/);
    // Even the owner is stopped by the triggers unless they are switched off.
    await expect(t.sql("update audit_event set reason = 'x'")).rejects.toThrow(/append-only/);
  });

  it('events held by collectIn are written together at its end, in order, and roll back with the transaction', async () => {
    const audit = t.platform.audit;
    const actor = { userId: null, username: 'collect-test', sourceIp: null, channel: 'cli' as const };
    const count = async () => Number((await t.sql("select count(*) as n from audit_event where username = 'collect-test'")).rows[0]!.n);
    await t.platform.db.app.transaction().execute((trx) =>
      audit.collectIn(trx as never, async () => {
        for (const reason of ['first', 'second', 'third']) await audit.recordIn(trx, actor, { action: 'write', category: 'demographics', reason });
        // held back: nothing is written until collectIn ends
        const inside = await trx.selectFrom('audit_event' as never).select((eb) => eb.fn.countAll<number>().as('n')).where('username' as never, '=', 'collect-test' as never).executeTakeFirstOrThrow();
        expect(Number(inside.n)).toBe(0);
      }),
    );
    const rows = (await t.sql("select reason from audit_event where username = 'collect-test' order by id")).rows;
    expect(rows.map((r: { reason: string }) => r.reason)).toEqual(['first', 'second', 'third']);
    await expect(
      t.platform.db.app.transaction().execute((trx) =>
        audit.collectIn(trx as never, async () => {
          await audit.recordIn(trx, actor, { action: 'write', category: 'demographics', reason: 'rolled back' });
          throw new Error('the change fails');
        }),
      ),
    ).rejects.toThrow('the change fails');
    expect(await count()).toBe(3);
  });

  it('verifies an intact chain', async () => {
    const r = await verify();
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checked).toBeGreaterThan(5);
    expect(r.anchorSeq).toBe(r.headSeq);
  });

  it('catches an altered row and names it', async () => {
    const { rows } = await t.sql("select id from audit_event where action = 'login' order by id limit 1");
    const id = rows[0].id;
    await tamper("update audit_event set outcome = 'failure' where id = $1", [id]);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problems[0]!.eventId).toBe(Number(id));
    expect(r.problems[0]!.problem).toMatch(/altered/);
    await tamper("update audit_event set outcome = 'success' where id = $1", [id]);
    expect((await verify()).ok).toBe(true);
  });

  it('catches an inserted row', async () => {
    await t.sql(`insert into audit_event (event_uuid, occurred_at, username, action, category, channel, outcome, mac)
      values (gen_random_uuid(), now(), 'admin', 'read', 'audit', 'api', 'success', repeat('ab', 32))`);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problems.some((p) => /forged|inserted/.test(p.problem))).toBe(true);
    await tamper("delete from audit_seal where event_id = (select max(id) from audit_event)");
    await tamper('delete from audit_event where id = (select max(id) from audit_event)');
  });

  it('catches a deleted row in the middle of the chain', async () => {
    const fresh = await startTestPlatform();
    try {
      const s = await loginAdmin(fresh.app);
      for (let i = 0; i < 5; i++) await s.request('GET', '/api/audit?limit=1');
      await fresh.platform.seal();
      const { rows } = await fresh.sql('select event_id from audit_seal order by seq offset 3 limit 1');
      await fresh.sql('alter table audit_event disable trigger user');
      await fresh.sql('delete from audit_event where id = $1', [rows[0].event_id]);
      const r = await verifyAuditChain({ pool: fresh.platform.db.ownerPool, key: fresh.platform.secrets.auditKey, anchorFile: fresh.platform.anchorFile });
      expect(r.ok).toBe(false);
      expect(r.problems[0]!.eventId).toBe(Number(rows[0].event_id));
      expect(r.problems[0]!.problem).toMatch(/deleted/);
      // Deleting the seal as well leaves a gap in the chain.
      await fresh.sql('alter table audit_seal disable trigger user');
      await fresh.sql('delete from audit_seal where event_id = $1', [rows[0].event_id]);
      const r2 = await verifyAuditChain({ pool: fresh.platform.db.ownerPool, key: fresh.platform.secrets.auditKey, anchorFile: fresh.platform.anchorFile });
      expect(r2.ok).toBe(false);
      expect(r2.problems[0]!.problem).toMatch(/missing|does not follow/);
    } finally {
      await fresh.close();
    }
  });

  it('catches the newest rows cut off the end, through the anchor', async () => {
    await admin.request('GET', '/api/audit?limit=1');
    await t.platform.seal();
    const head = await t.sql('select seq, event_id from audit_seal order by seq desc limit 2');
    await tamper('delete from audit_seal where seq >= $1', [head.rows[1].seq]);
    await tamper('delete from audit_event where id >= $1', [head.rows[1].event_id]);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problems[0]!.problem).toMatch(/newest rows were deleted/);
    expect(r.problems[0]!.eventId).toBe(Number(head.rows[0].event_id));
  });
});
