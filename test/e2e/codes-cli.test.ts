import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/platform.js';
import { REFDATA } from '../support/refdata.js';
import { BIN, REPO } from '../support/server-process.js';

let databaseUrl = '';
let dataDir = '';
let server: http.Server;
let base = '';

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-codes-cli-'));
  // A stand-in for the CMS site: serves ../shared/refdata over HTTP on loopback.
  server = http.createServer((req, res) => {
    const file = path.join(REFDATA, decodeURIComponent((req.url ?? '/').split('?')[0]!));
    if (!file.startsWith(REFDATA + path.sep) || !fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/zip' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// Asynchronous on purpose: the stand-in HTTP server runs in this process and must keep answering.
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], {
      cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, DATABASE_URL: databaseUrl, CHARTROOM_DATA_DIR: dataDir, CHARTROOM_ADMIN_PASSWORD: 'Codes-cli-password-1', ...env },
    }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }));
  });
}

function sources(name: string, list: object[]): string {
  const file = path.join(dataDir, name);
  fs.writeFileSync(file, JSON.stringify({ sources: list }));
  return file;
}

describe('chartroom import codesets --download', () => {
  it('refuses a download whose checksum differs from the configuration, and keeps nothing of it', async () => {
    const file = sources('bad.json', [{ url: `${base}/icd10cm/fy2026/2026-code-descriptions-tabular-order.zip`, sha256: '0'.repeat(64) }]);
    const r = await cli(['import', 'codesets', '--download'], { CHARTROOM_CODESET_SOURCES: file });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/CODESET_DOWNLOAD_FAILED.*expected .*0000/);
    expect(fs.existsSync(path.join(dataDir, 'downloads', '2026-code-descriptions-tabular-order.zip'))).toBe(false);
  });

  it('fetches the configured releases, checks them and imports them', async () => {
    const file = sources('good.json', [
      { url: `${base}/icd10cm/fy2026/2026-code-descriptions-tabular-order.zip`, sha256: '55a9124a27ca78a4a5c41e1101eda064ec2e08d105ff9e78d1fbd1a83298ef11', bytes: 2204985 },
      { url: `${base}/icd10cm/fy2025/2025-code-descriptions-tabular-order.zip`, sha256: '4f6c65f0034736d2b02fa9eb1128aab564fa673dd4d99363f8b2167af3994816' },
    ]);
    const r = await cli(['import', 'codesets', '--download'], { CHARTROOM_CODESET_SOURCES: file });
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ICD-10-CM FY2026 +effective 2025-10-01 +98186 codes \(74719 billable\) imported/);
    const again = await cli(['import', 'codesets', path.join(dataDir, 'downloads')]);
    expect(again.out).toMatch(/ICD-10-CM FY2026 .*already loaded/);
  });
});

describe('chartroom codes', () => {
  it('search --json prints [{code, title, billable, system, score}] best first', async () => {
    const r = await cli(['codes', 'search', 'f4310', '--system', 'icd10cm', '--date', '2025-11-01', '--json']);
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.out) as { code: string; title: string; billable: boolean; system: string; score: number }[];
    expect(hits[0]).toMatchObject({ code: 'F43.10', billable: true, system: 'icd10cm' });
    expect(Object.keys(hits[0]!).sort()).toEqual(['billable', 'code', 'score', 'system', 'title']);
  });

  it('validate answers status and exit code, and says when the newest release stands in', async () => {
    const header = await cli(['codes', 'validate', 'E11', '--system', 'icd10cm', '--date', '2025-11-01', '--json']);
    expect(header.code).toBe(1);
    expect(JSON.parse(header.out)).toMatchObject({ code: 'E11', system: 'icd10cm', date: '2025-11-01', valid: false, status: 'not-billable' });
    const ok = await cli(['codes', 'validate', 'f43.10', '--system', 'icd10cm']);
    expect(ok.code).toBe(0);
    expect(ok.err).toMatch(/note: No loaded ICD-10-CM release is in force on \d{4}-\d{2}-\d{2}; using the newest loaded release, ICD-10-CM FY2026/);
    expect((await cli(['codes', 'validate', 'E11.9', '--system', 'icd11'])).err).toMatch(/CODE_SYSTEM_UNKNOWN/);
  });

  it('diff reconciles with the CMS addenda', async () => {
    const r = await cli(['codes', 'diff', '2025', '2026', '--system', 'icd10cm']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/added 614, deleted 12, titles revised \d+, billable→header 16/);
    expect(r.out).toMatch(/CMS order addenda: 630 adds, 28 deletes; computed 630 adds, 28 deletes — reconciled/);
  });

  it('lists the loaded releases', async () => {
    const r = await cli(['codes', 'releases']);
    expect(r.out).toMatch(/icd10cm +ICD-10-CM FY2025 +2024-10-01 to 2025-09-30/);
    expect(r.out).toMatch(/ICD-10-CM FY2026 +2025-10-01 to 2026-09-30 +98186 codes, 74719 billable/);
  });
});
