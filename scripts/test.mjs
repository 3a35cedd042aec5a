// `npm test`: the whole suite. First every project (unit, integration, browser) on the embedded
// PostgreSQL; then, when CHARTROOM_TEST_DATABASE_URL names another PostgreSQL (CI starts Debian's 15),
// the integration project again on that server. Ends with one plain "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const out = '.test-output';
fs.mkdirSync(out, { recursive: true });
const vitest = path.join('node_modules', '.bin', 'vitest');
const extra = process.argv.slice(2);

function run(name, args, env) {
  const file = path.join(out, `${name}.json`);
  fs.rmSync(file, { force: true });
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(vitest, ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`, ...args, ...extra], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (fs.existsSync(file)) {
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed = report.numPassedTests;
    failed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
    skipped = report.numPendingTests + report.numTodoTests;
  }
  if (r.status !== 0 && failed === 0) failed = 1; // the runner itself failed
  return { passed, failed, skipped };
}

const runs = [run('embedded', [], { CHARTROOM_TEST_TARGET: 'embedded' })];
if (process.env.CHARTROOM_TEST_DATABASE_URL) {
  runs.push(run('external-postgresql', ['--project', 'integration'], { CHARTROOM_TEST_TARGET: 'external' }));
} else {
  console.log('\n(CHARTROOM_TEST_DATABASE_URL is not set: the integration suite ran on the embedded PostgreSQL only)');
}
const total = runs.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
