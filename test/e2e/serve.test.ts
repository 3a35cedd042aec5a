import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/platform.js';
import { freePort } from '../support/ports.js';
import { BIN, ownerUrlOf, printedAdminPassword, startServerProcess, type ServerProcess } from '../support/server-process.js';

const running: ServerProcess[] = [];
afterAll(async () => {
  for (const s of running) await s.stop().catch(() => undefined);
});
async function start(opts: Parameters<typeof startServerProcess>[0] = {}) {
  const s = await startServerProcess(opts);
  running.push(s);
  return s;
}
function postmasterPid(dataDir: string): number | null {
  const file = path.join(dataDir, 'pg', 'postmaster.pid');
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').split('\n')[0]) : null;
}
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
}
const login = (url: string, username: string, password: string) =>
  fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

describe('chartroom serve on the embedded PostgreSQL', () => {
  let dataDir = '';
  let password = '';

  it('starts, creates the admin with a generated password printed once, and answers /health', async () => {
    const s = await start();
    dataDir = s.dataDir;
    password = printedAdminPassword(s.output());
    const health = await fetch(`${s.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok', version: expect.any(String) });
    expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    const first = await login(s.url, 'admin', password);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { stage: string }).stage).toBe('change_password');
    // Unknown API routes answer JSON 404.
    const missing = await fetch(`${s.url}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await missing.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
  });

  it('on SIGTERM finishes the request in flight, then stops PostgreSQL cleanly', async () => {
    const s = running.at(-1)!;
    const pgPid = postmasterPid(dataDir)!;
    const inFlight = login(s.url, 'admin', 'a-wrong-password');
    await new Promise((r) => setTimeout(r, 5));
    s.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(401);
    expect(await s.exited).toBe(0);
    expect(s.output()).toMatch(/Chartroom stopped/);
    await waitGone(pgPid);
    expect(alive(pgPid)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  });

  it('starts again over the same data directory, keeping its data and printing no new password; CHARTROOM_PG_SETTINGS reaches the server', async () => {
    const s = await start({ dataDir, env: { CHARTROOM_PG_SETTINGS: 'work_mem = 8MB; log_min_duration_statement=2s' } });
    expect(s.output()).not.toMatch(/password:/);
    expect((await login(s.url, 'admin', password)).status).toBe(200);
    const db = new pg.Client({ connectionString: ownerUrlOf(s) });
    await db.connect();
    const shown = await db.query("select current_setting('work_mem') as w, current_setting('log_min_duration_statement') as l");
    await db.end();
    expect(shown.rows[0]).toEqual({ w: '8MB', l: '2s' });
    await s.stop();
  });

  it('refuses to start with a setting PostgreSQL does not know, naming it; nothing is left running', async () => {
    const r = spawnSync(process.execPath, [BIN, 'serve'], {
      encoding: 'utf8', timeout: 60_000,
      env: { ...process.env, CHARTROOM_DATA_DIR: dataDir, CHARTROOM_PG_PORT: String(await freePort()), PORT: String(await freePort()), CHARTROOM_MLLP_PORT: '0', CHARTROOM_PG_SETTINGS: 'no_such_setting=1', DATABASE_URL: '' },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/EMBEDDED_DB_FAILED/);
    expect(r.stderr).toMatch(/no_such_setting/);
    const pid = postmasterPid(dataDir);
    expect(pid === null || !alive(pid)).toBe(true);
  });

  it('recovers after kill -9 of the whole process tree (PostgreSQL WAL recovery)', async () => {
    const s = await start({ dataDir });
    // A write that must survive: a failed login is audited in its own transaction.
    expect((await login(s.url, 'admin', 'before-the-crash')).status).toBe(401);
    const pgPid = postmasterPid(dataDir)!;
    s.child.kill('SIGKILL');
    process.kill(pgPid, 'SIGKILL');
    await s.exited;
    await waitGone(pgPid);
    const again = await start({ dataDir });
    expect((await fetch(`${again.url}/health`)).status).toBe(200);
    expect((await login(again.url, 'admin', password)).status).toBe(200);
    const log = fs.readFileSync(path.join(dataDir, 'postgresql.log'), 'utf8');
    expect(log).toMatch(/not properly shut down|automatic recovery|redo/);
    // kill -9 of Chartroom alone leaves an orphaned postmaster: the next start takes it over.
    const orphan = postmasterPid(dataDir)!;
    again.child.kill('SIGKILL');
    await again.exited;
    expect(alive(orphan)).toBe(true);
    const third = await start({ dataDir });
    expect((await fetch(`${third.url}/health`)).status).toBe(200);
    expect(alive(orphan)).toBe(false);
  });

  it('answers 503 naming the database when PostgreSQL is down', async () => {
    const s = running.at(-1)!;
    const pgPid = postmasterPid(dataDir)!;
    process.kill(pgPid, 'SIGKILL');
    await waitGone(pgPid);
    let res = await fetch(`${s.url}/health`);
    for (let i = 0; i < 20 && res.status === 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await fetch(`${s.url}/health`);
    }
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'error', database: 'error' });
    s.child.kill('SIGKILL');
    await s.exited;
  });
});

describe('chartroom serve with DATABASE_URL', () => {
  it('uses that PostgreSQL and starts no embedded one', async () => {
    const url = await createTestDatabase();
    const s = await start({ env: { DATABASE_URL: url, CHARTROOM_ADMIN_PASSWORD: 'Given-admin-password-1' } });
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
    expect(fs.existsSync(path.join(s.dataDir, 'pg'))).toBe(false);
    expect(s.output()).not.toMatch(/password:/);
    const res = await login(s.url, 'admin', 'Given-admin-password-1');
    expect(((await res.json()) as { stage: string }).stage).toBe('enrol_mfa');
    await s.stop();
  });
});

describe('the chartroom bin', () => {
  it('is JavaScript that Node runs', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(pkg.bin.chartroom).toMatch(/\.js$/);
    const out = execFileSync(process.execPath, [path.join(__dirname, '..', '..', pkg.bin.chartroom), '--version'], { encoding: 'utf8' });
    expect(out.trim()).toBe(pkg.version);
  });
});
