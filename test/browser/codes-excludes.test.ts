import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedIn, type SignedIn, type TestPage } from '../support/browser.js';
import { REFDATA } from '../support/refdata.js';

// The encoder's picked codes and Excludes conflicts in Chromium, from the keyboard alone, on FY2026 (no XML:
// the notes are borrowed from FY2021 where the title is unchanged).
let signedIn: SignedIn;
let tp: TestPage;
let page: Page;

beforeAll(async () => {
  signedIn = await startSignedIn({ CHARTROOM_REFDATA: `${REFDATA}/icd10cm` });
  ({ tp, page } = signedIn);
}, 180_000);
afterAll(() => signedIn?.close());

const resultCodes = () => page.getByTestId('codes-result').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
const pickedCodes = () => page.getByTestId('codes-picked-code').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
const conflictsOf = (code: string) =>
  page.locator(`[data-testid="codes-result"][data-code="${code}"] [data-testid="codes-result-conflict"]`).evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')} ${e.getAttribute('data-with')}`));

describe('encoder: picked codes and Excludes conflicts', () => {
  it('picks with Enter, shows Excludes1 (red) and Excludes2 (amber) conflicts beside the results, removes with Delete', async () => {
    await page.keyboard.type('gc');
    await page.getByTestId('codes-page').waitFor();
    const search = page.getByTestId('codes-search');
    await expect.poll(() => search.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.getByTestId('codes-date').fill('2025-11-01');
    await search.focus();

    // Pick E11.9 and I63.9 with Enter.
    await search.fill('e119');
    await expect.poll(() => page.getByTestId('codes-result').first().getAttribute('data-code'), { timeout: 15_000 }).toBe('E11.9');
    await search.press('Enter');
    await expect.poll(pickedCodes).toEqual(['E11.9']);
    await search.fill('i639');
    await expect.poll(() => page.getByTestId('codes-result').first().getAttribute('data-code'), { timeout: 15_000 }).toBe('I63.9');
    await search.press('Enter');
    await expect.poll(pickedCodes).toEqual(['E11.9', 'I63.9']);

    // Type 1 diabetes: Excludes1 with the picked E11.9 (E10 excludes E11.-), in red.
    await search.fill('type 1 diabetes without complications');
    await expect.poll(resultCodes, { timeout: 15_000 }).toContain('E10.9');
    await expect.poll(() => conflictsOf('E10.9')).toEqual(['excludes1 E11.9']);
    const red = page.locator('[data-testid="codes-result"][data-code="E10.9"] [data-testid="codes-result-conflict"]');
    expect(await red.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor)).toMatch(/rgb\((2[0-9]{2}), ([0-9]{1,2}), ([0-9]{1,2})\)/);

    // A TIA: Excludes2 with the picked I63.9 (I63.9 says "transient cerebral ischemic attacks (G45.-)"), amber.
    await search.fill('transient cerebral ischemic attack');
    await expect.poll(resultCodes, { timeout: 15_000 }).toContain('G45.9');
    await expect.poll(() => conflictsOf('G45.9')).toEqual(['excludes2 I63.9']);
    expect(await page.locator('[data-testid="codes-result"][data-code="G45.9"] [data-testid="codes-result-conflict"]').getAttribute('data-kind')).toBe('excludes2');

    // The focused (selected) result shows its Excludes notes.
    await search.fill('e109');
    await expect.poll(() => page.getByTestId('codes-result').first().getAttribute('data-code'), { timeout: 15_000 }).toBe('E10.9');
    await page.getByTestId('codes-result-notes').first().waitFor();
    expect((await page.getByTestId('codes-result-note').allTextContents()).join('\n')).toMatch(/Excludes1 \(at E10\): type 2 diabetes mellitus \(E11\.-\)/);

    // Delete at the end of the text takes the selected hit off the picked codes; a picked code's own Delete too.
    await search.fill('e119');
    await expect.poll(() => page.getByTestId('codes-result').first().getAttribute('data-code'), { timeout: 15_000 }).toBe('E11.9');
    await search.press('End');
    await search.press('Delete');
    await expect.poll(pickedCodes).toEqual(['I63.9']);
    await page.getByTestId('codes-picked-code').first().focus();
    await page.keyboard.press('Delete');
    await expect.poll(pickedCodes).toEqual([]);
    await page.getByTestId('codes-picked-empty').waitFor();
    expect(tp.errors).toEqual([]);
  }, 120_000);
});
