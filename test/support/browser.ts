import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { currentTotp } from '../../src/platform/security/totp.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/** The system Chromium the browser tests drive (CI installs the `chromium` package). */
export const CHROMIUM_PATH = process.env.CHARTROOM_CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/** The viewport of every page, and of the screenshots in docs/screenshots. */
export const VIEWPORT = { width: 1280, height: 800 };

/**
 * Launches headless Chromium. Never skips: a missing browser is a failed run with a message that says
 * what to install, so a CI image without it cannot pass the browser tests by accident.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The browser tests need it: install it (Debian/Ubuntu: apt-get install chromium) ` +
        'or set CHARTROOM_CHROMIUM_PATH to a Chromium executable.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions thrown in the page (page.on('pageerror')). */
  errors: Error[];
  close(): Promise<void>;
}

/** A fresh context (own cookies and storage) and page on `baseURL`, collecting uncaught page errors. */
export async function openPage(browser: Browser, baseURL: string): Promise<TestPage> {
  const context = await browser.newContext({ baseURL, viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  return { context, page, errors, close: () => context.close() };
}

export const BROWSER_ADMIN_PASSWORD = 'Browser-admin-password-1';
export const BROWSER_ADMIN_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export interface SignedIn {
  server: ServerProcess;
  browser: Browser;
  tp: TestPage;
  page: Page;
  close(): Promise<void>;
}

/**
 * A real `chartroom serve` with a pre-enrolled admin, Chromium, and a page signed in through the login
 * form (password, then the TOTP step) and resting on the home page.
 */
export async function startSignedIn(env: Record<string, string>, beforeLogin?: (tp: TestPage, server: ServerProcess) => Promise<void>): Promise<SignedIn> {
  const server = await startServerProcess({ env: { CHARTROOM_ADMIN_PASSWORD: BROWSER_ADMIN_PASSWORD, CHARTROOM_ADMIN_TOTP_SECRET: BROWSER_ADMIN_TOTP, ...env } });
  const browser = await launchBrowser();
  const tp = await openPage(browser, server.url);
  const page = tp.page;
  await beforeLogin?.(tp, server);
  await page.goto('/login');
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(BROWSER_ADMIN_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-totp').fill(currentTotp(BROWSER_ADMIN_TOTP));
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home').waitFor();
  return {
    server, browser, tp, page,
    async close() {
      await tp.close();
      await browser.close();
      await server.stop();
    },
  };
}
