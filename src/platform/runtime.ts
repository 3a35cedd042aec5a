import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuditTrail } from './audit/trail.js';
import { sealPending, startSealer } from './audit/sealer.js';
import { bootstrap, type FirstRun } from './bootstrap.js';
import type { Config } from './config.js';
import { ensureRuntimeRole, openDatabase, type Database } from './db/database.js';
import { alive, startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded.js';
import { AppError } from './errors/app-error.js';
import { migrate, type MigrationSource } from './db/migrate.js';
import type { PlatformTables } from './db/schema.js';
import { PatientAccess } from './security/access.js';
import { AuthService } from './security/auth-service.js';
import { loadSecrets, sealField, type Secrets } from './security/secrets.js';
import { UsersService } from './security/users-service.js';
import { SettingsService } from './settings.js';

export const PLATFORM_MIGRATIONS: MigrationSource = {
  module: 'platform',
  dir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
};

/** The platform's services, wired once by a composition root (src/main). */
export interface Platform {
  config: Config;
  db: Database<PlatformTables>;
  secrets: Secrets;
  audit: AuditTrail;
  auth: AuthService;
  users: UsersService;
  access: PatientAccess;
  settings: SettingsService;
  anchorFile: string;
  firstRun: FirstRun | null;
  /** Seals pending audit events now (the CLI calls this before it exits). */
  seal(): Promise<number>;
  close(): Promise<void>;
}

export interface PlatformOptions {
  /** A server owns the embedded cluster; a CLI command attaches to a running server's cluster. */
  mode: 'server' | 'cli';
  migrations: MigrationSource[];
  /** Run the background audit sealer (servers do; one-shot CLI commands seal once at close). */
  sealer: boolean;
  /** Extra PostgreSQL settings for the embedded cluster. */
  pgSettings?: Record<string, string>;
  poolSize?: number;
  onSealerError?: (e: unknown) => void;
}

/**
 * Opens the database (embedded under <data dir>/pg unless DATABASE_URL is set), applies migrations,
 * runs the first-run set-up and builds the platform services.
 */
export async function startPlatform(config: Config, opts: PlatformOptions): Promise<Platform> {
  const secrets = loadSecrets(config.dataDir, { auditKey: config.auditKey });
  let embedded: EmbeddedPostgres | null = null;
  let url = config.databaseUrl;
  const pidFile = path.join(config.dataDir, 'server.pid');
  if (!url) {
    const other = runningServer(pidFile);
    if (opts.mode === 'server' && other !== null) {
      throw new AppError('EMBEDDED_DB_FAILED', `Chartroom is already running on ${config.dataDir} (pid ${other}).`);
    }
    embedded = await startEmbeddedPostgres({
      attach: opts.mode === 'cli' && other !== null,
      clusterDir: path.join(config.dataDir, 'pg'),
      port: config.embeddedPgPort,
      password: secrets.pgPassword,
      settings: { ...config.embeddedPgSettings, ...opts.pgSettings },
    });
    url = embedded.ownerUrl;
  }
  const db = openDatabase<PlatformTables>(url, { ...(opts.poolSize ? { max: opts.poolSize } : {}), preparedStatements: config.preparedStatements });
  try {
    await ensureRuntimeRole(db.ownerPool);
    await migrate(db.ownerPool, opts.migrations);
  } catch (error) {
    await db.close();
    await embedded?.stop();
    throw error;
  }
  const audit = new AuditTrail(db.app, db.appPool, secrets.auditKey);
  const auth = new AuthService(db.app, db.appPool, audit, config, secrets.fieldKey);
  const users = new UsersService(db.app, audit, (plain) => sealField(secrets.fieldKey, plain));
  const access = new PatientAccess(db.app, audit);
  const settings = new SettingsService(db.app, audit);
  if (opts.mode === 'server') fs.writeFileSync(pidFile, String(process.pid));
  const firstRun = await bootstrap(db.app, audit, config, secrets.fieldKey);
  const anchorFile = path.join(config.dataDir, 'audit-anchor.json');
  const sealerOpts = { pool: db.appPool, key: secrets.auditKey, anchorFile };
  const sealer = opts.sealer
    ? startSealer({ ...sealerOpts, intervalMs: config.auditSealIntervalMs, onError: opts.onSealerError ?? (() => undefined) })
    : null;
  let closed = false;
  return {
    config, db, secrets, audit, auth, users, access, settings, anchorFile, firstRun,
    seal: () => sealPending(sealerOpts),
    async close() {
      if (closed) return;
      closed = true;
      await audit.drain().catch(() => undefined);
      if (sealer) await sealer.stop();
      else await sealPending(sealerOpts).catch(() => undefined);
      await db.close();
      await embedded?.stop();
      if (opts.mode === 'server' && runningServer(pidFile) === process.pid) fs.rmSync(pidFile, { force: true });
    },
  };
}

/** The pid of a live Chartroom server on this data directory, if any. */
function runningServer(pidFile: string): number | null {
  if (!fs.existsSync(pidFile)) return null;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
  try {
    if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node')) return null;
  } catch {
    // no /proc: trust the pid
  }
  return pid;
}
