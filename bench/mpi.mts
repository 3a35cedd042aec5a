// npm run bench:mpi [-- --only <set>[,<set>…]] [--skip-scale] [--scale-people N]
// Accuracy of the matching engine (src/patients/matching) with no set-specific tuning: one configuration for all.
// For FEBRL 1–4 (4 = 4a×4b linkage), Splink fake_1000 and historical_50k (../shared/corpora/record-linkage, read
// in place) and two synthetic household populations (the one the engine was developed on, and one of another seed
// and shape): precision, recall and F1 of the pairs placed in one patient at the automatic-link threshold, recall
// including the review band, blocking's pair recall and the candidate-pair count. Then scale: a synthetic population
// of 1,000,000 people written to a temporary CSV and deduplicated by the built CLI as a child process (wall time,
// peak RSS, candidate pairs). Figures only, never assertions.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { BLOCKING_PASSES, defaultPairBudget, forEachCandidate } from '../src/patients/matching/blocking.js';
import { csvField } from '../src/patients/matching/cli/command.js';
import { dedupe, link } from '../src/patients/matching/dedupe.js';
import { normalise } from '../src/patients/matching/normalise.js';
import { generatePopulation } from '../src/patients/matching/population/generate.js';
import { householdSets, publicSets, REPO, type DataSet } from './mpi-data.mjs';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = arg('--only')?.split(',');
const skipScale = args.includes('--skip-scale');
const scalePeople = Number(arg('--scale-people') ?? 1_000_000);

const pct = (x: number): string => x.toFixed(4);

async function accuracy(set: DataSet): Promise<void> {
  const t0 = Date.now();
  const files = await set.load();
  const truth = set.truth();
  const entity = (id: string): string => truth.get(id)!;
  const r = files.length === 2 ? link(files[0]!, files[1]!) : dedupe(files[0]!);
  let truePairs = 0;
  if (files.length === 2) {
    const inA = new Map<string, number>();
    for (const x of files[0]!) inA.set(entity(x.id), (inA.get(entity(x.id)) ?? 0) + 1);
    for (const x of files[1]!) truePairs += inA.get(entity(x.id)) ?? 0;
  } else {
    const sizes = new Map<string, number>();
    for (const x of files[0]!) sizes.set(entity(x.id), (sizes.get(entity(x.id)) ?? 0) + 1);
    for (const k of sizes.values()) truePairs += (k * (k - 1)) / 2;
  }
  let tp = 0;
  let predicted = 0;
  let withReview = 0;
  for (const p of r.pairs) {
    const same = entity(p.a) === entity(p.b);
    if (p.decision === 'match') {
      predicted++;
      if (same) tp++;
    }
    if (same) withReview++;
  }
  const precision = predicted ? tp / predicted : 0;
  const recall = tp / truePairs;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const all = files.flat().map(normalise);
  const source = files.length === 2 ? Uint8Array.from(all, (_, i) => (i < files[0]!.length ? 0 : 1)) : undefined;
  let blocked = 0;
  forEachCandidate(all, BLOCKING_PASSES, { maxBlockSize: 1000, pairBudget: defaultPairBudget(all.length), source }, (i, j) => {
    if (entity(all[i]!.id) === entity(all[j]!.id)) blocked++;
  });
  console.log(
    `${set.name.padEnd(18)} ${String(all.length).padStart(6)} ${String(truePairs).padStart(7)}  ${pct(precision)}  ${pct(recall)}  ${pct(f1)}  ${pct(withReview / truePairs)}  ${pct(blocked / truePairs)}  ${String(r.stats.candidatePairs).padStart(9)}  ${r.stats.model.householdStrength.toFixed(2)}  ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
}

/** Peak RSS of a child, from /proc (Linux); 0 where /proc is not there. */
function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function scale(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-bench-mpi-'));
  try {
    const file = path.join(dir, 'population.csv');
    const cols = ['id', 'given_name', 'middle_name', 'family_name', 'suffix', 'birth_date', 'sex', 'address_line', 'city', 'state', 'postal_code', 'phone', 'ssn', 'email'] as const;
    const t0 = Date.now();
    const out = fs.createWriteStream(file);
    out.write(cols.join(',') + '\n');
    let buf = '';
    let rows = 0;
    // the truth: the person of each record, by its id (P<n>), to score the pairs afterwards
    const personOf = new Map<string, number>();
    for (const g of generatePopulation({ seed: 424242, people: scalePeople, manyNames: true })) {
      buf += cols.map((c) => csvField(g.record[c] ?? '')).join(',') + '\n';
      personOf.set(g.record.id, g.person);
      rows++;
      if (buf.length > 1 << 16) {
        if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
        buf = '';
      }
    }
    await new Promise<void>((r) => out.end(buf, () => r()));
    console.log(`\nscale: ${scalePeople} synthetic people, ${rows} records (${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB CSV) generated in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const t1 = Date.now();
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'chartroom.js'), 'mpi', 'dedupe', file, '--out', path.join(dir, 'pairs.csv')], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peak = 0;
    let cpu = 0;
    const poll = setInterval(() => {
      peak = Math.max(peak, peakRss(child.pid!));
      cpu = Math.max(cpu, cpuSeconds(child.pid!));
    }, 250);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    clearInterval(poll);
    const wall = (Date.now() - t1) / 1000;
    if (code !== 0) console.log(`chartroom mpi dedupe failed (exit ${code}): ${stderr.slice(-2000)}`);
    const candidates = /(\d+) candidate pairs/.exec(stdout)?.[1] ?? '?';
    for (const line of stdout.trim().split('\n')) console.log(`  ${line}`);
    if (code === 0) {
      const sizes = new Map<number, number>();
      for (const person of personOf.values()) sizes.set(person, (sizes.get(person) ?? 0) + 1);
      let truePairs = 0;
      for (const k of sizes.values()) truePairs += (k * (k - 1)) / 2;
      let tp = 0;
      let predicted = 0;
      let trueInReview = 0;
      const lines = readline.createInterface({ input: fs.createReadStream(path.join(dir, 'pairs.csv')) });
      let header = true;
      for await (const line of lines) {
        if (header) {
          header = false;
          continue;
        }
        const [a, b, , decision] = line.split(',');
        const same = personOf.get(a!) === personOf.get(b!);
        if (decision === 'match') {
          predicted++;
          if (same) tp++;
        } else if (same) trueInReview++;
      }
      const precision = predicted ? tp / predicted : 0;
      const recall = truePairs ? tp / truePairs : 0;
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
      console.log(`  accuracy at scale: precision ${pct(precision)}, recall ${pct(recall)}, F1 ${pct(f1)}, recall with review ${pct((tp + trueInReview) / truePairs)} (${truePairs} true pairs)`);
    }
    console.log(`chartroom mpi dedupe on ${rows} records: wall ${(wall / 60).toFixed(1)} min (target ≤ 10; CPU ${(cpu / 60).toFixed(1)} min, load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores), peak RSS ${(peak / 2 ** 30).toFixed(2)} GiB (target ≤ 4), ${candidates} candidate pairs`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('set                records   pairs  precision recall  F1      R+review  blocking  candidates  hh    time');
for (const set of [...publicSets(), ...householdSets()]) if (!only || only.includes(set.name)) await accuracy(set);
if (!skipScale && (!only || only.includes('scale'))) await scale();
