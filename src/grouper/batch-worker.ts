import { parentPort, workerData } from 'node:worker_threads';
import { groupChunk, type BatchContext } from './batch.js';
import type { ClaimColumns } from './claims-tsv.js';
import { CompiledCache } from './compiled-cache.js';
import type { CompiledGrouper } from './engine/compiled.js';
import type { VersionRow } from './store.js';

/** A `chartroom group --threads N` worker: loads compiled versions from the cache, groups the chunks it is sent. */
interface Init {
  cacheDir: string;
  versions: (Omit<VersionRow, 'importedAt'> & { importedAt: string })[];
  columns: Omit<ClaimColumns, 'dates'>;
  stripDots: boolean;
}

const init = workerData as Init;
const cache = new CompiledCache(init.cacheDir);
const loaded = new Map<string, CompiledGrouper>();
const ctx: BatchContext = {
  versions: init.versions.map((v) => ({ ...v, importedAt: new Date(v.importedAt) })),
  stripDots: init.stripDots,
  compiledFor(row) {
    let c = loaded.get(row.contentSha256);
    if (!c) {
      c = cache.read(row) ?? undefined;
      if (!c) throw new Error(`compiled cache of ${row.version} is missing`);
      loaded.set(row.contentSha256, c);
    }
    return c;
  },
};
const cols: ClaimColumns = { ...init.columns, dates: new Map() };

parentPort?.on('message', (msg: { seq: number; lines: string[]; firstLine: number }) => {
  parentPort?.postMessage({ seq: msg.seq, ...groupChunk(ctx, cols, msg.lines, msg.firstLine) });
});
