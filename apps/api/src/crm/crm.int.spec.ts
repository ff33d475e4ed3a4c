import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { ADMIN, HttpClient, startTestApp, TestApp } from '../../test/harness';
import { upsertDeal } from './crm.store';

interface DealView {
  id: string;
  contactId: string;
  contact: { name: string | null; email: string | null; stripeCustomerId: string | null };
  stage: string;
  amount: number | null;
  currency: string | null;
  product: string | null;
  fields: Record<string, string>;
  runId: string | null;
  intake: { id: string; status: string } | null;
  history?: Array<{ from: string | null; to: string; byType: string; by: string }>;
  updatedAt: string;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const payment = (p: Record<string, unknown>) => ({ payment: { currency: 'usd', metadata: { product: 'Website' }, ...p } });

describe('built-in CRM', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  let flowId: string;

  beforeAll(async () => {
    app = await startTestApp({ workerConcurrency: 2 });
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
    // A manual trigger with a `payment`-shaped payload exercises the node's defaults like a Stripe event does.
    flowId = await h.createFlow(
      flow('crm', [node('start', 'manual.trigger'), node('deal', 'crm.updateDeal', { stage: '{{ trigger.stage }}', fields: { source: '{{ trigger.source }}' } })], [edge('start', 'deal')]),
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  async function runDeal(p: Record<string, unknown>, stage = 'paid_won', source = 'stripe') {
    const run = await h.untilStatus(await h.testRun(flowId, { ...payment(p), stage, source }), ['succeeded', 'failed']);
    return { run, output: h.step(run, 'deal')!.output as { dealId: string; contactId: string; stage: string; created: boolean; stageKept?: unknown } };
  }
  const deal = async (id: string) => (await api.get<DealView>(`/api/crm/deals/${id}`)).body;

  it('lists the pipeline in order', async () => {
    const res = await api.get<Page<{ key: string; label: string }>>('/api/crm/stages');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { key: 'lead', label: 'Lead' },
      { key: 'proposal', label: 'Proposal' },
      { key: 'payment_review', label: 'Payment review' },
      { key: 'paid_won', label: 'Paid / won' },
      { key: 'onboarding', label: 'Onboarding' },
      { key: 'active', label: 'Active' },
      { key: 'lost', label: 'Lost' },
    ]);
  });

  it('creates the contact and deal from a run, then updates that same deal (one open deal per contact and product) with its history', async () => {
    const first = await runDeal({ customerId: 'cus_A1', email: 'ada@example.com', name: 'Ada Lovelace', amount: 120000 }, 'payment_review');
    expect(first.run.status).toBe('succeeded');
    expect(first.output).toMatchObject({ connection: 'builtin', created: true, stage: 'payment_review', previousStage: null, amount: 120000, currency: 'usd', product: 'Website' });

    const second = await runDeal({ customerId: 'cus_A1', email: 'ada@example.com', amount: 125000 }, 'paid_won', 'retry');
    expect(second.output).toMatchObject({ dealId: first.output.dealId, contactId: first.output.contactId, created: false, stage: 'paid_won', previousStage: 'payment_review' });

    const d = await deal(first.output.dealId);
    expect(d).toMatchObject({
      stage: 'paid_won',
      amount: 125000,
      currency: 'usd',
      product: 'Website',
      fields: { source: 'retry' },
      runId: second.run.id,
      contact: { name: 'Ada Lovelace', email: 'ada@example.com', stripeCustomerId: 'cus_A1' },
      intake: null,
    });
    expect(d.history).toEqual([
      expect.objectContaining({ from: null, to: 'payment_review', byType: 'run', by: first.run.id }),
      expect.objectContaining({ from: 'payment_review', to: 'paid_won', byType: 'run', by: second.run.id }),
    ]);
  });

  it('keeps the contact when the client changes e-mail: the customer id wins, and the new e-mail is stored', async () => {
    const before = await runDeal({ customerId: 'cus_B1', email: 'old@example.com', name: 'Bo' });
    const after = await runDeal({ customerId: 'cus_B1', email: 'new@example.com' });
    expect(after.output.contactId).toBe(before.output.contactId);
    expect(after.output.dealId).toBe(before.output.dealId);
    const contacts = await api.get<Page<{ id: string; email: string; stripeCustomerId: string; openDeals: number }>>('/api/crm/contacts?q=cus_B1');
    expect(contacts.body.items).toEqual([expect.objectContaining({ id: before.output.contactId, email: 'new@example.com', stripeCustomerId: 'cus_B1', openDeals: 1 })]);
  });

  it('keys by e-mail when there is no customer id, and attaches the customer id when it appears', async () => {
    const guest = await runDeal({ email: 'Guest@Example.com', name: 'Guest' });
    const later = await runDeal({ customerId: 'cus_C1', email: 'guest@example.com' });
    expect(later.output.contactId).toBe(guest.output.contactId);
    const d = await deal(guest.output.dealId);
    expect(d.contact).toEqual({ name: 'Guest', email: 'guest@example.com', stripeCustomerId: 'cus_C1' });
    // Another Stripe customer sharing the address is another billing entity: a contact of its own.
    const other = await runDeal({ customerId: 'cus_C2', email: 'guest@example.com' });
    expect(other.output.contactId).not.toBe(guest.output.contactId);
  });

  it('never lets a run move a deal backwards; lost closes it, and the next payment for the product opens a new deal', async () => {
    const won = await runDeal({ customerId: 'cus_D1', email: 'd@example.com' }, 'onboarding');
    const late = await runDeal({ customerId: 'cus_D1', email: 'd@example.com' }, 'payment_review');
    expect(late.output).toMatchObject({ dealId: won.output.dealId, stage: 'onboarding', stageKept: { requested: 'payment_review' } });
    const lost = await runDeal({ customerId: 'cus_D1', email: 'd@example.com' }, 'lost');
    expect(lost.output).toMatchObject({ dealId: won.output.dealId, stage: 'lost' });
    const lostAgain = await runDeal({ customerId: 'cus_D1', email: 'd@example.com' }, 'lost');
    expect(lostAgain.output).toMatchObject({ dealId: won.output.dealId, created: false });
    const renewal = await runDeal({ customerId: 'cus_D1', email: 'd@example.com' }, 'paid_won');
    expect(renewal.output).toMatchObject({ created: true, stage: 'paid_won' });
    expect(renewal.output.dealId).not.toBe(won.output.dealId);
    expect((await deal(won.output.dealId)).history!.map((x) => x.to)).toEqual(['onboarding', 'lost']);
  });

  it('makes one contact and one deal when several writers for a new customer upsert at the same moment', async () => {
    const db = app.handoff.app.get(DataSource);
    const input = { customerId: 'cus_Race', email: 'race@example.com', stage: 'paid_won', amount: 100, product: 'Website' };
    // Six transactions open at once (a barrier makes sure), as six workers on six machines would be:
    // the advisory locks serialise them, so none loses a unique-key race.
    let arrived = 0;
    let release!: () => void;
    const barrier = new Promise<void>((r) => (release = r));
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        db.transaction(async (m) => {
          await m.query('SELECT 1');
          if (++arrived === 6) release();
          await barrier;
          return upsertDeal(m, input, { type: 'user', id: `writer${i}` }, null);
        }),
      ),
    );
    expect(new Set(results.map((r) => r.dealId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const contacts = await api.get<Page<{ openDeals: number }>>('/api/crm/contacts?q=race@example.com');
    expect(contacts.body.items).toEqual([expect.objectContaining({ openDeals: 1 })]);
  });

  it('fails the step at once, naming the stages, when the stage does not exist', async () => {
    const { run } = await runDeal({ customerId: 'cus_E1' }, 'closed_won');
    expect(run.status).toBe('failed');
    expect(h.step(run, 'deal')).toMatchObject({ status: 'failed', attempt: 1 });
    expect(h.step(run, 'deal')!.error).toMatch(/"closed_won" is not a CRM stage; the stages are lead, proposal, payment_review, paid_won, onboarding, active, lost/);
  });

  it('lists deals by stage and search, newest first, paged by keyset cursor without overlap', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await runDeal({ customerId: `cus_P${i}`, email: `page${i}@example.com` }, 'proposal')).output.dealId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: Page<DealView> } = await api.get(`/api/crm/deals?includeTest=true&stage=proposal&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.every((d) => d.stage === 'proposal')).toBe(true);
      seen.push(...res.body.items.map((d) => d.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const byEmail = await api.get<Page<DealView>>('/api/crm/deals?includeTest=true&q=page3@');
    expect(byEmail.body.items.map((d) => d.id)).toEqual([ids[3]]);
    expect(byEmail.body.items[0]).toMatchObject({ contact: { email: 'page3@example.com', stripeCustomerId: 'cus_P3' }, currency: 'usd', product: 'Website' });
    expect((await api.get<Page<DealView>>('/api/crm/deals?includeTest=true&q=cus_P1')).body.items.map((d) => d.id)).toEqual([ids[1]]);
    expect((await api.get<Page<DealView>>('/api/crm/deals?q=%25')).body.items).toEqual([]);
    expect((await api.get('/api/crm/deals?stage=nope')).status).toBe(400);
    expect((await api.get('/api/crm/deals?cursor=abc')).status).toBe(400);
    expect((await api.get('/api/crm/deals/not-a-uuid')).status).toBe(404);
  });

  it('lets an editor move a deal on the board, recording who did it; viewers cannot', async () => {
    const { output } = await runDeal({ customerId: 'cus_F1', email: 'f@example.com' }, 'paid_won');
    const moved = await api.post<DealView>(`/api/crm/deals/${output.dealId}/stage`, { stage: 'active' });
    expect(moved.status).toBe(200);
    expect(moved.body.stage).toBe('active');
    expect(moved.body.history!.at(-1)).toMatchObject({ from: 'paid_won', to: 'active', byType: 'user', by: ADMIN.email });

    const bad = await api.post<{ message: string }>(`/api/crm/deals/${output.dealId}/stage`, { stage: 'won' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/"won" is not a CRM stage/);
    expect((await api.post(`/api/crm/deals/${output.dealId}/stage`, {})).status).toBe(400);
    expect((await api.post(`/api/crm/deals/00000000-0000-4000-8000-000000000000/stage`, { stage: 'lost' })).status).toBe(404);

    expect((await api.post('/api/users', { email: 'viewer@example.com', password: 'viewer-password-123', role: 'viewer' })).status).toBe(201);
    const viewer = await new HttpClient(app.url).login('viewer@example.com', 'viewer-password-123');
    expect((await viewer.get('/api/crm/deals')).status).toBe(200);
    expect((await viewer.post(`/api/crm/deals/${output.dealId}/stage`, { stage: 'lost' })).status).toBe(403);
  });

  it('refuses to reopen a lost deal while the contact has another open deal for the product', async () => {
    const first = await runDeal({ customerId: 'cus_G1', email: 'g@example.com' }, 'lost');
    await runDeal({ customerId: 'cus_G1', email: 'g@example.com' }, 'paid_won');
    const res = await api.post<{ message: string }>(`/api/crm/deals/${first.output.dealId}/stage`, { stage: 'proposal' });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/already has an open deal for Website/);
  });
});
