import { createHmac } from 'node:crypto';
import { expect, Page, test } from '@playwright/test';
import { startSmtp } from '../../apps/api/test/fake-smtp';
import { E2E_ADMIN } from '../playwright.config';
import { apiPost, login } from './helpers';

/**
 * Issue #16, the operator's side: the Intakes screen (what the API holds, answers with their
 * questions, resend), and drafts against the live version (differs, discard, history, restore).
 */

const SECRET = 'e2e-intakes-webhook-secret-0123456789';

async function apiGet<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(path);
  expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}

interface ApiIntake {
  id: string;
  status: string;
  url: string | null;
  message: { status: string; count: number } | null;
  canResend: boolean;
}

/** A published webhook flow whose intake step e-mails the client named in the delivery. */
async function publishedIntakeFlow(page: Page, name: string, smtpCredential?: string): Promise<string> {
  const secret = await apiPost<{ id: string }>(page, '/api/credentials', { type: 'webhook.secret', name: `${name} secret`, secret: SECRET });
  const flow = await apiPost<{ id: string }>(page, '/api/flows', {
    schema: 'handoff.flow/1',
    name,
    nodes: [
      { id: 'hook', type: 'webhook.trigger', position: { x: 0, y: 0 }, config: { secret: { credential: secret.id }, idField: 'id' } },
      {
        id: 'intake',
        type: 'intake.start',
        position: { x: 300, y: 0 },
        config: {
          email: '{{ trigger.body.email }}',
          name: '{{ trigger.body.name }}',
          customerId: '',
          ...(smtpCredential ? { credential: { credential: smtpCredential } } : {}),
          fields: [
            { name: 'company', label: 'Legal company name', required: true },
            { name: 'kickoff', label: 'When should we start?', required: false },
          ],
        },
      },
    ],
    edges: [{ id: 'e1', source: 'hook', sourcePort: 'out', target: 'intake' }],
  });
  await apiPost(page, `/api/flows/${flow.id}/publish`, { note: 'intakes e2e' });
  return flow.id;
}

async function deliver(page: Page, flowId: string, body: object): Promise<void> {
  const raw = JSON.stringify(body);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', SECRET).update(`${t}.${raw}`).digest('hex');
  const res = await page.request.post(`/hooks/webhook/${flowId}`, { data: raw, headers: { 'content-type': 'application/json', 'x-handoff-signature': `t=${t},v1=${v1}` } });
  expect(res.status(), await res.text()).toBe(200);
}

async function intakeOf(page: Page, email: string, until: (i: ApiIntake) => boolean = () => true): Promise<ApiIntake> {
  let found: ApiIntake | undefined;
  await expect
    .poll(async () => {
      found = (await apiGet<{ items: ApiIntake[] }>(page, `/api/intakes?q=${encodeURIComponent(email)}`)).items[0];
      return !!found && until(found);
    }, { timeout: 20_000 })
    .toBe(true);
  return found!;
}

test('the Intakes screen shows an intake a real run created, and the client’s answers with the form’s questions', async ({ page, browser }) => {
  test.setTimeout(90_000);
  await login(page);
  const stamp = Date.now();
  const flowName = `Intake e2e ${stamp}`;
  const email = `intake-${stamp}@example.com`;
  const dealTitle = `Globex onboarding ${stamp}`;
  await apiPost(page, '/api/crm/deals', { title: dealTitle, contact: { email, name: 'Hank Scorpio' }, stage: 'paid_won', amount: 480000, currency: 'usd', recordType: 'profit' });
  const flowId = await publishedIntakeFlow(page, flowName);
  await deliver(page, flowId, { id: `order_${stamp}`, email, name: 'Hank Scorpio' });
  const intake = await intakeOf(page, email);
  expect(intake.url).toMatch(/\/intake\/[A-Za-z0-9_-]{43}$/);

  await page.getByTestId('nav-intakes').click();
  await expect(page).toHaveURL(/\/intakes/);
  await page.getByTestId('intake-search').fill(email);
  const row = page.getByTestId(`intake-row-${intake.id}`);
  await expect(page.getByTestId('intakes-table').locator('tbody tr')).toHaveCount(1);
  await expect(row).toContainText('Hank Scorpio');
  await expect(row).toContainText(email);
  await expect(row).toContainText(dealTitle);
  await expect(row).toContainText(flowName);
  await expect(page.getByTestId(`intake-status-${intake.id}`)).toHaveText('Sent');
  await expect(page.getByTestId(`intake-copy-${intake.id}`)).toBeVisible();
  // The e-mail is held (no SMTP credential): nothing to resend here; the Outbox retries it.
  await expect(page.getByTestId(`intake-resend-${intake.id}`)).toHaveCount(0);
  // The status cell: the client, deal and flow cells hold links of their own.
  const expand = () => row.locator('td').first().click();
  await expand();
  const detail = page.getByTestId(`intake-detail-${intake.id}`);
  await expect(page.getByTestId(`intake-questions-${intake.id}`)).toContainText('Legal company name');
  await expect(page.getByTestId(`intake-url-${intake.id}`)).toHaveText(intake.url!);
  await expect(detail).toContainText('has no e-mail credential');
  await page.screenshot({ path: 'e2e/artifacts/ops-intakes-sent.png' });

  // The client answers through the public link, in their own browser.
  const client = await browser.newContext();
  const form = await client.newPage();
  const link = `/intake/${intake.url!.split('/intake/')[1]}`;
  await form.goto(link);
  await form.getByTestId('intake-company').fill('Globex Corporation');
  await form.getByTestId('intake-kickoff').fill('After the volcano lair is finished');
  await form.getByTestId('intake-submit').click();
  await expect(form.getByTestId('intake-done')).toBeVisible();
  // Opening the link again says the answers arrived, not that the link is bad.
  await form.goto(link);
  await expect(form.getByTestId('intake-done')).toContainText('We have your answers');
  await expect(form.getByTestId('intake-invalid')).toHaveCount(0);
  await client.close();

  await page.getByTestId('intake-filter-submitted').click();
  await expect(page.getByTestId(`intake-status-${intake.id}`)).toHaveText('Submitted', { timeout: 20_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await expand();
  const answers = detail.getByTestId('intake-answers');
  await expect(answers.getByTestId('intake-answer-company')).toContainText('Legal company name');
  await expect(answers.getByTestId('intake-answer-company')).toContainText('Globex Corporation');
  await expect(answers.getByTestId('intake-answer-kickoff')).toContainText('When should we start?');
  await expect(answers.getByTestId('intake-answer-kickoff')).toContainText('After the volcano lair is finished');
  await page.screenshot({ path: 'e2e/artifacts/ops-intakes-answers.png' });
});

test('an intake e-mailed through SMTP can be sent again from the Intakes screen, same link', async ({ page }) => {
  test.setTimeout(90_000);
  const smtp = await startSmtp();
  try {
    await login(page);
    const stamp = Date.now();
    const email = `resend-${stamp}@example.com`;
    const mail = await apiPost<{ id: string }>(page, '/api/credentials', {
      type: 'smtp',
      name: `Intake SMTP ${stamp}`,
      secret: { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, from: 'onboarding@example.com' },
    });
    const flowId = await publishedIntakeFlow(page, `Mailed intake ${stamp}`, mail.id);
    await deliver(page, flowId, { id: `order_${stamp}`, email, name: 'Lisa' });
    const intake = await intakeOf(page, email, (i) => i.message?.status === 'sent');
    expect(intake.canResend).toBe(true);

    await page.goto(`/intakes?q=${encodeURIComponent(email)}`);
    await page.getByTestId(`intake-resend-${intake.id}`).click();
    await expect(page.getByTestId(`intake-resent-${intake.id}`)).toBeVisible();
    await expect.poll(() => smtp.mails.filter((m) => m.to.includes(email)).length, { timeout: 20_000 }).toBe(2);
    const token = intake.url!.split('/intake/')[1];
    for (const m of smtp.mails.filter((x) => x.to.includes(email))) expect(m.raw.replace(/=\r\n/g, '')).toContain(token);
    const after = await intakeOf(page, email, (i) => i.message?.count === 2);
    expect(after.message?.count).toBe(2);

    // A viewer sees the intake, but not its link, and cannot resend it.
    const viewer = { email: `intake-viewer-${stamp}@example.com`, password: 'viewer-password-123' };
    await apiPost(page, '/api/users', { ...viewer, role: 'viewer' });
    await page.context().clearCookies();
    await login(page, viewer);
    await page.goto(`/intakes?q=${encodeURIComponent(email)}`);
    await expect(page.getByTestId(`intake-link-masked-${intake.id}`)).toHaveText('Link hidden');
    await expect(page.getByTestId(`intake-copy-${intake.id}`)).toHaveCount(0);
    await expect(page.getByTestId(`intake-resend-${intake.id}`)).toHaveCount(0);
    await page.getByTestId(`intake-row-${intake.id}`).locator('td').first().click();
    await expect(page.getByTestId(`intake-url-${intake.id}`)).not.toContainText(token);
    await page.screenshot({ path: 'e2e/artifacts/ops-intakes-viewer.png' });
  } finally {
    await smtp.stop();
  }
});

test('the editor says when the draft differs from live, discards it, and version history shows who, a diff and restores', async ({ page }) => {
  test.setTimeout(90_000);
  await login(page);
  const stamp = Date.now();
  const name = `Versions e2e ${stamp}`;
  const trigger = { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} };
  const check = { id: 'check', type: 'branch', position: { x: 300, y: 0 }, config: { condition: "trigger.plan = 'pro'" } };
  const wait = { id: 'wait', type: 'delay', position: { x: 600, y: 0 }, config: { duration: 'PT1H' } };
  const e1 = { id: 'e1', source: 'start', sourcePort: 'out', target: 'check' };
  const flow = await apiPost<{ id: string }>(page, '/api/flows', { schema: 'handoff.flow/1', name, nodes: [trigger, check], edges: [e1] });
  await apiPost(page, `/api/flows/${flow.id}/publish`, { note: 'first cut' });
  const put = await page.request.put(`/api/flows/${flow.id}`, {
    data: { schema: 'handoff.flow/1', name, nodes: [trigger, { ...check, config: { condition: "trigger.plan = 'team'" } }, wait], edges: [e1, { id: 'e2', source: 'check', sourcePort: 'true', target: 'wait' }] },
    headers: { 'x-handoff-csrf': '1' },
  });
  expect(put.ok()).toBeTruthy();
  await apiPost(page, `/api/flows/${flow.id}/publish`, { note: 'wait an hour for team plans' });

  await page.goto(`/flows/${flow.id}`);
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  await expect(page.getByTestId('discard-draft')).toHaveCount(0);

  // A saved change the live version does not have.
  await page.getByTestId('flow-name').fill(`${name} (renamed)`);
  await page.getByTestId('save').click();
  await expect(page.getByTestId('save-state')).toHaveText('Draft differs from live v2');
  await page.screenshot({ path: 'e2e/artifacts/ops-draft-differs.png' });
  await page.getByTestId('discard-draft').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('go back to live v2');
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Discard draft' }).click();
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  await expect(page.getByTestId('flow-name')).toHaveValue(name);
  expect((await apiGet<{ name: string; draftDiffers: boolean }>(page, `/api/flows/${flow.id}`)).draftDiffers).toBe(false);

  // History: who published each version, and what the draft changed since v1.
  await page.getByTestId('more-menu').click();
  await page.getByTestId('versions').click();
  const dialog = page.getByTestId('versions-dialog');
  await expect(dialog.getByTestId('version-by-2')).toContainText(`by ${E2E_ADMIN.email}`);
  await expect(dialog.getByTestId('version-by-1')).toContainText(`by ${E2E_ADMIN.email}`);
  await dialog.getByTestId('version-compare-1').click();
  const diff = dialog.getByTestId('version-diff-1');
  await expect(diff).toContainText('Step added: Delay (wait)');
  await expect(diff).toContainText('Step changed: Branch (check): condition');
  await expect(diff).toContainText('Connection added: check [true] → wait');
  await dialog.getByTestId('version-compare-2').click();
  await expect(dialog.getByTestId('version-diff-2')).toHaveText('The draft is the same as this version.');
  await dialog.getByTestId('version-compare-1').click();
  await page.screenshot({ path: 'e2e/artifacts/ops-version-history.png' });

  // Restore v1 into the draft: the canvas shows it, live stays v2 until published.
  await dialog.getByTestId('version-restore-1').click();
  await dialog.getByTestId('version-restore-yes-1').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('node-wait')).toHaveCount(0);
  await expect(page.getByTestId('node-check')).toBeVisible();
  await expect(page.getByTestId('save-state')).toHaveText('Draft differs from live v2');
  const saved = await apiGet<{ publishedVersion: number; draft: { nodes: unknown[] } }>(page, `/api/flows/${flow.id}`);
  expect(saved.publishedVersion).toBe(2);
  expect(saved.draft.nodes).toHaveLength(2);
  await page.screenshot({ path: 'e2e/artifacts/ops-version-restored.png' });
});

test('a Slack step shows Slack’s mark, run steps use the canvas labels, and a long side panel scrolls inside itself', async ({ page }) => {
  test.setTimeout(90_000);
  await login(page);
  const stamp = Date.now();
  const flow = await apiPost<{ id: string }>(page, '/api/flows', {
    schema: 'handoff.flow/1',
    name: `Labels e2e ${stamp}`,
    nodes: [
      { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} },
      { id: 'tell', type: 'notify', label: 'Tell sales', position: { x: 300, y: 0 }, config: { channel: 'slack', to: '#sales', text: 'New client' } },
      { id: 'intake', type: 'intake.start', label: 'Send the onboarding form', position: { x: 600, y: 0 }, config: { email: `labels-${stamp}@example.com` } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'out', target: 'tell' },
      { id: 'e2', source: 'tell', sourcePort: 'out', target: 'intake' },
    ],
  });
  const { runId } = await apiPost<{ runId: string }>(page, `/api/flows/${flow.id}/test-run`, { payload: {} });
  await expect.poll(async () => (await apiGet<{ status: string }>(page, `/api/runs/${runId}`)).status, { timeout: 20_000 }).toBe('succeeded');

  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId('timeline-tell')).toContainText('Tell sales');
  await expect(page.getByTestId('timeline-intake')).toContainText('Send the onboarding form');

  await page.goto(`/flows/${flow.id}`);
  await expect(page.getByTestId('node-tell').locator('[data-icon="slack"]')).toBeVisible();
  await expect(page.getByTestId('node-intake').locator('[data-icon="slack"]')).toHaveCount(0);
  await page.getByTestId('node-intake').click({ position: { x: 20, y: 12 } });
  const panel = page.locator('.side-panel');
  await expect(page.getByTestId('config-panel')).toBeVisible();
  const sizes = await panel.evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight, page: document.scrollingElement!.scrollHeight, view: window.innerHeight }));
  expect(sizes.scroll).toBeGreaterThan(sizes.client);
  expect(sizes.page).toBeLessThanOrEqual(sizes.view);
  await panel.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect.poll(() => panel.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await expect(page.getByTestId('editor-toolbar')).toBeInViewport();
  await page.screenshot({ path: 'e2e/artifacts/ops-side-panel-scrolled.png' });
});

test('with no flow yet, the flow list offers the templates as cards, and one click makes a draft of one', async ({ page }) => {
  test.setTimeout(90_000);
  await login(page);
  // Every e2e test makes its own flows; clear them to see the list as a new team does.
  for (;;) {
    const { items } = await apiGet<{ items: Array<{ id: string }> }>(page, '/api/flows');
    if (!items.length) break;
    for (const f of items) expect((await page.request.delete(`/api/flows/${f.id}`, { headers: { 'x-handoff-csrf': '1' } })).status()).toBe(204);
  }
  await page.goto('/flows');
  await expect(page.getByTestId('flows-empty')).toBeVisible();
  const card = page.getByTestId('template-card-payment-to-onboarding');
  await expect(card).toContainText('Stripe payment');
  await page.screenshot({ path: 'e2e/artifacts/ops-template-cards.png' });
  await page.getByTestId('template-use-payment-to-onboarding').click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}/);
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.getByTestId('flow-name')).not.toHaveValue('');
});
