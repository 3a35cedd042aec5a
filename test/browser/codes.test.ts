import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type SignedIn, type TestPage } from '../support/browser.js';
import { REFDATA } from '../support/refdata.js';

// The encoder in Chromium, on a server that imported ../shared/refdata/icd10cm at start (CHARTROOM_REFDATA).
let signedIn: SignedIn;
let tp: TestPage;
let page: Page;

beforeAll(async () => {
  signedIn = await startSignedIn({ CHARTROOM_REFDATA: `${REFDATA}/icd10cm` });
  ({ tp, page } = signedIn);
}, 180_000);
afterAll(() => signedIn?.close());

describe('encoder', () => {
  it('searches from the keyboard and opens the detail with notes borrowed from the XML year', async () => {
    await page.keyboard.type('gc');
    await page.getByTestId('codes-page').waitFor();
    const search = page.getByTestId('codes-search');
    await expect.poll(() => search.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.getByTestId('codes-date').fill('2025-11-01');
    await search.fill('f4310');
    await expect.poll(() => page.getByTestId('codes-result').first().getAttribute('data-code'), { timeout: 10_000 }).toBe('F43.10');
    await search.press('Enter');
    const detail = page.getByTestId('codes-detail');
    await detail.waitFor();
    await expect.poll(() => page.getByTestId('codes-detail-title').textContent(), { timeout: 10_000 }).toMatch(/Post-traumatic stress disorder, unspecified/);
    await search.fill('type 2 diabetes without complications');
    await expect.poll(async () => page.getByTestId('codes-result').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code'))), { timeout: 10_000 }).toContain('E11.9');
    await page.locator('[data-testid="codes-result"][data-code="E11.9"]').click();
    await expect.poll(() => page.getByTestId('codes-detail-code').textContent(), { timeout: 10_000 }).toMatch(/E11\.9/);
    await page.getByTestId('codes-detail-notes').waitFor();
    expect(await page.getByTestId('codes-detail-notes-from').textContent()).toMatch(/FY2021/);
    expect(tp.errors).toEqual([]);
  });

  it('shows the notice when no release is in force on the date', async () => {
    await page.getByTestId('codes-date').fill('2026-12-01');
    await page.getByTestId('codes-search').fill('asthma');
    const notice = page.getByTestId('codes-version-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/No loaded .* in force on 2026-12-01/);
  });

  it('validates a header and lists its billable codes', async () => {
    await page.getByTestId('codes-validate-input').fill('F43.1');
    await page.getByTestId('codes-validate-submit').click();
    const result = page.getByTestId('codes-validate-result');
    await result.waitFor();
    expect(await result.getAttribute('data-status')).toBe('not-billable');
    expect(await page.getByTestId('codes-validate-child').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('F43.10')]));
  });

  it('shows the FY2025 → FY2026 diff reconciled with the addenda', async () => {
    await page.goto('/codes/diff');
    await page.getByTestId('codes-diff').waitFor();
    const counts = page.getByTestId('codes-diff-counts');
    await counts.waitFor({ timeout: 30_000 });
    expect(await counts.textContent()).toMatch(/614/);
    expect(await page.getByTestId('codes-diff-reconciliation').getAttribute('data-matches')).toBe('true');
    expect(tp.errors).toEqual([]);
  });

  it('browses the tree from the keyboard down to a billable code and opens its detail', async () => {
    await page.goto('/codes/tree');
    const panel = page.getByTestId('codes-tree-panel');
    await panel.getByTestId('codes-tree').waitFor({ timeout: 30_000 });
    await panel.getByTestId('codes-tree-date').fill('2025-11-01');
    await expect.poll(() => panel.getByTestId('codes-tree-version-label').first().textContent(), { timeout: 10_000 }).toMatch(/2026/);
    const item = (code: string) => panel.locator(`[data-testid="codes-tree-item"][data-code="${code}"]`);
    await item('E').click();
    expect(await item('E').getAttribute('aria-expanded')).toBe('true');
    await item('E11').waitFor();
    expect(await item('E11').getAttribute('aria-expanded')).toBe('false');
    await item('E11').focus();
    await page.keyboard.press('ArrowRight');
    await item('E11.9').waitFor({ timeout: 10_000 });
    expect(await item('E11').getAttribute('aria-expanded')).toBe('true');
    expect(await item('E11.9').getAttribute('data-billable')).toBe('true');
    await item('E11.9').press('Enter');
    await expect.poll(() => panel.getByTestId('codes-detail-title').textContent(), { timeout: 10_000 }).toMatch(/Type 2 diabetes mellitus without complications/);
    // ← on a leaf steps out to its parent, ← again collapses it.
    await item('E11.9').press('ArrowLeft');
    await expect.poll(() => item('E11').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => item('E11').getAttribute('aria-expanded')).toBe('false');
    expect(tp.errors).toEqual([]);
  });
});
