import { expect, Page, test } from '@playwright/test';
import { connect, dropNode, fitView, login, newFlow, selectNode } from './helpers';

/** The "Next runs" lines, once the list shows `count` of them. */
async function fireTimes(page: Page, count = 5): Promise<string[]> {
  const items = page.getByTestId('next-fire-times').locator('li');
  await expect(items).toHaveCount(count);
  return items.allTextContents();
}

test('a CRM deal trigger built in the editor starts a run when a deal is created, drawn on its canvas', async ({ page }) => {
  test.setTimeout(90_000);
  await login(page);
  const flowId = await newFlow(page);

  await dropNode(page, 'crm.trigger', 60, 160);
  await dropNode(page, 'branch', 380, 160);
  await expect(page.getByTestId('node-crm_1')).toBeVisible();
  await expect(page.getByTestId('node-branch_1')).toBeVisible();
  await fitView(page);
  await connect(page, 'crm_1', 'out', 'branch_1');
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);

  // The CRM trigger fires inside the CRM: no webhook address, no schedule; deal.created by default.
  await selectNode(page, 'crm_1');
  await expect(page.getByTestId('config-on').locator('option:checked')).toHaveText('deal.created');
  await expect(page.getByTestId('webhook-url-box')).toHaveCount(0);
  await expect(page.getByTestId('next-runs-box')).toHaveCount(0);

  await selectNode(page, 'branch_1');
  await page.getByTestId('config-condition').fill('trigger.deal.amount >= 100000');
  await expect(page.locator('[data-testid^="node-problem-"]')).toHaveCount(0);

  // A test run first: the dialog asks for a payload (not a Stripe event), prefilled with the trigger's sample deal.
  await page.getByTestId('test-run').click();
  const dialog = page.getByTestId('test-run-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('sample-kinds')).toHaveCount(0);
  const sample = JSON.parse(await dialog.getByTestId('test-run-event').inputValue());
  expect(sample).toMatchObject({ deal: { title: 'Acme onboarding', amount: 120000 }, previous: null, change: { kind: 'deal.created' } });
  await page.screenshot({ path: 'e2e/artifacts/crm-test-dialog.png' });
  await dialog.getByTestId('test-run-submit').click();
  await expect(page.getByTestId('run-banner')).toBeVisible();
  await expect(page.getByTestId('node-crm_1')).toHaveAttribute('data-status', 'succeeded', { timeout: 20_000 });
  await expect(page.getByTestId('node-branch_1')).toHaveAttribute('data-status', 'succeeded', { timeout: 20_000 });
  await page.getByTestId('run-banner-close').click();

  await expect(page.getByTestId('save-state')).toContainText(/saved/i);
  await page.getByTestId('publish').click();
  await page.getByTestId('publish-note').fill('Big new deals');
  await page.getByTestId('publish-confirm').click();
  await expect(page.getByText(/version 1/i).first()).toBeVisible();
  // Nothing changed since: a second publish would only add an identical version.
  await expect(page.getByTestId('publish')).toBeDisabled();
  await expect(page.getByTestId('publish')).toHaveAttribute('title', /draft is live version 1/);

  // Someone adds a deal to the built-in CRM; the flow's run starts with the change.
  const email = `crm-${Date.now()}@example.com`;
  const created = await page.request.post('/api/crm/deals', {
    data: { title: 'Globex rollout', contact: { email }, stage: 'proposal', amount: 120000, currency: 'usd' },
    headers: { 'x-handoff-csrf': '1' },
  });
  expect(created.ok(), `${created.status()} ${await created.text()}`).toBeTruthy();

  // Find it as a person would: Runs, this flow, the row with the deal's contact.
  await page.getByTestId('nav-runs').click();
  await page.getByTestId('runs-flow').selectOption(flowId);
  const row = page.locator('[data-testid^="run-row-"]').filter({ hasText: email });
  await expect(row).toContainText('deal.created');
  await expect(row).toContainText('v1');
  await row.click();

  await expect(page.getByTestId('run-detail')).toBeVisible();
  await expect(page.getByTestId('node-crm_1')).toHaveAttribute('data-status', 'succeeded', { timeout: 20_000 });
  await expect(page.getByTestId('node-branch_1')).toHaveAttribute('data-status', 'succeeded', { timeout: 20_000 });
  await expect(page.getByTestId('run-status')).toContainText(/succeeded/i);
  await expect(page.getByTestId('run-payload')).toContainText('Globex rollout');
  await page.screenshot({ path: 'e2e/artifacts/crm-trigger-run.png' });
});

test('a Schedule trigger lists its next five runs, and they follow cron and time zone edits before saving', async ({ page }) => {
  await login(page);
  await newFlow(page);
  await dropNode(page, 'schedule.trigger', 120, 200);
  await selectNode(page, 'schedule_1');
  await expect(page.getByTestId('webhook-url-box')).toHaveCount(0);

  // The default: weekdays at 09:00 UTC, once the flow is published.
  for (const line of await fireTimes(page)) expect(line).toMatch(/^(Mon|Tue|Wed|Thu|Fri) \d{1,2} \w+( \d{4})?, 09:00 UTC$/);
  await expect(page.getByTestId('next-runs-idle')).toHaveText(/^Not published yet: nothing fires until you publish/);

  await page.getByTestId('config-cron').fill('30 17 * * 6');
  await page.getByTestId('config-timezone').fill('Europe/Berlin');
  for (const line of await fireTimes(page)) expect(line).toMatch(/^Sat \d{1,2} \w+( \d{4})?, 17:30 Europe\/Berlin$/);

  await page.getByTestId('config-cron').fill('0 9 * * 1-5');
  const weekdays = await fireTimes(page);
  for (const line of weekdays) expect(line).toMatch(/^(Mon|Tue|Wed|Thu|Fri) \d{1,2} \w+( \d{4})?, 09:00 Europe\/Berlin$/);
  expect(new Set(weekdays).size).toBe(5);
  await page.getByTestId('config-panel').screenshot({ path: 'e2e/artifacts/trigger-schedule-panel.png' });
  await page.screenshot({ path: 'e2e/artifacts/trigger-schedule.png' });

  // A schedule the scheduler would refuse says why instead of listing times.
  await page.getByTestId('config-cron').fill('0 9 * *');
  await expect(page.getByTestId('next-fire-times')).toHaveCount(0);
  await expect(page.getByTestId('next-fire-times-invalid')).toContainText(/fix the cron field/);
  await expect(page.getByTestId('config-panel')).toContainText(/A cron schedule has 5 fields/);
  await page.getByTestId('config-panel').screenshot({ path: 'e2e/artifacts/trigger-schedule-invalid.png' });
  await page.getByTestId('config-cron').fill('0 9 * * 1-5');
  await page.getByTestId('config-timezone').fill('Mars/Olympus');
  await expect(page.getByTestId('next-fire-times-invalid')).toContainText(/fix the timezone field/);
});

test('a Webhook trigger shows its own address and instructions from the node registry', async ({ page }) => {
  await login(page);
  const flowId = await newFlow(page);
  await dropNode(page, 'webhook.trigger', 120, 200);
  await selectNode(page, 'webhook_1');
  await expect(page.getByTestId('webhook-url')).toHaveText(new RegExp(`/hooks/webhook/${flowId}$`));
  await expect(page.getByTestId('webhook-url-box')).toContainText(/x-handoff-signature/);
  await expect(page.getByTestId('next-runs-box')).toHaveCount(0);
  await page.screenshot({ path: 'e2e/artifacts/trigger-webhook.png' });

  // Its test run takes a JSON payload prefilled with a sample delivery.
  await page.getByTestId('test-run').click();
  const payload = JSON.parse(await page.getByTestId('test-run-event').inputValue());
  expect(payload).toMatchObject({ body: { id: 'order_1001' }, headers: { 'content-type': 'application/json' } });
  await expect(page.getByTestId('sample-kinds')).toHaveCount(0);
});
