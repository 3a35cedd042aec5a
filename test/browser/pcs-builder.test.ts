import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type SignedIn, type TestPage } from '../support/browser.js';
import { REFDATA } from '../support/refdata.js';

// The ICD-10-PCS builder in Chromium, on a server that imported ../shared/refdata/icd10pcs at start
// (CHARTROOM_REFDATA): order files and tables/definitions XML of FY2025 and FY2026.
let signedIn: SignedIn;
let tp: TestPage;
let page: Page;

beforeAll(async () => {
  signedIn = await startSignedIn({ CHARTROOM_REFDATA: `${REFDATA}/icd10pcs` }, async (t, server) => {
    await t.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  });
  ({ tp, page } = signedIn);
}, 180_000);
afterAll(() => signedIn?.close());

const axisTitle = () => page.getByTestId('pcs-axis-title').textContent();
const optionChars = () => page.getByTestId('pcs-option').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-char')));
const slotChars = () => page.getByTestId('pcs-slot').evaluateAll((slots) => slots.map((s) => s.getAttribute('data-char')).join(''));
const option = (char: string) => page.locator(`[data-testid="pcs-option"][data-char="${char}"]`);
const slot = (position: number) => page.locator(`[data-testid="pcs-slot"][data-position="${position}"]`);
const listFocused = () => page.getByTestId('pcs-options').evaluate((el) => el === el.ownerDocument.activeElement);

describe('PCS builder', () => {
  it('builds 0DTJ4ZZ from the keyboard, offering only the values that lead to a valid code', async () => {
    await page.goto('/codes/pcs');
    await page.getByTestId('pcs-builder').waitFor();
    expect(await page.getByTestId('codes-tab-pcs').getAttribute('aria-selected')).toBe('true');
    await expect.poll(listFocused).toBe(true);
    expect(await page.getByTestId('pcs-slot').count()).toBe(7);

    const date = page.getByTestId('pcs-date');
    await date.fill('2025-11-01');
    await date.press('Enter'); // back to the list
    await expect.poll(listFocused).toBe(true);
    await expect.poll(() => page.getByTestId('pcs-version-label').textContent()).toBe('ICD-10-PCS FY2026');
    expect(await page.getByTestId('pcs-version-notice').count()).toBe(0);
    await expect.poll(axisTitle).toBe('Section');

    // Section and body system, typed; the operation step offers Resection with its definition.
    await page.keyboard.type('0d');
    await expect.poll(axisTitle, { timeout: 10_000 }).toBe('Operation');
    expect(await slotChars()).toBe('0D');
    expect(await slot(1).getAttribute('data-state')).toBe('chosen');
    expect(await slot(1).textContent()).toContain('Medical and Surgical');
    expect(await slot(2).textContent()).toContain('Gastrointestinal System');
    expect(await slot(3).getAttribute('data-state')).toBe('current');
    expect(await option('T').getByTestId('pcs-option-label').textContent()).toBe('Resection');
    expect(await option('T').getByTestId('pcs-option-definition').textContent()).toBe('Cutting out or off, without replacement, all of a body part');

    // The filter narrows the list by label; the highlighted value shows its detail in full.
    await page.keyboard.press('/');
    const filter = page.getByTestId('pcs-filter');
    await expect.poll(() => filter.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await filter.fill('resect');
    await expect.poll(optionChars).toEqual(['T']);
    expect(await option('T').getAttribute('data-active')).toBe('true');
    expect(await option('T').getByTestId('pcs-option-includes').textContent()).toMatch(/Total nephrectomy/);
    await filter.press('Escape'); // clears the filter
    await expect.poll(async () => (await optionChars()).length).toBeGreaterThan(10);
    await filter.press('Escape'); // back to the list
    await expect.poll(listFocused).toBe(true);

    // Arrows move the highlight, typing a character chooses it directly.
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('[data-testid="pcs-option"][data-active="true"]').getAttribute('data-char')).toBe('2');
    await page.keyboard.type('T');
    await expect.poll(axisTitle, { timeout: 10_000 }).toBe('Body Part');
    await page.keyboard.type('J');
    await expect.poll(axisTitle, { timeout: 10_000 }).toBe('Approach');
    expect(await slotChars()).toBe('0DTJ');

    // Backspace takes J back (J stays highlighted); after 0DTR only open and percutaneous endoscopic are offered.
    await page.keyboard.press('Backspace');
    await expect.poll(axisTitle).toBe('Body Part');
    expect(await slotChars()).toBe('0DT');
    expect(await page.locator('[data-testid="pcs-option"][data-active="true"]').getAttribute('data-char')).toBe('J');
    await page.keyboard.type('R');
    await expect.poll(axisTitle, { timeout: 10_000 }).toBe('Approach');
    await expect.poll(optionChars).toEqual(['0', '4']);
    expect(await option('4').getByTestId('pcs-option-label').textContent()).toBe('Percutaneous Endoscopic');
    expect(await option('4').getByTestId('pcs-option-definition').textContent()).toMatch(/^Entry, by puncture or minor incision/);
    await page.keyboard.type('3'); // not an approach of 0DTR: refused, nothing changes
    await expect.poll(() => page.getByTestId('pcs-rejected').textContent()).toMatch(/“3” is not a value of Approach/);
    expect(await slotChars()).toBe('0DTR');

    // A click on slot 4 goes back to the body part; then the rest, typed in one go (queued ahead of the answers).
    await slot(4).click();
    await expect.poll(axisTitle).toBe('Body Part');
    expect(await slotChars()).toBe('0DT');
    await expect.poll(listFocused).toBe(true);
    await page.keyboard.type('J4ZZ');

    const code = page.getByTestId('pcs-code');
    await expect.poll(() => code.textContent(), { timeout: 10_000 }).toBe('0DTJ4ZZ');
    await expect.poll(() => page.getByTestId('pcs-code-valid').getAttribute('data-valid'), { timeout: 10_000 }).toBe('true');
    expect(await page.getByTestId('pcs-code-title').textContent()).toBe('Resection of Appendix, Percutaneous Endoscopic Approach');
    expect(await slotChars()).toBe('0DTJ4ZZ');
    expect(await slot(4).textContent()).toContain('Appendix');
    expect(await slot(5).textContent()).toContain('Percutaneous Endoscopic');
    expect(await page.getByTestId('pcs-chosen').textContent()).toContain('Appendix');
    expect(await page.getByTestId('pcs-options').count()).toBe(0);

    await page.getByTestId('pcs-copy').click();
    await expect.poll(() => page.getByTestId('pcs-copy').textContent()).toBe('Copied');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe('0DTJ4ZZ');

    // Backspace from the complete code goes back to the qualifier.
    await page.keyboard.press('Backspace');
    await expect.poll(axisTitle).toBe('Qualifier');
    expect(await slotChars()).toBe('0DTJ4Z');
    await expect.poll(optionChars).toContain('Z');
    await page.keyboard.type('Z');
    await expect.poll(() => page.getByTestId('pcs-code-valid').getAttribute('data-valid'), { timeout: 10_000 }).toBe('true');
    expect(tp.errors).toEqual([]);
  });

  it('shows the yellow notice when no release is in force on the date', async () => {
    await page.getByTestId('pcs-date').fill('2030-01-01');
    const notice = page.getByTestId('pcs-version-notice');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toMatch(/No loaded ICD-10-PCS release is in force on 2030-01-01/);
    expect(await page.getByTestId('pcs-version-label').textContent()).toBe('ICD-10-PCS FY2026');
    // The code built is kept and checked again in the version used.
    await expect.poll(() => page.getByTestId('pcs-code-valid').getAttribute('data-valid'), { timeout: 10_000 }).toBe('true');
    await page.getByTestId('pcs-date').fill('2025-11-01');
    await expect.poll(() => page.getByTestId('pcs-version-notice').count()).toBe(0);
    expect(tp.errors).toEqual([]);
  });

  it('shows the server’s problem detail', async () => {
    const failing = (url: URL) => url.pathname === '/api/codes/pcs/builder' && url.searchParams.get('date') === '2031-01-01';
    await page.route(failing, (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/problem+json',
        body: JSON.stringify({ title: 'Code set not loaded', status: 409, code: 'CODESET_NOT_LOADED', detail: 'ICD-10-PCS FY2031 was imported without its PCS tables XML.' }),
      }),
    );
    await page.getByTestId('pcs-date').fill('2031-01-01');
    const error = page.getByTestId('pcs-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toContain('imported without its PCS tables XML');
    await page.unroute(failing);
    await page.getByTestId('pcs-date').fill('2025-11-01');
    await expect.poll(() => page.getByTestId('pcs-error').count()).toBe(0);
    expect(await page.getByTestId('pcs-code').textContent()).toBe('0DTJ4ZZ');
    expect(tp.errors).toEqual([]);
  });
});
