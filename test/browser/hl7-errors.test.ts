// The HL7 v2 error queue in Chromium against the real `chartroom serve`: a message without PID-3 sent over MLLP
// shows up in the queue with its reason; the clerk corrects the raw text and replays it; a second broken message is
// dismissed after the confirmation. The admin is given the clerk role through the Users API.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAck } from '../../src/interop/hl7v2/ack.js';
import { startSignedIn, type SignedIn, type TestPage } from '../support/browser.js';
import { MllpClient } from '../support/mllp-client.js';
import { freePort } from '../support/ports.js';

let signedIn: SignedIn;
let tp: TestPage;
let page: Page;
let mllpPort = 0;

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': session.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const data: unknown = await res.json().catch(() => null);
      return { status: res.status, body: data };
    },
    { method, url, body },
  );
}

const broken = (control: string, family: string) =>
  [`MSH|^~\\&|ADT1|MAIN|CHARTROOM|MAIN|20260101120000||ADT^A04^ADT_A01|${control}|P|2.5.1`, 'EVN|A04|20260101120000', `PID|1||||${family}^Ada||19710504|F`, `PV1|1|O${'|'.repeat(17)}V${control}`].join('\r') + '\r';

beforeAll(async () => {
  mllpPort = await freePort();
  signedIn = await startSignedIn({ CHARTROOM_MLLP_PORT: String(mllpPort) });
  ({ tp, page } = signedIn);
  const users = (await call('GET', '/api/users')).body as { items: { id: string; username: string; roles: string[] }[] };
  const admin = users.items.find((u) => u.username === 'admin')!;
  expect((await call('PATCH', `/api/users/${admin.id}`, { roles: [...admin.roles, 'clerk'] })).status).toBe(200);
  await page.reload();
  await page.getByTestId('nav-hl7').waitFor();
}, 180_000);
afterAll(() => signedIn?.close());

describe('HL7 v2 error queue in Chromium', () => {
  it('lists a refused message with its reason, replays it corrected, and dismisses another after confirming', async () => {
    const client = await MllpClient.connect(mllpPort);
    try {
      expect(readAck((await client.send(broken('BQ1', 'Quinlan')))!).ackCode).toBe('AE');
      expect(readAck((await client.send(broken('BQ2', 'Ruiz')))!).ackCode).toBe('AE');
    } finally {
      client.close();
    }
    await page.getByTestId('nav-hl7').click();
    await page.getByTestId('hl7-errors-page').waitFor();
    await expect.poll(() => page.getByTestId('hl7-error-row').count()).toBe(2);
    expect(await page.getByTestId('hl7-errors-table').innerText()).toMatch(/PID-3: PID-3 \(patient identifier list\) has no identifier/);

    // Correct the first: add an MRN to PID-3, replay.
    await page.locator('[data-testid="hl7-error-row"]', { hasText: 'BQ1' }).click();
    const raw = page.getByTestId('hl7-error-raw');
    await expect.poll(() => raw.inputValue()).toMatch(/Quinlan/);
    await raw.fill((await raw.inputValue()).replace('PID|1||||', 'PID|1||Q100^^^HOSP^MR||'));
    await expect.poll(() => page.getByTestId('hl7-replay').innerText()).toBe('Replay corrected message');
    await page.getByTestId('hl7-error-note').fill('MRN added from the registration desk');
    await page.getByTestId('hl7-replay').click();
    await expect.poll(() => page.getByTestId('hl7-replay-outcome').innerText()).toMatch(/Applied/);
    await expect.poll(() => page.getByTestId('hl7-error-row').count()).toBe(1);

    // Dismiss the second: a confirmation first.
    await page.locator('[data-testid="hl7-error-row"]', { hasText: 'BQ2' }).click();
    await page.getByTestId('hl7-dismiss').click();
    await page.getByTestId('hl7-dismiss-confirm').click();
    await expect.poll(() => page.getByTestId('hl7-errors-count').innerText()).toBe('Nothing in the queue.');
    const search = (await call('GET', '/api/patients?mrn=Q100')).body;
    expect(JSON.stringify(search)).toMatch(/Quinlan|QUINLAN/i);
    expect(tp.errors).toEqual([]);
  });
});
