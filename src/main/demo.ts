import type { Command } from 'commander';
import { seedDemo } from '../demo/seed.js';
import { progressBar } from '../platform/cli/progress.js';
import type { Actor } from '../platform/audit/event.js';
import type { Platform } from '../platform/runtime.js';
import { grouperOf } from './grouper.js';
import { patientsOf } from './patients.js';

/** The window demo discharges fall in: the loaded MS-DRG versions (so DRGs are real), else the past year. */
async function window(p: Platform): Promise<{ from: string; to: string }> {
  const versions = await grouperOf(p).versions().catch(() => []);
  const today = new Date().toISOString().slice(0, 10);
  if (versions.length === 0) return { from: new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10), to: today };
  const from = versions.map((v) => v.effectiveFrom).sort()[0] as string;
  const to = versions.map((v) => v.effectiveTo).sort().at(-1) as string;
  return { from, to: to < today ? to : today };
}

/** `chartroom mpi scan` and `chartroom demo seed`. */
export function registerMpiAndDemoCommands(program: Command, run: <T>(fn: (p: Platform, actor: Actor) => Promise<T>) => Promise<T>): void {
  const mpi = program.commands.find((c) => c.name() === 'mpi') ?? program.command('mpi').description('master patient index');
  mpi.command('scan').description('find likely duplicates among the patients in the database and fill the duplicate work list').action(() =>
    run(async (p, actor) => {
      const bar = progressBar('scanning');
      const r = await patientsOf(p).review.scan(actor, (_step, done, total) => bar.update(done, Math.max(total, 1)));
      bar.stop();
      console.log(`${r.records} patients, ${r.candidatePairs} candidate pairs compared, ${r.pairs} pairs kept, ${r.added} new or updated on the work list`);
    }),
  );
  program.command('demo').description('demonstration data').command('seed')
    .description('fill a fresh install with synthetic patients (households, near-duplicates) and encounters')
    .option('--patients <n>', 'number of patient records', '200')
    .option('--seed <n>', 'random seed (another seed adds another population)', '1')
    .action((o: { patients: string; seed: string }) =>
      run(async (p, actor) => {
        const m = patientsOf(p);
        const bar = progressBar('seeding');
        const r = await seedDemo({ db: p.db.app as never, patients: m.patients, encounters: m.encounters, review: m.review, window: await window(p) }, actor, { patients: Number(o.patients), seed: Number(o.seed) }, (_s, done, total) => bar.update(done, total));
        bar.stop();
        console.log(`demo: ${r.patients} patients, ${r.encounters} encounters, ${r.duplicatePairs} likely-duplicate pairs on the work list`);
      }),
    );
}
