import type { Command } from 'commander';
import fs from 'node:fs';
import readline from 'node:readline';
import type { Actor } from '../platform/audit/event.js';
import { progressBar } from '../platform/cli/progress.js';
import { AppError, isAppError } from '../platform/errors/app-error.js';
import { formatEdits, parseClaimLine, readHeader } from './engine/claims-tsv.js';
import { unknownVersion, type MceService } from './service.js';

export interface MceCli {
  /** Runs `fn` with the MCE service on an opened platform. */
  run<T>(fn: (deps: { mce: MceService; actor: Actor }) => Promise<T>): Promise<T>;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** `chartroom import mce <folder>` and `chartroom mce <claims.tsv> --out <result.tsv>`. */
export function registerMceCommands(program: Command, cli: MceCli): void {
  const importCmd = program.commands.find((c) => c.name() === 'import') ?? program.command('import').description('import reference data');
  importCmd
    .command('mce <folder>')
    .description('import the Medicare Code Editor tables: one version folder (v43.1/) or the folder holding them')
    .action((folder: string) =>
      cli.run(async ({ mce, actor }) => {
        const bar = progressBar('importing MCE tables');
        const report = await mce.importTables(actor, folder, (step, done, total) => {
          bar.update(done, Math.max(total, 1));
          if (!process.stderr.isTTY) console.error(`${step}…`);
        });
        bar.stop();
        for (const r of report) {
          console.log(`MCE ${pad(r.version, 6)} ${r.windowStart}..${r.windowEnd}  ${r.status === 'imported' ? `${r.diagnoses} diagnoses, ${r.procedures} procedures imported` : 'already loaded (no change)'}`);
        }
      }),
    );

  program
    .command('mce [claims]')
    .description('run the Medicare Code Editor over a claims TSV (columns as in ../shared/corpora/mce/); writes id, edit_type, edits')
    .option('--out <file>', 'write the results to a file instead of standard output')
    .option('--versions', 'list the loaded MCE versions instead')
    .action((claims: string | undefined, o: { out?: string; versions?: boolean }) =>
      cli.run(async ({ mce }) => {
        if (o.versions || claims === undefined) {
          const versions = await mce.versions();
          if (versions.length === 0) console.log('no MCE tables loaded; run chartroom import mce <folder>');
          for (const v of versions) console.log(`MCE ${pad(v.version, 6)} ${v.windowStart}..${v.windowEnd}  ${v.mceRelease}, ${v.diagnosisRows} diagnoses, ${v.procedureRows} procedures`);
          return;
        }
        const r = await editFile(mce, claims, o.out);
        console.error(`${r.edited} claims edited${r.failed > 0 ? `, ${r.failed} lines not edited (reported above)` : ''}${o.out ? `; results in ${o.out}` : ''}`);
        if (r.failed > 0) process.exitCode = 1;
      }),
    );
}

/** Streams a claims TSV through the editor; a bad line is reported on stderr with its number and skipped. */
async function editFile(mce: MceService, file: string, out: string | undefined): Promise<{ edited: number; failed: number }> {
  const size = await fs.promises.stat(file).then((s) => s.size, (error: unknown) => {
    throw new AppError('MCE_CLAIMS_UNREADABLE', `${file}: ${(error as Error).message}`);
  });
  const editor = await mce.editor();
  if (editor.versions.length === 0) throw new AppError('MCE_TABLES_MISSING', 'No MCE tables are loaded; run chartroom import mce <folder> first.');
  const input = fs.createReadStream(file);
  const sink: NodeJS.WritableStream = out ? fs.createWriteStream(out) : process.stdout;
  const bar = progressBar('editing');
  let lineNo = 0;
  let edited = 0;
  let failed = 0;
  let columns: Exclude<ReturnType<typeof readHeader>, { missing: string[] }>['columns'] | null = null;
  let buffer = 'id\tedit_type\tedits\n';
  const report = (message: string) => {
    failed++;
    if (failed <= 1000) console.error(message);
    else if (failed === 1001) console.error('… more lines not edited (not listed)');
  };
  const flush = async () => {
    if (!sink.write(buffer)) await new Promise<void>((r) => sink.once('drain', () => r()));
    buffer = '';
  };
  try {
    for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
      lineNo++;
      if (columns === null) {
        const header = readHeader(line.replace(/^\ufeff/, ''));
        if ('missing' in header) throw new AppError('MCE_CLAIMS_UNREADABLE', `${file}:1: the header lacks the column(s) ${header.missing.join(', ')}.`);
        columns = header.columns;
        continue;
      }
      if (line === '') continue;
      const parsed = parseClaimLine(line, columns);
      const where = `line ${lineNo}${parsed.id ? ` (${parsed.id.slice(0, 40)})` : ''}`;
      if (!parsed.ok) {
        report(`${where}: ${parsed.problem}`);
        continue;
      }
      try {
        if (parsed.version !== null && !editor.versions.includes(parsed.version)) throw unknownVersion(parsed.version, editor.versions);
        const r = editor(parsed.claim);
        buffer += `${parsed.id}\t${r.editType}\t${formatEdits(r.edits)}\n`;
        edited++;
      } catch (error) {
        if (!isAppError(error)) throw error;
        report(`${where}: error ${error.code}: ${error.detail}`);
      }
      if (buffer.length > 1 << 16) {
        await flush();
        bar.update(input.bytesRead, size);
      }
    }
    await flush();
  } catch (error) {
    if (error instanceof Error && 'code' in error && !isAppError(error)) throw new AppError('MCE_CLAIMS_UNREADABLE', `${file}: ${error.message}`, { cause: error });
    throw error;
  } finally {
    bar.stop();
    if (out) await new Promise<void>((r) => (sink as fs.WriteStream).end(() => r()));
  }
  if (columns === null) throw new AppError('MCE_CLAIMS_UNREADABLE', `${file} is empty: a header row is required.`);
  return { edited, failed };
}
