import { expect, test } from '@playwright/test';
import { apiPost, login, selectNode } from './helpers';

const flowDoc = {
  schema: 'handoff.flow/1',
  name: 'Data fields',
  nodes: [
    { id: 'paid', type: 'stripe.trigger', position: { x: 0, y: 120 }, config: {} },
    { id: 'cleared', type: 'branch', position: { x: 300, y: 120 }, config: { condition: '' } },
    { id: 'tell', type: 'notify', position: { x: 600, y: 60 }, config: { channel: 'slack', text: 'Paid: ' } },
    { id: 'later', type: 'delay', position: { x: 600, y: 260 }, config: { duration: 'P1D' } },
  ],
  edges: [
    { id: 'e1', source: 'paid', sourcePort: 'out', target: 'cleared' },
    { id: 'e2', source: 'cleared', sourcePort: 'true', target: 'tell' },
    { id: 'e3', source: 'cleared', sourcePort: 'false', target: 'later' },
  ],
};

test('fields are filled from the sample data with the picker, previewed, and a misspelt path is flagged until fixed', async ({ page }) => {
  await login(page);
  const { id } = await apiPost<{ id: string }>(page, '/api/flows', flowDoc);
  await page.goto(`/flows/${id}`);
  await expect(page.getByTestId('canvas')).toBeVisible();

  // The message: picked from the Stripe trigger's sample (no run yet), inserted as a template at the caret.
  await selectNode(page, 'tell');
  const message = page.getByTestId('config-text');
  await message.click();
  await message.press('End');
  await page.getByTestId('field-picker-text').click();
  await expect(page.getByTestId('field-picker-source')).toHaveText('sample data');
  // Only earlier steps are offered: the branch, not the delay on the other path.
  await expect(page.getByTestId('pick-steps.cleared')).toBeVisible();
  await expect(page.getByTestId('pick-steps.later')).toHaveCount(0);
  await page.getByTestId('expand-trigger.payment').click();
  await page.getByTestId('pick-steps.cleared').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'e2e/artifacts/editor-fields-picker.png' });
  await page.getByTestId('pick-trigger.payment.email').click();
  await expect(message).toHaveValue('Paid: {{ trigger.payment.email }}');
  await expect(page.getByTestId('preview-text')).toContainText('Paid: client@example.com');

  // The branch condition: the path is picked, the comparison typed; JSONata is previewed by the engine's evaluator.
  await selectNode(page, 'cleared');
  await page.getByTestId('field-picker-condition').click();
  await page.getByTestId('expand-trigger.payment').click();
  await page.getByTestId('pick-trigger.payment.status').click();
  const condition = page.getByTestId('config-condition');
  await expect(condition).toHaveValue('trigger.payment.status');
  await expect(page.getByTestId('preview-condition')).toContainText('cleared');
  await condition.press('End');
  await condition.pressSequentially(" = 'cleared'");
  await expect(condition).toHaveValue("trigger.payment.status = 'cleared'");
  await expect(page.getByTestId('preview-condition')).toContainText('true');
  await page.screenshot({ path: 'e2e/artifacts/editor-fields-condition.png' });

  // A typo: warned on the field and on the node, with the likely fix; publishing is not what it blocks.
  await selectNode(page, 'tell');
  await message.fill('Status: {{ trigger.paymnt.status }}');
  const warning = 'trigger.paymnt.status is not in the sample data (did you mean trigger.payment.status?)';
  await expect(page.getByTestId('field-warning-text')).toHaveText(warning);
  await expect(page.getByTestId('node-warning-tell')).toContainText(warning);
  await expect(page.getByTestId('node-warning-cleared')).toHaveCount(0);
  await page.getByTestId('field-warning-text').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'e2e/artifacts/editor-fields-warning.png' });

  // Fixed by completing the path while typing: the warnings go.
  await message.fill('Status: {{ trigger.paym');
  await expect(page.getByTestId('completions-text')).toBeVisible();
  await page.getByTestId('complete-trigger.payment').click();
  await message.pressSequentially('.sta');
  await message.press('Enter');
  await message.pressSequentially(' }}');
  await expect(message).toHaveValue('Status: {{ trigger.payment.status }}');
  await expect(page.getByTestId('field-warning-text')).toHaveCount(0);
  await expect(page.getByTestId('node-warning-tell')).toHaveCount(0);
  await expect(page.getByTestId('preview-text')).toContainText('Status: cleared');

  // Saved as typed: the draft holds the picked and completed paths.
  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-state')).toContainText(/saved/i);
  const saved = await (await page.request.get(`/api/flows/${id}`)).json();
  const byId = Object.fromEntries(saved.draft.nodes.map((n: { id: string; config: Record<string, unknown> }) => [n.id, n.config]));
  expect(byId.cleared.condition).toBe("trigger.payment.status = 'cleared'");
  expect(byId.tell.text).toBe('Status: {{ trigger.payment.status }}');
  await page.screenshot({ path: 'e2e/artifacts/editor-fields-fixed.png' });

  // A preview that would run for seconds is stopped; the editor stays usable.
  await selectNode(page, 'cleared');
  await condition.fill('$count([1..10000000].($ * 2)) > 0');
  await expect(page.getByTestId('preview-condition')).toContainText('Preview stopped', { timeout: 15_000 });
  await condition.fill("trigger.payment.status = 'cleared'");
  await expect(page.getByTestId('preview-condition')).toContainText('true');
});

test('after a test run, the picker offers that run’s trigger data and earlier steps’ outputs', async ({ page }) => {
  await login(page);
  const { id } = await apiPost<{ id: string }>(page, '/api/flows', {
    schema: 'handoff.flow/1',
    name: 'Data fields from a run',
    nodes: [
      { id: 'start', type: 'manual.trigger', position: { x: 0, y: 120 }, config: {} },
      { id: 'check', type: 'branch', position: { x: 300, y: 120 }, config: { condition: 'trigger.paid = true' } },
      { id: 'tell', type: 'notify', position: { x: 600, y: 120 }, config: { channel: 'slack', text: 'Hi ' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: 'check' },
      { id: 'e2', source: 'check', sourcePort: 'true', target: 'tell' },
    ],
  });
  const { runId } = await apiPost<{ runId: string }>(page, `/api/flows/${id}/test-run`, { payload: { paid: true, customer: { name: 'Ada Lovelace' } } });
  await expect
    .poll(async () => (await (await page.request.get(`/api/runs/${runId}`)).json()).steps.find((s: { nodeId: string }) => s.nodeId === 'check')?.status, { timeout: 20_000 })
    .toBe('succeeded');

  await page.goto(`/flows/${id}`);
  await selectNode(page, 'tell');
  const message = page.getByTestId('config-text');
  await message.click();
  await message.press('End');
  await page.getByTestId('field-picker-text').click();
  await expect(page.getByTestId('field-picker-source')).toHaveText('from the last test run');
  await page.getByTestId('expand-trigger.customer').click();
  await page.getByTestId('pick-trigger.customer.name').click();
  await expect(message).toHaveValue('Hi {{ trigger.customer.name }}');
  await message.pressSequentially(', paid: ');
  await page.getByTestId('field-picker-text').click();
  await page.getByTestId('expand-steps.check').click();
  await page.getByTestId('pick-steps.check.value').click();
  await expect(message).toHaveValue('Hi {{ trigger.customer.name }}, paid: {{ steps.check.value }}');
  await expect(page.getByTestId('preview-text')).toContainText('Hi Ada Lovelace, paid: true');
  await expect(page.getByTestId('preview-text')).toContainText('Preview on the last test run');
  await page.screenshot({ path: 'e2e/artifacts/editor-fields-run-data.png' });
});
