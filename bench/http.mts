// npm run bench:http — an authenticated, audited read endpoint under load from a second process.
// Starts the real `chartroom serve` (embedded PostgreSQL, fresh data directory), logs in with
// password + TOTP, then runs autocannon as its own process against GET /api/audit/:id for 30 s
// (BENCH_SECONDS to change) and prints req/s, p50/p99 latency and the audit rows written.
// Target on a 2-core machine: >= 2,000 req/s, p99 <= 25 ms, every request audited.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { currentTotp } from '../src/platform/security/totp.js';
import { ownerUrlOf, startServerProcess } from '../test/support/server-process.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const PASSWORD = 'Bench-admin-password-1';
const TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

const server = await startServerProcess({
  env: { CHARTROOM_ADMIN_PASSWORD: PASSWORD, CHARTROOM_ADMIN_TOTP_SECRET: TOTP, CHARTROOM_LOG_LEVEL: 'error' },
});
try {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD, totp: currentTotp(TOTP) }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;

  const db = new pg.Client({ connectionString: ownerUrlOf(server) });
  await db.connect();
  const count = async () => Number((await db.query('select count(*) as n from audit_event')).rows[0].n);
  const { rows } = await db.query('select min(id) as id from audit_event');
  const url = `${server.url}/api/audit/${rows[0].id}`;

  // Warm up (JIT, connection pools), then measure.
  spawnSync('node_modules/.bin/autocannon', ['-c', String(CONNECTIONS), '-d', '3', '-H', `cookie=${cookie}`, url], { stdio: 'ignore' });
  const before = await count();
  console.error(`autocannon -c ${CONNECTIONS} -d ${SECONDS} GET /api/audit/:id …`);
  const run = spawnSync('node_modules/.bin/autocannon', ['-c', String(CONNECTIONS), '-d', String(SECONDS), '-j', '-H', `cookie=${cookie}`, url], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`autocannon failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number; average: number; max: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  // Every answered request wrote its audit row before its response left.
  const written = (await count()) - before;
  await db.end();

  const ok = result.requests.total - result.non2xx;
  const reqPerSec = result.requests.average;
  console.log('');
  console.log('bench:http — GET /api/audit/:id (session check, permission check, indexed read, audit row)');
  console.log(`  duration          ${SECONDS} s, ${CONNECTIONS} connections, autocannon in a second process`);
  console.log(`  requests          ${result.requests.total} (${ok} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts)`);
  console.log(`  throughput        ${reqPerSec.toFixed(0)} req/s   (target >= 2000)`);
  console.log(`  latency p50       ${result.latency.p50} ms`);
  console.log(`  latency p99       ${result.latency.p99} ms   (target <= 25)`);
  console.log(`  latency max       ${result.latency.max} ms`);
  console.log(`  audit rows        ${written} written for ${ok} answered requests (${written >= ok ? 'every request audited' : 'MISSING AUDIT ROWS'})`);
  console.log(`  verdict           ${reqPerSec >= 2000 && result.latency.p99 <= 25 && written >= ok ? 'meets the target' : 'below the target'}`);
} finally {
  await server.stop();
}
