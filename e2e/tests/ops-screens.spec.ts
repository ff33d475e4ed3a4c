import { createHmac } from 'node:crypto';
import { expect, Page, test } from '@playwright/test';
import { apiPost, login, selectNode } from './helpers';

const WEBHOOK_SECRET = 'e2e-ops-webhook-secret-0123456789';

async function apiGet<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(path);
  expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}

/**
 * A published webhook flow whose Slack notify step has no credential: each delivery runs it and
 * queues a message the outbox keeps as `held`.
 */
async function publishedWebhookFlow(page: Page, name: string): Promise<string> {
  const secret = await apiPost<{ id: string }>(page, '/api/credentials', { type: 'webhook.secret', name: `${name} secret`, secret: WEBHOOK_SECRET });
  const flow = await apiPost<{ id: string }>(page, '/api/flows', {
    schema: 'handoff.flow/1',
    name,
    nodes: [
      { id: 'hook_1', type: 'webhook.trigger', position: { x: 0, y: 0 }, config: { secret: { credential: secret.id }, idField: 'id' } },
      { id: 'notify_1', type: 'notify', position: { x: 300, y: 0 }, config: { channel: 'slack', to: '#ops', text: 'Order {{ trigger.body.id }} arrived' } },
    ],
    edges: [{ id: 'e1', source: 'hook_1', sourcePort: 'out', target: 'notify_1' }],
  });
  await apiPost(page, `/api/flows/${flow.id}/publish`, { note: 'ops e2e' });
  return flow.id;
}

async function sendWebhook(page: Page, flowId: string, body: object): Promise<{ runId?: string; duplicate?: boolean }> {
  const raw = JSON.stringify(body);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${raw}`).digest('hex');
  const res = await page.request.post(`/hooks/webhook/${flowId}`, { data: raw, headers: { 'content-type': 'application/json', 'x-handoff-signature': `t=${t},v1=${v1}` } });
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

test('the outbox lists a held message from a notify step without a credential, shows why, links its run and retries it', async ({ page }) => {
  test.setTimeout(90_000);
  await login(page);
  const flowId = await publishedWebhookFlow(page, `Ops outbox ${Date.now()}`);
  const orderId = `order_${Date.now()}`;
  const { runId } = await sendWebhook(page, flowId, { id: orderId, email: 'client@example.com' });
  expect(runId).toBeTruthy();

  // The API holds the message; wait for the run to reach the notify step.
  let messageId = '';
  await expect
    .poll(async () => {
      const page1 = await apiGet<{ items: Array<{ id: string; status: string; body: string }> }>(page, `/api/outbox?runId=${runId}`);
      messageId = page1.items[0]?.id ?? '';
      return page1.items[0]?.status;
    }, { timeout: 20_000 })
    .toBe('held');

  await page.getByTestId('nav-outbox').click();
  await expect(page).toHaveURL(/\/outbox/);
  await page.getByTestId('outbox-filter-held').click();
  const row = page.getByTestId(`outbox-row-${messageId}`);
  await expect(row).toBeVisible();
  await expect(page.getByTestId(`outbox-status-${messageId}`)).toHaveText('Held');
  await expect(row).toContainText(`Order ${orderId} arrived`);
  await expect(row).toContainText('#ops');

  await row.click();
  await expect(page.getByTestId(`outbox-detail-${messageId}`)).toContainText(`Order ${orderId} arrived`);
  await expect(page.getByTestId(`outbox-no-attempts-${messageId}`)).toContainText(/no credential/i);
  await page.screenshot({ path: 'e2e/artifacts/ops-outbox.png' });

  // Filtering by another status leaves it out.
  await page.getByTestId('outbox-filter-sent').click();
  await expect(row).toHaveCount(0);
  await page.getByTestId('outbox-filter-held').click();

  // The run link goes to the run.
  await expect(page.getByTestId(`outbox-run-${messageId}`)).toHaveAttribute('href', `/runs/${runId}`);

  // Retry of a held message needs a credential on its step in the published flow: with none, the row says what to do and it stays held.
  await page.getByTestId(`outbox-retry-${messageId}`).click();
  await expect(page.getByTestId(`outbox-detail-${messageId}`)).toContainText(/no credential to be sent with: pick one on its step/);
  expect((await apiGet<{ items: Array<{ id: string; status: string }> }>(page, `/api/outbox?runId=${runId}`)).items[0]?.status).toBe('held');
  await page.screenshot({ path: 'e2e/artifacts/ops-outbox-retried.png' });
  await page.getByTestId(`outbox-run-${messageId}`).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}`));
});

test('a credential added on the credentials page is listed with where it is used, and can be deleted after a confirm', async ({ page }) => {
  await login(page);
  const flowName = `Ops creds ${Date.now()}`;
  const flowId = await publishedWebhookFlow(page, flowName);
  const flow = await apiGet<{ draft: { nodes: Array<{ config: { secret?: { credential: string } } }> } }>(page, `/api/flows/${flowId}`);
  const usedId = flow.draft.nodes[0].config.secret!.credential;

  await page.getByTestId('nav-credentials').click();
  await expect(page).toHaveURL(/\/credentials/);
  await expect(page.getByTestId(`credential-used-${usedId}`)).toContainText(flowName);

  const name = `Ops Slack ${Date.now()}`;
  await page.getByTestId('credential-add').click();
  await page.getByTestId('credential-type').selectOption('slack.webhook');
  await page.getByTestId('credential-name').fill(name);
  await page.getByTestId('credential-secret').fill('https://hooks.slack.com/services/T000/B000/XXXX');
  await page.getByTestId('credential-save').click();
  await expect(page.getByTestId('credential-add-card')).toHaveCount(0);

  const listed = await apiGet<{ items: Array<{ id: string; name: string; type: string }> }>(page, '/api/credentials');
  const created = listed.items.find((c) => c.name === name)!;
  expect(created.type).toBe('slack.webhook');
  const row = page.getByTestId(`credential-row-${created.id}`);
  await expect(row).toContainText(name);
  await expect(row).toContainText('Slack incoming webhook');
  await expect(page.getByTestId(`credential-used-${created.id}`)).toContainText('Not used');
  // Write-only: the secret is nowhere on the page.
  await expect(page.locator('body')).not.toContainText('hooks.slack.com/services/T000');
  await page.screenshot({ path: 'e2e/artifacts/ops-credentials.png' });

  await page.getByTestId(`credential-delete-${created.id}`).click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await page.getByTestId('confirm-submit').click();
  await expect(row).toHaveCount(0);
  const after = await apiGet<{ items: Array<{ id: string }> }>(page, '/api/credentials');
  expect(after.items.some((c) => c.id === created.id)).toBe(false);
});

test('settings: an admin adds a user and disables them; a token is shown once, then listed without its value, and revoked', async ({ page }) => {
  await login(page);
  await page.getByTestId('nav-settings').click();
  await expect(page).toHaveURL(/\/settings/);

  const email = `ops-${Date.now()}@example.com`;
  await page.getByTestId('user-email').fill(email);
  await page.getByTestId('user-password').fill('a-long-enough-password');
  await page.getByTestId('user-role').selectOption('reviewer');
  await page.getByTestId('user-create').click();
  await expect(page.getByTestId('users-table')).toContainText(email);

  const users = await apiGet<{ items: Array<{ id: string; email: string; role: string; disabledAt: string | null }> }>(page, '/api/users');
  const user = users.items.find((u) => u.email === email)!;
  expect(user.role).toBe('reviewer');
  await expect(page.getByTestId(`user-status-${user.id}`)).toHaveText('Active');
  await page.getByTestId(`user-toggle-${user.id}`).click();
  await expect(page.getByTestId(`user-status-${user.id}`)).toHaveText('Disabled');
  const after = await apiGet<{ items: Array<{ id: string; disabledAt: string | null }> }>(page, '/api/users');
  expect(after.items.find((u) => u.id === user.id)!.disabledAt).toBeTruthy();

  // The last active admin cannot be disabled: the server's 409 shows as a banner.
  const me = await apiGet<{ id: string }>(page, '/api/auth/me');
  const activeAdmins = after.items.filter((u) => (u as { role?: string }).role === 'admin' && !u.disabledAt);
  if (activeAdmins.length === 1) {
    await page.getByTestId(`user-toggle-${me.id}`).click();
    await expect(page.getByTestId('users-section').getByTestId('error-banner')).toContainText(/last active admin/i);
  }

  const tokenName = `ops token ${Date.now()}`;
  await page.getByTestId('token-name').fill(tokenName);
  await page.getByTestId('token-role').selectOption('viewer');
  await page.getByTestId('token-create').click();
  await expect(page.getByTestId('token-once')).toBeVisible();
  await expect(page.getByTestId('tokens-table')).toContainText(tokenName);
  const value = (await page.getByTestId('token-value').textContent())!.trim();
  expect(value.length).toBeGreaterThan(20);
  await expect(page.getByTestId('token-copy')).toBeVisible();

  // The token works, as a viewer.
  const asToken = await page.request.get('/api/auth/me', { headers: { authorization: `Bearer ${value}` } });
  expect(asToken.ok()).toBeTruthy();

  const tokens = await apiGet<{ items: Array<{ id: string; name: string; role: string }> }>(page, '/api/tokens?all=true');
  const token = tokens.items.find((t) => t.name === tokenName)!;
  expect(token.role).toBe('viewer');
  await expect(page.getByTestId(`token-row-${token.id}`)).toContainText(tokenName);
  await page.screenshot({ path: 'e2e/artifacts/ops-settings.png', fullPage: false });

  // Shown once: after a reload it is listed, its value nowhere.
  await page.reload();
  await expect(page.getByTestId(`token-row-${token.id}`)).toBeVisible();
  await expect(page.getByTestId('token-once')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(value);

  await page.getByTestId(`token-revoke-${token.id}`).click();
  await page.getByTestId('confirm-submit').click();
  await expect(page.getByTestId(`token-status-${token.id}`)).toHaveText('Revoked');
  expect((await page.request.get('/api/auth/me', { headers: { authorization: `Bearer ${value}` } })).status()).toBe(401);
});

test("a published webhook flow's trigger panel lists its deliveries: status, type, id, duplicates, via and the run", async ({ page }) => {
  await login(page);
  const flowId = await publishedWebhookFlow(page, `Ops deliveries ${Date.now()}`);

  await page.goto(`/flows/${flowId}`);
  await selectNode(page, 'hook_1');
  await expect(page.getByTestId('deliveries-empty')).toBeVisible();

  const eventId = `order_${Date.now()}`;
  const first = await sendWebhook(page, flowId, { id: eventId, email: 'client@example.com' });
  expect((await sendWebhook(page, flowId, { id: eventId, email: 'client@example.com' })).duplicate).toBe(true);

  const events = await apiGet<{ items: Array<{ eventId: string; status: string; duplicateCount: number; via: string; runId: string }> }>(page, `/api/events?flowId=${flowId}`);
  expect(events.items[0]).toMatchObject({ eventId, status: 'ran', duplicateCount: 1, via: 'hook', runId: first.runId });

  await page.reload();
  await selectNode(page, 'hook_1');
  const row = page.getByTestId(`delivery-${eventId}`);
  await expect(row).toBeVisible();
  await expect(row).toContainText('Ran');
  await expect(row).toContainText(eventId);
  await expect(row).toContainText('×1');
  await expect(row).toContainText('hook');
  await expect(page.getByTestId(`delivery-run-${eventId}`)).toHaveAttribute('href', `/runs/${first.runId}`);
  await page.screenshot({ path: 'e2e/artifacts/ops-deliveries.png' });
});

test('a viewer sees their own tokens but no users, and no Retry, Add or Delete on the ops screens', async ({ page }) => {
  await login(page);
  const viewer = { email: `viewer-${Date.now()}@example.com`, password: 'viewer-password-123' };
  await apiPost(page, '/api/users', { ...viewer, role: 'viewer' });
  await page.context().clearCookies();
  await login(page, viewer);

  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('tokens-section')).toBeVisible();
  await expect(page.getByTestId('users-section')).toHaveCount(0);
  await expect(page.getByTestId('tokens-empty')).toBeVisible();
  await expect(page.getByTestId('token-role').locator('option')).toHaveText(['viewer']);
  await page.screenshot({ path: 'e2e/artifacts/ops-settings-viewer.png' });

  await page.getByTestId('nav-credentials').click();
  await expect(page.getByTestId('credentials-table')).toBeVisible();
  await expect(page.getByTestId('credential-add')).toHaveCount(0);
  await expect(page.locator('[data-testid^="credential-delete-"]')).toHaveCount(0);

  await page.getByTestId('nav-outbox').click();
  await expect(page.getByTestId('outbox-table')).toBeVisible();
  await expect(page.locator('[data-testid^="outbox-retry-"]')).toHaveCount(0);
});
