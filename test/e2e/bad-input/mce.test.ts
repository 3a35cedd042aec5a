import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mceOf } from '../../../src/main/mce.js';
import { addUser, login, startTestPlatform, type Session, type TestPlatform } from '../../support/platform.js';
import { REFDATA } from '../../support/refdata.js';
import { BIN, REPO } from '../../support/server-process.js';

// Hostile input to the MCE's surfaces: the claims TSV of `chartroom mce`, the HTTP route, and the table import.
let t: TestPlatform;
let coder: Session;
let dir: string;
const actor = { userId: null, username: 'test', sourceIp: null, channel: 'cli' as const };
const HEADER = 'id\tversion\tdischarge_date\tage\tsex\tdischarge_status\tpdx\tsdx\tprocedures\tlos';

beforeAll(async () => {
  t = await startTestPlatform();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-mce-hostile-'));
  await mceOf(t.platform).importTables(actor, path.join(REFDATA, 'mce', 'v43.1'));
  const u = await addUser(t, 'coder2', ['coder']);
  coder = await login(t.app, u.username, u.password, u.totpSecret);
}, 120_000);
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await t.close();
});

// Asynchronous: the platform of this file keeps serving while the CLI runs.
function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], {
      cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, DATABASE_URL: t.databaseUrl, CHARTROOM_DATA_DIR: t.dataDir },
    }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }));
  });
}

async function runLines(name: string, body: string | Buffer): Promise<{ code: number; err: string; result: string }> {
  const file = path.join(dir, `${name}.tsv`);
  fs.writeFileSync(file, body);
  const out = path.join(dir, `${name}-out.tsv`);
  const r = await cli(['mce', file, '--out', out]);
  return { code: r.code, err: r.err, result: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '' };
}

const good = 'good\tv43.1\t20260501\t50\tM\t01\tJ189\t\t\t3';

describe('chartroom mce with hostile claims files', () => {
  it('malformed TSV: short lines, missing id, bad numbers, bad sex; the good line is still edited', async () => {
    const r = await runLines('malformed', [HEADER, 'short\tv43.1\t20260501', '\tv43.1\t20260501\t50\tM\t01\tI10\t\t\t3', 'sex\tv43.1\t20260501\t50\tX\t01\tI10\t\t\t3', 'los\tv43.1\t20260501\t50\tM\t01\tI10\t\t\t1e9', good].join('\n'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 2 \(short\): age "" is not a whole number/);
    expect(r.err).toMatch(/line 3: the id is missing/);
    expect(r.err).toMatch(/line 4 \(sex\): sex "X" is not M, F, U or a number/);
    expect(r.err).toMatch(/line 5 \(los\): los "1e9" is not a whole number/);
    expect(r.result).toBe('id\tedit_type\tedits\ngood\tNONE\t\n');
  }, 60_000);

  it('unknown versions are refused per line', async () => {
    const r = await runLines('versions', [HEADER, 'v\tv12.3\t20260501\t50\tM\t01\tI10\t\t\t3', "v2\t'; drop table mce_version; --\t20260501\t50\tM\t01\tI10\t\t\t3", good].join('\n'));
    expect(r.err).toMatch(/line 2 \(v\): error MCE_VERSION_UNKNOWN: Version "v12.3" is not loaded \(loaded: v43.1\)/);
    expect(r.err).toMatch(/line 3 \(v2\): error MCE_VERSION_UNKNOWN/);
    expect(r.result).toMatch(/\ngood\t/);
    expect((await t.sql('select count(*)::int as n from mce_version')).rows[0].n).toBe(1);
  }, 60_000);

  it('codes with dots are invalid codes, exactly as CMS answers', async () => {
    const r = await runLines('dots', [HEADER, 'd\tv43.1\t20260501\t50\tM\t01\tJ18.9\tE11.9:Y\t0DT.J0ZZ\t3'].join('\n'));
    expect(r.code).toBe(0);
    expect(r.result).toBe('id\tedit_type\tedits\nd\tPREPAYMENT\tINVALID_CODE:J18.9;INVALID_CODE:E11.9;INVALID_CODE:0DT.J0ZZ\n');
  }, 60_000);

  it('a claim of 10,000 diagnoses is refused on its line without stopping the others', async () => {
    const sdx = Array.from({ length: 10_000 }, () => 'I10:Y').join(';');
    const r = await runLines('huge', [HEADER, `big\tv43.1\t20260501\t50\tM\t01\tJ189\t${sdx}\t\t3`, good].join('\n'));
    expect(r.err).toMatch(/line 2 \(big\): more than 1000 codes in one list/);
    expect(r.result).toMatch(/\ngood\tNONE/);
  }, 60_000);

  it('binary junk: NUL bytes and invalid UTF-8 are refused per line; a binary file without header is unreadable', async () => {
    const junk = Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from('j1\tv43.1\t20260501\t50\tM\t01\tI1\u00000\t\t\t3\n'), Buffer.from([0x6a, 0x32, 0x09, 0xff, 0xfe, 0x0a]), Buffer.from(`${good}\n`)]);
    const r = await runLines('junk', junk);
    expect(r.err).toMatch(/line 2 \(j1\): the line holds binary or control characters/);
    expect(r.err).toMatch(/line 3 .*: (the line holds binary|age)/);
    expect(r.result).toMatch(/\ngood\t/);
    const bin = await runLines('binary', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    expect(bin.code).toBe(2);
    expect(bin.err).toMatch(/MCE_CLAIMS_UNREADABLE: .*the header lacks the column/);
  }, 60_000);
});

describe('POST /api/mce/edit with hostile bodies', () => {
  const claim = { dischargeDate: '20260501', age: 50, sex: 1, dischargeStatus: 1, los: 3, pdx: 'J189' };
  it('refuses 10,000 diagnoses, unknown fields, wrong types and unknown versions with a 400', async () => {
    const big = await coder.request('POST', '/api/mce/edit', { ...claim, sdx: Array.from({ length: 10_000 }, () => 'I10') });
    expect(big.statusCode).toBe(400);
    expect((await coder.request('POST', '/api/mce/edit', { ...claim, extra: 1 })).statusCode).toBe(400);
    expect((await coder.request('POST', '/api/mce/edit', { ...claim, age: 'fifty' })).statusCode).toBe(400);
    expect((await coder.request('POST', '/api/mce/edit', { ...claim, sex: 'X' })).statusCode).toBe(400);
    const v = await coder.request('POST', '/api/mce/edit', { ...claim, version: 'v99.9' });
    expect(v.json()).toMatchObject({ code: 'MCE_VERSION_UNKNOWN' });
  });
  it('codes with dots and odd characters are invalid codes, not errors (a control character alone trims to blank, as in CMS)', async () => {
    const r = await coder.request('POST', '/api/mce/edit', { ...claim, pdx: 'J18.9', sdx: ['\u0000'], procedures: ['\uffff'] });
    expect(r.statusCode).toBe(200);
    expect(r.json().edits.map((e: { edit: string; code: string }) => `${e.edit}:${e.code}`)).toEqual(['INVALID_CODE:J18.9', 'INVALID_CODE:\uffff']);
  });
  it('binary junk as a body is refused', async () => {
    const r = await coder.request('POST', '/api/mce/edit', Buffer.from([0xff, 0x00, 0x13, 0x37]).toString('latin1'), { 'content-type': 'application/json' });
    expect(r.statusCode).toBe(400);
  });
});

describe('chartroom import mce with broken folders', () => {
  function brokenFolder(name: string, edit: (files: Map<string, Buffer>) => void): string {
    const to = path.join(dir, name, 'v99.0');
    fs.mkdirSync(to, { recursive: true });
    const files = new Map(fs.readdirSync(path.join(REFDATA, 'mce', 'v43.1')).map((f) => [f, fs.readFileSync(path.join(REFDATA, 'mce', 'v43.1', f))]));
    files.set('meta.tsv', Buffer.from(files.get('meta.tsv')!.toString().replace('v43.1', 'v99.0').replace('20260401', '20261001').replace(/window_end\t20260930/, 'window_end\t20270331')));
    edit(files);
    for (const [f, b] of files) fs.writeFileSync(path.join(to, f), b);
    return to;
  }

  it('a malformed row is named by file and line and nothing is written', async () => {
    const folder = brokenFolder('badrow', (files) => {
      files.set('discharge_status.tsv', Buffer.from(files.get('discharge_status.tsv')!.toString().replace('\n20\t', '\nxx\t')));
    });
    await expect(mceOf(t.platform).importTables(actor, folder)).rejects.toMatchObject({ code: 'MCE_TABLES_INVALID', detail: expect.stringMatching(/v99\.0\/discharge_status\.tsv:9: malformed discharge status "xx"/) });
    expect((await t.sql('select count(*)::int as n from mce_version')).rows[0].n).toBe(1);
  });

  it('a corrupt gzip, an empty folder, and an overlapping window are refused', async () => {
    const gz = brokenFolder('badgz', (files) => files.set('diagnoses.tsv.gz', Buffer.from('not gzip at all')));
    await expect(mceOf(t.platform).importTables(actor, gz)).rejects.toMatchObject({ code: 'MCE_TABLES_INVALID' });
    fs.mkdirSync(path.join(dir, 'empty'));
    await expect(mceOf(t.platform).importTables(actor, path.join(dir, 'empty'))).rejects.toMatchObject({ code: 'MCE_IMPORT_FAILED' });
    const overlap = brokenFolder('overlap', (files) => files.set('meta.tsv', Buffer.from(files.get('meta.tsv')!.toString().replace('20261001', '20260901'))));
    await expect(mceOf(t.platform).importTables(actor, overlap)).rejects.toMatchObject({ code: 'MCE_VERSION_CONFLICT' });
    expect((await t.sql('select count(*)::int as n from mce_version')).rows[0].n).toBe(1);
  });
});
