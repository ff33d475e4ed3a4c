import { expect, Locator, Page, test } from '@playwright/test';
import { E2E_ADMIN } from '../playwright.config';
import { apiPost, login } from './helpers';

/**
 * The built-in CRM as the shared workplace: sales create and move deals on the board, flows
 * react and give out tasks, the client's intake answers land on the deal, and everyone reads
 * one timeline. Flows are created through the API (the editor has its own tests) and paused
 * when a test ends, so they do not react to the deals of other test files.
 */

interface FlowNode {
  id: string;
  type: string;
  config: Record<string, unknown>;
}
interface TimelineRun {
  kind: string;
  runId: string;
  status: string;
  flowName: string | null;
}

const published: string[] = [];

/** A published flow: the nodes in a row, each connected to the next from its `out` (or `true`) port. */
async function publishFlow(page: Page, name: string, nodes: FlowNode[]): Promise<string> {
  const doc = {
    schema: 'handoff.flow/1',
    name,
    nodes: nodes.map((n, i) => ({ ...n, position: { x: i * 280, y: 100 } })),
    edges: nodes.slice(1).map((n, i) => ({ id: `e${i + 1}`, source: nodes[i].id, sourcePort: nodes[i].type === 'branch' ? 'true' : 'out', target: n.id })),
  };
  const flow = await apiPost<{ id: string }>(page, '/api/flows', doc);
  await apiPost(page, `/api/flows/${flow.id}/publish`, { note: 'e2e' });
  published.push(flow.id);
  return flow.id;
}

test.afterEach(async ({ page }) => {
  while (published.length) {
    const id = published.pop()!;
    await page.request.post(`/api/flows/${id}/pause`, { headers: { 'x-handoff-csrf': '1' } });
  }
});

/** Drags with the real mouse, as a person would: press on the card, move over the column, let go. */
async function dragTo(page: Page, card: Locator, column: Locator, screenshot?: string): Promise<void> {
  const from = (await card.boundingBox())!;
  const to = (await column.boundingBox())!;
  await page.mouse.move(from.x + 8, from.y + 8);
  await page.mouse.down();
  await page.mouse.move(from.x + 40, from.y + 30, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + 80, { steps: 12 });
  if (screenshot) {
    await expect(column).toHaveClass(/is-over/);
    await page.screenshot({ path: screenshot });
  }
  await page.mouse.up();
}

/** The deal's timeline runs as the API has them, once `ready` holds. */
async function runsOfDeal(page: Page, dealId: string, ready: (runs: TimelineRun[]) => boolean): Promise<TimelineRun[]> {
  let runs: TimelineRun[] = [];
  await expect
    .poll(
      async () => {
        const deal = await (await page.request.get(`/api/crm/deals/${dealId}`)).json();
        runs = (deal.timeline as TimelineRun[]).filter((e) => e.kind === 'run');
        return ready(runs);
      },
      { timeout: 30_000, intervals: [250, 500, 1000] },
    )
    .toBe(true);
  return runs;
}

test('a deal created with the board’s form and dragged to Paid / won shows the move by me, and the flow it started, on its page', async ({ page }) => {
  test.setTimeout(90_000);
  await login(page);
  const stamp = Date.now();
  const flowName = `Won deal hand-off ${stamp}`;
  await publishFlow(page, flowName, [
    { id: 'won', type: 'crm.trigger', config: { on: 'deal.stage_changed', stage: 'paid_won' } },
    { id: 'big', type: 'branch', config: { condition: 'trigger.deal.amount >= 100000' } },
  ]);

  // Sales' view of the board: leads, proposals and won deals.
  await page.getByTestId('nav-board').click();
  await page.getByTestId('board-view-sales').click();
  await expect(page).toHaveURL(/view=sales/);
  await expect(page.locator('[data-testid^="board-col-"]')).toHaveCount(3);

  await page.getByTestId('new-deal').click();
  const dialog = page.getByTestId('new-deal-dialog');
  await expect(dialog).toBeVisible();
  const title = `Globex rollout ${stamp}`;
  await dialog.getByTestId('deal-form-email').fill(`globex-${stamp}@example.com`);
  await dialog.getByTestId('deal-form-name').fill('Grace Globex');
  await dialog.getByTestId('deal-form-stage').selectOption({ label: 'Proposal' });
  await dialog.getByTestId('deal-form-title').fill(title);
  await dialog.getByTestId('deal-form-amount').fill('1,250.50');
  await expect(dialog.getByTestId('deal-form-amount-preview')).toHaveText('$1,250.50');
  await dialog.getByTestId('deal-form-product').fill('Onboarding package');
  await dialog.getByTestId('deal-form-record-type-nonprofit').click();
  await page.screenshot({ path: 'e2e/artifacts/crm-new-deal.png' });
  await dialog.getByTestId('new-deal-submit').click();
  await expect(dialog).toBeHidden();

  // The card is in Proposal, the amount stored in cents and shown in dollars.
  const card = page.getByTestId('board-col-proposal').locator('article.deal', { hasText: title });
  await expect(card).toBeVisible();
  await expect(card).toContainText('$1,250.50');
  await expect(card.getByTestId('deal-record-type')).toHaveText('Nonprofit');
  const dealId = (await card.getAttribute('data-testid'))!.replace('deal-', '');
  const created = await (await page.request.get(`/api/crm/deals/${dealId}`)).json();
  expect(created).toMatchObject({ title, stage: 'proposal', amount: 125050, currency: 'usd', recordType: 'nonprofit', contact: { name: 'Grace Globex' } });

  await dragTo(page, card, page.getByTestId('board-col-paid_won'), 'e2e/artifacts/crm-board-drag.png');
  const won = page.getByTestId('board-col-paid_won').getByTestId(`deal-${dealId}`);
  await expect(won).toBeVisible();
  await expect(page.getByTestId('board-col-proposal').getByTestId(`deal-${dealId}`)).toHaveCount(0);
  await expect.poll(async () => (await (await page.request.get(`/api/crm/deals/${dealId}`)).json()).stage).toBe('paid_won');
  await page.screenshot({ path: 'e2e/artifacts/crm-board.png' });
  await page.getByTestId('board-view-all').click();
  await expect(page.getByTestId('board-col-paid_won').getByTestId(`deal-${dealId}`)).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/crm-board-all.png' });

  // Its page: the move with who made it, and the run of the flow the move started.
  await won.getByTestId('deal-link').click();
  await expect(page).toHaveURL(new RegExp(`/deals/${dealId}$`));
  await expect(page.getByTestId('deal-title')).toHaveText(title);
  await expect(page.getByTestId('deal-stage')).toHaveValue('paid_won');
  const move = page.getByTestId('timeline-stage').first();
  await expect(move).toContainText('Moved Proposal → Paid / won');
  await expect(move.getByTestId('timeline-actor')).toHaveText(`by ${E2E_ADMIN.email}`);
  await expect(page.getByTestId('timeline-created')).toContainText(`Created in Proposal`);
  const run = page.getByTestId('timeline-run').filter({ hasText: flowName });
  await expect(run).toContainText('on deal.stage_changed');
  await expect(run).toContainText('Succeeded', { timeout: 20_000 });
  // Flows other specs published may also run on this deal: take this flow's run.
  const { runId } = (await runsOfDeal(page, dealId, (runs) => runs.some((r) => r.flowName === flowName))).find((r) => r.flowName === flowName)!;
  await expect(run.getByTestId('timeline-run-link')).toHaveAttribute('href', `/runs/${runId}`);
  await page.screenshot({ path: 'e2e/artifacts/crm-deal-page.png' });

  // The keyboard way: the stage select moves it too, and the timeline follows.
  await page.getByTestId('deal-stage').selectOption({ label: 'Onboarding' });
  await expect(page.getByTestId('timeline-stage').first()).toContainText('Moved Paid / won → Onboarding');

  // Editing in place sends only what changed: the amount, typed in dollars.
  await page.getByTestId('deal-edit').click();
  await page.getByTestId('deal-form-amount').fill('1400');
  await page.getByTestId('deal-edit-save').click();
  await expect(page.getByTestId('deal-amount')).toHaveText('$1,400.00');
  await expect(page.getByTestId('timeline-updated').first()).toContainText('Changed amount');

  await run.getByTestId('timeline-run-link').click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.getByTestId('run-status')).toContainText(/succeeded/i);
});

test('a flow’s crm.createTask step gives me a task that shows up under My tasks live, and I mark it done', async ({ page }) => {
  test.setTimeout(90_000);
  await login(page);
  const stamp = Date.now();
  const flowName = `New lead call ${stamp}`;
  await publishFlow(page, flowName, [
    { id: 'lead', type: 'crm.trigger', config: { on: 'deal.created', stage: 'lead' } },
    { id: 'call', type: 'crm.createTask', config: { title: 'Call {{ trigger.deal.contact.name }} about {{ trigger.deal.title }}', assignee: E2E_ADMIN.email, dueIn: 'P1D', dealId: '{{ trigger.deal.id }}' } },
  ]);

  // One I forgot about: given yesterday, due an hour ago.
  const late = await apiPost<{ id: string }>(page, '/api/crm/tasks', { title: `Send the contract ${stamp}`, assignee: E2E_ADMIN.email, dueAt: new Date(Date.now() - 3_600_000).toISOString() });

  await page.getByTestId('nav-my-tasks').click();
  await expect(page.getByTestId(`task-${late.id}`).getByTestId('task-overdue')).toHaveText('Overdue');

  // A lead comes in while I look at my tasks: the flow's task appears without a reload.
  const dealTitle = `Initech pilot ${stamp}`;
  const deal = await apiPost<{ id: string }>(page, '/api/crm/deals', { title: dealTitle, contact: { email: `initech-${stamp}@example.com`, name: 'Peter Initech' }, stage: 'lead', amount: 50000, currency: 'usd' });
  const task = page.locator('[data-testid^="task-"][data-status]', { hasText: `Call Peter Initech about ${dealTitle}` });
  await expect(task).toBeVisible({ timeout: 20_000 });
  await expect(task.getByTestId('task-deal-link')).toHaveText(dealTitle);
  await expect(task.getByTestId('task-deal-link')).toHaveAttribute('href', `/deals/${deal.id}`);
  await expect(task.getByTestId('task-due')).toContainText('Due');
  await expect(task.getByTestId('task-overdue')).toHaveCount(0);
  // The overdue one comes first.
  await expect(page.getByTestId('my-tasks').locator('li').first()).toHaveAttribute('data-testid', `task-${late.id}`);
  await page.screenshot({ path: 'e2e/artifacts/crm-my-tasks.png' });

  await task.getByTestId('task-done').click();
  await expect(task).toHaveCount(0);
  await page.getByTestId('tasks-tab-done').click();
  const done = page.locator('[data-testid^="task-"][data-status="done"]', { hasText: `Call Peter Initech about ${dealTitle}` });
  await expect(done).toBeVisible();
  await expect(done).toContainText(`by ${E2E_ADMIN.email}`);
  const tasks = await (await page.request.get(`/api/crm/tasks?dealId=${deal.id}`)).json();
  expect(tasks.items).toHaveLength(1);
  expect(tasks.items[0]).toMatchObject({ status: 'done', completedBy: E2E_ADMIN.email, createdBy: { type: 'run' } });

  // On the deal's page: the task, given by the flow, done.
  await done.getByTestId('task-deal-link').click();
  const entry = page.getByTestId('timeline-task');
  await expect(entry).toContainText(`Task for ${E2E_ADMIN.email}: Call Peter Initech about ${dealTitle}`);
  await expect(entry.getByTestId('timeline-actor')).toContainText(`by flow ${flowName} (run `);
  await expect(page.getByTestId('deal-tasks').locator('[data-status="done"]')).toHaveCount(1);

  // And one added by hand, for me, from the deal page.
  await page.getByTestId('add-task').click();
  await page.getByTestId('task-form-title').fill('Book the kickoff room');
  await page.getByTestId('task-add-submit').click();
  await expect(page.getByTestId('deal-tasks').locator('[data-status="open"]')).toContainText('Book the kickoff room');
  await expect(page.getByTestId('timeline-task').filter({ hasText: 'Book the kickoff room' }).getByTestId('timeline-actor')).toHaveText(`by ${E2E_ADMIN.email}`);

  // Off my list, so a later test (or a repeat of this one) starts with no overdue task of mine.
  const off = await page.request.patch(`/api/crm/tasks/${late.id}`, { data: { status: 'done' }, headers: { 'x-handoff-csrf': '1' } });
  expect(off.ok()).toBeTruthy();
});

test('the intake answers a client submits on the public form are readable on the deal page, as they arrive', async ({ page, browser }) => {
  test.setTimeout(90_000);
  await login(page);
  const stamp = Date.now();
  const flowName = `Won deal intake ${stamp}`;
  await publishFlow(page, flowName, [
    { id: 'won', type: 'crm.trigger', config: { on: 'deal.created', stage: 'paid_won' } },
    { id: 'intake', type: 'intake.start', config: { email: '{{ trigger.deal.contact.email }}', name: '{{ trigger.deal.contact.name }}', customerId: '' } },
  ]);
  const email = `umbrella-${stamp}@example.com`;
  const deal = await apiPost<{ id: string }>(page, '/api/crm/deals', { title: `Umbrella onboarding ${stamp}`, contact: { email, name: 'Alice Umbrella' }, stage: 'paid_won', amount: 250000, currency: 'eur', recordType: 'profit' });

  // The run sent the client their form link (held in the outbox here: no SMTP credential).
  const ours = (r: TimelineRun) => r.flowName === flowName && r.status === 'succeeded';
  const { runId } = (await runsOfDeal(page, deal.id, (runs) => runs.some(ours))).find(ours)!;
  const run = await (await page.request.get(`/api/runs/${runId}`)).json();
  const url: string = run.steps.find((s: { nodeId: string }) => s.nodeId === 'intake').output.url;
  expect(url).toMatch(/\/intake\/[A-Za-z0-9_-]{43}$/);

  await page.goto(`/deals/${deal.id}`);
  await expect(page.getByTestId('timeline-intake')).toContainText('Intake form sent to the client');

  // The client, in their own browser, without an account.
  const client = await browser.newContext();
  const form = await client.newPage();
  await form.goto(`/intake/${url.split('/intake/')[1]}`);
  await expect(form.getByTestId('intake-form')).toContainText('Welcome, Alice Umbrella');
  await form.getByTestId('intake-company').fill('Umbrella Corporation');
  await form.getByTestId('intake-primaryContact').fill('Alice, alice@umbrella.example');
  await form.getByTestId('intake-kickoffDate').fill('2027-01-11');
  await form.getByTestId('intake-notes').fill('Two offices.\nStart with Raccoon City.');
  await form.getByTestId('intake-submit').click();
  await expect(form.getByTestId('intake-done')).toBeVisible();
  await client.close();

  // Staff see it arrive on the open deal page, no reload: question by question, and the move it made.
  const intake = page.getByTestId('timeline-intake');
  await expect(intake).toContainText('The client answered the intake form', { timeout: 15_000 });
  const answers = intake.getByTestId('intake-answers');
  await expect(answers.getByTestId('intake-answer-company')).toContainText('Company');
  await expect(answers.getByTestId('intake-answer-company')).toContainText('Umbrella Corporation');
  await expect(answers.getByTestId('intake-answer-primaryContact')).toContainText('Primary contact');
  await expect(answers.getByTestId('intake-answer-primaryContact')).toContainText('Alice, alice@umbrella.example');
  await expect(answers.getByTestId('intake-answer-kickoffDate')).toContainText('Preferred kickoff date');
  await expect(answers.getByTestId('intake-answer-notes')).toContainText('Start with Raccoon City.');
  const moved = page.getByTestId('timeline-stage').first();
  await expect(moved).toContainText('Moved Paid / won → Onboarding');
  await expect(moved.getByTestId('timeline-actor')).toHaveText('by the client');
  await expect(page.getByTestId('deal-stage')).toHaveValue('onboarding');
  await intake.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'e2e/artifacts/crm-deal-intake.png' });

  // The contact page lists the deal.
  await page.getByTestId('deal-contact-link').click();
  await expect(page.getByTestId('contact-name')).toHaveText('Alice Umbrella');
  await expect(page.getByTestId('contact-deals')).toContainText(`Umbrella onboarding ${stamp}`);
  await page.getByTestId('nav-contacts').click();
  await page.getByTestId('contacts-search').fill(email);
  await expect(page.getByTestId('contacts-table').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('contacts-table')).toContainText('Alice Umbrella');
});
