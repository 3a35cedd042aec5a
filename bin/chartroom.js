#!/usr/bin/env node
// The `chartroom` command. Runs the compiled CLI in dist/ (built by `npm run build`, which `npm start`
// and `npm test` run first).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('chartroom: not built yet. Run `npm run build` first (npm start does it for you).');
  process.exit(2);
}
const { main } = await import(entry.href);
await main(process.argv, process.env);
