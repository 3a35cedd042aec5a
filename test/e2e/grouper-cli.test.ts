import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/platform.js';
import { REFDATA } from '../support/refdata.js';
import { BIN, REPO } from '../support/server-process.js';

let databaseUrl = '';
let dataDir = '';
const CORPUS = path.resolve(REFDATA, '..', 'corpora', 'msdrg', 'claims-v43.0.tsv');

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-grouper-cli-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const base: Record<string, string | undefined> = { ...process.env, DATABASE_URL: databaseUrl, CHARTROOM_DATA_DIR: dataDir, CHARTROOM_ADMIN_PASSWORD: 'Grouper-cli-password-1' };
    const merged = { ...base, ...env };
    for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
    execFile(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: merged }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }),
    );
  });
}

async function count(table: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query(`select count(*)::int as n from ${table}`)).rows[0].n);
  } finally {
    await client.end();
  }
}

/** The corpus's first lines with their expected answers. */
function corpusLines(n: number): { header: string; lines: string[]; expected: string[] } {
  const all = fs.readFileSync(CORPUS, 'utf8').split('\n').filter(Boolean);
  const header = all[0]!;
  const h = header.split('\t');
  const lines = all.slice(1, n + 1);
  const expected = lines.map((l) => {
    const c = l.split('\t');
    return [c[h.indexOf('id')], c[h.indexOf('drg')], c[h.indexOf('mdc')], c[h.indexOf('return_code')]].join(' ');
  });
  return { header, lines, expected };
}

const answers = (tsv: string): string[] => tsv.split('\n').slice(1).filter(Boolean).map((l) => { const c = l.split('\t'); return [c[0], c[1], c[2], c[5]].join(' '); });

describe('chartroom import msdrg / group', () => {
  it('group before any import says MSDRG_NOT_LOADED', async () => {
    const file = path.join(dataDir, 'one.tsv');
    fs.writeFileSync(file, 'id\tversion\tpdx\na\tv43.0\tI10\n');
    const r = await cli(['group', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/MSDRG_NOT_LOADED/);
  }, 120_000);

  it('imports a version folder (dated, checksummed, audited); a re-import is a no-op', async () => {
    const r = await cli(['import', 'msdrg', path.join(REFDATA, 'msdrg', 'v43.0')]);
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/MS-DRG v43.0 +FY2026 2025-10-01\.\.2026-03-31 +74719 diagnoses, 83130 procedures, 828 formula rows imported/);
    const files = await count('msdrg_file');
    const audit = await count("audit_event where resource_type = 'MsdrgVersion'");
    expect(audit).toBe(1);
    const again = await cli(['import', 'msdrg', path.join(REFDATA, 'msdrg', 'v43.0')]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/v43.0 .*already loaded \(no change\)/);
    expect(await count('msdrg_version')).toBe(1);
    expect(await count('msdrg_file')).toBe(files);
    expect(await count("audit_event where resource_type = 'MsdrgVersion'")).toBe(1);
    const list = await cli(['group', '--versions']);
    expect(list.out).toMatch(/MS-DRG v43.0 +FY2026 2025-10-01\.\.2026-03-31 +772 DRGs/);
  }, 180_000);

  it('groups a file like CMS; a malformed line or an unknown version is reported with its line number, the rest grouped', async () => {
    const { header, lines, expected } = corpusLines(5);
    const file = path.join(dataDir, 'claims.tsv');
    const body = [header, lines[0], lines[1], 'broken line without tabs', lines[2], lines[3]!.replace('\tv43.0\t', '\tv12.3\t'), lines[4]].join('\n');
    fs.writeFileSync(file, `${body}\n`);
    const out = path.join(dataDir, 'result.tsv');
    const r = await cli(['group', file, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 4: not a tab-separated claim line/);
    expect(r.err).toMatch(/line 6 \(c430-000004\): error MSDRG_VERSION_UNKNOWN: Grouper version "v12.3" is not loaded \(loaded: v43.0\)/);
    expect(r.err).toMatch(/4 claims grouped, 2 lines not grouped/);
    const result = fs.readFileSync(out, 'utf8');
    expect(result.split('\n')[0]).toBe('id\tdrg\tmdc\tmed_surg\tseverity\treturn_code\tweight\tsdx_use');
    expect(answers(result)).toEqual([expected[0], expected[1], expected[2], expected[4]]);
  }, 120_000);

  it('chooses the version by discharge date (version wins), and says when none is in force', async () => {
    const file = path.join(dataDir, 'dates.tsv');
    fs.writeFileSync(file, ['id\tdischarge_date\tversion\tsex\tdischarge_status\tpdx\tsdx\tprocedures', 'a\t20251115\t\tM\t01\tI5023\tJ9601:Y\t', 'b\t2026-12-01\t\tM\t01\tI5023\t\t', 'c\t20240101\tv43.0\tM\t01\tI5023\t\t'].join('\n'));
    const r = await cli(['group', file]);
    expect(r.code).toBe(0);
    expect(answers(r.out)).toEqual(['a 291 05 OK', 'b 293 05 OK', 'c 293 05 OK']);
    expect(r.err).toMatch(/notice: 1 claims have a discharge date on which no loaded grouper version is in force; grouped with the latest loaded version, v43.0/);
  }, 120_000);

  it('groups from the compiled cache without the database, and with --threads 2 gives the same file', async () => {
    const { header, lines } = corpusLines(9000);
    const file = path.join(dataDir, 'many.tsv');
    fs.writeFileSync(file, `${[header, ...lines].join('\n')}\n`);
    const one = path.join(dataDir, 'one-thread.tsv');
    const viaDb = await cli(['group', file, '--out', one, '--no-cache']);
    expect(viaDb.code).toBe(0);
    // no DATABASE_URL and no embedded PostgreSQL running in this data directory: only the cache can answer
    const offline = path.join(dataDir, 'offline.tsv');
    const r = await cli(['group', file, '--out', offline], { DATABASE_URL: undefined });
    expect(r.err).toMatch(/9000 claims grouped/);
    expect(fs.existsSync(path.join(dataDir, 'pg'))).toBe(false);
    const two = path.join(dataDir, 'two-threads.tsv');
    const t = await cli(['group', file, '--out', two, '--threads', '2'], { DATABASE_URL: undefined });
    expect(t.code).toBe(0);
    const expected = fs.readFileSync(one, 'utf8');
    expect(fs.readFileSync(offline, 'utf8')).toBe(expected);
    expect(fs.readFileSync(two, 'utf8')).toBe(expected);
    expect(answers(expected)).toEqual(corpusLines(9000).expected);
    // a cache lost or left by an older build (another format) is written again by the next run that reads the
    // database, and the run after it needs no database again
    const cacheDir = path.join(dataDir, 'cache', 'msdrg');
    for (const f of fs.readdirSync(cacheDir)) if (f.endsWith('.bin')) fs.rmSync(path.join(cacheDir, f));
    fs.writeFileSync(path.join(cacheDir, 'index.json'), JSON.stringify({ format: 0, versions: [] }));
    expect((await cli(['group', file, '--out', one])).code).toBe(0);
    expect(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.bin')).length).toBeGreaterThan(0);
    fs.rmSync(offline);
    const again = await cli(['group', file, '--out', offline], { DATABASE_URL: undefined });
    expect(again.code).toBe(0);
    expect(fs.readFileSync(offline, 'utf8')).toBe(expected);
  }, 180_000);
});
