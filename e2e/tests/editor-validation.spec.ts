import { expect, test } from '@playwright/test';
import { connect, dropNode, login, newFlow, selectNode } from './helpers';

test('an invalid flow shows its problems on the nodes and publishing is refused', async ({ page }) => {
  await login(page);
  await newFlow(page);
  await dropNode(page, 'stripe.trigger', 120, 200);
  await dropNode(page, 'branch', 420, 200);
  await expect(page.getByTestId('node-stripe_1')).toBeVisible();
  await expect(page.getByTestId('node-branch_1')).toBeVisible();
  await connect(page, 'stripe_1', 'out', 'branch_1');

  await selectNode(page, 'branch_1');
  await page.getByTestId('config-condition').fill("trigger.payment.status = ");
  // The trigger has no signing secret and the condition does not parse: both nodes say so.
  await expect(page.getByTestId('node-problem-branch_1')).toBeVisible();
  await expect(page.getByTestId('node-problem-stripe_1')).toBeVisible();
  await expect(page.getByTestId('node-problem-stripe_1')).toContainText(/signing secret/i);

  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-state')).toContainText(/saved/i);
  // The editor refuses to publish, and so does the API if asked directly.
  await expect(page.getByTestId('publish')).toBeDisabled();
  await page.screenshot({ path: 'e2e/artifacts/editor-invalid.png' });
  const id = page.url().split('/flows/')[1];
  const refused = await page.request.post(`/api/flows/${id}/publish`, { data: {}, headers: { 'x-handoff-csrf': '1' } });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).problems.map((p: { nodeId?: string }) => p.nodeId)).toEqual(expect.arrayContaining(['stripe_1', 'branch_1']));
  const flow = await (await page.request.get(`/api/flows/${id}`)).json();
  expect(flow.publishedVersion).toBeNull();
  expect(flow.problems.length).toBeGreaterThanOrEqual(2);
});
