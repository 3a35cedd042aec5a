import { zipSync, strToU8 } from 'fflate';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesetsOf } from '../../../src/main/codesets.js';
import { REFDATA } from '../../support/refdata.js';
import { loginAdmin, startTestPlatform, type Session, type TestPlatform } from '../../support/platform.js';

// Hostile and broken code-set files: each import fails with a clear error naming the file (and line),
// and leaves the database exactly as it was.
let t: TestPlatform;
let admin: Session;
let c: ReturnType<typeof codesetsOf>;
let dir: string;
let order2026 = '';
const actor = { userId: null, username: 'test', sourceIp: null, channel: 'cli' as const };

function readMember(zip: string, member: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(zip, { lazyEntries: true }, (err, z) => {
      if (err || !z) return reject(err ?? new Error('no zip'));
      z.on('entry', (e: yauzl.Entry) => {
        if (e.fileName !== member) return z.readEntry();
        z.openReadStream(e, (err2, s) => {
          if (err2 || !s) return reject(err2 ?? new Error('no stream'));
          const parts: Buffer[] = [];
          s.on('data', (b: Buffer) => parts.push(b));
          s.on('end', () => { z.close(); resolve(Buffer.concat(parts).toString('latin1')); });
        });
      });
      z.readEntry();
    });
  });
}

beforeAll(async () => {
  t = await startTestPlatform();
  admin = await loginAdmin(t.app);
  c = codesetsOf(t.platform);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-hostile-'));
  order2026 = await readMember(`${REFDATA}/icd10cm/fy2026/2026-code-descriptions-tabular-order.zip`, 'icd10cm_order_2026.txt');
  await c.importCodesets([`${REFDATA}/icd10cm/fy2025/2025-code-descriptions-tabular-order.zip`], actor, () => undefined);
}, 120_000);
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await t.close();
});

async function state() {
  return (await t.sql('select (select count(*) from codeset_release)::int as r, (select count(*) from codeset_code)::int as c')).rows[0];
}

async function expectRefused(file: string, pattern: RegExp) {
  const before = await state();
  await expect(c.importCodesets([file], actor, () => undefined)).rejects.toMatchObject({ code: 'CODESET_FILE_INVALID', message: expect.stringMatching(pattern) });
  expect(await state()).toEqual(before);
}

describe('hostile archives', () => {
  it('refuses a zip whose member escapes the archive', async () => {
    const file = path.join(dir, 'traversal.zip');
    fs.writeFileSync(file, zipSync({ '../../evil/icd10cm_order_2099.txt': strToU8('x') }));
    await expectRefused(file, /traversal\.zip.*(escapes|invalid relative path|unsafe)/);
  });

  it('refuses a zip bomb by its compression ratio', async () => {
    const file = path.join(dir, 'bomb.zip');
    fs.writeFileSync(file, zipSync({ 'icd10cm_order_2099.txt': new Uint8Array(50 * 1024 * 1024) }, { level: 9 }));
    await expectRefused(file, /bomb\.zip!icd10cm_order_2099\.txt.*zip bomb/);
  });

  it('refuses a file that is not a zip', async () => {
    const file = path.join(dir, 'fake.zip');
    fs.writeFileSync(file, 'this is not a zip');
    await expectRefused(file, /fake\.zip.*not a readable zip/);
  });
});

describe('broken files', () => {
  it('names the file and line of a truncated order file, and imports nothing of it', async () => {
    const cut = order2026.slice(0, order2026.indexOf('\n', 2_000_000) + 40);
    const file = path.join(dir, 'truncated.zip');
    fs.writeFileSync(file, zipSync({ 'icd10cm_order_2026.txt': strToU8(cut) }));
    const lines = cut.split('\n').length;
    await expectRefused(file, new RegExp(`truncated\\.zip!icd10cm_order_2026\\.txt:${lines}: .*truncated`));
  });

  it('names the line of a bad flag in the middle of a file', async () => {
    const lines = order2026.split('\r\n');
    lines[500] = `${lines[500]!.slice(0, 14)}7${lines[500]!.slice(15)}`;
    const file = path.join(dir, 'icd10cm_order_2026.txt');
    fs.writeFileSync(file, lines.join('\r\n'));
    await expectRefused(file, /icd10cm_order_2026\.txt:501: flag "7"/);
    fs.rmSync(file);
  });

  it('refuses XML with a DTD entity or cut short', async () => {
    const evil = path.join(dir, 'icd10cm_tabular_2099.xml');
    fs.writeFileSync(evil, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ICD10CM.tabular><version>&e;</version></ICD10CM.tabular>');
    await expectRefused(evil, /icd10cm_tabular_2099\.xml/);
    fs.writeFileSync(evil, '<?xml version="1.0"?><ICD10CM.tabular><version>2099</version><chapter><name>1</name>');
    await expectRefused(evil, /icd10cm_tabular_2099\.xml/);
    fs.rmSync(evil);
  });

  it('refuses XML that breaks its published schema, naming the line', async () => {
    const folder = fs.mkdtempSync(path.join(dir, 'xsd-'));
    fs.copyFileSync(`${REFDATA}/icd10cm/xml/fy2021/icd10cm_tabular.xsd`, path.join(folder, 'icd10cm_tabular.xsd'));
    fs.writeFileSync(path.join(folder, 'icd10cm_tabular_2098.xml'), '<?xml version="1.0"?>\n<ICD10CM.tabular>\n<version>2098</version>\n<bogus/>\n</ICD10CM.tabular>\n');
    await expectRefused(folder, /icd10cm_tabular_2098\.xml:\d+: does not validate against icd10cm_tabular\.xsd/);
  });

  it('says when nothing importable was found', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    fs.writeFileSync(path.join(empty, 'notes.txt'), 'hello');
    await expect(c.importCodesets([empty], actor, () => undefined)).rejects.toMatchObject({ code: 'CODESET_IMPORT_FAILED' });
    await expect(c.importCodesets([path.join(dir, 'missing')], actor, () => undefined)).rejects.toMatchObject({ code: 'CODESET_FILE_INVALID' });
  });
});

describe('queries', () => {
  it('answers empty, huge, unknown-system and bad-date queries with clear errors', async () => {
    expect((await admin.request('GET', '/api/codes/search?q=')).json().code).toBe('QUERY_INVALID');
    expect((await admin.request('GET', `/api/codes/search?q=${'a'.repeat(300)}`)).json().code).toBe('QUERY_INVALID');
    expect((await admin.request('GET', `/api/codes/search?q=${'a'.repeat(5000)}`)).statusCode).toBe(400);
    expect((await admin.request('GET', '/api/codes/search?q=asthma&system=snomed')).json().code).toBe('CODE_SYSTEM_UNKNOWN');
    expect((await admin.request('GET', '/api/codes/search?q=asthma&date=yesterday')).json().code).toBe('INVALID_PARAMETER');
    expect((await admin.request('GET', "/api/codes/search?q=%27%20or%201%3D1%20--&system=icd10cm")).statusCode).toBe(200);
    expect((await admin.request('GET', '/api/codes/search?q=%25%25%25&system=icd10cm')).statusCode).toBe(200);
    expect((await admin.request('GET', '/api/codes/validate?code=E11&system=hcpcs')).json().code).toBe('CODESET_NOT_LOADED');
    expect((await admin.request('GET', '/api/codes/diff?system=icd10cm&from=1999&to=2025')).json().code).toBe('CODE_VERSION_UNKNOWN');
  });
});
