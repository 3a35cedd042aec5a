import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { progressBar } from '../../../platform/cli/progress.js';
import { AppError } from '../../../platform/errors/app-error.js';
import { dedupe, link, type DedupeResult } from '../dedupe.js';
import type { PersonRecord } from '../types.js';
import { parseMap } from './mapping.js';
import { readRecords } from './read.js';

/** A CSV field, quoted when it must be (RFC 4180). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function writePairs(out: string, result: DedupeResult): Promise<void> {
  const tmp = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.${process.pid}.tmp`);
  const sink = fs.createWriteStream(tmp, { encoding: 'utf8' });
  const done = new Promise<void>((resolve, reject) => {
    sink.on('error', reject);
    sink.on('finish', resolve);
  });
  const write = async (s: string): Promise<void> => {
    if (!sink.write(s)) await new Promise<void>((r) => sink.once('drain', () => r()));
  };
  await write('id_a,id_b,score,decision\n');
  // Matches first (by score), then the review band.
  const pairs = [...result.pairs].sort((x, y) => (x.decision === y.decision ? y.score - x.score : x.decision === 'match' ? -1 : 1));
  let buf = '';
  for (const p of pairs) {
    buf += `${csvField(p.a)},${csvField(p.b)},${p.score.toFixed(3)},${p.decision}\n`;
    if (buf.length > 1 << 16) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  sink.end();
  try {
    await done;
    fs.renameSync(tmp, out);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw new AppError('MPI_FILE_UNREADABLE', `${out}: cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
}

/**
 * Runs `mpi dedupe`: one file is deduplicated, two are linked across (each assumed free of duplicates), three or
 * more are deduplicated together. Returns the summary lines printed.
 */
export async function runDedupe(files: string[], o: { out: string; map?: string }): Promise<string[]> {
  const maps = parseMap(o.map);
  const reading = progressBar('reading');
  const sets: PersonRecord[][] = [];
  for (const f of files) sets.push(await readRecords(f, maps, (n) => reading.update(n, Math.max(n, 1))));
  reading.stop();
  if (files.length !== 2) {
    const seen = new Set<string>();
    for (const r of sets.flat()) {
      if (seen.has(r.id)) throw new AppError('MPI_CSV_INVALID', `the id "${r.id}" appears in more than one file; ids must be unique across the files deduplicated together`);
      seen.add(r.id);
    }
  }
  const bar = progressBar('matching');
  const steps = ['normalising', 'estimating', 'blocking', 'clustering'];
  const progress = (step: string, done: number, total: number): void => {
    const s = steps.indexOf(step);
    bar.update(s * 100 + Math.round((100 * done) / Math.max(total, 1)), steps.length * 100);
  };
  const result = sets.length === 2 ? link(sets[0]!, sets[1]!, {}, progress) : dedupe(sets.flat(), {}, progress);
  bar.stop();
  await writePairs(o.out, result);
  const s = result.stats;
  const matches = result.pairs.filter((p) => p.decision === 'match').length;
  return [
    `${s.records} records${sets.length === 2 ? ` (${sets[0]!.length} + ${sets[1]!.length}, linked across the two files)` : ''}; ${s.candidatePairs} candidate pairs from ${s.passes.length} blocking passes`,
    `time: ${Object.entries(s.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}`,
    `${matches} match pairs in ${s.clusters} clusters, ${result.pairs.length - matches} review pairs; written to ${o.out}`,
  ];
}

/** Registers `chartroom mpi dedupe` (needs no database). */
export function registerMpiDedupeCommand(program: Command): void {
  const mpi = program.commands.find((c) => c.name() === 'mpi') ?? program.command('mpi').description('master patient index: matching and duplicates');
  mpi
    .command('dedupe <files...>')
    .description('find duplicate people in CSV files (one file: within it; two files: linked across them); writes id_a,id_b,score,decision')
    .requiredOption('--out <pairs.csv>', 'where to write the pairs')
    .option('--map <src=dst,...>', 'rename or join source columns, e.g. rec_id=id,surname=family_name,street_number+address_1=address_line')
    .action(async (files: string[], o: { out: string; map?: string }) => {
      for (const line of await runDedupe(files, o)) console.log(line);
    });
}
