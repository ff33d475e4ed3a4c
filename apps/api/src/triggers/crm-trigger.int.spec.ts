import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { CRM_CHAIN_LIMIT } from './crm.trigger';

interface Deal {
  id: string;
  stage: string;
  amount: number;
  title: string | null;
  recordType: string | null;
  fields: Record<string, unknown>;
  contact: { email: string };
}

describe('crm.trigger and the deals API', () => {
  let app: TestApp;
  let api: HttpClient;
  let db: Client;
  let h: ReturnType<typeof flowHelpers>;
  const flows: Record<string, string> = {};

  const runsOf = async (flowId: string) =>
    (await db.query<{ id: string; status: string; trigger_type: string; depth: number; error: string | null; trigger: { deal: Deal; change: { kind: string } } }>(
      `SELECT id, status, trigger_type, depth, error, trigger FROM runs WHERE flow_id = $1 ORDER BY seq`,
      [flowId],
    )).rows;
  const publishFlow = async (name: string, trigger: Record<string, unknown>, extra: { nodes: unknown[]; edges: unknown[] } = { nodes: [], edges: [] }) => {
    const id = await h.createFlow(flow(name, [node('deal', 'crm.trigger', trigger), ...extra.nodes], extra.edges));
    await h.publish(id);
    return id;
  };
  const newDeal = (email: string, over: Record<string, unknown> = {}) =>
    api.post<Deal>('/api/crm/deals', { title: 'Acme onboarding', contact: { email, name: 'Ada' }, stage: 'proposal', amount: 120000, currency: 'usd', product: 'Onboarding', recordType: 'nonprofit', ...over });

  beforeAll(async () => {
    app = await startTestApp();
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    flows.created = await publishFlow('On create', { on: 'deal.created' });
    flows.updated = await publishFlow('On amount change', { on: 'deal.updated', fields: ['amount', 'product'] });
    flows.won = await publishFlow('On paid/won', { on: 'deal.stage_changed', stage: 'paid_won' });
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('creates a deal through the API and starts exactly one deal.created run, and no deal.updated run', async () => {
    const res = await newDeal('create@example.com');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ stage: 'proposal', amount: 120000, title: 'Acme onboarding', recordType: 'nonprofit', contact: { email: 'create@example.com' } });
    const created = await runsOf(flows.created);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ trigger_type: 'deal.created', depth: 1, trigger: { deal: { id: res.body.id, amount: 120000 }, change: { kind: 'deal.created' } } });
    await h.untilStatus(created[0].id, ['succeeded']);
    expect(await runsOf(flows.updated)).toHaveLength(0);
    expect(await runsOf(flows.won)).toHaveLength(0);
  });

  it('starts deal.updated flows only when a field they watch changed, and stage_changed flows once per move', async () => {
    const deal = (await newDeal('amend@example.com')).body;
    const before = (await runsOf(flows.updated)).length;
    expect((await api.patch(`/api/crm/deals/${deal.id}`, { title: 'Renamed' })).status).toBe(200);
    expect(await runsOf(flows.updated)).toHaveLength(before);
    const amended = await api.patch<Deal>(`/api/crm/deals/${deal.id}`, { amount: 150000 });
    expect(amended.body.amount).toBe(150000);
    expect(await runsOf(flows.updated)).toHaveLength(before + 1);
    // The same value again changes nothing and starts nothing.
    await api.patch(`/api/crm/deals/${deal.id}`, { amount: 150000 });
    expect(await runsOf(flows.updated)).toHaveLength(before + 1);

    const wonBefore = (await runsOf(flows.won)).length;
    expect((await api.post(`/api/crm/deals/${deal.id}/stage`, { stage: 'paid_won' })).status).toBe(200);
    expect((await api.post(`/api/crm/deals/${deal.id}/stage`, { stage: 'paid_won' })).status).toBe(200);
    const won = await runsOf(flows.won);
    expect(won).toHaveLength(wonBefore + 1);
    expect(won.at(-1)!.trigger.deal.stage).toBe('paid_won');
    // A creation is never an update.
    expect((await runsOf(flows.created)).every((r) => r.trigger_type === 'deal.created')).toBe(true);
  });

  it('refuses bad deal input with 400 and the reasons, and a second open deal for the same product with 409', async () => {
    const bad = await api.post<{ message: string }>('/api/crm/deals', { contact: { email: 'not-an-email' }, stage: 'proposal', amount: 12.5, currency: 'dollars' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/contact.email/);
    expect(bad.body.message).toMatch(/amount/);
    expect(bad.body.message).toMatch(/currency/);
    const unknownStage = await newDeal('stage@example.com', { stage: 'nowhere' });
    expect(unknownStage.status).toBe(400);
    expect((unknownStage.body as unknown as { message: string }).message).toMatch(/"nowhere" is not a CRM stage/);
    expect((await newDeal('twice@example.com')).status).toBe(201);
    const again = await newDeal('twice@example.com');
    expect(again.status).toBe(409);
    expect((await api.patch('/api/crm/deals/00000000-0000-4000-8000-000000000000', { amount: 1 })).status).toBe(404);
    expect((await api.patch(`/api/crm/deals/${(await newDeal('empty@example.com')).body.id}`, {})).status).toBe(400);
    const deals = await db.query(`SELECT count(*)::int AS n FROM crm_deals d JOIN crm_contacts c ON c.id = d.contact_id WHERE c.email IN ('not-an-email', 'stage@example.com')`);
    expect(deals.rows[0].n).toBe(0);
  });

  it('does not start a flow again from its own write to the deal that started it', async () => {
    const selfFlow = await publishFlow(
      'Writes back',
      { on: 'deal.updated' },
      {
        nodes: [node('stamp', 'crm.updateDeal', { customerId: '', email: '{{ trigger.deal.contact.email }}', stage: '{{ trigger.deal.stage }}', amount: '', currency: '', product: '{{ trigger.deal.product }}', fields: { stamped: '{{ run.id }}' }, objectId: '' }, 260)],
        edges: [edge('deal', 'stamp')],
      },
    );
    const deal = (await newDeal('self@example.com')).body;
    await api.patch(`/api/crm/deals/${deal.id}`, { amount: 99000 });
    const [first] = await runsOf(selfFlow);
    const done = await h.untilStatus(first.id, ['succeeded', 'failed']);
    expect(done.status, JSON.stringify(done.steps)).toBe('succeeded');
    const after = await api.get<Deal>(`/api/crm/deals/${deal.id}`);
    expect(after.body.fields.stamped).toBe(first.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(await runsOf(selfFlow)).toHaveLength(1);
    await api.delete(`/api/flows/${selfFlow}`);
  });

  it(`stops a chain of flows that start each other at depth ${CRM_CHAIN_LIMIT}, with a failed run that says why`, async () => {
    const pingPong = (name: string) =>
      publishFlow(
        name,
        { on: 'deal.updated', fields: ['fields'] },
        {
          nodes: [node('touch', 'crm.updateDeal', { customerId: '', email: '{{ trigger.deal.contact.email }}', stage: '{{ trigger.deal.stage }}', amount: '', currency: '', product: '{{ trigger.deal.product }}', fields: { [name]: '{{ run.id }}' }, objectId: '' }, 260)],
          edges: [edge('deal', 'touch')],
        },
      );
    const ping = await pingPong('ping');
    const pong = await pingPong('pong');
    const deal = (await newDeal('chain@example.com')).body;
    await api.patch(`/api/crm/deals/${deal.id}`, { fields: { start: 'yes' } });
    const all = await eventually(async () => {
      const runs = [...(await runsOf(ping)), ...(await runsOf(pong))];
      const refused = runs.filter((r) => r.status === 'failed');
      return refused.length === 2 && runs.every((r) => ['succeeded', 'failed'].includes(r.status)) ? runs : undefined;
    }, 30_000, 'the chain to stop');
    expect(Math.max(...all.map((r) => r.depth))).toBe(CRM_CHAIN_LIMIT + 1);
    for (const r of all.filter((x) => x.status === 'failed')) {
      expect(r.depth).toBe(CRM_CHAIN_LIMIT + 1);
      expect(r.error).toMatch(new RegExp(`chain of ${CRM_CHAIN_LIMIT} CRM-triggered runs \\(limit ${CRM_CHAIN_LIMIT}\\)`));
    }
    expect(all).toHaveLength(2 * (CRM_CHAIN_LIMIT + 1));
    await api.delete(`/api/flows/${ping}`);
    await api.delete(`/api/flows/${pong}`);
  });

  it('holds CRM changes of a paused flow and runs each once on resume', async () => {
    expect((await api.post(`/api/flows/${flows.created}/pause`, {})).status).toBe(200);
    const before = (await runsOf(flows.created)).length;
    const deal = (await newDeal('paused@example.com')).body;
    expect(await runsOf(flows.created)).toHaveLength(before);
    const held = await db.query(`SELECT status FROM trigger_events WHERE flow_id = $1 AND trigger_key LIKE $2`, [flows.created, `${deal.id}:%`]);
    expect(held.rows).toEqual([{ status: 'held' }]);
    expect((await api.post(`/api/flows/${flows.created}/resume`, {})).status).toBe(200);
    const runs = await runsOf(flows.created);
    expect(runs).toHaveLength(before + 1);
    expect(runs.at(-1)!.trigger.deal.id).toBe(deal.id);
    await h.untilStatus(runs.at(-1)!.id, ['succeeded']);
  });
});
