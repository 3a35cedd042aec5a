// npm run bench:mce [-- --rounds N]
// Throughput of the MCE engine (src/mce/engine), single thread, over every claim of ../shared/corpora/mce/
// (100,000 claims, four versions), with the agreement rate against CMS's answers beside it, and the time to
// load (parse and index) each version's tables. CMS's MCE (Java, MCE-2.0-43.1.0.0) edits about 57,000
// claims/s on this machine kind; the ratio is printed. Figures only, never timed assertions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatEdits, parseClaimLine, readHeader } from '../src/mce/engine/claims-tsv.js';
import { edit } from '../src/mce/engine/edit.js';
import type { MceClaim, WindowTables } from '../src/mce/engine/model.js';
import { parseFolder } from '../src/mce/engine/parse.js';
import { findVersionFolders, readVersionFolder } from '../src/mce/folder.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(REPO, '..', 'shared');
const CMS_CLAIMS_PER_SECOND = 57_000;
const i = process.argv.indexOf('--rounds');
const ROUNDS = i > 0 ? Number(process.argv[i + 1]) : 5;

// Load: read + gunzip (I/O) apart from parse + index (what a reload from the database costs too).
const windows: WindowTables[] = [];
console.log('load per version (parse + build lookups; best of 3):');
for (const dir of await findVersionFolders(path.join(SHARED, 'refdata', 'mce'))) {
  const t0 = performance.now();
  const folder = await readVersionFolder(dir);
  const read = performance.now() - t0;
  let best = Infinity;
  let tables: WindowTables | null = null;
  for (let k = 0; k < 3; k++) {
    const t1 = performance.now();
    tables = parseFolder(folder.text);
    best = Math.min(best, performance.now() - t1);
  }
  windows.push(tables!);
  console.log(`  ${tables!.version}  ${best.toFixed(0).padStart(5)} ms  (+ ${read.toFixed(0)} ms to read and decompress the files)`);
}
const tables = { windows };

interface Case { claim: MceClaim; want: string }
const cases: Case[] = [];
let unreadable = 0;
for (const file of fs.readdirSync(path.join(SHARED, 'corpora', 'mce')).filter((f) => f.endsWith('.tsv')).sort()) {
  const lines = fs.readFileSync(path.join(SHARED, 'corpora', 'mce', file), 'utf8').split('\n').filter((l) => l !== '');
  const header = readHeader(lines[0]!);
  if (!('columns' in header)) throw new Error(`${file}: missing ${header.missing.join(', ')}`);
  const { edit_type: et, edits: ed } = header.columns.index;
  for (const line of lines.slice(1)) {
    const p = parseClaimLine(line, header.columns);
    const cells = line.split('\t');
    if (!p.ok) {
      unreadable++;
      continue;
    }
    cases.push({ claim: p.claim, want: `${cells[et!]} ${cells[ed!]}` });
  }
}

// Agreement (edit type and the edits in order, exactly as the corpus writes them).
let agree = 0;
for (const c of cases) {
  const out = edit(tables, c.claim);
  if (out.kind === 'edited' && `${out.editType} ${formatEdits(out.edits)}` === c.want) agree++;
}

// Throughput: edit() with its explanations, on parsed claims; warm-up round first, best of the rounds.
// Wall-clock and process CPU time are both taken: on a shared machine the CPU time is the fairer figure.
let sink = 0;
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const runOnce = () => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const c of cases) {
    const out = edit(tables, c.claim);
    if (out.kind === 'edited') sink += out.edits.length;
  }
  return { wall: performance.now() - t0, cpu: cpuMs(process.cpuUsage(c0)) };
};
runOnce();
const times = Array.from({ length: ROUNDS }, runOnce);
const best = Math.min(...times.map((t) => t.wall));
const bestCpu = Math.min(...times.map((t) => t.cpu));
const perSecond = cases.length / (best / 1000);
const perCpuSecond = cases.length / (bestCpu / 1000);

// Whole line path: parse the TSV line, edit, format the output line.
const lines: { line: string; columns: Extract<ReturnType<typeof readHeader>, { columns: unknown }>['columns'] }[] = [];
for (const file of fs.readdirSync(path.join(SHARED, 'corpora', 'mce')).filter((f) => f.endsWith('.tsv')).sort()) {
  const all = fs.readFileSync(path.join(SHARED, 'corpora', 'mce', file), 'utf8').split('\n').filter((l) => l !== '');
  const header = readHeader(all[0]!);
  if ('columns' in header) for (const line of all.slice(1)) lines.push({ line, columns: header.columns });
}
const c0 = process.cpuUsage();
const t0 = performance.now();
let bytes = 0;
for (const { line, columns } of lines) {
  const p = parseClaimLine(line, columns);
  if (!p.ok) continue;
  const out = edit(tables, p.claim);
  if (out.kind === 'edited') bytes += `${p.id}\t${out.editType}\t${formatEdits(out.edits)}\n`.length;
}
const linePerSecond = lines.length / ((performance.now() - t0) / 1000);
const linePerCpuSecond = lines.length / (cpuMs(process.cpuUsage(c0)) / 1000);

console.log(`\nclaims: ${cases.length} (${unreadable} unreadable lines)`);
console.log(`agreement with CMS (edit type + edits in order): ${agree}/${cases.length} = ${((100 * agree) / cases.length).toFixed(3)}%`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (n: number) => `${(n / CMS_CLAIMS_PER_SECOND).toFixed(1)}×`;
console.log(`load average now: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (figures drop when the machine is shared)`);
console.log(`throughput, single thread, edit() with explanations (best of ${ROUNDS}; rounds ${times.map((t) => t.wall.toFixed(0)).join(', ')} ms):`);
console.log(`  ${fmt(perSecond)} claims/s wall-clock, ${fmt(perCpuSecond)} claims per CPU-second`);
console.log(`  CMS's MCE on this machine kind: ~${fmt(CMS_CLAIMS_PER_SECOND)} claims/s → Chartroom ${ratio(perSecond)} (wall), ${ratio(perCpuSecond)} (CPU)`);
console.log(`throughput, TSV line → edit → output line: ${fmt(linePerSecond)} claims/s wall, ${fmt(linePerCpuSecond)} per CPU-second (${ratio(linePerSecond)} / ${ratio(linePerCpuSecond)} CMS)`);
if (sink < 0 || bytes < 0) console.log('');
