import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { apiPost, login } from './helpers';

/**
 * #16 "live, everywhere": real (signed webhook) runs watched on the canvas and the run page
 * without reloading, recovery (retry on the latest version, bulk retry) and the review inbox's
 * Test toggle. Every flow has a unique name and every assertion picks its own runs by id.
 */

/** A provisioning API on loopback whose answer each test decides, recording the paths it was called on. */
class Provisioning {
  private server: Server | null = null;
  calls: string[] = [];
  handler: (req: IncomingMessage, res: ServerResponse, n: number) => void | Promise<void> = (_q, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.calls.push(req.url ?? '');
      req.resume();
      void this.handler(req, res, this.calls.length);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

const json = (res: ServerResponse, status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let provisioning: Provisioning;
let base: string;

test.beforeEach(async () => {
  provisioning = new Provisioning();
  base = await provisioning.start();
});
test.afterEach(async () => {
  await provisioning.stop();
});

/** A published flow: a signed webhook trigger, then an HTTP call to `url` (with its own retry settings). */
async function webhookFlow(page: Page, name: string, url: string, retryAttempts?: number) {
  const secret = `whsec_${randomUUID().replace(/-/g, '')}`;
  const cred = await apiPost<{ id: string }>(page, '/api/credentials', { type: 'webhook.secret', name: `${name} secret`, secret });
  const doc = (target: string) => ({
    schema: 'handoff.flow/1',
    name,
    nodes: [
      { id: 'order', type: 'webhook.trigger', position: { x: 0, y: 0 }, config: { secret: { credential: cred.id } } },
      { id: 'provision', type: 'http.request', position: { x: 300, y: 0 }, config: { url: target, body: '{{ trigger.body }}', ...(retryAttempts ? { retry: { attempts: retryAttempts } } : {}) } },
    ],
    edges: [{ id: 'e1', source: 'order', sourcePort: 'out', target: 'provision' }],
  });
  const flow = await apiPost<{ id: string }>(page, '/api/flows', doc(url));
  await apiPost(page, `/api/flows/${flow.id}/publish`, {});
  return { id: flow.id, secret, doc };
}

/** Delivers a webhook as a sender would: the raw body signed with HMAC-SHA256 as docs/webhooks.md says. */
async function deliver(page: Page, flowId: string, secret: string, body: Record<string, unknown>): Promise<string> {
  const raw = JSON.stringify(body);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
  const res = await page.request.fetch(`/hooks/webhook/${flowId}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-handoff-signature': `t=${t},v1=${v1}` }, data: raw });
  expect(res.status(), await res.text()).toBe(200);
  const answer = (await res.json()) as { runId: string; duplicate: boolean };
  expect(answer.duplicate).toBe(false);
  return answer.runId;
}

async function runStatus(page: Page, runId: string): Promise<string> {
  return ((await (await page.request.get(`/api/runs/${runId}`)).json()) as { status: string }).status;
}

/** Marks the document so a reload (which would make it look live) is caught. */
async function markPage(page: Page) {
  await page.evaluate(() => Object.assign(window, { __noReload: true }));
}
async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
}

test('a signed webhook delivery lights up the open editor’s canvas, step by step', async ({ page }) => {
  await login(page);
  // A slow provisioning call: the step is seen running before it is seen done.
  provisioning.handler = async (_req, res) => {
    await sleep(2500);
    json(res, 200, { account: 'acc_1' });
  };
  const flow = await webhookFlow(page, `Live webhook ${randomUUID().slice(0, 8)}`, `${base}/accounts`);
  await page.goto(`/flows/${flow.id}`);
  await expect(page.getByTestId('recent-runs')).toBeVisible();
  await page.getByTestId('follow-runs').check();
  await markPage(page);
  await page.screenshot({ path: 'e2e/artifacts/live-editor-recent-runs.png' });

  const runId = await deliver(page, flow.id, flow.secret, { id: `ord_${randomUUID()}`, email: 'live@example.com' });
  await expect(page).toHaveURL(new RegExp(`[?&]run=${runId}`));
  await expect(page.getByTestId('run-banner')).toContainText('Run of version 1');
  await expect(page.getByTestId('node-order')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('node-provision')).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId(`recent-run-${runId}`)).toHaveAttribute('data-status', 'running');
  await page.screenshot({ path: 'e2e/artifacts/live-webhook-running.png' });

  await expect(page.getByTestId('node-provision')).toHaveAttribute('data-status', 'succeeded', { timeout: 15_000 });
  await expect(page.getByTestId('run-banner-status')).toHaveText('Succeeded');
  await expect(page.getByTestId(`recent-run-${runId}`)).toHaveAttribute('data-status', 'succeeded');
  await page.getByTestId('node-provision').click({ position: { x: 20, y: 12 } });
  await expect(page.getByTestId('step-output')).toContainText('acc_1');
  await expectNotReloaded(page);
  await page.screenshot({ path: 'e2e/artifacts/live-webhook-done.png' });
});

test('a failed step’s error and final attempt appear on the open run page without a reload', async ({ page }) => {
  await login(page);
  // Attempt 1 fails at once; the final attempt (after the queue's backoff) answers slowly, then fails too.
  provisioning.handler = async (_req, res, n) => {
    if (n > 1) await sleep(1500);
    json(res, 500, { error: `provisioning is down (call ${n})` });
  };
  const flow = await webhookFlow(page, `Live failure ${randomUUID().slice(0, 8)}`, `${base}/accounts`, 2);
  const runId = await deliver(page, flow.id, flow.secret, { id: `ord_${randomUUID()}` });
  await page.goto(`/runs/${runId}`);
  await markPage(page);
  // Opened while the run is still going: what follows must arrive live.
  await expect(page.getByTestId('run-detail')).toBeVisible();
  expect(await page.getByTestId('run-detail').getAttribute('data-status')).not.toBe('failed');
  await page.getByTestId('timeline-provision').click();
  await expect(page.getByTestId('step-details')).toBeVisible();

  await expect(page.getByTestId('run-status')).toHaveText('Failed', { timeout: 20_000 });
  await expect(page.getByTestId('step-status')).toHaveText('Failed');
  await expect(page.getByTestId('step-details')).toContainText('2 of 2');
  await expect(page.getByTestId('step-error')).toContainText('call 2');
  await expect(page.getByTestId('run-error')).toContainText('provision');
  await expect(page.getByTestId('step-duration')).not.toHaveText('Running…');
  await expect(page.getByTestId('run-retry')).toBeVisible();
  await expectNotReloaded(page);
  expect(provisioning.calls).toHaveLength(2);
  await page.screenshot({ path: 'e2e/artifacts/live-run-failed.png' });
});

test('retry on the latest published version finishes a run that failed on the old one', async ({ page }) => {
  await login(page);
  provisioning.handler = (req, res) => (req.url === '/v2/accounts' ? json(res, 200, { account: 'acc_2' }) : json(res, 404, { error: 'no such endpoint' }));
  const flow = await webhookFlow(page, `Live retry latest ${randomUUID().slice(0, 8)}`, `${base}/v1/accounts`);
  const runId = await deliver(page, flow.id, flow.secret, { id: `ord_${randomUUID()}` });
  await expect.poll(() => runStatus(page, runId), { timeout: 20_000 }).toBe('failed');

  // The fix, published as version 2.
  const put = await page.request.put(`/api/flows/${flow.id}`, { data: flow.doc(`${base}/v2/accounts`), headers: { 'x-handoff-csrf': '1' } });
  expect(put.ok()).toBeTruthy();
  expect((await apiPost<{ version: number }>(page, `/api/flows/${flow.id}/publish`, {})).version).toBe(2);

  await page.goto(`/runs/${runId}`);
  await markPage(page);
  await expect(page.getByTestId('run-status')).toHaveText('Failed');
  await expect(page.getByTestId('run-error')).toContainText('404');
  await expect(page.getByTestId('run-retry-help')).toContainText('must still exist');
  await expect(page.getByTestId('run-retry-latest')).toHaveAttribute('title', /same id and type/);
  await page.screenshot({ path: 'e2e/artifacts/live-retry-latest-before.png' });
  await page.getByTestId('run-retry-latest').click();

  await expect(page.getByTestId('run-status')).toHaveText('Succeeded', { timeout: 20_000 });
  await expect(page.getByText('Version 2', { exact: false }).first()).toBeVisible();
  await expect(page.getByTestId('run-error')).toHaveCount(0);
  await page.getByTestId('timeline-provision').click();
  await expect(page.getByTestId('step-status')).toHaveText('Succeeded');
  await expect(page.getByTestId('step-output')).toContainText('acc_2');
  await expect(page.getByTestId('step-duration')).not.toHaveText('Running…');
  await expectNotReloaded(page);
  expect(provisioning.calls).toEqual(['/v1/accounts', '/v2/accounts']);
  await page.screenshot({ path: 'e2e/artifacts/live-retry-latest-after.png' });
});

test('bulk retry from the runs list retries the selected failed runs', async ({ page }) => {
  await login(page);
  let up = false;
  provisioning.handler = (_req, res) => (up ? json(res, 200, { ok: true }) : json(res, 422, { error: 'account not ready' }));
  const flow = await webhookFlow(page, `Live bulk ${randomUUID().slice(0, 8)}`, `${base}/accounts`);
  const failed = [await deliver(page, flow.id, flow.secret, { id: `ord_${randomUUID()}` }), await deliver(page, flow.id, flow.secret, { id: `ord_${randomUUID()}` })];
  for (const id of failed) await expect.poll(() => runStatus(page, id), { timeout: 20_000 }).toBe('failed');
  up = true;
  const fine = await deliver(page, flow.id, flow.secret, { id: `ord_${randomUUID()}` });
  await expect.poll(() => runStatus(page, fine), { timeout: 20_000 }).toBe('succeeded');

  await page.goto(`/runs?flowId=${flow.id}`);
  await markPage(page);
  for (const id of failed) await expect(page.getByTestId(`run-row-${id}`)).toContainText('Failed');
  // Only failed runs can be picked.
  await expect(page.getByTestId(`run-select-${fine}`)).toHaveCount(0);
  await page.getByTestId('runs-select-failed').check();
  await expect(page.getByTestId('runs-bulk-count')).toHaveText('2 failed runs selected');
  await expect(page.getByTestId('runs-bulk')).toContainText('same id and type');
  await page.screenshot({ path: 'e2e/artifacts/live-bulk-selected.png' });
  await page.getByTestId('runs-bulk-retry').click();

  for (const id of failed) await expect(page.getByTestId(`run-row-${id}`)).toContainText('Succeeded', { timeout: 20_000 });
  await expect(page.getByTestId('runs-bulk')).toHaveCount(0);
  await expect(page.getByTestId('runs-bulk-refusals')).toHaveCount(0);
  await expectNotReloaded(page);
  // Two retried calls after the three first ones; the run that had succeeded was not touched.
  expect(provisioning.calls).toHaveLength(5);
  await page.screenshot({ path: 'e2e/artifacts/live-bulk-done.png' });
});

test('the review inbox hides test runs’ reviews by default, shows them with the Test toggle, and updates live', async ({ page }) => {
  await login(page);
  const tag = randomUUID().slice(0, 8);
  const reviewFlow = (name: string, trigger: Record<string, unknown>) => ({
    schema: 'handoff.flow/1',
    name,
    nodes: [trigger, { id: 'check', type: 'review', position: { x: 300, y: 0 }, config: { reason: `Check ${name}`, owner: 'owner@example.com' } }],
    edges: [{ id: 'e1', source: trigger.id, sourcePort: 'out', target: 'check' }],
  });
  const testFlow = await apiPost<{ id: string }>(page, '/api/flows', reviewFlow(`Test hold ${tag}`, { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} }));
  const first = await apiPost<{ runId: string }>(page, `/api/flows/${testFlow.id}/test-run`, { payload: {} });
  await expect.poll(() => runStatus(page, first.runId), { timeout: 20_000 }).toBe('waiting');

  await page.goto('/reviews');
  await markPage(page);
  // Loaded: the empty state or some (real) review.
  await expect(page.getByTestId('reviews-empty').or(page.locator('article.review').first())).toBeVisible();
  await expect(page.getByText(`Check Test hold ${tag}`)).toHaveCount(0);
  // A click, then a waiting assertion: the box follows the URL, which react-router updates in a transition.
  await page.getByTestId('reviews-include-test').click();
  await expect(page.getByTestId('reviews-include-test')).toBeChecked();
  const testCard = page.locator('article.review').filter({ hasText: `Check Test hold ${tag}` });
  await expect(testCard).toHaveCount(1);
  await expect(testCard.getByTestId('review-test')).toHaveText('Test');

  // A second test run's review appears while the inbox is open.
  await apiPost(page, `/api/flows/${testFlow.id}/test-run`, { payload: {} });
  await expect(testCard).toHaveCount(2, { timeout: 15_000 });
  await page.screenshot({ path: 'e2e/artifacts/live-reviews-test.png' });

  // A real run's review: counted in the nav badge, live, and shown without the toggle.
  await page.getByTestId('reviews-include-test').click();
  await expect(page.getByText(`Check Test hold ${tag}`)).toHaveCount(0);
  const badge = page.getByTestId('nav-reviews-count');
  const before = (await badge.count()) ? Number(await badge.textContent()) : 0;
  const secret = `whsec_${randomUUID().replace(/-/g, '')}`;
  const cred = await apiPost<{ id: string }>(page, '/api/credentials', { type: 'webhook.secret', name: `hold ${tag}`, secret });
  const realFlow = await apiPost<{ id: string }>(page, '/api/flows', reviewFlow(`Real hold ${tag}`, { id: 'order', type: 'webhook.trigger', position: { x: 0, y: 0 }, config: { secret: { credential: cred.id } } }));
  await apiPost(page, `/api/flows/${realFlow.id}/publish`, {});
  await deliver(page, realFlow.id, secret, { id: `ord_${randomUUID()}` });
  const realCard = page.locator('article.review').filter({ hasText: `Check Real hold ${tag}` });
  await expect(realCard).toHaveCount(1, { timeout: 15_000 });
  await expect(realCard.getByTestId('review-test')).toHaveCount(0);
  await expect(badge).toHaveText(String(before + 1));
  await expectNotReloaded(page);
  await page.screenshot({ path: 'e2e/artifacts/live-reviews-real.png' });

  // The owners' alerts those reviews queued: the test run's is tagged Test in the Outbox, the real one's is not.
  await page.getByTestId('nav-outbox').click();
  const testAlert = page.locator('[data-testid^="outbox-row-"]').filter({ hasText: `Check Test hold ${tag}` });
  const realAlert = page.locator('[data-testid^="outbox-row-"]').filter({ hasText: `Check Real hold ${tag}` });
  await expect(realAlert).toHaveCount(1);
  await expect(realAlert.getByTestId('outbox-test')).toHaveCount(0);
  await expect(testAlert.first().getByTestId('outbox-test')).toHaveText('Test');
  await page.screenshot({ path: 'e2e/artifacts/live-outbox-test.png' });
});
