import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { buildHttp } from '../../src/main/http.js';
import { MIGRATIONS } from '../../src/main/migrations.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { ensureDatabase } from '../../src/platform/db/embedded.js';
import type { HttpApp } from '../../src/platform/http/app.js';

type InjectResponse = Awaited<ReturnType<HttpApp['inject']>>;
import { startPlatform, type Platform } from '../../src/platform/runtime.js';
import { currentTotp } from '../../src/platform/security/totp.js';

export const ADMIN_PASSWORD = 'Admin-test-password-1';
export const ADMIN_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** A URL of the same server with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates an empty database on the run's PostgreSQL and returns its (owner) URL. */
export async function createTestDatabase(): Promise<string> {
  const admin = inject('pgAdminUrl');
  const name = `chartroom_t_${randomBytes(5).toString('hex')}`;
  await ensureDatabase(admin, name);
  return withDatabase(admin, name);
}

export interface TestPlatform {
  platform: Platform;
  app: HttpApp;
  config: Config;
  databaseUrl: string;
  dataDir: string;
  /** A plain owner connection, to play the part of someone with SQL access behind Chartroom's back. */
  sql(text: string, params?: unknown[]): Promise<pg.QueryResult>;
  close(): Promise<void>;
}

/** A whole platform on a fresh database, with the admin pre-enrolled (password + TOTP). */
export async function startTestPlatform(env: Record<string, string> = {}): Promise<TestPlatform> {
  const databaseUrl = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-test-data-'));
  const config = loadConfig(
    {
      DATABASE_URL: databaseUrl,
      CHARTROOM_DATA_DIR: dataDir,
      CHARTROOM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      CHARTROOM_ADMIN_TOTP_SECRET: ADMIN_TOTP,
      CHARTROOM_LOG_LEVEL: 'silent',
      CHARTROOM_AUDIT_SEAL_INTERVAL_MS: '50',
      ...env,
    },
    'test',
  );
  const platform = await startPlatform(config, { migrations: MIGRATIONS, mode: 'server', sealer: true, poolSize: 5 });
  const app = buildHttp(platform, { webRoot: null, logger: false });
  await app.ready();
  const owner = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  return {
    platform,
    app,
    config,
    databaseUrl,
    dataDir,
    sql: (text, params) => owner.query(text, params),
    async close() {
      await app.close();
      await platform.close();
      await owner.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
  info: Record<string, unknown>;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<InjectResponse>;
}

/** Logs in through the real route and returns a client that sends the cookie and CSRF token. */
export async function login(app: HttpApp, username: string, password: string, totpSecret?: string): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password, ...(totpSecret ? { totp: currentTotp(totpSecret) } : {}) },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return sessionFrom(app, res);
}

export function sessionFrom(app: HttpApp, res: InjectResponse): Session {
  const setCookie = res.cookies.find((c) => c.name === 'chartroom_session');
  if (!setCookie) throw new Error('no session cookie');
  const info = res.json<Record<string, unknown>>();
  const session: Session = {
    cookie: `chartroom_session=${setCookie.value}`,
    csrf: info.csrfToken as string,
    info,
    request(method, url, body, headers = {}) {
      return app.inject({
        method: method as 'GET',
        url,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...headers },
        ...(body !== undefined ? { payload: body as object } : {}),
      });
    },
  };
  return session;
}

export const loginAdmin = (app: HttpApp): Promise<Session> => login(app, 'admin', ADMIN_PASSWORD, ADMIN_TOTP);

/** Creates a user with a known password and TOTP through the service (not the API under test). */
export async function addUser(t: TestPlatform, username: string, roles: string[], opts: { breakGlass?: boolean; displayName?: string } = {}) {
  const password = `Pw-${randomBytes(6).toString('hex')}-Secret`;
  const totpSecret = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
  const actor = { userId: null, username: 'test', sourceIp: null, channel: 'system' as const };
  const { user } = await t.platform.users.create(null, actor, { username, displayName: opts.displayName ?? username, roles, password, totpSecret });
  if (opts.breakGlass) await t.sql('update app_user set break_glass_authorised = true where id = $1', [user.id]);
  return { id: user.id, username, password, totpSecret };
}

/** Waits until the sealer has chained every committed event. */
export async function sealed(t: TestPlatform): Promise<void> {
  await t.platform.seal();
}
