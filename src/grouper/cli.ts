import type { Command } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import readline from 'node:readline';
import { Worker } from 'node:worker_threads';
import type { Actor } from '../platform/audit/event.js';
import { progressBar } from '../platform/cli/progress.js';
import { AppError } from '../platform/errors/app-error.js';
import { groupChunk, readHeader, RESULT_HEADER, type BatchContext, type ChunkResult } from './batch.js';
import type { ClaimColumns } from './claims-tsv.js';
import type { CompiledCache } from './compiled-cache.js';
import type { CompiledGrouper } from './engine/compiled.js';
import type { GrouperService } from './service.js';
import type { VersionRow } from './store.js';

export interface GrouperCli {
  /** Runs `fn` with the grouper service on an opened platform. */
  run<T>(fn: (deps: { grouper: GrouperService; actor: Actor; cache: CompiledCache | null }) => Promise<T>): Promise<T>;
  /**
   * The compiled cache and its index of loaded versions, when `group` may use them without opening the database
   * (embedded PostgreSQL whose imports wrote the index); null otherwise.
   */
  offline(): { cache: CompiledCache; versions: VersionRow[] } | null;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const CHUNK_LINES = 4000;

interface Source {
  versions: VersionRow[];
  cache: CompiledCache | null;
  /** Compiled versions when there is no cache (compiled in this process). */
  compiled: Map<string, CompiledGrouper>;
}

/** `chartroom import msdrg <folder>` and `chartroom group <claims.tsv> --out <result.tsv>`. */
export function registerGrouperCommands(program: Command, cli: GrouperCli): void {
  const importCmd = program.commands.find((c) => c.name() === 'import') ?? program.command('import').description('import reference data');
  importCmd
    .command('msdrg <folder>')
    .description('import MS-DRG grouper definitions: one version folder (v43.0/) or the folder holding them')
    .action((folder: string) =>
      cli.run(async ({ grouper, actor }) => {
        const bar = progressBar('importing MS-DRG definitions');
        const report = await grouper.importDefinitions(actor, folder, (step, done, total) => {
          bar.update(done, Math.max(total, 1));
          if (!process.stderr.isTTY) console.error(`${step}…`);
        });
        bar.stop();
        for (const r of report) {
          const what = r.status === 'imported' ? `${r.diagnoses} diagnoses, ${r.procedures} procedures, ${r.formulas} formula rows imported` : 'already loaded (no change)';
          console.log(`MS-DRG ${pad(r.version, 6)} FY${r.fiscalYear} ${r.effectiveFrom}..${r.effectiveTo}  ${what}`);
        }
      }),
    );

  program
    .command('group [claims]')
    .description('group a claims TSV with the MS-DRG grouper (columns as in ../shared/corpora/msdrg/); writes id, drg, mdc, med_surg, severity, return_code, weight, sdx_use')
    .option('--out <file>', 'write the results to a file instead of standard output')
    .option('--threads <n>', 'worker threads (default 1)', '1')
    .option('--strip-dots', 'accept codes written with dots (I50.23); CMS treats them as invalid, so the default is off')
    .option('--no-cache', 'read the definitions from the database, not the compiled cache')
    .option('--versions', 'list the loaded grouper versions instead')
    .action((claims: string | undefined, o: { out?: string; threads: string; stripDots?: boolean; cache: boolean; versions?: boolean }) => {
      if (o.versions || claims === undefined) {
        return cli.run(async ({ grouper }) => {
          const versions = await grouper.versions();
          if (versions.length === 0) console.log('no MS-DRG definitions loaded; run chartroom import msdrg <folder>');
          for (const v of versions) console.log(`MS-DRG ${pad(v.version, 6)} FY${v.fiscalYear} ${v.effectiveFrom}..${v.effectiveTo}  ${v.drgCount} DRGs, ${v.diagnosisRows} diagnoses, ${v.procedureRows} procedures`);
        });
      }
      const threads = Number(o.threads);
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new AppError('VALIDATION_FAILED', '--threads must be a whole number from 1 to 64.');
      const work = async (source: Source) => {
        const r = await groupFile(source, claims, o.out, Math.min(threads, Math.max(1, os.availableParallelism())), o.stripDots ?? false);
        for (const [version, n] of Object.entries(r.outOfForce)) {
          console.error(`notice: ${n} claims have a discharge date on which no loaded grouper version is in force; grouped with the latest loaded version, ${version}`);
        }
        console.error(`${r.grouped} claims grouped${r.failed > 0 ? `, ${r.failed} lines not grouped (reported above)` : ''}${o.out ? `; results in ${o.out}` : ''}`);
        if (r.failed > 0) process.exitCode = 1;
      };
      const offline = o.cache ? cli.offline() : null;
      if (offline) return work({ versions: offline.versions, cache: offline.cache, compiled: new Map() });
      return cli.run(async ({ grouper, cache }) => {
        const catalogue = await grouper.catalogue();
        const compiled = new Map<string, CompiledGrouper>();
        const useCache = o.cache ? cache : null;
        for (const v of catalogue.versions) {
          if (useCache && useCache.has(v)) continue;
          compiled.set(v.contentSha256, await catalogue.compiled(v));
        }
        // workers read compiled versions from the cache; without one, group in this thread
        return work({ versions: [...catalogue.versions], cache: useCache && compiled.size === 0 ? useCache : null, compiled });
      });
    });
}

interface FileResult {
  grouped: number;
  failed: number;
  outOfForce: Record<string, number>;
}

async function groupFile(source: Source, file: string, out: string | undefined, threads: number, stripDots: boolean): Promise<FileResult> {
  const size = await fs.promises.stat(file).then(
    (s) => s.size,
    (error: unknown) => {
      throw new AppError('MSDRG_CLAIMS_UNREADABLE', `${file}: ${(error as Error).message}`);
    },
  );
  if (source.versions.length === 0) throw new AppError('MSDRG_NOT_LOADED', 'No MS-DRG grouper version is loaded; run chartroom import msdrg <folder> first.');
  const input = fs.createReadStream(file);
  const sink: NodeJS.WritableStream = out ? fs.createWriteStream(out) : process.stdout;
  const bar = progressBar('grouping');
  const total: FileResult = { grouped: 0, failed: 0, outOfForce: {} };
  const write = async (text: string) => {
    if (text !== '' && !sink.write(text)) await new Promise<void>((r) => sink.once('drain', () => r()));
  };
  const take = async (r: ChunkResult) => {
    total.grouped += r.grouped;
    for (const e of r.errors) {
      total.failed++;
      if (total.failed <= 1000) console.error(e);
      else if (total.failed === 1001) console.error('… more lines not grouped (not listed)');
    }
    for (const [v, n] of Object.entries(r.outOfForce)) total.outOfForce[v] = (total.outOfForce[v] ?? 0) + n;
    await write(r.out);
    bar.update(input.bytesRead, Math.max(size, 1));
  };
  let cols: ClaimColumns | null = null;
  let pool: ChunkPool | null = null;
  try {
    await write(RESULT_HEADER);
    let chunk: string[] = [];
    let first = 2;
    let lineNo = 0;
    const flush = async () => {
      if (chunk.length === 0 || cols === null) return;
      const lines = chunk;
      chunk = [];
      if (pool === null && threads > 1 && source.cache !== null) pool = new ChunkPool(threads, source, cols, stripDots, take);
      if (pool) await pool.submit(lines, first);
      else await take(groupChunk(contextOf(source, stripDots), cols, lines, first));
    };
    for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
      lineNo++;
      if (cols === null) {
        const header = readHeader(line);
        if ('problem' in header) throw new AppError('MSDRG_CLAIMS_UNREADABLE', `${file} line 1: ${header.problem}.`);
        cols = header.cols;
        continue;
      }
      if (chunk.length === 0) first = lineNo;
      chunk.push(line);
      if (chunk.length >= CHUNK_LINES) await flush();
    }
    await flush();
    if (pool) await (pool as ChunkPool).drain();
  } catch (error) {
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('E')) {
      throw new AppError('MSDRG_CLAIMS_UNREADABLE', `${file}: ${error.message}`, { cause: error });
    }
    throw error;
  } finally {
    bar.stop();
    if (pool) await (pool as ChunkPool).close();
    if (out) await new Promise<void>((r) => (sink as fs.WriteStream).end(() => r()));
  }
  if (cols === null) throw new AppError('MSDRG_CLAIMS_UNREADABLE', `${file} is empty: a header row is required.`);
  return total;
}

function contextOf(source: Source, stripDots: boolean): BatchContext {
  const loaded = source.compiled;
  return {
    versions: source.versions,
    stripDots,
    compiledFor(row) {
      let c = loaded.get(row.contentSha256);
      if (!c) {
        c = source.cache?.read(row) ?? undefined;
        if (!c) throw new AppError('MSDRG_NOT_LOADED', `The definitions of ${row.version} could not be loaded; run chartroom group --no-cache.`);
        loaded.set(row.contentSha256, c);
      }
      return c;
    },
  };
}

/** Worker threads grouping chunks; results are written in input order. */
class ChunkPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, ChunkResult>();
  private readonly waiting: (() => void)[] = [];
  private sent = 0;
  private written = 0;
  private failure: Error | null = null;
  private writing = Promise.resolve();

  constructor(threads: number, source: Source, cols: ClaimColumns, stripDots: boolean, private readonly take: (r: ChunkResult) => Promise<void>) {
    const workerData = {
      cacheDir: (source.cache as CompiledCache).directory,
      versions: source.versions.map((v) => ({ ...v, importedAt: v.importedAt.toISOString() })),
      columns: { ...cols, dates: undefined },
      stripDots,
    };
    this.workers = Array.from({ length: threads }, () => {
      const w = new Worker(new URL('./batch-worker.js', import.meta.url), { workerData });
      w.on('message', (m: ChunkResult & { seq: number }) => this.receive(m));
      w.on('error', (e) => this.fail(e));
      return w;
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const wake of this.waiting.splice(0)) wake();
  }

  private receive(m: ChunkResult & { seq: number }): void {
    this.pending.set(m.seq, m);
    this.writing = this.writing.then(async () => {
      for (let r = this.pending.get(this.written); r !== undefined; r = this.pending.get(this.written)) {
        this.pending.delete(this.written);
        this.written++;
        await this.take(r);
      }
      for (const wake of this.waiting.splice(0)) wake();
    }).catch((e: unknown) => this.fail(e as Error));
  }

  async submit(lines: string[], firstLine: number): Promise<void> {
    while (this.failure === null && this.sent - this.written >= this.workers.length * 2) await new Promise<void>((r) => this.waiting.push(r));
    if (this.failure) throw this.failure;
    const seq = this.sent++;
    (this.workers[seq % this.workers.length] as Worker).postMessage({ seq, lines, firstLine });
  }

  async drain(): Promise<void> {
    while (this.failure === null && this.written < this.sent) await new Promise<void>((r) => this.waiting.push(r));
    await this.writing;
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
