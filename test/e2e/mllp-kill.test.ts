import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { readAck } from '../../src/interop/hl7v2/ack.js';
import { encodeFrame } from '../../src/interop/hl7v2/framer.js';
import { adtMessage, adtStream } from '../support/adt-traffic.js';
import { MllpClient } from '../support/mllp-client.js';
import { createTestDatabase } from '../support/platform.js';
import { freePort } from '../support/ports.js';
import { BIN, REPO, startServerProcess } from '../support/server-process.js';

// `chartroom mllp` as a child process, killed with SIGKILL in the middle of a stream, then restarted:
// every message it ACKed must be in the database, and every message applied exactly once after the resend.

const PATIENTS = 120;
const children: ChildProcess[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-mllp-kill-'));
let pool: pg.Pool | null = null;

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await pool?.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startChild(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  let out = '';
  const child = spawn(process.execPath, [BIN, 'mllp'], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const deadline = Date.now() + 60_000;
  while (!/MLLP listener on/.test(out)) {
    if (child.exitCode !== null) throw new Error(`chartroom mllp exited:\n${out}`);
    if (Date.now() > deadline) throw new Error(`chartroom mllp did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out };
}

describe('a process killed during ingest', () => {
  it('loses no ACKed message and applies each message once after the resend', async () => {
    const url = await createTestDatabase();
    pool = new pg.Pool({ connectionString: url, max: 2 });
    const port = await freePort();
    const env = { DATABASE_URL: url, CHARTROOM_DATA_DIR: dataDir, CHARTROOM_MLLP_PORT: String(port), CHARTROOM_ADMIN_PASSWORD: 'Kill-test-password-1', CHARTROOM_LOG_LEVEL: 'warn' };
    const first = await startChild(env);

    // Two connections; one patient's messages always on the same one, so their order holds.
    const all = [...adtStream(PATIENTS)];
    const lanes = [all.filter((m) => m.n % 2 === 0), all.filter((m) => m.n % 2 === 1)];
    const acked = new Set<string>();
    const clients = await Promise.all(lanes.map(() => MllpClient.connect(port)));
    let killed = false;
    const readers = clients.map(async (c, i) => {
      for (let k = 0; k < lanes[i]!.length; k++) {
        const ack = await c.next(30_000).catch(() => null);
        if (ack === null) return;
        const a = readAck(ack);
        expect(a.ackCode).toBe('AA');
        acked.add(a.controlId);
        if (!killed && acked.size >= 150) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    });
    clients.forEach((c, i) => c.write(Buffer.concat(lanes[i]!.map((m) => encodeFrame(m.text)))));
    await Promise.all(readers);
    await new Promise<void>((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r() : first.child.once('exit', () => r())));
    expect(killed).toBe(true);
    expect(acked.size).toBeGreaterThanOrEqual(150);
    expect(acked.size).toBeLessThan(all.length);

    // Every ACKed message is in the database, applied.
    const rows = await pool.query<{ control_id: string; n: number }>("select control_id, count(*)::int as n from hl7v2_message where status = 'applied' group by control_id");
    const applied = new Map(rows.rows.map((r) => [r.control_id, r.n]));
    for (const id of acked) expect(applied.get(id), id).toBe(1);

    // Restart; the sender resends everything it has no ACK for, and a few it has (a sender that is unsure).
    const second = await startChild(env);
    const resend = all.filter((m) => !acked.has(m.controlId) || m.n % 10 === 0);
    const lanes2 = [resend.filter((m) => m.n % 2 === 0), resend.filter((m) => m.n % 2 === 1)];
    const clients2 = await Promise.all(lanes2.map(() => MllpClient.connect(port)));
    await Promise.all(
      clients2.map(async (c, i) => {
        for (const m of lanes2[i]!) {
          const a = readAck((await c.send(m.text))!);
          expect(`${m.controlId} ${a.ackCode} ${a.text}`).toBe(`${m.controlId} AA OK`);
        }
      }),
    );
    [...clients, ...clients2].forEach((c) => c.close());

    const final = await pool.query<{ control_id: string; n: number }>("select control_id, count(*)::int as n from hl7v2_message where status = 'applied' group by control_id");
    expect(final.rows).toHaveLength(all.length);
    expect(final.rows.every((r) => r.n === 1)).toBe(true);
    const enc = await pool.query<{ n: number; discharged: number }>("select count(*)::int as n, count(*) filter (where status = 'discharged')::int as discharged from encounter");
    expect(enc.rows[0]).toEqual({ n: PATIENTS, discharged: PATIENTS });
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
    expect(second.output()).toMatch(/MLLP listener stopped/);
  }, 180_000);
});

describe('chartroom serve', () => {
  it('runs the MLLP listener beside HTTP, and refuses to start when the MLLP port is taken', async () => {
    const port = await freePort();
    const server = await startServerProcess({ env: { CHARTROOM_MLLP_PORT: String(port), CHARTROOM_ADMIN_PASSWORD: 'Serve-test-password-1' } });
    try {
      expect(server.output()).toMatch(new RegExp(`HL7 v2 MLLP listener on 127\\.0\\.0\\.1:${port}`));
      const c = await MllpClient.connect(port);
      expect(readAck((await c.send(adtMessage(1, 'A04', 'SERVE1')))!).ackCode).toBe('AA');
      c.close();
      // A second server on the same MLLP port: a clear start-up error.
      // (HTTP may answer /health for a moment before the MLLP start fails; then the process exits on its own.)
      const busy = await startServerProcess({ env: { CHARTROOM_MLLP_PORT: String(port) } }).then(
        async (s) => ((await s.exited) === 0 ? null : new Error(s.output())),
        (e: unknown) => e as Error,
      );
      expect(busy).toBeInstanceOf(Error);
      expect((busy as Error).message).toMatch(/MLLP_PORT_IN_USE/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 180_000);
});
