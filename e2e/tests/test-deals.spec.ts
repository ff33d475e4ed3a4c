import { expect, test } from '@playwright/test';
import { apiPost, login } from './helpers';

/** A test run of a draft writes a test deal: kept off the board unless asked for, never a real deal. */
test('a test run’s deal is absent from the board by default and shown with the Test deals toggle', async ({ page }) => {
  await login(page);
  const email = `tested-${Date.now()}@example.com`;
  const flow = await apiPost<{ id: string }>(page, '/api/flows', {
    schema: 'handoff.flow/1',
    name: 'Test deal',
    nodes: [
      { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} },
      { id: 'won', type: 'crm.updateDeal', position: { x: 280, y: 0 }, config: { customerId: '', email: '{{ trigger.email }}', name: 'Tess Test', amount: '9900', currency: 'usd', product: 'Trial', objectId: '', stage: 'paid_won' } },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'out', target: 'won' }],
  });
  const { runId } = await apiPost<{ runId: string }>(page, `/api/flows/${flow.id}/test-run`, { payload: { email } });
  await expect.poll(async () => (await (await page.request.get(`/api/runs/${runId}`)).json()).status, { timeout: 20_000 }).toBe('succeeded');

  await page.goto(`/board?q=${encodeURIComponent(email)}`);
  await expect(page.getByTestId('board-filters')).toBeVisible();
  await expect(page.getByText('Tess Test')).toHaveCount(0);
  // The toggle lives in the URL (?test=1): the click shows once the route updates, so wait for it.
  await page.getByTestId('board-include-test').click();
  await expect(page.getByTestId('board-include-test')).toBeChecked();
  await expect(page.getByText('Tess Test')).toBeVisible();
  await expect(page.getByTestId('deal-test')).toHaveText('Test');
  await page.screenshot({ path: 'e2e/artifacts/board-test-deals.png' });
});
