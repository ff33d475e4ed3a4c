import { expect, Page, test } from '@playwright/test';
import Stripe from 'stripe';
import { sampleEvent } from '@handoff/nodes';
import { apiPost, connect, dropNode, fitView, login, newFlow, selectNode } from './helpers';

const SIGNING_SECRET = 'whsec_e2eSigningSecretForTheFlagshipFlow';

async function sendSignedEvent(page: Page, flowId: string, event: object): Promise<{ runId?: string; duplicate: boolean }> {
  const payload = JSON.stringify(event);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: SIGNING_SECRET });
  const res = await page.request.post(`/hooks/stripe/${flowId}`, { data: payload, headers: { 'content-type': 'application/json', 'stripe-signature': header } });
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

test('builds payment-to-onboarding by drag and drop, publishes it, and a signed Stripe payment lands the deal at paid/won', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page);
  const flowId = await newFlow(page);

  // Two rows of three steps that fit the canvas at 1280×800.
  await dropNode(page, 'stripe.trigger', 10, 90);
  await dropNode(page, 'branch', 240, 90);
  await dropNode(page, 'crm.updateDeal', 470, 90);
  await dropNode(page, 'notify', 10, 360);
  await dropNode(page, 'notify', 240, 360);
  await dropNode(page, 'intake.start', 470, 360);
  for (const id of ['stripe_1', 'branch_1', 'crm_1', 'notify_1', 'notify_2', 'intake_1']) await expect(page.getByTestId(`node-${id}`)).toBeVisible();

  for (const [from, port, to] of [
    ['stripe_1', 'out', 'branch_1'],
    ['branch_1', 'true', 'crm_1'],
    ['crm_1', 'out', 'notify_1'],
    ['notify_1', 'out', 'notify_2'],
    ['notify_2', 'out', 'intake_1'],
  ]) {
    await fitView(page);
    await connect(page, from, port, to);
  }
  await fitView(page);
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);

  // The trigger's signing secret, entered once (write-only) through the config panel.
  await selectNode(page, 'stripe_1');
  await expect(page.getByTestId('webhook-url')).toContainText(`/hooks/stripe/${flowId}`);
  await page.getByTestId('config-signingSecret-add').click();
  await page.getByTestId('credential-name').fill('Stripe test mode');
  await page.getByTestId('credential-secret').fill(SIGNING_SECRET);
  await page.getByTestId('credential-save').click();
  await expect(page.getByTestId('node-problem-stripe_1')).toHaveCount(0);

  await selectNode(page, 'branch_1');
  await expect(page.getByTestId('config-condition')).toHaveValue("trigger.payment.status = 'cleared'");

  for (const [id, to] of [
    ['notify_1', 'sales@example.com'],
    ['notify_2', 'delivery@example.com'],
  ]) {
    await selectNode(page, id);
    await page.getByTestId('config-channel').selectOption('email');
    await page.getByTestId('config-to').fill(to);
    await page.getByTestId('config-text').fill(`Paid: {{ trigger.payment.name }} bought {{ trigger.payment.metadata.product }}`);
  }
  await expect(page.getByTestId('problems-none')).toBeVisible({ timeout: 5_000 }).catch(() => undefined);

  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-state')).toContainText(/saved/i);
  await page.getByTestId('publish').click();
  await page.getByTestId('publish-note').fill('First version');
  await page.getByTestId('publish-confirm').click();
  await expect(page.getByText(/version 1/i).first()).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/editor.png' });

  // Stripe delivers the paid checkout (twice: a retry must not start a second run).
  const event = sampleEvent('checkout_paid');
  const first = await sendSignedEvent(page, flowId, event);
  expect(first.duplicate).toBe(false);
  expect((await sendSignedEvent(page, flowId, event)).duplicate).toBe(true);

  await page.goto(`/runs/${first.runId}`);
  for (const id of ['stripe_1', 'branch_1', 'crm_1', 'notify_1', 'notify_2', 'intake_1']) {
    await expect(page.getByTestId(`node-${id}`)).toHaveAttribute('data-status', 'succeeded', { timeout: 20_000 });
  }
  await page.screenshot({ path: 'e2e/artifacts/run.png' });

  await page.goto('/board');
  const paid = page.getByTestId('board-col-paid_won');
  await expect(paid).toContainText('client@example.com');
  await expect(paid).toContainText('2,500');
  await page.screenshot({ path: 'e2e/artifacts/board.png' });
});

test('an unpaid checkout waits in the review inbox; approving it lets the run continue', async ({ page }) => {
  test.setTimeout(90_000);
  await login(page);
  const credential = await apiPost<{ id: string }>(page, '/api/credentials', { type: 'stripe.signingSecret', name: 'Stripe (review test)', secret: SIGNING_SECRET });
  const doc = {
    schema: 'handoff.flow/1',
    name: 'Review held payments',
    nodes: [
      { id: 'paid', type: 'stripe.trigger', position: { x: 0, y: 100 }, config: { signingSecret: { credential: credential.id } } },
      { id: 'cleared', type: 'branch', position: { x: 260, y: 100 }, config: {} },
      { id: 'hold', type: 'review', position: { x: 520, y: 220 }, config: { owner: 'finance@example.com' } },
      { id: 'won', type: 'crm.updateDeal', position: { x: 780, y: 100 }, config: { stage: 'paid_won' } },
    ],
    edges: [
      { id: 'e1', source: 'paid', sourcePort: 'out', target: 'cleared' },
      { id: 'e2', source: 'cleared', sourcePort: 'true', target: 'won' },
      { id: 'e3', source: 'cleared', sourcePort: 'false', target: 'hold' },
      { id: 'e4', source: 'hold', sourcePort: 'approved', target: 'won' },
    ],
  };
  const flow = await apiPost<{ id: string }>(page, '/api/flows', doc);
  await apiPost(page, `/api/flows/${flow.id}/publish`, {});

  const event = sampleEvent('checkout_unpaid');
  const { runId } = await sendSignedEvent(page, flow.id, event);

  await page.getByTestId('nav-reviews').click();
  // This run's card: other tests' runs may be waiting in the inbox too.
  const ours = page.locator('article.review').filter({ has: page.locator(`a[href="/runs/${runId}"]`) });
  await expect(ours).toBeVisible({ timeout: 20_000 });
  await expect(ours.getByTestId('review-facts')).toContainText(/unpaid|pending/i);
  // The card leads with who paid, how much and in which flow, not the Stripe object id.
  const headline = ours.getByTestId('review-headline');
  await expect(headline).toContainText(doc.name);
  await expect(headline).not.toHaveText(/^(cs|pi|evt|in)_/);
  await ours.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'e2e/artifacts/ops-review-card.png' });
  await ours.getByTestId('review-note').fill('Bank transfer confirmed by phone');
  await ours.getByTestId('review-approve').click();

  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId('node-hold')).toHaveAttribute('data-status', 'succeeded', { timeout: 20_000 });
  await expect(page.getByTestId('node-won')).toHaveAttribute('data-status', 'succeeded', { timeout: 20_000 });
  const run = await (await page.request.get(`/api/runs/${runId}`)).json();
  expect(run.status).toBe('succeeded');
  expect(run.steps.find((s: { nodeId: string }) => s.nodeId === 'hold').port).toBe('approved');
});
