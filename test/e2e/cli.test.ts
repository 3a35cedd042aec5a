import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/platform.js';
import { BIN, REPO, startServerProcess } from '../support/server-process.js';

let databaseUrl = '';
let dataDir = '';
beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-cli-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: databaseUrl, CHARTROOM_DATA_DIR: dataDir, CHARTROOM_ADMIN_PASSWORD: 'Cli-admin-password-1', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('chartroom CLI against DATABASE_URL', () => {
  it('migrate applies and reports the migrations', () => {
    const r = cli(['migrate']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/database is up to date/);
  });

  it('user add prints a temporary password; disable and reset-mfa work and are audited', async () => {
    const add = cli(['user', 'add', 'jcoder', '--name', 'J. Coder', '--role', 'coder', 'cdi_specialist']);
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/user jcoder added .*roles cdi_specialist, coder/);
    expect(add.out).toMatch(/temporary password: \S{20}/);
    expect(cli(['user', 'add', 'jcoder', '--name', 'Again']).code).toBe(2);
    const short = cli(['user', 'add', 'plainname', '--role', 'auditor,clerk']);
    expect(short.out).toMatch(/user plainname added .*roles auditor, clerk/);
    expect(cli(['user', 'add', 'x2', '--name', 'X', '--role', 'wizard']).err).toMatch(/UNKNOWN_ROLE/);
    expect(cli(['user', 'reset-mfa', 'jcoder']).code).toBe(0);
    const dis = cli(['user', 'disable', 'jcoder']);
    expect(dis.code).toBe(0);
    expect(dis.out).toMatch(/disabled/);
    expect(cli(['user', 'disable', 'nobody']).err).toMatch(/USER_NOT_FOUND/);
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const rows = await db.query("select channel, action, reason from audit_event where category = 'users' and reason like 'jcoder%' order by id");
    await db.end();
    expect(rows.rows.map((r) => r.reason)).toEqual(['jcoder: MFA reset', 'jcoder: disabled']);
    expect(rows.rows.every((r) => r.channel === 'cli' && r.action === 'privilege_change')).toBe(true);
  });

  it('audit verify exits 0 with the count, and 1 naming the first bad event after tampering', async () => {
    const ok = cli(['audit', 'verify']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/audit chain intact: \d+ events checked/);
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const { rows } = await db.query('select min(id) as id from audit_event');
    await db.query('alter table audit_event disable trigger user');
    await db.query("update audit_event set reason = 'nothing to see' where id = $1", [rows[0].id]);
    await db.query('alter table audit_event enable trigger user');
    await db.end();
    const bad = cli(['audit', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(new RegExp(`BROKEN at event ${rows[0].id}\\b`));
  });

  it('audit export writes CSV and is itself audited', () => {
    const file = path.join(dataDir, 'audit.csv');
    const r = cli(['audit', 'export', '--category', 'users', '--out', file]);
    expect(r.code).toBe(0);
    const csv = fs.readFileSync(file, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^id,time,username/);
    expect(csv).toMatch(/jcoder: disabled/);
    const again = cli(['audit', 'export', '--action', 'export']);
    expect(again.out).toMatch(/,export,audit,/);
  });
});

describe('chartroom CLI with --data-dir (embedded)', () => {
  it('works beside a running server on the same data directory', async () => {
    const server = await startServerProcess({ env: { CHARTROOM_ADMIN_PASSWORD: 'Embedded-admin-pw-1' } });
    try {
      const env = { DATABASE_URL: '' };
      const add = cli(['--data-dir', server.dataDir, 'user', 'add', 'clerk1', '--name', 'Clerk One', '--role', 'clerk'], env);
      expect(add.err).toBe('');
      expect(add.code).toBe(0);
      const verify = cli(['--data-dir', server.dataDir, 'audit', 'verify'], env);
      expect(verify.code).toBe(0);
      // The server is still healthy: the CLI attached to its PostgreSQL and left it running.
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await server.stop();
    }
    // And with the server stopped, the CLI starts the embedded PostgreSQL itself.
    const verify = cli(['--data-dir', server.dataDir, 'audit', 'verify'], { DATABASE_URL: '' });
    expect(verify.code).toBe(0);
    expect(verify.out).toMatch(/audit chain intact/);
  });
});
