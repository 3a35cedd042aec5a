import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/platform.js';
import { REFDATA } from '../support/refdata.js';
import { BIN, REPO } from '../support/server-process.js';

// The real `chartroom import mce` and `chartroom mce` (bin/chartroom.js over dist/) on a fresh database.
const CORPUS = path.resolve(REPO, '..', 'shared', 'corpora', 'mce');
let databaseUrl = '';
let dataDir = '';

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-mce-cli-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[], url = databaseUrl): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], {
      cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, DATABASE_URL: url, CHARTROOM_DATA_DIR: dataDir, CHARTROOM_ADMIN_PASSWORD: 'Mce-cli-password-1' },
    }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }));
  });
}

const HEADER = 'id\tversion\tdischarge_date\tage\tsex\tdischarge_status\tpdx\tsdx\tprocedures\tlos\textra';
function claimsFile(name: string, lines: string[]): string {
  const file = path.join(dataDir, name);
  fs.writeFileSync(file, [HEADER, ...lines].join('\n') + '\n');
  return file;
}

describe('chartroom mce without tables', () => {
  it('refuses with MCE_TABLES_MISSING and says how to import', async () => {
    const file = claimsFile('one.tsv', ['a1\t\t20251115\t50\tM\t01\tI10\t\t\t3\tx']);
    const r = await cli(['mce', file, '--out', path.join(dataDir, 'none.tsv')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/error MCE_TABLES_MISSING: .*chartroom import mce/);
  });
});

describe('chartroom import mce', () => {
  it('imports the four version folders with their checksums, then a re-import is a no-op', async () => {
    const r = await cli(['import', 'mce', path.join(REFDATA, 'mce')]);
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/MCE v42\.0 +2024-10-01\.\.2025-03-31 +\d+ diagnoses, \d+ procedures imported/);
    expect(r.out.match(/imported/g)).toHaveLength(4);
    const again = await cli(['import', 'mce', path.join(REFDATA, 'mce', 'v43.1')]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/MCE v43\.1 .*already loaded \(no change\)/);
    const list = await cli(['mce', '--versions']);
    expect(list.out.trim().split('\n').map((l) => l.split(/\s+/)[1])).toEqual(['v42.0', 'v42.1', 'v43.0', 'v43.1']);
  }, 120_000);

  it('runs a corpus file and writes exactly CMS\'s answers', async () => {
    const out = path.join(dataDir, 'v43.1-result.tsv');
    const r = await cli(['mce', path.join(CORPUS, 'mce-v43.1.tsv'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/25000 claims edited/);
    const want = fs.readFileSync(path.join(CORPUS, 'mce-v43.1.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => {
      const c = l.split('\t');
      return `${c[0]}\t${c[10]}\t${c[11]}`;
    });
    const got = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(got[0]).toBe('id\tedit_type\tedits');
    expect(got.slice(1)).toEqual(want);
  }, 120_000);

  it('reports a malformed line with its number on stderr and edits the others', async () => {
    const file = claimsFile('mixed.tsv', [
      'ok1\tv43.0\t20251115\t50\tM\t01\tI10\tI10:Y\t\t3\tignored',
      'bad-age\tv43.0\t20251115\tfifty\tM\t01\tI10\t\t\t3\t',
      'old\t\t20200101\t50\tF\t01\tI10\t\t\t3\t',
      'ok2\t\t20261001\t50\tU\t01\tI10\t\t\t3\t',
      'unknown-version\tv99.9\t20251115\t50\tM\t01\tI10\t\t\t3\t',
    ]);
    const out = path.join(dataDir, 'mixed-result.tsv');
    const r = await cli(['mce', file, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 3 \(bad-age\): age "fifty" is not a whole number/);
    expect(r.err).toMatch(/line 4 \(old\): error MCE_TABLES_MISSING: .*2020-01-01/);
    expect(r.err).toMatch(/line 6 \(unknown-version\): error MCE_VERSION_UNKNOWN/);
    expect(r.err).toMatch(/2 claims edited, 3 lines not edited/);
    expect(fs.readFileSync(out, 'utf8')).toBe('id\tedit_type\tedits\nok1\tPREPAYMENT\tQUESTIONABLE_ADMISSION:I10;DUPLICATE_OF_PDX:I10\nok2\tINVALID_DISCHARGE_DATE\t\n');
  }, 60_000);

  it('refuses a file without the required columns, and a missing file', async () => {
    const file = path.join(dataDir, 'nohdr.tsv');
    fs.writeFileSync(file, 'id\tpdx\na\tI10\n');
    const r = await cli(['mce', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/MCE_CLAIMS_UNREADABLE: .*nohdr\.tsv:1: the header lacks the column\(s\) discharge_date, age, sex/);
    const missing = await cli(['mce', path.join(dataDir, 'nope.tsv')]);
    expect(missing.err).toMatch(/MCE_CLAIMS_UNREADABLE/);
  }, 60_000);
});
