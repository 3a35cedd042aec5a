import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(REPO, 'bin', 'chartroom.js');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  pgPort: number;
  dataDir: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** SIGTERM and wait. */
  stop(): Promise<number | null>;
}

/** The connection string of a server process's embedded PostgreSQL as its owner (password from the data directory's secrets). */
export function ownerUrlOf(server: Pick<ServerProcess, 'dataDir' | 'pgPort'>): string {
  const secrets = JSON.parse(fs.readFileSync(path.join(server.dataDir, 'secrets.json'), 'utf8')) as { pgPassword: string };
  return `postgres://chartroom:${encodeURIComponent(secrets.pgPassword)}@127.0.0.1:${server.pgPort}/chartroom`;
}

/**
 * Runs the real `chartroom serve` (bin/chartroom.js over the built dist/) as a child process, on a fresh
 * or given data directory with its own embedded PostgreSQL, and waits until /health answers 200.
 */
export async function startServerProcess(opts: { dataDir?: string; env?: Record<string, string>; port?: number; pgPort?: number; nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-e2e-'));
  const port = opts.port ?? (await freePort());
  const pgPort = opts.pgPort ?? (await freePort());
  let out = '';
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    CHARTROOM_PG_PORT: String(pgPort),
    // The MLLP listener is on by default at 2575; parallel test servers must not fight over it.
    CHARTROOM_MLLP_PORT: '0',
    CHARTROOM_DATA_DIR: dataDir,
    CHARTROOM_HOST: '127.0.0.1',
    CHARTROOM_LOG_LEVEL: 'warn',
    ...opts.env,
  };
  delete env.DATABASE_URL;
  if (opts.env?.DATABASE_URL) env.DATABASE_URL = opts.env.DATABASE_URL;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, 'serve'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  let ready = false;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) {
        ready = true;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`chartroom serve did not become healthy:\n${out}`);
  }
  return {
    child, url, port, pgPort, dataDir, exited,
    output: () => out,
    async stop() {
      if (!gone) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The generated admin password printed on first run. */
export function printedAdminPassword(output: string): string {
  const m = /password: (\S+)/.exec(output);
  if (!m) throw new Error(`no admin password in output:\n${output}`);
  return m[1]!;
}
