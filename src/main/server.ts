import { loadConfig, type Config } from '../platform/config.js';
import { startPlatform, type Platform } from '../platform/runtime.js';
import type { HttpApp } from '../platform/http/app.js';
import { codesetsOf } from './codesets.js';
import { buildHttp } from './http.js';
import { startMllp, transportOf, type RunningMllp } from './mllp.js';
import { patientsOf } from './patients.js';
import { MIGRATIONS } from './migrations.js';
import { VERSION } from './version.js';

export interface RunningServer {
  platform: Platform;
  app: HttpApp;
  url: string;
  stop(): Promise<void>;
}

/** Starts the platform and the HTTP server. */
export async function startServer(config: Config, opts: { pgSettings?: Record<string, string>; logger?: boolean; webRoot?: string | null } = {}): Promise<RunningServer> {
  const platform = await startPlatform(config, {
    migrations: MIGRATIONS,
    mode: 'server',
    sealer: true,
    ...(opts.pgSettings ? { pgSettings: opts.pgSettings } : {}),
    onSealerError: (e) => console.error(`audit sealer: ${(e as Error).message}`),
  });
  if (config.refdataDir) await importRefdataIfEmpty(platform, config.refdataDir);
  const app = buildHttp(platform, { ...(opts.logger !== undefined ? { logger: opts.logger } : {}), ...(opts.webRoot !== undefined ? { webRoot: opts.webRoot } : {}) });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await platform.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let stopping: Promise<void> | null = null;
  return {
    platform,
    app,
    url: `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`,
    stop() {
      // Stop accepting, let in-flight requests finish, then seal the audit trail and stop PostgreSQL.
      stopping ??= app.close().then(() => platform.close());
      return stopping;
    },
  };
}

/** CHARTROOM_REFDATA: load the code sets on the first start, so a new site has them without a step. */
async function importRefdataIfEmpty(platform: Platform, dir: string): Promise<void> {
  const c = codesetsOf(platform);
  if ((await c.codes.releases()).length > 0) return;
  console.log(`Importing code sets from ${dir} (CHARTROOM_REFDATA)…`);
  const report = await c.importCodesets([dir], { userId: null, username: 'system', sourceIp: null, channel: 'system' }, () => undefined);
  for (const r of report.releases) console.log(`  ${r.label}: ${r.codes} codes`);
  // Build the encoder indexes of the releases in use, so the first search is fast.
  await c.codes.search('a', undefined, undefined, 1).catch(() => undefined);
}

/** `chartroom serve` / `npm start`: runs until SIGTERM or SIGINT, then shuts down cleanly. */
export async function serve(env: Record<string, string | undefined>): Promise<void> {
  const config = loadConfig(env, VERSION);
  const server = await startServer(config);
  // The HL7 v2 listener beside HTTP (CHARTROOM_MLLP_PORT, default 2575; "off" disables it).
  let mllp: RunningMllp | null = null;
  if (config.mllp.port !== null) {
    try {
      mllp = await startMllp(server.platform, { handler: patientsOf(server.platform).adt });
    } catch (error) {
      await server.stop();
      throw error;
    }
  }
  const first = server.platform.firstRun;
  if (first?.generatedPassword) {
    console.log('');
    console.log('  First run: the administrator account was created.');
    console.log(`    username: admin`);
    console.log(`    password: ${first.generatedPassword}`);
    console.log('  This password is shown only once. Change it at first login, then enrol MFA.');
    console.log('');
  }
  console.log(`Chartroom ${VERSION} is listening on ${server.url} (database: ${config.databaseUrl ? 'DATABASE_URL' : `embedded, ${config.dataDir}/pg`})`);
  if (mllp) console.log(`HL7 v2 MLLP listener on ${config.mllp.host}:${mllp.port}${transportOf(mllp)}`);
  await new Promise<void>((resolve) => {
    let signalled = false;
    const onSignal = (signal: string) => {
      if (signalled) return;
      signalled = true;
      console.log(`${signal}: finishing requests and stopping…`);
      const force = setTimeout(() => {
        console.error('shutdown took longer than 30 s; exiting');
        process.exit(1);
      }, 30_000);
      force.unref();
      // MLLP first: the message being applied on each connection finishes and is answered, then HTTP drains.
      (mllp ? mllp.stop() : Promise.resolve()).then(() => server.stop()).then(resolve, (e: unknown) => {
        console.error(`shutdown error: ${(e as Error).message}`);
        resolve();
      });
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  });
  console.log('Chartroom stopped.');
}
