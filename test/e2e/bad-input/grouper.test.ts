import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grouperOf } from '../../../src/main/grouper.js';
import { addUser, login, startTestPlatform, type Session, type TestPlatform } from '../../support/platform.js';
import { REFDATA } from '../../support/refdata.js';
import { BIN, REPO } from '../../support/server-process.js';

/** Deterministic junk: every byte value, NUL and invalid UTF-8 included. */
const junkBytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7919 + seed) % 256));

// Hostile input to the grouper's surfaces: the claims TSV of `chartroom group`, the HTTP route, and the import.
let t: TestPlatform;
let coder: Session;
let dir: string;
const actor = { userId: null, username: 'test', sourceIp: null, channel: 'cli' as const };
const HEADER = 'id\tversion\tage\tsex\tdischarge_status\tpdx\tsdx\tprocedures';
const good = 'good\tv43.1\t70\tM\t01\tI5023\tJ9601:Y\t';

beforeAll(async () => {
  t = await startTestPlatform();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-grouper-hostile-'));
  await grouperOf(t.platform).importDefinitions(actor, path.join(REFDATA, 'msdrg', 'v43.1'));
  const u = await addUser(t, 'coder2', ['coder']);
  coder = await login(t.app, u.username, u.password, u.totpSecret);
}, 180_000);
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

async function runLines(name: string, body: string | Buffer, extra: string[] = []): Promise<{ code: number; err: string; result: string }> {
  const file = path.join(dir, `${name}.tsv`);
  fs.writeFileSync(file, body);
  const out = path.join(dir, `${name}-out.tsv`);
  const r = await cli(['group', file, '--out', out, ...extra]);
  return { code: r.code, err: r.err, result: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '' };
}

const rows = (tsv: string) => tsv.split('\n').slice(1).filter(Boolean).map((l) => l.split('\t').slice(0, 6).join(' '));

describe('chartroom group with hostile claims files', () => {
  it('malformed TSV: no tabs, missing id, a bad date, control characters; the good line is still grouped', async () => {
    const r = await runLines('malformed', ['id\tdischarge_date\tsex\tdischarge_status\tpdx\tsdx\tprocedures', 'x', '\t20251201\tM\t01\tI10\t\t', 'd\t2025-13-45\tM\t01\tI10\t\t', 'c\t20251201\tM\t01\tI1\u00000\t\t', 'good\t20260501\tM\t01\tI5023\tJ9601:Y\t'].join('\n'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 2: not a tab-separated claim line/);
    expect(r.err).toMatch(/line 3: id is empty/);
    expect(r.err).toMatch(/line 4: discharge_date '2025-13-45' is not a date/);
    expect(r.err).toMatch(/line 5: the line holds characters that are not printable ASCII/);
    expect(rows(r.result)).toEqual(['good 291 05 MEDICAL MCC OK']);
  }, 60_000);

  it('a header without the needed columns, and an empty file, are refused as a whole', async () => {
    const noPdx = await runLines('header', 'id\tversion\nx\tv43.1\n');
    expect(noPdx.code).toBe(2);
    expect(noPdx.err).toMatch(/MSDRG_CLAIMS_UNREADABLE: .*line 1: the header lacks column\(s\): pdx/);
    const empty = await runLines('empty', '');
    expect(empty.err).toMatch(/MSDRG_CLAIMS_UNREADABLE: .* is empty/);
    const missing = await cli(['group', path.join(dir, 'does-not-exist.tsv')]);
    expect(missing.err).toMatch(/MSDRG_CLAIMS_UNREADABLE/);
  }, 60_000);

  it('unknown versions are refused per line (nothing reaches SQL)', async () => {
    const r = await runLines('versions', [HEADER, 'v\tv12.3\t70\tM\t01\tI10\t\t', "v2\t'; drop table msdrg_version; --\t70\tM\t01\tI10\t\t", good].join('\n'));
    expect(r.err).toMatch(/line 2 \(v\): error MSDRG_VERSION_UNKNOWN: Grouper version "v12.3" is not loaded \(loaded: v43.1\)/);
    expect(r.err).toMatch(/line 3 \(v2\): error MSDRG_VERSION_UNKNOWN/);
    expect(rows(r.result)).toEqual(['good 291 05 MEDICAL MCC OK']);
    expect((await t.sql('select count(*)::int as n from msdrg_version')).rows[0].n).toBe(1);
  }, 60_000);

  it('codes with dots are invalid, exactly as CMS answers; --strip-dots accepts them', async () => {
    const body = [HEADER, 'd\tv43.1\t70\tM\t01\tI50.23\tJ96.01:Y\t', 's\tv43.1\t70\tM\t01\tI5023\tJ96.01:Y\t'].join('\n');
    const exact = await runLines('dots', body);
    expect(rows(exact.result)).toEqual(['d 999 00 NONE NONE INVALID_PDX', 's 293 05 MEDICAL NON_CC OK']);
    const stripped = await runLines('dots-stripped', body, ['--strip-dots']);
    expect(rows(stripped.result)).toEqual(['d 291 05 MEDICAL MCC OK', 's 291 05 MEDICAL MCC OK']);
  }, 60_000);

  it('a 10,000-diagnosis claim is grouped (like CMS, every secondary is read)', async () => {
    const sdx = Array.from({ length: 10_000 }, (_, i) => (i === 9_999 ? 'J9601:Y' : 'I10:Y')).join(';');
    const r = await runLines('wide', [HEADER, `w\tv43.1\t70\tM\t01\tI5023\t${sdx}\t`].join('\n'));
    expect(r.code).toBe(0);
    expect(rows(r.result)).toEqual(['w 291 05 MEDICAL MCC OK']);
  }, 60_000);

  it('binary junk is reported line by line and stops nothing', async () => {
    const junk = Buffer.concat([Buffer.from(`${HEADER}\n`), junkBytes(20_000, 1), Buffer.from(`\n${good}\n`)]);
    const r = await runLines('junk', junk);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line \d+: /);
    expect(rows(r.result)).toContain('good 291 05 MEDICAL MCC OK');
    const binaryHeader = await runLines('junk-header', junkBytes(5_000, 2));
    expect(binaryHeader.code).toBe(2);
    expect(binaryHeader.err).toMatch(/MSDRG_CLAIMS_UNREADABLE/);
  }, 60_000);
});

describe('POST /api/grouper/group with hostile bodies', () => {
  const base = { version: 'v43.1', sex: 'M', dischargeStatus: '01', pdx: 'I50.23' };
  it('unknown versions, bad shapes and junk are 4xx problems', async () => {
    expect((await coder.request('POST', '/api/grouper/group', { ...base, version: 'v99.9' })).json()).toMatchObject({ code: 'MSDRG_VERSION_UNKNOWN' });
    expect((await coder.request('POST', '/api/grouper/group', { ...base, version: undefined })).json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await coder.request('POST', '/api/grouper/group', { ...base, sex: 'X' })).statusCode).toBe(400);
    expect((await coder.request('POST', '/api/grouper/group', { ...base, pdx: 'A'.repeat(100) })).statusCode).toBe(400);
    expect((await coder.request('POST', '/api/grouper/group', { ...base, extra: 1 })).statusCode).toBe(400);
    const junk = await t.app.inject({ method: 'POST', url: '/api/grouper/group', headers: { cookie: coder.cookie, 'x-csrf-token': coder.csrf, 'content-type': 'application/json' }, payload: junkBytes(2000, 3) });
    expect(junk.statusCode).toBe(400);
  });

  it('a junk code is an invalid PDX, not an error; a 10,000-diagnosis claim is grouped', async () => {
    expect((await coder.request('POST', '/api/grouper/group', { ...base, pdx: "'; drop table x; --" })).json().result).toMatchObject({ drg: 999, returnCode: 'INVALID_PDX' });
    const sdx = Array.from({ length: 10_000 }, (_, i) => ({ code: i === 5_000 ? 'J96.01' : 'I10', poa: 'Y' }));
    const r = await coder.request('POST', '/api/grouper/group', { ...base, sdx });
    expect(r.statusCode).toBe(200);
    expect(r.json().result).toMatchObject({ drg: 291, returnCode: 'OK' });
  });
});

describe('chartroom import msdrg with a broken folder', () => {
  it('names the file and line, and writes nothing', async () => {
    const broken = path.join(dir, 'v43.1');
    fs.cpSync(path.join(REFDATA, 'msdrg', 'v43.1'), broken, { recursive: true });
    fs.chmodSync(broken, 0o755);
    for (const f of fs.readdirSync(broken)) fs.chmodSync(path.join(broken, f), 0o644);
    const formulas = path.join(broken, 'drg_formulas.tsv');
    const lines = fs.readFileSync(formulas, 'utf8').split('\n');
    lines[5] = lines[5]!.replace(/\t[^\t]*(\t[^\t]*\t[^\t]*\t[^\t]*)$/, '\t(heartsys & $1');
    fs.writeFileSync(formulas, lines.join('\n'));
    const before = (await t.sql('select count(*)::int as n from msdrg_version')).rows[0].n;
    const r = await cli(['import', 'msdrg', broken]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/MSDRG_DEFINITIONS_INVALID: .*drg_formulas.tsv line 6: formula: /);
    expect((await t.sql('select count(*)::int as n from msdrg_version')).rows[0].n).toBe(before);
    const nothing = await cli(['import', 'msdrg', dir]);
    expect(nothing.err).toMatch(/MSDRG_DEFINITIONS_INVALID|MSDRG_IMPORT_FAILED/);
  }, 120_000);
});
