// npm run bench:mllp — HL7 v2 ADT intake over MLLP under load from a second process.
// Starts the real `chartroom serve` (embedded PostgreSQL, fresh data directory, synchronous_commit on) with the
// MLLP listener, then this process sends synthetic A04/A08/A03 traffic over 4 connections, each one waiting for
// its ACK before the next message (as HL7 senders do), and prints messages/s and the p50/p99 time to ACK.
// Every ACK is sent only after the message's transaction committed; the bench checks the count in the database.
// Target on a 2-core machine: >= 1,000 messages/s, p99 <= 50 ms. BENCH_CPU_PROFILE=<dir> writes the server's CPU profile there;
// BENCH_PG_STATEMENTS=<n> prints the n statements PostgreSQL spent most time executing (pg_stat_statements, loaded
// through CHARTROOM_PG_SETTINGS; it costs some throughput itself).
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { readAck } from '../src/interop/hl7v2/ack.js';
import { adtMessage } from '../test/support/adt-traffic.js';
import { MllpClient } from '../test/support/mllp-client.js';
import { freePort } from '../test/support/ports.js';
import { ownerUrlOf, startServerProcess } from '../test/support/server-process.js';

/** CPU seconds (user + system) of the processes named `comm`, or of one pid, from /proc (Linux). */
function cpuSeconds(match: { pid: number } | { comm: string }): number {
  const tick = 100;
  let total = 0;
  const pids = 'pid' in match ? [String(match.pid)] : fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if ('comm' in match && comm !== match.comm) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) / tick;
    } catch {
      // the process ended
    }
  }
  return total;
}
/** CPU seconds the whole machine spent busy (all cores), from /proc/stat. */
function machineBusy(): number {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return (f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!) / 100;
}

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 4000);
const WARMUP = 200;
const PG_STATEMENTS = Number(process.env.BENCH_PG_STATEMENTS ?? 0);

const mllpPort = await freePort();
const server = await startServerProcess({ nodeArgs: process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [], env: { CHARTROOM_MLLP_PORT: String(mllpPort), CHARTROOM_LOG_LEVEL: 'error', CHARTROOM_ADMIN_PASSWORD: 'Bench-admin-password-1',
  ...(PG_STATEMENTS > 0 ? { CHARTROOM_PG_SETTINGS: 'shared_preload_libraries=pg_stat_statements;pg_stat_statements.track=all' } : {}) } });
try {
  const db = new pg.Client({ connectionString: ownerUrlOf(server) });
  await db.connect();
  const setting = async (name: string) => String((await db.query(`select current_setting('${name}') as v`)).rows[0].v);
  const durability = { synchronous_commit: await setting('synchronous_commit'), fsync: await setting('fsync'), wal_sync_method: await setting('wal_sync_method') };

  // Warm-up patients 1..WARMUP on one connection (JIT, pools, plans); then the measured run on fresh patients.
  const warm = await MllpClient.connect(mllpPort);
  for (let n = 1; n <= WARMUP; n++) for (const ev of ['A04', 'A08', 'A03'] as const) await warm.send(adtMessage(n, ev, `W${ev}-${n}`, 'BENCHWARM'));
  warm.close();

  if (PG_STATEMENTS > 0) await db.query('create extension if not exists pg_stat_statements').then(() => db.query('select pg_stat_statements_reset()'));
  const before = Number((await db.query("select count(*) as n from hl7v2_message where status = 'applied'")).rows[0].n);
  const latencies: number[] = [];
  let notAA = 0;
  const lane = async (k: number) => {
    const c = await MllpClient.connect(mllpPort);
    // One patient's A04, A08 and A03 travel on one connection, in order; patients interleave.
    const mine: number[] = [];
    for (let n = WARMUP + 1 + k; n <= WARMUP + PATIENTS; n += CONNECTIONS) mine.push(n);
    for (const ev of ['A04', 'A08', 'A03'] as const) {
      for (const n of mine) {
        const t0 = performance.now();
        const ack = await c.send(adtMessage(n, ev, `${ev}-${n}`, 'BENCHADT'));
        latencies.push(performance.now() - t0);
        if (!ack || readAck(ack).ackCode !== 'AA') notAA++;
      }
    }
    c.close();
  };
  console.error(`sending ${PATIENTS * 3} ADT messages (A04, A08, A03 for ${PATIENTS} patients) over ${CONNECTIONS} connections…`);
  const cpu0 = { server: cpuSeconds({ pid: server.child.pid! }), pg: cpuSeconds({ comm: 'postgres' }), sender: process.cpuUsage(), machine: machineBusy() };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, k) => lane(k)));
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu0.sender);
  const perMessage = (sec: number) => ((sec * 1000) / (PATIENTS * 3)).toFixed(2);
  const cpu = {
    server: cpuSeconds({ pid: server.child.pid! }) - cpu0.server, pg: cpuSeconds({ comm: 'postgres' }) - cpu0.pg,
    sender: (used.user + used.system) / 1e6, machine: machineBusy() - cpu0.machine,
  };
  const applied = Number((await db.query("select count(*) as n from hl7v2_message where status = 'applied'")).rows[0].n) - before;
  const encounters = Number((await db.query("select count(*) filter (where status = 'discharged') as n from encounter")).rows[0].n);
  const statements = PG_STATEMENTS > 0
    ? (await db.query(`select calls, total_exec_time as total, rows, regexp_replace(query, '\\s+', ' ', 'g') as query from pg_stat_statements
        where dbid = (select oid from pg_database where datname = current_database()) order by total_exec_time desc limit $1`, [PG_STATEMENTS])).rows as { calls: number; total: number; rows: number; query: string }[]
    : [];
  await db.end();

  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  const rate = latencies.length / seconds;
  console.log('');
  console.log('bench:mllp — ADT A04/A08/A03 over MLLP (parse, store raw, apply to patient and encounter, audit, COMMIT, then ACK)');
  console.log(`  messages          ${latencies.length} over ${CONNECTIONS} connections in ${seconds.toFixed(1)} s (${notAA} not AA)`);
  console.log(`  throughput        ${rate.toFixed(0)} messages/s   (target >= 1000)`);
  console.log(`  time to ACK p50   ${pct(50).toFixed(1)} ms`);
  console.log(`  time to ACK p99   ${pct(99).toFixed(1)} ms   (target <= 50)`);
  console.log(`  time to ACK max   ${latencies[latencies.length - 1]!.toFixed(1)} ms`);
  console.log(`  CPU per message   server ${perMessage(cpu.server)} ms, PostgreSQL ${perMessage(cpu.pg)} ms, sender ${perMessage(cpu.sender)} ms, anything else ${perMessage(cpu.machine - cpu.server - cpu.pg - cpu.sender)} ms; cores busy ${((100 * cpu.machine) / seconds / os.cpus().length).toFixed(0)} %`);
  console.log(`  durability        synchronous_commit=${durability.synchronous_commit}, fsync=${durability.fsync}, wal_sync_method=${durability.wal_sync_method}`);
  console.log(`  committed         ${applied} messages applied for ${latencies.length - notAA} AA answers; ${encounters - WARMUP} measured visits discharged`);
  if (statements.length > 0) {
    console.log(`  PostgreSQL's statements by execution time (pg_stat_statements; ms per message = total / ${PATIENTS * 3}):`);
    console.log('      calls  total ms  ms/msg  mean ms  statement');
    for (const x of statements) {
      console.log(`  ${String(x.calls).padStart(9)} ${x.total.toFixed(0).padStart(9)} ${(x.total / (PATIENTS * 3)).toFixed(3).padStart(7)} ${(x.total / x.calls).toFixed(3).padStart(8)}  ${x.query.slice(0, 110)}`);
    }
  }
  console.log(`  verdict           ${rate >= 1000 && pct(99) <= 50 && applied === latencies.length - notAA ? 'meets the target' : 'below the target'}`);
} finally {
  await server.stop();
}
