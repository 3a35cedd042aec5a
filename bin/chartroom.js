#!/usr/bin/env node
// The `chartroom` command. Runs the compiled CLI in dist/ (built by `npm run build`, which `npm start`
// and `npm test` run first).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `chartroom group` has a light entry that can group from the compiled cache without the server's modules.
const args = process.argv.slice(2);
const command = args[args[0] === '--data-dir' ? 2 : args[0]?.startsWith('--data-dir=') ? 1 : 0];
const entry = new URL(command === 'group' ? '../dist/main/group-entry.js' : '../dist/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('chartroom: not built yet. Run `npm run build` first (npm start does it for you).');
  process.exit(2);
}
const { main } = await import(entry.href);
await main(process.argv, process.env);
