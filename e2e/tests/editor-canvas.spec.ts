import { expect, Locator, Page, test } from '@playwright/test';
import { flowTemplates } from '@handoff/nodes';
import { apiPost, login, newFlow, selectNode } from './helpers';

// The editor's readable minimum for "fit view" (apps/web/src/features/editor/lib/viewport.ts).
const MIN_READABLE_ZOOM = 0.75;

interface SavedDoc {
  nodes: Array<{ id: string; type: string; position: { x: number; y: number }; config: Record<string, unknown> }>;
  edges: Array<{ source: string; sourcePort: string; target: string }>;
}

async function zoomOf(page: Page): Promise<number> {
  const transform = await page.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).transform);
  // matrix(a, b, c, d, e, f): a is the scale.
  return Number(/matrix\(([^,]+)/.exec(transform)?.[1]);
}

async function saveAndRead(page: Page, flowId: string): Promise<SavedDoc> {
  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  const res = await page.request.get(`/api/flows/${flowId}`);
  expect(res.ok()).toBeTruthy();
  return (await res.json()).draft as SavedDoc;
}

const edgeList = (doc: SavedDoc) => doc.edges.map((e) => `${e.source}:${e.sourcePort}->${e.target}`).sort();

/** Screen boxes of the given steps; fails if any two overlap. */
async function expectNoOverlap(nodes: Locator[]): Promise<void> {
  const boxes = await Promise.all(nodes.map(async (n) => (await n.boundingBox())!));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      expect(apart, `steps ${i} and ${j} overlap: ${JSON.stringify(a)} ${JSON.stringify(b)}`).toBe(true);
    }
  }
}

/** Adds a step with a port's "+": opens the picker there, searches, picks. */
async function addAfter(page: Page, nodeId: string, port: string, search: string, type: string): Promise<void> {
  await page.getByTestId(`add-step-${nodeId}-${port}`).click();
  await expect(page.getByTestId('node-picker')).toBeVisible();
  await page.getByTestId('node-picker-search').fill(search);
  await page.getByTestId(`node-picker-${type}`).click();
  await expect(page.getByTestId('node-picker')).toBeHidden();
}

test('the palette and the details panel collapse, give the canvas the room, and stay as left', async ({ page }) => {
  await login(page);
  await newFlow(page);
  const canvas = page.getByTestId('canvas');
  const before = (await canvas.boundingBox())!.width;

  await page.getByTestId('palette-toggle').click();
  await page.getByTestId('side-panel-toggle').click();
  await expect(page.getByTestId('palette')).toHaveClass(/is-collapsed/);
  await expect(page.getByTestId('side-panel')).toHaveClass(/is-collapsed/);
  await expect(page.getByLabel('Search steps')).toHaveCount(0);
  const wide = (await canvas.boundingBox())!.width;
  expect(wide).toBeGreaterThan(before + 450);
  await page.screenshot({ path: 'e2e/artifacts/editor-canvas-panels-collapsed.png' });

  // Remembered across a reload.
  await page.reload();
  await expect(page.getByTestId('palette')).toHaveClass(/is-collapsed/);
  await expect(page.getByTestId('side-panel')).toHaveClass(/is-collapsed/);

  await page.getByTestId('palette-toggle').click();
  await page.getByTestId('side-panel-toggle').click();
  await expect(page.getByTestId('palette-stripe.trigger')).toBeVisible();
  await expect(page.getByTestId('side-panel')).not.toHaveClass(/is-collapsed/);
  expect((await canvas.boundingBox())!.width).toBeCloseTo(before, 0);
});

test('fit view keeps the flagship template readable and starts at its trigger', async ({ page }) => {
  await login(page);
  const template = flowTemplates.find((t) => t.id === 'payment-to-onboarding')!;
  const flow = await apiPost<{ id: string }>(page, '/api/flows', { ...template.document, name: 'Canvas: flagship fit' });
  await page.goto(`/flows/${flow.id}`);
  await expect(page.getByTestId('node-paid')).toBeVisible();
  await expect.poll(() => zoomOf(page)).toBeGreaterThanOrEqual(MIN_READABLE_ZOOM);

  const canvasBox = (await page.getByTestId('canvas').boundingBox())!;
  const trigger = (await page.getByTestId('node-paid').boundingBox())!;
  expect(trigger.x).toBeGreaterThanOrEqual(canvasBox.x);
  expect(trigger.x + trigger.width).toBeLessThanOrEqual(canvasBox.x + canvasBox.width);
  // A step title stays at least 9.75 px tall on screen (13 px × 0.75).
  const title = await page.getByTestId('node-paid').locator('.fnode-label').boundingBox();
  expect(title!.height).toBeGreaterThanOrEqual(12);
  await page.screenshot({ path: 'e2e/artifacts/editor-canvas-flagship-fit.png' });

  // Zoomed far out by hand, "fit view" comes back to a readable zoom, not to 0.45.
  for (let i = 0; i < 6; i++) await page.locator('.react-flow__controls-zoomout').click();
  expect(await zoomOf(page)).toBeLessThan(0.5);
  await page.getByTestId('fit-view').click();
  await expect.poll(() => zoomOf(page)).toBeGreaterThanOrEqual(MIN_READABLE_ZOOM);

  // With both panels closed the whole flow fits at a readable zoom.
  await page.getByTestId('palette-toggle').click();
  await page.getByTestId('side-panel-toggle').click();
  await page.getByTestId('fit-view').click();
  await expect.poll(() => zoomOf(page)).toBeGreaterThanOrEqual(MIN_READABLE_ZOOM);
  const wideCanvas = (await page.getByTestId('canvas').boundingBox())!;
  for (const id of ['paid', 'tellSales', 'declined']) {
    const box = (await page.getByTestId(`node-${id}`).boundingBox())!;
    expect(box.x + box.width, id).toBeLessThanOrEqual(wideCanvas.x + wideCanvas.width);
    expect(box.y + box.height, id).toBeLessThanOrEqual(wideCanvas.y + wideCanvas.height);
  }
  await page.screenshot({ path: 'e2e/artifacts/editor-canvas-flagship-wide.png' });
});

test('builds a flow with the "+" on ports alone, a branch’s true and false included', async ({ page }) => {
  await login(page);
  const flowId = await newFlow(page);
  // The first step has no port to grow from: a palette click puts it on the canvas.
  await page.getByTestId('palette-stripe.trigger').click();
  await expect(page.getByTestId('node-stripe_1')).toBeVisible();

  await addAfter(page, 'stripe_1', 'out', 'branch', 'branch');
  await expect(page.getByTestId('node-branch_1')).toBeVisible();
  await addAfter(page, 'branch_1', 'true', 'deal', 'crm.updateDeal');
  await expect(page.getByTestId('node-crm_1')).toBeVisible();

  // Keyboard path through the picker: type, Enter.
  await page.getByTestId('add-step-branch_1-false').click();
  await page.getByTestId('node-picker-search').fill('notify');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('node-notify_1')).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/editor-canvas-plus-built.png' });

  await expectNoOverlap(['stripe_1', 'branch_1', 'crm_1', 'notify_1'].map((id) => page.getByTestId(`node-${id}`)));
  const doc = await saveAndRead(page, flowId);
  expect(edgeList(doc)).toEqual(['branch_1:false->notify_1', 'branch_1:true->crm_1', 'stripe_1:out->branch_1']);
  const at = Object.fromEntries(doc.nodes.map((n) => [n.id, n.position]));
  expect(at.crm_1.y).toBeLessThan(at.notify_1.y);
  expect(at.crm_1.x).toBeGreaterThan(at.branch_1.x);

  // The picker itself, opened on the crm step, for the record.
  await page.getByTestId('add-step-crm_1-out').click();
  await expect(page.getByTestId('node-picker')).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/editor-canvas-node-picker.png' });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('node-picker')).toBeHidden();
});

test('a palette click adds after the selected step without overlap, and Tidy up places an unconnected step', async ({ page }) => {
  await login(page);
  const flowId = await newFlow(page);
  await page.getByTestId('palette-manual.trigger').click();
  await expect(page.getByTestId('node-manual_1')).toBeVisible();

  // Selected trigger with a free output: placed after it and connected.
  await selectNode(page, 'manual_1');
  await page.getByTestId('palette-notify').click();
  await expect(page.getByTestId('node-notify_1')).toBeVisible();
  // The trigger's only output is taken now: the next one goes after it too, unconnected, not on top.
  await selectNode(page, 'manual_1');
  await page.getByTestId('palette-delay').click();
  await expect(page.getByTestId('node-delay_1')).toBeVisible();
  const steps = ['manual_1', 'notify_1', 'delay_1'].map((id) => page.getByTestId(`node-${id}`));
  await expectNoOverlap(steps);

  let doc = await saveAndRead(page, flowId);
  expect(edgeList(doc)).toEqual(['manual_1:out->notify_1']);

  await page.getByTestId('auto-layout').click();
  doc = await saveAndRead(page, flowId);
  const at = Object.fromEntries(doc.nodes.map((n) => [n.id, n.position]));
  expect(at.manual_1).toEqual({ x: 0, y: 0 });
  expect(at.notify_1).toEqual({ x: 300, y: 0 });
  // The unconnected step: a row under the flow, in the first column, not stacked beside the trigger.
  expect(at.delay_1.x).toBe(0);
  expect(at.delay_1.y).toBeGreaterThan(at.notify_1.y);
  await expectNoOverlap(steps);
  await page.screenshot({ path: 'e2e/artifacts/editor-canvas-tidy-up.png' });
});

test('Tab reaches steps and connections with a visible ring, and Delete removes the focused one', async ({ page }) => {
  await login(page);
  const template = flowTemplates.find((t) => t.id === 'payment-to-onboarding')!;
  const flow = await apiPost<{ id: string }>(page, '/api/flows', { ...template.document, name: 'Canvas: keyboard' });
  await page.goto(`/flows/${flow.id}`);
  await expect(page.getByTestId('node-paid')).toBeVisible();

  // Start keyboard navigation from the canvas, as a click on empty canvas does.
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  await page.mouse.click(pane.x + 20, pane.y + pane.height - 140);
  const focusedId = () => page.evaluate(() => document.activeElement?.closest('[data-id]')?.getAttribute('data-id') ?? null);
  const focusedIs = async (kind: 'node' | 'edge') => page.evaluate((k) => !!document.activeElement?.classList.contains(`react-flow__${k}`), kind);

  let edgeId: string | null = null;
  for (let i = 0; i < 40 && !edgeId; i++) {
    await page.keyboard.press('Tab');
    if (await focusedIs('edge')) edgeId = await focusedId();
  }
  expect(edgeId, 'Tab reaches a connection').not.toBeNull();
  const stroke = await page.locator(`[data-testid="rf__edge-${edgeId}"] .react-flow__edge-path`).evaluate((el) => getComputedStyle(el).strokeWidth);
  expect(parseFloat(stroke)).toBeGreaterThanOrEqual(3);
  await page.keyboard.press('Delete');
  await expect(page.getByTestId(`rf__edge-${edgeId}`)).toHaveCount(0);

  let nodeId: string | null = null;
  for (let i = 0; i < 80 && !nodeId; i++) {
    await page.keyboard.press('Tab');
    if (await focusedIs('node')) nodeId = await focusedId();
  }
  expect(nodeId, 'Tab reaches a step').not.toBeNull();
  const ring = await page.getByTestId(`node-${nodeId}`).evaluate((el) => getComputedStyle(el).outlineWidth + ' ' + getComputedStyle(el).outlineStyle);
  expect(ring).toBe('3px solid');
  await page.screenshot({ path: 'e2e/artifacts/editor-canvas-focus.png' });
  await page.keyboard.press('Delete');
  await expect(page.getByTestId(`node-${nodeId}`)).toHaveCount(0);
  await expect(page.getByTestId('save-state')).toHaveText('Unsaved changes');
});

test('Stripe events: two picked from the grouped list and one typed are saved', async ({ page }) => {
  await login(page);
  const flowId = await newFlow(page);
  await page.getByTestId('palette-stripe.trigger').click();
  await selectNode(page, 'stripe_1');

  const chips = page.locator('[data-testid^="config-events-chip-"]');
  await expect(chips).toHaveCount(2);
  await page.getByRole('button', { name: 'Remove checkout.session.async_payment_succeeded' }).click();

  const search = page.getByTestId('config-events-search');
  await search.click();
  await expect(page.getByRole('group', { name: 'payment_intent' })).toBeVisible();
  await search.fill('invoice pa');
  await page.getByTestId('config-events-option-invoice.paid').click();
  await search.fill('subscription created');
  await page.screenshot({ path: 'e2e/artifacts/editor-canvas-stripe-events.png' });
  await page.getByTestId('config-events-option-customer.subscription.created').click();
  await search.fill('invoice.some_future_event');
  await expect(page.getByTestId('config-events-add-typed')).toBeVisible();
  await search.press('Enter');
  await expect(page.getByTestId('config-events-chip-invoice.some_future_event')).toContainText('typed');
  // A malformed one is not offered.
  await search.fill('Invoice Paid');
  await expect(page.getByTestId('config-events-add-typed')).toHaveCount(0);
  await search.fill('');

  const doc = await saveAndRead(page, flowId);
  const trigger = doc.nodes.find((n) => n.id === 'stripe_1')!;
  expect(trigger.config.events).toEqual(['checkout.session.completed', 'invoice.paid', 'customer.subscription.created', 'invoice.some_future_event']);
  await page.screenshot({ path: 'e2e/artifacts/editor-canvas-stripe-events-saved.png' });
});
