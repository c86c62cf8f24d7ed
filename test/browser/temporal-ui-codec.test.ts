/**
 * The Temporal UI as an admin uses it, in Chromium: the order's history is encrypted on the server, and the UI
 * shows the buyer's phone only once it decodes through the web app's /codec with the admin's session; a reviewer
 * signed in to the same browser gets nothing decoded, and every decode is on the audit trail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { AuditEvent, Order } from '../../db/entities';
import { freePort, waitForPort } from '../../scripts/ports';
import { openBrowserJourney, type BrowserJourney } from '../helpers/browser-session';
import { orderDriver } from '../helpers/order-driver';
import type { Stack } from '../helpers/stack';
import type { WebServer } from '../helpers/web-server';

const TEMPORAL_CLI = path.resolve(__dirname, '../../.tools/venv/bin/temporal');

let temporal: ChildProcess | undefined;
let savedAddress: string | undefined;
let uiUrl = '';
let stack: Stack | undefined;
let web: WebServer | undefined;
let journey: BrowserJourney | undefined;
let page: Page;

beforeAll(async () => {
  // The suites' shared server has no UI: this one has, and the stack's workers and the web app use it.
  const [port, uiPort] = [await freePort(), await freePort()];
  temporal = spawn(TEMPORAL_CLI, ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--ui-disable-news-fetch', '--log-level', 'error'], { stdio: 'ignore' });
  await Promise.all([waitForPort(port), waitForPort(uiPort)]);
  uiUrl = `http://127.0.0.1:${uiPort}`;
  savedAddress = process.env.TEMPORAL_ADDRESS;
  process.env.TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
  journey = await openBrowserJourney('ui-codec', { realPasswords: true }, { temporalUiUrl: uiUrl });
  ({ stack, web, page } = journey);
});

afterAll(async () => {
  await journey?.close();
  if (savedAddress === undefined) delete process.env.TEMPORAL_ADDRESS;
  else process.env.TEMPORAL_ADDRESS = savedAddress;
  if (temporal && temporal.exitCode === null) {
    const exited = new Promise((r) => temporal!.once('exit', r));
    temporal.kill('SIGTERM');
    await exited;
  }
});

/** Opens the workflow in the UI with the codec set as the operations guide says: this browser's setting, with credentials. */
async function openInUi(workflowId: string): Promise<void> {
  await page.goto(uiUrl, { waitUntil: 'domcontentloaded' });
  await page.evaluate((endpoint) => {
    localStorage.setItem('endpoint', JSON.stringify(endpoint));
    localStorage.setItem('includeCredentials', 'true');
    localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
  }, `${web!.url}/codec`);
  await page.goto(`${uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`, { waitUntil: 'domcontentloaded' });
}

const decodes = () => stack!.db.em().find(AuditEvent, { action: 'temporal.decode' }, { orderBy: { id: 'asc' } });

describe('the Temporal UI through the codec endpoint', () => {
  it('shows an admin the buyer’s phone, decoded and audited, and shows a reviewer nothing decoded', async () => {
    const driver = orderDriver(stack!);
    const id = await driver.submit(driver.placeTrade(), ['review']);
    const { receiverMobile } = await stack!.db.em().findOneOrFail(Order, { id });
    expect(receiverMobile).toMatch(/^1\d{10}$/);

    await journey!.session.signIn('admin');
    await openInUi(id);
    await page.waitForFunction((phone) => document.body.innerText.includes(phone), { timeout: 60_000 }, receiverMobile);
    const audits = await decodes();
    expect(audits.length).toBeGreaterThan(0);
    expect(new Set(audits.map((a) => a.actor))).toEqual(new Set(['admin']));

    await journey!.session.signIn('shendan');
    const before = (await decodes()).length;
    const answers: number[] = [];
    page.on('response', (res) => {
      if (res.url().startsWith(`${web!.url}/codec/decode`) && res.request().method() === 'POST') answers.push(res.status());
    });
    await openInUi(id);
    await page.waitForFunction(() => document.body.innerText.includes('orderWorkflow'), { timeout: 60_000 });
    const deadline = Date.now() + 20_000;
    while (!answers.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(answers.length).toBeGreaterThan(0);
    expect(new Set(answers)).toEqual(new Set([403]));
    expect(await page.evaluate(() => document.body.innerText)).not.toContain(receiverMobile);
    expect((await decodes()).length).toBe(before);
  });
});
