// The coder's pages in Chromium against the real `chartroom serve`: the DNFB work list, the abstract coded through
// the encoder with the DRG, trace and MCE edits changing live, a physician query answered in the physician's
// in-box (another browser context) and the answer back on the coder's case.
// Reference data (FY2025 ICD-10-CM/PCS, MS-DRG v42.0, MCE v42.0) is loaded with the real CLI into the server's
// embedded PostgreSQL; the discharged encounter comes in over MLLP (A01, A03). The admin is given the coder role;
// the physician is added with `chartroom user add` (password and TOTP given, so no enrolment step), and a second coder
// to assign cases to (never signs in). Two more discharges give the list cases to tick and assign from the keyboard.
//
// CHARTROOM_SCREENSHOTS=1 also writes docs/screenshots/{coding-dnfb,coding-abstract}.png.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../src/platform/security/totp.js';
import { openPage, startSignedIn, type SignedIn, type TestPage } from '../support/browser.js';
import { MllpClient } from '../support/mllp-client.js';
import { freePort } from '../support/ports.js';
import { REFDATA } from '../support/refdata.js';
import { BIN, REPO, ownerUrlOf } from '../support/server-process.js';

const SCREENSHOTS = process.env.CHARTROOM_SCREENSHOTS === '1';
const SCREENSHOT_DIR = path.join(REPO, 'docs', 'screenshots');
const PHYSICIAN = { username: 'dr-okonkwo', name: 'Dr. Amara Okonkwo', password: 'Physician-password-1', totp: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU' };
const CODER = { username: 'c-abbott', name: 'Corin Abbott', password: 'Coder-password-1-abbott' };
const WHITLOCK = 'PID|1||C700^^^HOSP^MR||Whitlock^Edna||19480601|F|||12 Harbor Rd^^Springfield^IL^62704';

let signedIn: SignedIn;
let tp: TestPage;
let page: Page;
let mllpPort = 0;
const consoleErrors: string[] = [];

interface Answer<T = unknown> {
  status: number;
  body: T;
}

/** A JSON request from inside the page (its cookies), with the session's CSRF token. */
async function call<T = unknown>(on: Page, method: string, url: string, body?: unknown): Promise<Answer<T>> {
  const answer: Answer = await on.evaluate(
    async ({ method, url, body }) => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': session.csrfToken, 'x-chartroom-client': 'web' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const data: unknown = await res.json().catch(() => null);
      return { status: res.status, body: data };
    },
    { method, url, body },
  );
  return answer as Answer<T>;
}

/** The real CLI against the server's own database (asynchronous: the server keeps running meanwhile). */
function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const databaseUrl = ownerUrlOf(signedIn.server);
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], {
      cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 240_000,
      env: { ...process.env, DATABASE_URL: databaseUrl, CHARTROOM_DATA_DIR: signedIn.server.dataDir, CHARTROOM_LOG_LEVEL: 'warn' },
    }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }));
  });
}

async function cliOk(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.code, `${args.join(' ')}\n${r.out}\n${r.err}`).toBe(0);
  return r.out;
}

/** An ADT message of one inpatient visit in March 2025 (MS-DRG v42.0 and the FY2025 code set are in force). */
function adt(event: string, control: string, pv1: Record<number, string>, pid = WHITLOCK): string {
  const fields: string[] = [];
  for (let i = 1; i <= 45; i++) fields.push(pv1[i] ?? '');
  return [
    `MSH|^~\\&|ADT1|MAIN|CHARTROOM|MAIN|20250305120000||ADT^${event}^ADT_A01|${control}|P|2.5.1`,
    `EVN|${event}|20250305120000`,
    pid,
    `PV1|${fields.join('|')}`,
  ].join('\r');
}

async function screenshot(name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await page.mouse.move(0, 0);
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  await page.evaluate('document.fonts.ready.then(() => true)');
  await page.waitForTimeout(500);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Types a code into a code field and takes the suggestion for it with Enter (the encoder, from the keyboard). */
async function typeCode(testId: string, code: string): Promise<void> {
  const input = page.getByTestId(`${testId}-input`);
  await input.click();
  await input.fill('');
  await input.pressSequentially(code, { delay: 20 });
  await page.locator(`[data-testid="${testId}-suggestions"] [data-testid="code-suggestion"][data-code="${code}"]`).waitFor({ timeout: 10_000 });
  // The wanted code is the first hit for its own text.
  await expect.poll(() => page.getByTestId(`${testId}-suggestions`).locator('[aria-selected="true"]').getAttribute('data-code')).toBe(code);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe(code);
  await expect.poll(() => page.getByTestId(`${testId}-suggestions`).count()).toBe(0);
}

const drg = () => page.getByTestId('drg-value').getAttribute('data-drg');

let encounterId = '';

beforeAll(async () => {
  mllpPort = await freePort();
  signedIn = await startSignedIn({ CHARTROOM_MLLP_PORT: String(mllpPort) });
  ({ tp, page } = signedIn);
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await cliOk(['import', 'codesets', path.join(REFDATA, 'icd10cm', 'fy2025'), path.join(REFDATA, 'icd10pcs', 'fy2025')]);
  await cliOk(['import', 'msdrg', path.join(REFDATA, 'msdrg', 'v42.0')]);
  await cliOk(['import', 'mce', path.join(REFDATA, 'mce', 'v42.0')]);
  await cliOk(['user', 'add', PHYSICIAN.username, '--name', PHYSICIAN.name, '--role', 'physician', '--password', PHYSICIAN.password, '--totp-secret', PHYSICIAN.totp]);
  await cliOk(['user', 'add', CODER.username, '--name', CODER.name, '--role', 'coder', '--password', CODER.password]);

  const users = await call<{ items: { id: string; username: string; roles: string[] }[] }>(page, 'GET', '/api/users');
  const admin = users.body.items.find((u) => u.username === 'admin')!;
  const granted = await call(page, 'PATCH', `/api/users/${admin.id}`, { roles: [...admin.roles, 'coder'] });
  expect(granted.status, JSON.stringify(granted.body)).toBe(200);

  const visit = { 1: '1', 2: 'I', 3: '5E^512^A^MAIN', 4: 'E', 7: '1234567893^Reyes^Luis', 10: 'MED', 14: '7', 19: 'CV700', 20: 'MC', 44: '20250301090000' };
  const client = await MllpClient.connect(mllpPort);
  try {
    expect(await client.send(adt('A01', 'CD0001', visit))).toMatch(/MSA\|AA\|CD0001/);
    expect(await client.send(adt('A03', 'CD0002', { ...visit, 36: '01', 45: '20250305120000' }))).toMatch(/MSA\|AA\|CD0002/);
    // Two later discharges (after CV700, which stays first on the list).
    const others = [
      { account: 'CV701', pid: 'PID|1||C701^^^HOSP^MR||Marsh^Tobias||19520914|M|||3 Mill Ln^^Springfield^IL^62704', day: '06' },
      { account: 'CV702', pid: 'PID|1||C702^^^HOSP^MR||Quist^Ilse||19610222|F|||88 Oak St^^Springfield^IL^62704', day: '07' },
    ];
    for (const [i, o] of others.entries()) {
      const v = { ...visit, 19: o.account };
      expect(await client.send(adt('A01', `CD01${i}1`, v, o.pid))).toMatch(/MSA\|AA/);
      expect(await client.send(adt('A03', `CD01${i}3`, { ...v, 36: '01', 45: `202503${o.day}120000` }, o.pid))).toMatch(/MSA\|AA/);
    }
  } finally {
    client.close();
  }
  await page.reload();
  await page.getByTestId('nav-coding').waitFor();
}, 600_000);
afterAll(() => signedIn?.close());

describe('coding in Chromium', () => {
  it('opens the DNFB work list with its totals, and the case from the keyboard', async () => {
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('g');
    await page.keyboard.press('w');
    await page.getByTestId('dnfb-page').waitFor();
    const row = page.locator('[data-testid="dnfb-row"][data-account="CV700"]');
    await row.waitFor();
    encounterId = (await row.getAttribute('data-encounter-id')) ?? '';
    expect(await row.innerText()).toMatch(/WHITLOCK, Edna/);
    expect(await row.locator('[data-testid="dnfb-blocker"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-blocker')))).toEqual(['not_coded']);
    expect(Number(await row.getByTestId('dnfb-days').textContent())).toBeGreaterThan(100);
    expect(Number(await page.locator('[data-testid="dnfb-totals-row"][data-reason="not_coded"]').getAttribute('data-cases'))).toBeGreaterThanOrEqual(1);
    await page.getByTestId('dnfb-bars').waitFor();
    // Today's snapshot, taken by opening the list, is the first point of the trend.
    await expect.poll(() => page.getByTestId('dnfb-trend').getAttribute('data-days')).toBe('1');
    expect(await row.getAttribute('data-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.getByTestId('case-page').waitFor();
    expect(page.url()).toContain(`/coding/cases/${encounterId}`);
    expect(await page.getByTestId('case-header').innerText()).toMatch(/CV700.*discharged 2025-03-05/);
    await expect.poll(() => page.getByTestId('pdx-input').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(tp.errors).toEqual([]);
  });

  it('codes through the encoder: the DRG, weight and trace follow as the coder types', async () => {
    await page.getByTestId('drg-none').waitFor();
    await typeCode('pdx', 'I50.23');
    await page.getByTestId('pdx-poa').selectOption('Y');
    await expect.poll(drg, { timeout: 10_000 }).not.toBeNull();
    expect(await page.getByTestId('drg-mdc').textContent()).toBe('05');
    expect(await page.getByTestId('drg-version').textContent()).toMatch(/v42\.0/);
    expect(await page.getByTestId('pdx-check').getAttribute('data-status')).toBe('valid');
    const before = { drg: await drg(), weight: Number(await page.getByTestId('drg-weight').getAttribute('data-weight')) };
    expect(before.drg).not.toBe('291');

    await page.getByTestId('sdx-add').click();
    await typeCode('sdx-0', 'J96.01');
    await page.getByTestId('sdx-0-poa').selectOption('Y');
    await expect.poll(drg, { timeout: 10_000 }).toBe('291');
    const weight = Number(await page.getByTestId('drg-weight').getAttribute('data-weight'));
    expect(weight).toBeGreaterThan(before.weight);
    expect(await page.locator('[data-testid="drg-sdx"][data-code="J9601"]').getAttribute('data-flag')).toBe('MCC');
    expect(await page.getByTestId('drg-payment').textContent()).toMatch(/\$/);
    await page.getByTestId('drg-trace-toggle').click();
    await expect.poll(() => page.getByTestId('drg-trace').innerText()).toMatch(/291/);
    await screenshot('coding-abstract');

    // The documentation opportunities are shown, never added.
    await page.getByRole('button', { name: 'Remove secondary diagnosis 1' }).click();
    await expect.poll(drg, { timeout: 10_000 }).toBe(before.drg);
    await page.getByTestId('whatif-run').click();
    await page.locator('[data-testid="whatif-row"][data-code="J9601"][data-drg="291"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('sdx-row').count()).toBe(0);
    expect(tp.errors).toEqual([]);
  });

  it('shows the MCE edit beside the code it concerns: a manifestation code as principal', async () => {
    await typeCode('pdx', 'D63.1');
    const edit = page.locator('[data-testid="pdx-edit"][data-edit="MANIFESTATION_AS_PDX"]');
    await edit.waitFor({ timeout: 10_000 });
    expect(await edit.innerText()).toMatch(/D63\.?1/);
    // Back to the heart failure with acute respiratory failure, and saved.
    await typeCode('pdx', 'I50.23');
    await expect.poll(() => page.locator('[data-testid="pdx-edit"]').count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('sdx-add').click();
    await typeCode('sdx-0', 'J96.01');
    await page.getByTestId('sdx-0-poa').selectOption('Y');
    await expect.poll(drg, { timeout: 10_000 }).toBe('291');
    await page.getByTestId('case-save').click();
    await expect.poll(() => page.getByTestId('case-page').getAttribute('data-version')).toBe('1');
    expect(await page.getByTestId('case-status').textContent()).toMatch(/In progress/);
    expect(await page.getByTestId('sdx-0-input').inputValue()).toBe('J96.01');
    expect(tp.errors).toEqual([]);
  });

  it('sends a compliant query; the physician answers it in the in-box; the coder sees the answer', async () => {
    await page.getByTestId('case-tab-queries').click();
    await page.getByTestId('query-tab').waitFor();
    await page.getByTestId('queries-none').waitFor();
    await page.getByTestId('query-template').selectOption('respiratory-failure');
    await page.getByTestId('query-physician').selectOption({ label: PHYSICIAN.name });
    await page.getByTestId('query-indicator-text').first().fill('SpO2 84% on room air');
    await page.getByTestId('query-indicator-source').first().fill('ED note 2025-03-01');
    await page.getByTestId('query-preview-button').click();
    expect(await page.getByTestId('query-preview').innerText()).toMatch(/SpO2 84% on room air.*ED note 2025-03-01[\s\S]*Clinically undetermined/);
    await page.getByTestId('query-send').click();
    await page.getByTestId('query-sent').waitFor();
    await expect.poll(() => page.getByTestId('query-row').getAttribute('data-status')).toBe('open');
    await expect.poll(() => page.getByTestId('case-status').textContent()).toMatch(/On hold/);

    const doctor = await openPage(signedIn.browser, signedIn.server.url);
    const consoleDoctor: string[] = [];
    doctor.page.on('console', (message) => {
      if (message.type() === 'error') consoleDoctor.push(message.text());
    });
    try {
      const dp = doctor.page;
      await dp.goto('/login');
      await dp.getByTestId('login-username').waitFor({ timeout: 5000 }).catch(async () => {
        await dp.screenshot({ path: '/tmp/coding-doctor.png' });
        throw new Error(`no login form: ${await dp.locator('body').innerText()}`);
      });
      await dp.getByTestId('login-username').fill(PHYSICIAN.username);
      await dp.getByTestId('login-password').fill(PHYSICIAN.password);
      await dp.getByTestId('login-submit').click();
      await dp.getByTestId('login-totp').fill(currentTotp(PHYSICIAN.totp));
      await dp.getByTestId('login-submit').click();
      await dp.getByTestId('home').waitFor();
      await dp.getByTestId('nav-inbox').click();
      const card = dp.getByTestId('inbox-query');
      await card.waitFor();
      expect(await card.innerText()).toMatch(/SpO2 84% on room air/);
      await dp.locator('[data-testid="inbox-option"][data-option="Acute respiratory failure with hypoxia"]').check();
      await dp.getByTestId('inbox-submit').click();
      await dp.getByTestId('inbox-empty').waitFor();
      expect(doctor.errors).toEqual([]);
      // A signed-out page asks for its session (401) and the password step answers 401 until the TOTP; nothing else.
      expect(consoleDoctor.filter((text) => !/status of 401/.test(text))).toEqual([]);
    } finally {
      await doctor.close();
    }

    await page.reload();
    await page.getByTestId('case-tab-queries').click();
    await expect.poll(() => page.getByTestId('query-row').getAttribute('data-status')).toBe('answered');
    expect(await page.getByTestId('query-answer').innerText()).toMatch(/Acute respiratory failure with hypoxia/);
    expect(await page.getByTestId('case-status').textContent()).toMatch(/In progress/);

    await page.goto('/coding/queries/report');
    const reportRow = page.locator('[data-testid="report-physicians"] [data-testid="report-row"][data-username="dr-okonkwo"]');
    await reportRow.waitFor();
    expect(await reportRow.innerText()).toMatch(/100%/);
    expect(tp.errors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
  it('assigns two ticked cases to a coder from the keyboard; the "Assigned to" column and the Unassigned filter follow', async () => {
    await page.goto('/coding');
    await page.getByTestId('dnfb-page').waitFor();
    const row = (account: string) => page.locator(`[data-testid="dnfb-row"][data-account="${account}"]`);
    await row('CV702').waitFor();
    expect(await row('CV701').getByTestId('dnfb-assignee').textContent()).toBe('—');
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    // CV700 is chosen first; tick the next two from the keyboard.
    await expect.poll(() => row('CV700').getAttribute('data-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('x');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('x');
    await expect.poll(() => page.getByTestId('dnfb-ticked').getAttribute('data-count')).toBe('2');
    expect(await row('CV700').getAttribute('data-ticked')).toBeNull();
    await page.keyboard.press('a');
    const search = page.getByTestId('dnfb-assign-search');
    await expect.poll(() => search.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await page.getByTestId('dnfb-assign-menu').innerText()).toMatch(/Assign 2 cases to/);
    await page.keyboard.type('corin');
    await expect.poll(() => page.getByTestId('dnfb-assign-option').count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('dnfb-assign-done').textContent()).toBe('2 cases assigned to Corin Abbott.');
    await expect.poll(() => row('CV701').getByTestId('dnfb-assignee').textContent()).toBe(CODER.name);
    expect(await row('CV702').getByTestId('dnfb-assignee').textContent()).toBe(CODER.name);
    expect(await row('CV700').getByTestId('dnfb-assignee').textContent()).toBe('—');
    await expect.poll(() => page.getByTestId('dnfb-ticked').getAttribute('data-count')).toBe('0');
    // The list with its new column in view, under the totals.
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    await screenshot('coding-dnfb');

    await page.getByTestId('dnfb-assigned').selectOption({ label: 'Unassigned' });
    await expect.poll(() => page.getByTestId('dnfb-row').evaluateAll((els) => els.map((el) => el.getAttribute('data-account')))).toEqual(['CV700']);
    await page.getByTestId('dnfb-assigned').selectOption({ label: CODER.name });
    await expect.poll(() => page.getByTestId('dnfb-row').evaluateAll((els) => els.map((el) => el.getAttribute('data-account')))).toEqual(['CV701', 'CV702']);

    // Unassign one again from the menu: tick it, open the menu with the keyboard, Unassign.
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('a');
    await page.getByTestId('dnfb-assign-none').click();
    await expect.poll(() => page.getByTestId('dnfb-row').evaluateAll((els) => els.map((el) => el.getAttribute('data-account')))).toEqual(['CV702']);
    expect(tp.errors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
