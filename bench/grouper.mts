// npm run bench:grouper [-- --refdata dir] [--corpora dir] [--rounds N]
// Speed and agreement of the MS-DRG grouper (src/grouper) on CMS's answers in ../shared/corpora/msdrg:
// in-process claims/s on one thread over every corpus claim with the agreement on drg/mdc/return_code beside
// it; the time to load one version's definitions (parse + compile from the TSV text, and from the compiled
// cache); and the whole `chartroom group` process (start, load, group, write) as a child process on 60,000
// claims with --threads 1 and 2, beside CMS's Java grouper's published figure on this machine kind.
// Figures only, never timed assertions.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { claimColumns, parseClaimLine, type ClaimLine } from '../src/grouper/claims-tsv.js';
import { CompiledCache } from '../src/grouper/compiled-cache.js';
import { compileDefinitions, group, parseDefinitions } from '../src/grouper/engine/index.js';
import type { CompiledGrouper } from '../src/grouper/engine/compiled.js';
import { asTextMap, readVersionFolder } from '../src/grouper/folder.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const REFDATA = arg('--refdata') ?? path.resolve(REPO, '..', 'shared', 'refdata');
const CORPORA = arg('--corpora') ?? path.resolve(REPO, '..', 'shared', 'corpora');
const ROUNDS = Number(arg('--rounds') ?? 3);
const VERSIONS = ['v42.0', 'v42.1', 'v43.0', 'v43.1'];
const BIN = path.join(REPO, 'bin', 'chartroom.js');
// CMS's Java grouper on this machine kind (issue 12): 2,700–3,200 claims/s on one thread
const JAVA_LOW = 2_700;
const JAVA_HIGH = 3_200;

const ms = (t0: number) => performance.now() - t0;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Corpus { version: string; header: string; lines: string[]; claims: ClaimLine[]; expected: string[] }

function readCorpus(version: string): Corpus {
  const all = fs.readFileSync(path.join(CORPORA, 'msdrg', `claims-${version}.tsv`), 'utf8').split('\n').filter(Boolean);
  const header = all[0]!;
  const h = header.split('\t');
  const cols = claimColumns(header);
  const lines = all.slice(1);
  const claims = lines.map((l, i) => {
    const p = parseClaimLine(cols, l, i + 2);
    if (!p.ok) throw new Error(`${version} line ${i + 2}: ${p.message}`);
    return p.value;
  });
  const expected = lines.map((l) => {
    const c = l.split('\t');
    return `${c[h.indexOf('drg')]} ${c[h.indexOf('mdc')]} ${c[h.indexOf('return_code')]}`;
  });
  return { version, header, lines, claims, expected };
}

console.log(`MS-DRG grouper benchmark — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg()[0]!.toFixed(1)}`);

// 1. Loading definitions
const compiled = new Map<string, CompiledGrouper>();
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-bench-cache-'));
const cache = new CompiledCache(cacheDir);
console.log('\nload one version (best of rounds)      parse+compile TSV   from compiled cache');
for (const v of VERSIONS) {
  const text = asTextMap(await readVersionFolder(path.join(REFDATA, 'msdrg', v)));
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    compiled.set(v, compileDefinitions(parseDefinitions(text)));
    best = Math.min(best, ms(t0));
  }
  const row = { contentSha256: `bench-${v}` };
  cache.write(row, text);
  let bestCache = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    cache.read(row);
    bestCache = Math.min(bestCache, ms(t0));
  }
  console.log(`  ${v.padEnd(37)}${`${best.toFixed(0)} ms`.padStart(17)}${`${bestCache.toFixed(0)} ms`.padStart(22)}`);
}
fs.rmSync(cacheDir, { recursive: true, force: true });

// 2. In-process, one thread, every corpus claim
const corpora = VERSIONS.map(readCorpus);
let agree = 0;
let total = 0;
for (const c of corpora) {
  const g = compiled.get(c.version)!;
  c.claims.forEach((cl, i) => {
    const r = group(g, cl.claim, { trace: false });
    total++;
    if (`${String(r.drg).padStart(3, '0')} ${String(r.mdc).padStart(2, '0')} ${r.returnCode}` === c.expected[i]) agree++;
  });
}
let bestRate = 0;
for (let r = 0; r < ROUNDS; r++) {
  const t0 = performance.now();
  for (const c of corpora) {
    const g = compiled.get(c.version)!;
    for (const cl of c.claims) group(g, cl.claim, { trace: false });
  }
  bestRate = Math.max(bestRate, total / (ms(t0) / 1000));
}
const traced = performance.now();
for (const c of corpora) for (const cl of c.claims.slice(0, 5000)) group(compiled.get(c.version)!, cl.claim, { trace: true });
const tracedRate = (5000 * corpora.length) / (ms(traced) / 1000);
console.log(`\nin-process, 1 thread, ${fmt(total)} corpus claims: ${fmt(bestRate)} claims/s (target ≥ 100,000); agreement drg+mdc+return_code ${agree}/${total} = ${((100 * agree) / total).toFixed(2)}%`);
console.log(`  with the readable trace: ${fmt(tracedRate)} claims/s`);

// 3. The whole `chartroom group` process (start, load, group, write) on 60,000 claims: 15,000 of each version
const dataDir = path.join(os.tmpdir(), 'chartroom-bench-grouper-data');
const env = { ...process.env, CHARTROOM_DATA_DIR: dataDir, DATABASE_URL: '' } as NodeJS.ProcessEnv;
delete env.DATABASE_URL;
if (!fs.existsSync(path.join(dataDir, 'cache', 'msdrg', 'index.json'))) {
  console.log(`\nimporting the definitions once into ${dataDir} (embedded PostgreSQL; not timed)…`);
  const imp = spawnSync(process.execPath, [BIN, 'import', 'msdrg', path.join(REFDATA, 'msdrg')], { env, encoding: 'utf8' });
  if (imp.status !== 0) throw new Error(`import failed: ${imp.stderr}`);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-bench-grouper-'));
const header = corpora[0]!.header;
const picked = corpora.flatMap((c) => c.lines.slice(0, 15_000).map((l, i) => ({ l, e: c.expected[i]! })));
const input = path.join(work, 'claims-60k.tsv');
fs.writeFileSync(input, `${header}\n${picked.map((p) => p.l).join('\n')}\n`);
const all80k = path.join(work, 'claims-80k.tsv');
fs.writeFileSync(all80k, `${header}\n${corpora.flatMap((c) => c.lines).join('\n')}\n`);
const out = path.join(work, 'result.tsv');

function runGroup(file: string, threads: number): number {
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const res = spawnSync(process.execPath, [BIN, 'group', file, '--out', out, '--threads', String(threads)], { env, encoding: 'utf8' });
    const t = ms(t0);
    if (res.status !== 0) throw new Error(`chartroom group failed: ${res.stderr}`);
    best = Math.min(best, t);
  }
  return best;
}
const t1 = runGroup(input, 1);
const rows = fs.readFileSync(out, 'utf8').split('\n').slice(1).filter(Boolean);
const cliAgree = rows.filter((l, i) => { const c = l.split('\t'); return `${c[1]} ${c[2]} ${c[5]}` === picked[i]?.e; }).length;
const t2 = runGroup(input, 2);
const javaLow = (60_000 / JAVA_HIGH) * 1000;
const javaHigh = (60_000 / JAVA_LOW) * 1000;
console.log(`\nwhole \`chartroom group\` process on 60,000 claims (15,000 per version; best of ${ROUNDS}):`);
console.log(`  --threads 1: ${(t1 / 1000).toFixed(2)} s (${fmt(60_000 / (t1 / 1000))} claims/s); agreement ${cliAgree}/${picked.length}`);
console.log(`  --threads 2: ${(t2 / 1000).toFixed(2)} s (${fmt(60_000 / (t2 / 1000))} claims/s)`);
console.log(`  CMS's Java grouper, same work: ${(javaLow / 1000).toFixed(1)}–${(javaHigh / 1000).toFixed(1)} s → Chartroom is ${(javaLow / t1).toFixed(1)}–${(javaHigh / t1).toFixed(1)}× faster with 1 thread, ${(javaLow / t2).toFixed(1)}–${(javaHigh / t2).toFixed(1)}× with 2 (target ≥ 15×)`);
const t80 = runGroup(all80k, 1);
const t80b = runGroup(all80k, 2);
console.log(`  all 80,000 corpus claims: ${(t80 / 1000).toFixed(2)} s with 1 thread, ${(t80b / 1000).toFixed(2)} s with 2`);
fs.rmSync(work, { recursive: true, force: true });
