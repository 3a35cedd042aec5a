// Second half of `npm run bench:encoder`: the encoder over HTTP against the real server (embedded
// PostgreSQL, FY2026 ICD-10-CM + PCS with the FY2017/FY2021 XML imported through the CLI), and the obvious
// baseline — PostgreSQL pg_trgm similarity over the titles — on the same queries, printed side by side:
// recall@1/@5 of both, HTTP p50/p99 of ours, p50/p99 of pg_trgm and the ratio.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { currentTotp } from '../src/platform/security/totp.js';
import { REFDATA } from '../test/support/refdata.js';
import { BIN, REPO, ownerUrlOf, startServerProcess } from '../test/support/server-process.js';

const PASSWORD = 'Bench-encoder-password-1';
const TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const arg = process.argv.indexOf('--queries');
const queryFile = arg > 0 ? process.argv[arg + 1]! : path.join(REPO, 'bench', 'encoder-queries.tsv');
const HTTP_QUERIES = Number(process.env.BENCH_HTTP_QUERIES ?? 10_000);
const TRGM_QUERIES = Number(process.env.BENCH_TRGM_QUERIES ?? 1_000);

interface Q { query: string; system: string; expected: string }
const queries: Q[] = fs.readFileSync(queryFile, 'utf8').split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#')).slice(1)
  .map((l) => l.split('\t')).map(([query = '', system = '', expected = '']) => ({ query, system, expected: expected.replace('.', '').toUpperCase() }))
  // This half imports ICD-10-CM and PCS only: HCPCS queries are measured by bench/encoder.mts alone.
  .filter((q) => q.system === 'icd10cm' || q.system === 'icd10pcs');
const norm = (c: string) => c.replace('.', '').toUpperCase();
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

const server = await startServerProcess({ env: { CHARTROOM_ADMIN_PASSWORD: PASSWORD, CHARTROOM_ADMIN_TOTP_SECRET: TOTP, CHARTROOM_LOG_LEVEL: 'error' } });
try {
  const started = Date.now();
  const run = (args: string[]) => execFileSync(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, CHARTROOM_DATA_DIR: server.dataDir, DATABASE_URL: '' }, stdio: ['ignore', 'ignore', 'ignore'] });
  run(['import', 'codesets', `${REFDATA}/icd10cm/fy2025`, `${REFDATA}/icd10cm/fy2026`, `${REFDATA}/icd10pcs/fy2025`, `${REFDATA}/icd10pcs/fy2026`]);
  console.log(`\nimport of FY2025 + FY2026 ICD-10-CM and ICD-10-PCS (order files, addenda, POA, conversion tables, PCS tables XML; incl. the encoder warm-up) through the CLI: ${((Date.now() - started) / 1000).toFixed(1)} s (target <= 30 s)`);
  const xml = Date.now();
  run(['import', 'codesets', `${REFDATA}/icd10cm/xml/fy2017`, `${REFDATA}/icd10cm/xml/fy2021`]);
  console.log(`import of the FY2017 and FY2021 tabular/index XML: ${((Date.now() - xml) / 1000).toFixed(1)} s`);

  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD, totp: currentTotp(TOTP) }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const date = '2025-11-01';
  const ask = async (q: Q) => {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/codes/search?${new URLSearchParams({ q: q.query, system: q.system, date, limit: '5' }).toString()}`, { headers: { cookie } });
    const body = (await res.json()) as { hits?: { code: string }[] };
    return { ms: performance.now() - t0, codes: (body.hits ?? []).map((h) => norm(h.code)) };
  };
  await ask(queries[0]!);

  const db = new pg.Client({ connectionString: ownerUrlOf(server) });
  await db.connect();
  // The baseline gets its best index: GiST trigram, so "order by title <-> query" is a k-nearest-neighbour scan.
  await db.query('create index if not exists bench_trgm on codeset_code using gist (long_title gist_trgm_ops)');
  const releases = new Map((await db.query<{ system: string; id: number }>("select system, id from codeset_release where kind <> 'xml'")).rows.map((r) => [r.system, r.id]));
  const trgm = async (q: Q) => {
    const t0 = performance.now();
    const r = await db.query<{ code: string }>({ name: 'trgm', text: 'select code from codeset_code where release_id = $1 order by long_title <-> $2 limit 5', values: [releases.get(q.system), q.query] });
    return { ms: performance.now() - t0, codes: r.rows.map((x) => x.code) };
  };

  const score = async (f: (q: Q) => Promise<{ codes: string[] }>) => {
    let at1 = 0;
    let at5 = 0;
    for (const q of queries) {
      const { codes } = await f(q);
      if (codes[0] === q.expected) at1++;
      if (codes.includes(q.expected)) at5++;
    }
    return { at1: at1 / queries.length, at5: at5 / queries.length };
  };
  const ours = await score(ask);
  const base = await score(trgm);
  const mixed = Array.from({ length: HTTP_QUERIES }, (_, i) => queries[(i * 7919) % queries.length]!);
  const httpMs: number[] = [];
  for (const q of mixed) httpMs.push((await ask(q)).ms);
  const trgmMs: number[] = [];
  for (const q of mixed.slice(0, TRGM_QUERIES)) trgmMs.push((await trgm(q)).ms);
  await db.end();

  console.log(`\nsame ${queries.length} queries, answered two ways (date ${date}):`);
  console.log(`  Chartroom encoder over HTTP   recall@1 ${ours.at1.toFixed(3)}  recall@5 ${ours.at5.toFixed(3)}`);
  console.log(`  PostgreSQL pg_trgm baseline   recall@1 ${base.at1.toFixed(3)}  recall@5 ${base.at5.toFixed(3)}`);
  console.log(`\nlatency (sequential, keep-alive, loopback):`);
  console.log(`  HTTP GET /api/codes/search    ${HTTP_QUERIES} queries: p50 ${pct(httpMs, 50).toFixed(2)} ms, p99 ${pct(httpMs, 99).toFixed(2)} ms (target p99 <= 10 ms)`);
  console.log(`  pg_trgm k-NN (GiST), SQL only ${TRGM_QUERIES} queries: p50 ${pct(trgmMs, 50).toFixed(2)} ms, p99 ${pct(trgmMs, 99).toFixed(2)} ms`);
  console.log(`  ratio pg_trgm / Chartroom HTTP: p50 ${(pct(trgmMs, 50) / pct(httpMs, 50)).toFixed(1)}x, p99 ${(pct(trgmMs, 99) / pct(httpMs, 99)).toFixed(1)}x`);
  const cold = Date.now();
  execFileSync(process.execPath, [BIN, 'codes', 'search', 'heart attack', '--system', 'icd10cm', '--limit', '5'], { cwd: REPO, env: { ...process.env, CHARTROOM_DATA_DIR: server.dataDir, DATABASE_URL: '' }, stdio: 'ignore' });
  console.log(`\ncold \`chartroom codes search\` (new process, embedded data directory, server running): ${((Date.now() - cold) / 1000).toFixed(2)} s (target <= 2 s)`);
} finally {
  await server.stop();
}
