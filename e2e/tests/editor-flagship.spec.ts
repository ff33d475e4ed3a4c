import { expect, Page, test } from '@playwright/test';
import { login, newFlow, selectNode } from './helpers';

// Issue #16's first "done when": the flagship flow (paid → CRM → notify → intake, unpaid → review)
// built with the "+" on ports and the field picker only: no step dragged, no data path typed.

async function addAfter(page: Page, nodeId: string, port: string, type: string): Promise<void> {
  await page.getByTestId(`add-step-${nodeId}-${port}`).click();
  await expect(page.getByTestId('node-picker')).toBeVisible();
  await page.getByTestId(`node-picker-${type}`).click();
  await expect(page.getByTestId('node-picker')).toBeHidden();
}

/** Opens a field's data picker and picks a path from the tree, expanding its parents. */
async function pick(page: Page, field: string, path: string): Promise<void> {
  await page.getByTestId(`field-picker-${field}`).click();
  const parts = path.split('.');
  for (let i = 2; i < parts.length; i++) {
    const parent = parts.slice(0, i).join('.');
    const toggle = page.getByTestId(`expand-${parent}`);
    if ((await page.getByTestId(`pick-${parts.slice(0, i + 1).join('.')}`).count()) === 0) await toggle.click();
  }
  await page.getByTestId(`pick-${path}`).click();
}

test('the flagship flow is built with the "+" and the field picker alone', async ({ page }) => {
  test.setTimeout(90_000);
  await login(page);
  const flowId = await newFlow(page);

  // The trigger: a palette click (the first step has no port to grow from).
  await page.getByTestId('palette-stripe.trigger').click();
  await expect(page.getByTestId('node-stripe_1')).toBeVisible();

  // Paid? The condition's path comes from the picker; only the comparison is typed.
  await addAfter(page, 'stripe_1', 'out', 'branch');
  await selectNode(page, 'branch_1');
  const condition = page.getByTestId('config-condition');
  await condition.fill('');
  await pick(page, 'condition', 'trigger.payment.status');
  await expect(condition).toHaveValue('trigger.payment.status');
  await condition.press('End');
  await condition.pressSequentially(" = 'cleared'");
  await expect(page.getByTestId('preview-condition')).toContainText('true');

  // Paid: the deal to paid/won (its fields default to the payment's data), tell sales, start the intake.
  await addAfter(page, 'branch_1', 'true', 'crm.updateDeal');
  await addAfter(page, 'crm_1', 'out', 'notify');
  await selectNode(page, 'notify_1');
  const text = page.getByTestId('config-text');
  await text.fill('Paid: ');
  await text.press('End');
  await pick(page, 'text', 'trigger.payment.email');
  await expect(text).toHaveValue('Paid: {{ trigger.payment.email }}');
  await expect(page.getByTestId('preview-text')).toContainText('Paid: ');
  await addAfter(page, 'notify_1', 'out', 'intake.start');

  // Not paid: a person reviews it. (Fit view: the canvas followed the new steps to the right.)
  await page.getByTestId('fit-view').click();
  await addAfter(page, 'branch_1', 'false', 'review');
  await expect(page.getByTestId('node-review_1')).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/editor-flagship-built.png' });

  // Saved as built: the graph, and the fields hold the picked paths; no path warning anywhere.
  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  const draft = (await (await page.request.get(`/api/flows/${flowId}`)).json()).draft as {
    nodes: Array<{ id: string; type: string; config: Record<string, unknown> }>;
    edges: Array<{ source: string; sourcePort: string; target: string }>;
  };
  expect(draft.edges.map((e) => `${e.source}:${e.sourcePort}->${e.target}`).sort()).toEqual([
    'branch_1:false->review_1',
    'branch_1:true->crm_1',
    'crm_1:out->notify_1',
    'notify_1:out->intake_1',
    'stripe_1:out->branch_1',
  ]);
  const config = Object.fromEntries(draft.nodes.map((n) => [n.id, n.config]));
  expect(config.branch_1.condition).toBe("trigger.payment.status = 'cleared'");
  expect(config.notify_1.text).toBe('Paid: {{ trigger.payment.email }}');
  await expect(page.locator('[data-testid^="node-warning-"]')).toHaveCount(0);
});
