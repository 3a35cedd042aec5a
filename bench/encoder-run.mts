// npm run bench:encoder [-- --queries file.tsv …]: both halves of the encoder benchmark with the same arguments
// (npm appends them to the last command of a script only): bench/encoder.mts (recall per kind and system,
// in-process latency, memory) and bench/encoder-baseline.mts (HTTP p99 and the pg_trgm baseline).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
for (const script of ['encoder.mts', 'encoder-baseline.mts']) {
  const r = spawnSync(process.execPath, [...process.execArgv, path.join(here, script), ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
