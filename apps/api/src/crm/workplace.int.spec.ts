import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { openStream } from '../../test/sse';

interface Task {
  id: string;
  title: string;
  assignee: string;
  status: string;
  dueAt: string | null;
  overdue: boolean;
  dealId: string | null;
  createdBy: { type: string; id: string };
  runId: string | null;
}

describe('the CRM as a workplace: tasks, timeline, contacts, live changes', () => {
  let app: TestApp;
  let api: HttpClient;
  let sales: HttpClient;
  let viewer: HttpClient;
  let h: ReturnType<typeof flowHelpers>;

  const newDeal = async (email: string) =>
    (await api.post<{ id: string }>('/api/crm/deals', { title: 'Acme', contact: { email, name: 'Ada' }, stage: 'lead', amount: 50000, currency: 'usd' })).body;

  beforeAll(async () => {
    app = await startTestApp();
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
    await api.post('/api/users', { email: 'sam@example.com', password: 'sales-password-1', role: 'viewer' });
    await api.post('/api/users', { email: 'vic@example.com', password: 'viewer-password-1', role: 'viewer' });
    sales = await new HttpClient(app.url).login('sam@example.com', 'sales-password-1');
    viewer = await new HttpClient(app.url).login('vic@example.com', 'viewer-password-1');
  });
  afterAll(() => app?.close());

  it('creates tasks, lists "my tasks" with overdue state, and lets the assignee (not others) complete one', async () => {
    const deal = await newDeal('tasks@example.com');
    const late = await api.post<Task>('/api/crm/tasks', { dealId: deal.id, title: 'Send the contract', assignee: 'Sam@Example.com', dueAt: '2020-01-01T09:00:00Z' });
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ assignee: 'sam@example.com', status: 'open', overdue: true, dealId: deal.id, createdBy: { type: 'user', id: 'admin@example.com' } });
    await api.post('/api/crm/tasks', { title: 'Later', assignee: 'sam@example.com', dueAt: '2999-01-01T09:00:00Z' });
    await api.post('/api/crm/tasks', { title: 'Not mine', assignee: 'other@example.com' });

    const mine = await sales.get<{ items: Task[] }>('/api/crm/tasks?assignee=me&status=open');
    expect(mine.body.items.map((t) => [t.title, t.overdue])).toEqual([
      ['Later', false],
      ['Send the contract', true],
    ]);
    expect((await viewer.patch(`/api/crm/tasks/${late.body.id}`, { status: 'done' })).status).toBe(403);
    const done = await sales.patch<Task & { completedBy: string }>(`/api/crm/tasks/${late.body.id}`, { status: 'done' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', overdue: false, completedBy: 'sam@example.com' });
    expect((await sales.get<{ items: Task[] }>('/api/crm/tasks?assignee=me&status=open')).body.items.map((t) => t.title)).toEqual(['Later']);

    const bad = await api.post<{ message: string }>('/api/crm/tasks', { title: '', assignee: 'nobody', dueAt: 'tomorrow' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/title/);
    expect(bad.body.message).toMatch(/assignee/);
    expect(bad.body.message).toMatch(/dueAt/);
    expect((await api.post('/api/crm/tasks', { dealId: '00000000-0000-4000-8000-000000000000', title: 'x', assignee: 'a@example.com' })).status).toBe(404);
    expect((await viewer.post('/api/crm/tasks', { title: 'x', assignee: 'a@example.com' })).status).toBe(403);
  });

  it('a flow’s crm.createTask gives the assignee a task on the deal, due later, and queues them a notice', async () => {
    const flowId = await h.createFlow(
      flow('Follow up', [
        node('deal', 'crm.trigger', { on: 'deal.stage_changed', stage: 'paid_won' }),
        node('task', 'crm.createTask', { title: 'Kick-off call with {{ trigger.deal.contact.name }}', assignee: 'sam@example.com', dueIn: 'PT4H', dealId: '{{ trigger.deal.id }}' }, 260),
      ], [edge('deal', 'task')]),
    );
    await h.publish(flowId);
    const deal = await newDeal('won@example.com');
    expect((await api.post(`/api/crm/deals/${deal.id}/stage`, { stage: 'paid_won' })).status).toBe(200);
    const task = await eventually(async () => (await sales.get<{ items: Task[] }>(`/api/crm/tasks?assignee=me&dealId=${deal.id}`)).body.items[0], 15_000, 'the task');
    expect(task).toMatchObject({ title: 'Kick-off call with Ada', status: 'open', overdue: false, createdBy: { type: 'run' } });
    const hours = (Date.parse(task.dueAt!) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(3.5);
    expect(hours).toBeLessThan(4.1);
    const outbox = await api.get<{ items: Array<{ runId: string; recipient: string; subject: string; status: string }> }>('/api/outbox');
    expect(outbox.body.items.find((o) => o.runId === task.runId)).toMatchObject({ recipient: 'sam@example.com', subject: 'New task: Kick-off call with Ada', status: 'held' });
  });

  it('tells the deal’s story in one timeline: creation, edits, stage moves with who did them, runs, tasks', async () => {
    const flowId = await h.createFlow(flow('Mark', [node('deal', 'crm.trigger', { on: 'deal.created' }), node('mark', 'crm.updateDeal', { dealId: '{{ trigger.deal.id }}', stage: 'proposal', customerId: '', email: '', name: '', amount: '', currency: '', product: '', objectId: '' }, 260)], [edge('deal', 'mark')]));
    await h.publish(flowId);
    const deal = await newDeal('story@example.com');
    const run = await eventually(async () => (await api.get<{ items: Array<{ id: string; status: string }> }>(`/api/runs?flowId=${flowId}`)).body.items.find((r) => r.status === 'succeeded'), 15_000, 'the run');
    await api.patch(`/api/crm/deals/${deal.id}`, { amount: 65000 });
    await api.post(`/api/crm/deals/${deal.id}/stage`, { stage: 'paid_won' });
    await api.post('/api/crm/tasks', { dealId: deal.id, title: 'Invoice follow-up', assignee: 'fin@example.com' });
    const { body } = await api.get<{ timeline: Array<Record<string, unknown>> }>(`/api/crm/deals/${deal.id}`);
    const kinds = body.timeline.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['created', 'stage', 'updated', 'run', 'task']));
    expect(body.timeline.find((e) => e.kind === 'created')).toMatchObject({ stage: 'lead', by: { type: 'user', id: 'admin@example.com' } });
    expect(body.timeline.filter((e) => e.kind === 'stage')).toEqual([
      expect.objectContaining({ from: 'proposal', to: 'paid_won', by: { type: 'user', id: 'admin@example.com' } }),
      expect.objectContaining({ from: 'lead', to: 'proposal', by: { type: 'run', id: run.id, flowName: 'Mark' } }),
    ]);
    expect(body.timeline.find((e) => e.kind === 'updated')).toMatchObject({ changed: ['amount'] });
    expect(body.timeline.find((e) => e.kind === 'run' && e.runId === run.id)).toMatchObject({ flowName: 'Mark', status: 'succeeded', trigger: 'deal.created' });
    // The move to paid/won also started the earlier test's follow-up flow: it is on the deal's timeline too.
    expect(body.timeline.find((e) => e.kind === 'run' && e.flowName === 'Follow up')).toMatchObject({ trigger: 'deal.stage_changed' });
    const times = body.timeline.map((e) => e.at as string);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('keeps contact properties current through crm.updateContact, and shows them with the contact’s deals', async () => {
    const flowId = await h.createFlow(
      flow('Subscription status', [
        node('start', 'manual.trigger'),
        node('props', 'crm.updateContact', { customerId: '{{ trigger.customer }}', email: '{{ trigger.email }}', properties: { subscription_status: '{{ trigger.status }}', last_payment_date: '{{ trigger.paidAt }}', plan: '' } }, 260),
      ], [edge('start', 'props')]),
    );
    const first = await h.untilStatus(await h.testRun(flowId, { customer: 'cus_Props1', email: 'props@example.com', status: 'active', paidAt: '2026-12-01' }), ['succeeded', 'failed']);
    expect(first.status, JSON.stringify(first.steps)).toBe('succeeded');
    const contactId = (h.step(first, 'props')!.output as { contactId: string }).contactId;
    await h.untilStatus(await h.testRun(flowId, { customer: 'cus_Props1', email: 'props@example.com', status: 'past_due', paidAt: '' }), ['succeeded']);
    const contact = await api.get<{ stripeCustomerId: string; properties: Record<string, string>; deals: unknown[] }>(`/api/crm/contacts/${contactId}`);
    expect(contact.body).toMatchObject({ stripeCustomerId: 'cus_Props1', properties: { subscription_status: 'past_due' }, deals: [] });
    expect(contact.body.properties).not.toHaveProperty('last_payment_date');
    expect((await api.get('/api/crm/contacts/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('masks intake links for viewers, in run data and outbox messages; editors see them to resend', async () => {
    const flowId = await h.createFlow(flow('Intake', [node('start', 'manual.trigger'), node('intake', 'intake.start', { email: '{{ trigger.email }}', name: 'Ada', customerId: '' }, 260)], [edge('start', 'intake')]));
    const run = await h.untilStatus(await h.testRun(flowId, { email: 'masked@example.com' }), ['succeeded', 'failed']);
    expect(run.status, JSON.stringify(run.steps)).toBe('succeeded');
    const url = (h.step(run, 'intake')!.output as { url: string }).url;
    expect(url).toMatch(/\/intake\/[A-Za-z0-9_-]{43}$/);
    const seen = JSON.stringify((await viewer.get(`/api/runs/${run.id}`)).body);
    expect(seen).not.toContain(url.split('/intake/')[1]);
    expect(seen).toContain('/intake/••••••');
    const outbox = JSON.stringify((await viewer.get(`/api/outbox?runId=${run.id}`)).body);
    expect(outbox).not.toContain(url.split('/intake/')[1]);
    expect(JSON.stringify((await api.get(`/api/outbox?runId=${run.id}`)).body)).toContain(url.split('/intake/')[1]);
  });

  it('keeps what test runs make apart: their deals are test deals, hidden from the board and never a real payment’s deal', async () => {
    const flowId = await h.createFlow(
      flow('Won', [node('start', 'manual.trigger'), node('won', 'crm.updateDeal', { customerId: '', email: '{{ trigger.email }}', name: '', amount: '5000', currency: 'usd', product: 'Plan', objectId: '', stage: 'paid_won' }, 260)], [edge('start', 'won')]),
    );
    const testRun = await h.untilStatus(await h.testRun(flowId, { email: 'tested@example.com' }), ['succeeded', 'failed']);
    expect(testRun.status, JSON.stringify(testRun.steps)).toBe('succeeded');
    const testDealId = (h.step(testRun, 'won')!.output as { dealId: string }).dealId;
    const board = async (q: string) => (await api.get<{ items: Array<{ id: string; test: boolean }> }>(`/api/crm/deals?q=tested@example.com${q}`)).body.items;
    expect(await board('')).toEqual([]);
    expect(await board('&includeTest=true')).toEqual([expect.objectContaining({ id: testDealId, test: true })]);
    // A real deal for the same client and product is its own deal, untouched by the test.
    const real = await api.post<{ id: string }>('/api/crm/deals', { contact: { email: 'tested@example.com' }, stage: 'lead', amount: 5000, currency: 'usd', product: 'Plan' });
    expect(real.status).toBe(201);
    expect(real.body.id).not.toBe(testDealId);
    expect((await board('')).map((d) => d.id)).toEqual([real.body.id]);
  });

  it('filters deals by a team’s stages, record type and payment status', async () => {
    const a = await api.post<{ id: string }>('/api/crm/deals', { contact: { email: 'np@example.com' }, stage: 'onboarding', amount: 1, currency: 'usd', recordType: 'nonprofit' });
    await api.patch(`/api/crm/deals/${a.body.id}`, { stripe: { paymentStatus: 'failed' } });
    const ids = async (query: string) => (await api.get<{ items: Array<{ id: string }> }>(`/api/crm/deals?${query}`)).body.items.map((d) => d.id);
    expect(await ids('stage=onboarding,active&recordType=nonprofit')).toContain(a.body.id);
    expect(await ids('stage=lead,proposal')).not.toContain(a.body.id);
    expect(await ids('paymentStatus=failed,open')).toContain(a.body.id);
    expect(await ids('recordType=profit')).not.toContain(a.body.id);
    const bad = await api.get<{ message: string }>('/api/crm/deals?stage=lead,nowhere');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('"nowhere" is not a CRM stage');
  });

  it('streams CRM changes to every browser, from any process, as they commit', async () => {
    const stream = await openStream<{ kind: string; dealId?: string }>(`${app.url}/api/crm/stream`, viewer.cookie!);
    expect(stream.status).toBe(200);
    const seen = stream.seen;
    // The first subscriber opens the LISTEN connection; give it a moment.
    await new Promise((r) => setTimeout(r, 300));
    const deal = await newDeal('live@example.com');
    await eventually(async () => seen.some((e) => e.kind === 'deal' && e.dealId === deal.id), 10_000, 'the deal change on the stream');
    await stream.stop();
  });

  it('ends a live stream when the session it was opened with ends', async () => {
    const leaving = await new HttpClient(app.url).login('vic@example.com', 'viewer-password-1');
    const res = await fetch(`${app.url}/api/crm/stream`, { headers: { cookie: leaving.cookie! } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return Date.now();
    })();
    const loggedOut = Date.now();
    expect((await leaving.post('/api/auth/logout')).status).toBe(204);
    const at = await Promise.race([ended, new Promise<number>((r) => setTimeout(() => r(-1), 15_000))]);
    expect(at).toBeGreaterThan(0);
    expect(at - loggedOut).toBeLessThan(12_000);
  });
});
