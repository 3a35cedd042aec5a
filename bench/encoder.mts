// npm run bench:encoder [-- --queries file.tsv] [--refdata dir] [--latency N] [--failures] [--slowest] [--repeat N]
// Search quality and speed of the encoder (src/codesets/encoder) on the full FY2026 ICD-10-CM + ICD-10-PCS
// order files, with the FY2021 tabular inclusion terms and the FY2017 alphabetic index (and its see-
// references) as synonyms, used only for codes that exist in FY2026. Reads the releases straight from
// ../shared/refdata with the import's parsers. Prints recall@1 / recall@5 overall and per kind, in-process
// p50/p99 over mixed queries, index memory (heap + typed arrays, after GC) and build time. Figures only,
// never timed assertions.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReleaseCode } from '../src/codesets/model.js';
import { normaliseCode, parseOrderFile } from '../src/codesets/releases/order-file.js';
import { collectSources, type SourceFile } from '../src/codesets/sources/files.js';
import { parseIndexXml } from '../src/codesets/xml/index-terms.js';
import { parseTabularXml } from '../src/codesets/xml/tabular.js';
import { parseTableXml } from '../src/codesets/xml/tables.js';
import type { TableTerm } from '../src/codesets/model.js';
import { hcpcsFromXlsxRows } from '../src/codesets/releases/hcpcs.js';
import { readXlsxSheet } from '../src/codesets/sources/xlsx.js';
import { buildEncoderIndex, search, type EncoderIndex } from '../src/codesets/encoder/index.js';
import { loadEncoderVocabulary } from '../src/codesets/encoder/load.js';

// Memory is measured after a full GC: re-run this script with --expose-gc when it is not on.
if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const gc = globalThis.gc as () => void;

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const QUERIES = arg('--queries') ?? path.join(REPO, 'bench', 'encoder-queries.tsv');
const REFDATA = arg('--refdata') ?? path.resolve(REPO, '..', 'shared', 'refdata');
const LATENCY_QUERIES = Number(arg('--latency') ?? 10_000);
const SHOW_FAILURES = process.argv.includes('--failures');

function chunksOf(buf: Buffer): AsyncIterable<string> {
  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < buf.length; i += 1 << 20) yield await Promise.resolve(buf.subarray(i, i + (1 << 20)).toString('latin1'));
    },
  };
}

function memory(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function buildIndexes(): Promise<{ cm: EncoderIndex; pcs: EncoderIndex; hcpcs: EncoderIndex; timings: string[] }> {
  const sources = await collectSources([
    path.join(REFDATA, 'icd10cm/fy2026/2026-code-descriptions-tabular-order.zip'),
    path.join(REFDATA, 'icd10pcs/fy2026/2026-icd-10-pcs-order-file-long-and-abbreviated-titles.zip'),
    path.join(REFDATA, 'icd10cm/xml/fy2017/ICD10CM_FY2017_Full_XML.zip'),
    path.join(REFDATA, 'icd10cm/xml/fy2021/icd10cm_tabular_2021.xml.gz'),
    path.join(REFDATA, 'icd10cm/xml/fy2021/icd10cm_drug_2021.xml.gz'),
    path.join(REFDATA, 'icd10cm/xml/fy2021/icd10cm_neoplasm_2021.xml.gz'),
    path.join(REFDATA, 'icd10cm/xml/fy2021/icd10cm_eindex_2021.xml.gz'),
    path.join(REFDATA, 'hcpcs/2025-10/HCPC2025_OCT_ANWEB.xlsx'),
  ]);
  try {
    const file = (name: string): SourceFile => sources.files.find((f) => f.name === name) ?? (() => { throw new Error(`${name} not found under ${REFDATA}`); })();
    const t0 = performance.now();
    const cmCodes: ReleaseCode[] = parseOrderFile((await file('icd10cm_order_2026.txt').read()).toString('latin1'), 'icd10cm_order_2026.txt', 'icd10cm');
    const pcsCodes: ReleaseCode[] = parseOrderFile((await file('icd10pcs_order_2026.txt').read()).toString('latin1'), 'icd10pcs_order_2026.txt', 'icd10pcs');
    const index17 = await parseIndexXml(chunksOf(await file('icd10cm_index_2017.xml').read()), 'icd10cm_index_2017.xml');
    const tab17 = await parseTabularXml(chunksOf(await file('icd10cm_tabular_2017.xml').read()), 'icd10cm_tabular_2017.xml');
    const tab21 = await parseTabularXml(chunksOf(await file('icd10cm_tabular_2021.xml').read()), 'icd10cm_tabular_2021.xml');
    const tableRows: TableTerm[] = [];
    for (const source of ['drug', 'neoplasm'] as const) {
      const t = await parseTableXml(chunksOf(await file(`icd10cm_${source}_2021.xml`).read()), `icd10cm_${source}_2021.xml`);
      for (const r of t.rows) tableRows.push({ source, code: r.code, path: r.path, plainPath: r.plainPath });
    }
    const eindex = await parseIndexXml(chunksOf(await file('icd10cm_eindex_2021.xml').read()), 'icd10cm_eindex_2021.xml');
    for (const p of eindex.paths) tableRows.push({ source: 'eindex', code: p.code, path: p.path, plainPath: p.plainPath });
    const t1 = performance.now();
    const vocabulary = loadEncoderVocabulary();
    const cm = buildEncoderIndex({
      system: 'icd10cm',
      codes: cmCodes,
      ...vocabulary,
      indexPaths: index17.paths,
      indexCrossRefs: index17.crossRefs,
      indexVersion: { label: 'FY2017', codes: tab17.codes.map((c) => c.code) },
      inclusionTerms: tab21.notes,
      inclusionVersion: { label: 'FY2021', codes: tab21.codes.map((c) => c.code) },
      tableRows,
      tableVersion: { label: 'FY2021', codes: tab21.codes.map((c) => c.code) },
    });
    const t2 = performance.now();
    const pcs = buildEncoderIndex({ system: 'icd10pcs', codes: pcsCodes, ...vocabulary });
    const t3 = performance.now();
    const hcpcsCodes = hcpcsFromXlsxRows(await readXlsxSheet(await file('HCPC2025_OCT_ANWEB.xlsx').read()), 'HCPC2025_OCT_ANWEB.xlsx');
    const hcpcs = buildEncoderIndex({ system: 'hcpcs', codes: hcpcsCodes, ...vocabulary });
    const t4 = performance.now();
    const timings = [
      `parse releases (order files, FY2017 index + tabular, FY2021 tabular + drug/neoplasm/external-cause tables): ${((t1 - t0) / 1000).toFixed(2)} s`,
      `build ICD-10-CM index: ${((t2 - t1) / 1000).toFixed(2)} s (${cm.n} codes, ${cm.stats.postings} postings, ${cm.stats.texts} texts)`,
      `build ICD-10-PCS index: ${((t3 - t2) / 1000).toFixed(2)} s (${pcs.n} codes, ${pcs.stats.postings} postings)`,
      `parse + build HCPCS (October 2025) index: ${((t4 - t3) / 1000).toFixed(2)} s (${hcpcs.n} codes)`,
      `FY2017 index paths: ${cm.stats.indexPaths.used} used, ${cm.stats.indexPaths.notInVersion} not in FY2026, ${cm.stats.indexPaths.stale} into changed categories; see-references ${cm.stats.crossRefs.used} resolved, ${cm.stats.crossRefs.unresolved} not`,
      `FY2021 drug, neoplasm and external-cause rows: ${cm.stats.tableRows.used} used, ${cm.stats.tableRows.notInVersion} not in FY2026, ${cm.stats.tableRows.stale} into changed categories`,
      `FY2021 inclusion terms: ${cm.stats.inclusionTerms.used} used, ${cm.stats.inclusionTerms.notInVersion} not in FY2026, ${cm.stats.inclusionTerms.stale} into changed categories`,
    ];
    return { cm, pcs, hcpcs, timings };
  } finally {
    sources.close();
  }
}

interface Query {
  query: string;
  system: 'icd10cm' | 'icd10pcs' | 'hcpcs';
  expected: string;
  kind: string;
  line: number;
}

function readQueries(file: string): Query[] {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const header = lines.findIndex((l) => !l.startsWith('#'));
  if (lines[header]?.split('\t').slice(0, 3).join('\t') !== 'query\tsystem\texpected') throw new Error(`${file}: header must be query<TAB>system<TAB>expected[<TAB>kind]`);
  const out: Query[] = [];
  lines.forEach((l, i) => {
    if (i <= header || l.trim() === '' || l.startsWith('#')) return;
    const [query, sys, expected, kind] = l.split('\t');
    const system = sys === 'icd10pcs' || sys === 'pcs' ? 'icd10pcs' : sys === 'icd10cm' || sys === 'cm' ? 'icd10cm' : sys === 'hcpcs' ? 'hcpcs' : null;
    if (!query || !system || !expected) throw new Error(`${file}:${i + 1}: needs query, system (icd10cm|icd10pcs|hcpcs) and expected code`);
    out.push({ query, system, expected: normaliseCode(expected), kind: kind?.trim() || 'unlabelled', line: i + 1 });
  });
  return out;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

const before = memory();
const tBuild = performance.now();
const { cm, pcs, hcpcs, timings } = await buildIndexes();
const buildSeconds = (performance.now() - tBuild) / 1000;
const indexBytes = memory() - before;
const indexFor = (q: Query): EncoderIndex => (q.system === 'icd10pcs' ? pcs : q.system === 'hcpcs' ? hcpcs : cm);

const queries = readQueries(QUERIES);
const byKind = new Map<string, { n: number; at1: number; at5: number }>();
const bySystem = new Map<string, { n: number; at1: number; at5: number }>();
const failures: string[] = [];
const seconds: string[] = [];
let at1 = 0;
let at5 = 0;
for (const q of queries) {
  const hits = search(indexFor(q), q.query, { limit: 5 });
  const rank = hits.findIndex((h) => h.code === q.expected);
  const k = byKind.get(q.kind) ?? { n: 0, at1: 0, at5: 0 };
  k.n++;
  if (rank === 0) {
    at1++;
    k.at1++;
  }
  if (rank >= 0) {
    at5++;
    k.at5++;
  }
  else failures.push(`  line ${q.line} [${q.kind}] "${q.query}" expected ${q.expected}, got ${hits.map((h) => h.code).join(' ') || 'nothing'}`);
  if (rank > 0) seconds.push(`  line ${q.line} [${q.kind}] "${q.query}" expected ${q.expected} at ${rank + 1}, first ${hits[0]!.code} ${hits[0]!.title.slice(0, 70)}`);
  byKind.set(q.kind, k);
  const sy = bySystem.get(q.system) ?? { n: 0, at1: 0, at5: 0 };
  sy.n++;
  if (rank === 0) sy.at1++;
  if (rank >= 0) sy.at5++;
  bySystem.set(q.system, sy);
}

// Latency: the query set cycled, every other one as typed so far (a prefix of it), as an encoder panel sends.
const mixed: Query[] = [];
for (let i = 0; mixed.length < LATENCY_QUERIES && queries.length > 0; i++) {
  const q = queries[i % queries.length]!;
  mixed.push(i % 2 === 0 ? q : { ...q, query: q.query.slice(0, Math.max(3, Math.ceil(q.query.length * 0.6))) });
}
for (const q of mixed.slice(0, 1000)) search(indexFor(q), q.query, { limit: 20 }); // warm-up (JIT)
// --repeat N: each query's best of N runs, which factors out the pauses of a machine shared with other work.
const REPEAT = Math.max(1, Number(arg('--repeat') ?? 1));
const best = new Float64Array(mixed.length).fill(Infinity);
for (let r = 0; r < REPEAT; r++) {
  mixed.forEach((q, i) => {
    const t = process.hrtime.bigint();
    search(indexFor(q), q.query, { limit: 20 });
    best[i] = Math.min(best[i]!, Number(process.hrtime.bigint() - t) / 1e6);
  });
}
const times: number[] = Array.from(best);
const slow = mixed.map((q, i) => ({ ms: best[i]!, q }));
times.sort((a, b) => a - b);
if (process.argv.includes('--slowest')) {
  slow.sort((a, b) => b.ms - a.ms);
  console.log(`slowest queries:\n${slow.slice(0, 15).map((x) => `  ${x.ms.toFixed(2)} ms [${x.q.system}] "${x.q.query}"`).join('\n')}`);
}

const pct = (x: number, n: number): string => (n === 0 ? '-' : (x / n).toFixed(3));
console.log(`Encoder benchmark: ${queries.length} queries from ${path.relative(process.cwd(), QUERIES)}`);
console.log(timings.map((t) => `  ${t}`).join('\n'));
console.log(`  total load + build: ${buildSeconds.toFixed(2)} s; index memory (CM + PCS + HCPCS, heap + typed arrays after GC): ${(indexBytes / 2 ** 20).toFixed(0)} MB`);
console.log('\nkind           n  recall@1  recall@5');
for (const [kind, k] of [...byKind].sort()) console.log(`${kind.padEnd(12)} ${String(k.n).padStart(3)}  ${pct(k.at1, k.n).padStart(8)}  ${pct(k.at5, k.n).padStart(8)}`);
for (const [sys, k] of [...bySystem].sort()) console.log(`${`[${sys}]`.padEnd(12)} ${String(k.n).padStart(3)}  ${pct(k.at1, k.n).padStart(8)}  ${pct(k.at5, k.n).padStart(8)}`);
console.log(`${'all'.padEnd(12)} ${String(queries.length).padStart(3)}  ${pct(at1, queries.length).padStart(8)}  ${pct(at5, queries.length).padStart(8)}   (targets: recall@1 >= 0.80, recall@5 >= 0.97)`);
console.log(`\nin-process latency over ${times.length} mixed queries${REPEAT > 1 ? ` (best of ${REPEAT} runs each)` : ''}: p50 ${percentile(times, 0.5).toFixed(3)} ms, p99 ${percentile(times, 0.99).toFixed(3)} ms, max ${times.at(-1)?.toFixed(3) ?? '-'} ms (target p99 <= 2 ms)`);
// The PostgreSQL pg_trgm baseline (recall and latency, as a ratio) and the HTTP p99 of GET /api/codes/search
// are measured by bench/encoder-baseline.mts, the second half of `npm run bench:encoder`.
console.log('pg_trgm baseline and HTTP p99: see bench/encoder-baseline.mts (second half of npm run bench:encoder)');
if (SHOW_FAILURES && seconds.length > 0) console.log(`\nin the top 5 but not first:\n${seconds.join('\n')}`);
if (failures.length > 0) console.log(SHOW_FAILURES ? `\nnot in the top 5:\n${failures.join('\n')}` : `\n${failures.length} queries not in the top 5 (--failures lists them)`);
