import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/fake-http';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';

const doc = (over: Record<string, unknown> = {}) => ({
  schema: 'handoff.flow/1',
  name: 'Payment to onboarding',
  nodes: [
    { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} },
    { id: 'cleared', type: 'branch', position: { x: 260, y: 0 }, config: { condition: "trigger.payment.status = 'cleared'" } },
  ],
  edges: [{ id: 'e1', source: 'start', sourcePort: 'out', target: 'cleared' }],
  ...over,
});

interface FlowBody {
  id: string;
  name: string;
  status: string;
  publishedVersion: number | null;
  draft: { nodes: unknown[] };
  problems: unknown[];
}
interface ErrorBody {
  statusCode: number;
  message: string;
  problems?: Array<{ code: string; message: string; nodeId?: string; edgeId?: string }>;
}

describe('flows API', () => {
  let app: TestApp;
  let admin: HttpClient;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await new HttpClient(app.url).login();
  });
  afterAll(() => app?.close());

  it('creates, reads, lists, updates and deletes a flow', async () => {
    const created = await admin.post<FlowBody>('/api/flows', doc());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Payment to onboarding', status: 'draft', publishedVersion: null });
    const id = created.body.id;

    expect((await admin.get<FlowBody>(`/api/flows/${id}`)).body.draft.nodes).toHaveLength(2);
    const list = await admin.get<{ items: Array<{ id: string }> }>('/api/flows');
    expect(list.body.items.map((f) => f.id)).toContain(id);

    const updated = await admin.put<FlowBody>(`/api/flows/${id}`, doc({ name: 'Renamed' }));
    expect(updated.status).toBe(200);
    expect(updated.body.name).toBe('Renamed');

    expect((await admin.delete(`/api/flows/${id}`)).status).toBe(204);
    expect((await admin.get(`/api/flows/${id}`)).status).toBe(404);
  });

  it('answers 400 listing every problem when the document has a cycle and an unknown port', async () => {
    const bad = doc({
      nodes: [
        { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} },
        { id: 'a', type: 'branch', position: { x: 1, y: 0 }, config: { condition: 'true' } },
        { id: 'b', type: 'branch', position: { x: 2, y: 0 }, config: { condition: 'true' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourcePort: 'out', target: 'a' },
        { id: 'e2', source: 'a', sourcePort: 'true', target: 'b' },
        { id: 'e3', source: 'b', sourcePort: 'true', target: 'a' },
        { id: 'e4', source: 'a', sourcePort: 'maybe', target: 'b' },
      ],
    });
    const before = (await admin.get<{ items: unknown[] }>('/api/flows')).body.items.length;
    const res = await admin.post<ErrorBody>('/api/flows', bad);
    expect(res.status).toBe(400);
    const codes = res.body.problems!.map((p) => p.code).join(' ');
    expect(codes).toMatch(/cycle/);
    expect(codes).toMatch(/port/i);
    expect(res.body.problems!.find((p) => p.edgeId === 'e4')?.message).toMatch(/maybe/);
    expect(res.body.message).toMatch(/problem/);
    // nothing half-written
    expect((await admin.get<{ items: unknown[] }>('/api/flows')).body.items.length).toBe(before);
  });

  it('answers 400 for a body that is not a flow document at all', async () => {
    const res = await admin.post<ErrorBody>('/api/flows', { hello: 'world' });
    expect(res.status).toBe(400);
    expect(res.body.problems?.length).toBeGreaterThan(0);
    const malformed = await admin.request<ErrorBody>('POST', '/api/flows', '{"schema": ', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/Malformed JSON/);
  });

  it('answers 400 for text Postgres cannot store (a NUL, an unpaired surrogate) anywhere in an API body, and writes nothing', async () => {
    const before = (await admin.get<{ items: unknown[] }>('/api/flows')).body.items.length;
    const named = (name: string) => JSON.stringify(doc()).replace('"Payment to onboarding"', `"${name}"`);
    for (const [body, reason] of [
      [named('x\\ud800'), /unpaired UTF-16 surrogate/],
      [named('x\\udc00y'), /unpaired UTF-16 surrogate/],
      [named('x\\u0000'), /NUL character/],
    ] as const) {
      const res = await admin.request<ErrorBody>('POST', '/api/flows', body, { 'content-type': 'application/json' });
      expect(res.status, body.slice(0, 60)).toBe(400);
      expect(res.body.message).toMatch(reason);
    }
    const tokens = await admin.request<ErrorBody>('POST', '/api/tokens', '{"name":"x\\ud800"}', { 'content-type': 'application/json' });
    expect(tokens.status).toBe(400);
    // A pair is a character like any other.
    const paired = await admin.request<{ id: string; name: string }>('POST', '/api/flows', named('launch \\ud83d\\ude80'), { 'content-type': 'application/json' });
    expect(paired.status, JSON.stringify(paired.body)).toBe(201);
    expect(paired.body.name).toBe('launch \u{1F680}');
    expect((await admin.get<{ items: unknown[] }>('/api/flows')).body.items.length).toBe(before + 1);
  });

  it('publishes immutable numbered versions; a later draft edit does not change a published version', async () => {
    const { body: flow } = await admin.post<FlowBody>('/api/flows', doc());
    const v1 = await admin.post<{ version: number }>(`/api/flows/${flow.id}/publish`, { note: 'first' });
    expect(v1.status).toBe(200);
    expect(v1.body.version).toBe(1);
    await admin.put(`/api/flows/${flow.id}`, doc({ name: 'Second draft' }));
    expect((await admin.post<{ version: number }>(`/api/flows/${flow.id}/publish`, {})).body.version).toBe(2);

    const versions = await admin.get<{ items: Array<{ version: number; note: string | null }> }>(`/api/flows/${flow.id}/versions`);
    expect(versions.body.items.map((v) => v.version)).toEqual([2, 1]);
    expect(versions.body.items[1].note).toBe('first');
    const got = await admin.get<FlowBody>(`/api/flows/${flow.id}`);
    expect(got.body).toMatchObject({ status: 'active', publishedVersion: 2, name: 'Second draft' });
  });

  it('tells when the draft differs from the live version, and discards or restores a version into the draft (audited, nothing published)', async () => {
    const { body: flow } = await admin.post<FlowBody & { draftDiffers: boolean }>('/api/flows', doc({ name: 'Drafts vs live' }));
    expect(flow.draftDiffers).toBe(false);
    expect((await admin.post(`/api/flows/${flow.id}/discard-draft`, {})).status).toBe(409);
    await admin.post(`/api/flows/${flow.id}/publish`, { note: 'v1' });
    expect((await admin.get<{ draftDiffers: boolean }>(`/api/flows/${flow.id}`)).body.draftDiffers).toBe(false);

    const v2doc = doc({ name: 'Drafts vs live', nodes: [...doc().nodes, { id: 'wait', type: 'delay', position: { x: 520, y: 0 }, config: { duration: 'PT1H' } }], edges: [...doc().edges, { id: 'e2', source: 'cleared', sourcePort: 'true', target: 'wait' }] });
    const saved = await admin.put<{ draftDiffers: boolean }>(`/api/flows/${flow.id}`, v2doc);
    expect(saved.body.draftDiffers).toBe(true);
    await admin.post(`/api/flows/${flow.id}/publish`, {});
    expect((await admin.get<{ draftDiffers: boolean }>(`/api/flows/${flow.id}`)).body.draftDiffers).toBe(false);

    // Edit the draft, then throw the edit away: the draft is v2 again.
    await admin.put(`/api/flows/${flow.id}`, doc({ name: 'Scratch' }));
    const discarded = await admin.post<FlowBody & { draftDiffers: boolean }>(`/api/flows/${flow.id}/discard-draft`, {});
    expect(discarded.status).toBe(200);
    expect(discarded.body).toMatchObject({ name: 'Drafts vs live', draftDiffers: false, publishedVersion: 2 });
    expect(discarded.body.draft.nodes).toHaveLength(3);

    // Restore v1 into the draft: live stays v2 until someone publishes.
    const restored = await admin.post<FlowBody & { draftDiffers: boolean }>(`/api/flows/${flow.id}/versions/1/restore`, {});
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ draftDiffers: true, publishedVersion: 2 });
    expect(restored.body.draft.nodes).toHaveLength(2);
    expect((await admin.get<{ document: { nodes: unknown[] } }>(`/api/flows/${flow.id}/versions/2`)).body.document.nodes).toHaveLength(3);
    expect((await admin.post(`/api/flows/${flow.id}/versions/7/restore`, {})).status).toBe(404);

    const versions = await admin.get<{ items: Array<{ version: number; publishedByEmail: string | null }> }>(`/api/flows/${flow.id}/versions`);
    expect(versions.body.items.map((v) => [v.version, v.publishedByEmail])).toEqual([
      [2, 'admin@example.com'],
      [1, 'admin@example.com'],
    ]);
    const audit = await admin.get<{ items: Array<{ action: string; targetId: string; actorEmail: string; detail: { version: number } }> }>('/api/audit');
    const mine = audit.body.items.filter((a) => a.targetId === flow.id).map((a) => [a.action, a.detail.version]);
    expect(mine.slice(0, 2)).toEqual([
      ['flow.restore', 1],
      ['flow.discard_draft', 2],
    ]);

    await admin.post('/api/users', { email: 'flow-viewer@example.com', password: 'viewer-password', role: 'viewer' });
    const viewer = await new HttpClient(app.url).login('flow-viewer@example.com', 'viewer-password');
    expect((await viewer.post(`/api/flows/${flow.id}/versions/2/restore`, {})).status).toBe(403);
    expect((await viewer.post(`/api/flows/${flow.id}/discard-draft`, {})).status).toBe(403);
  });

  it('refuses to publish a draft whose node config is invalid, with the node named', async () => {
    const { body: flow } = await admin.post<FlowBody>(
      '/api/flows',
      doc({ nodes: [{ id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} }, { id: 'cleared', type: 'branch', position: { x: 1, y: 0 }, config: { condition: "trigger.payment.status = " } }] }),
    );
    expect(flow.problems.length).toBeGreaterThan(0);
    const res = await admin.post<ErrorBody>(`/api/flows/${flow.id}/publish`, {});
    expect(res.status).toBe(400);
    expect(res.body.problems!.some((p) => p.nodeId === 'cleared')).toBe(true);
    expect((await admin.get<FlowBody>(`/api/flows/${flow.id}`)).body.publishedVersion).toBeNull();
  });

  it('publishes a Stripe event type missing from the catalogue, and refuses a malformed one with the reason', async () => {
    const whsec = (await admin.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'catalogue', secret: 'whsec_catalogue' })).body.id;
    const waitFor = (types: string[]) =>
      doc({
        nodes: [
          { id: 'start', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: { signingSecret: { credential: whsec } } },
          { id: 'paid', type: 'wait.event', position: { x: 300, y: 0 }, config: { types, match: '' } },
        ],
        edges: [{ id: 'e1', source: 'start', sourcePort: 'out', target: 'paid' }],
      });
    const typed = await admin.post<FlowBody>('/api/flows', waitFor(['invoice.paid', 'invoice.some_future_event']));
    expect(typed.body.problems).toEqual([]);
    expect((await admin.post(`/api/flows/${typed.body.id}/publish`, {})).status).toBe(200);

    const { body: flow } = await admin.post<FlowBody>('/api/flows', waitFor(['Invoice Paid']));
    const res = await admin.post<ErrorBody & { problems: Array<{ path?: string }> }>(`/api/flows/${flow.id}/publish`, {});
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual([expect.objectContaining({ code: 'config.invalid', nodeId: 'paid', path: 'config.types[0]' })]);
    expect(res.body.message).toMatch(/must be a Stripe event type such as checkout\.session\.completed/);

    // Under a trigger that receives no Stripe events, the wait could only ever time out.
    const manual = waitFor(['invoice.paid']);
    manual.nodes[0] = { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} };
    const { body: orphan } = await admin.post<FlowBody>('/api/flows', manual);
    const refused = await admin.post<ErrorBody & { problems: Array<{ code: string }> }>(`/api/flows/${orphan.id}/publish`, {});
    expect(refused.status).toBe(400);
    expect(refused.body.problems).toEqual([expect.objectContaining({ code: 'node.wrongTrigger', nodeId: 'paid' })]);
  });

  it('refuses to publish or test a built-in CRM stage that does not exist, naming the stages there are', async () => {
    const staged = (stage: string) =>
      doc({
        nodes: [
          { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} },
          { id: 'won', type: 'crm.updateDeal', position: { x: 300, y: 0 }, config: { stage } },
        ],
        edges: [{ id: 'e1', source: 'start', sourcePort: 'out', target: 'won' }],
      });
    const { body: typo } = await admin.post<FlowBody>('/api/flows', staged('new'));
    for (const res of [await admin.post<ErrorBody>(`/api/flows/${typo.id}/publish`, {}), await admin.post<ErrorBody>(`/api/flows/${typo.id}/test-run`, { payload: {} })]) {
      expect(res.status).toBe(400);
      expect(res.body.problems).toEqual([expect.objectContaining({ code: 'crm.unknownStage', nodeId: 'won', path: 'config.stage' })]);
      expect(res.body.message).toMatch(/"new" is not a stage of the built-in CRM; the stages are lead, proposal, payment_review, paid_won/);
    }
    const { body: fine } = await admin.post<FlowBody>('/api/flows', staged('paid_won'));
    expect((await admin.post(`/api/flows/${fine.id}/publish`, {})).status).toBe(200);
  });

  it('pauses and resumes a published flow, and refuses to pause an unpublished one', async () => {
    const { body: flow } = await admin.post<FlowBody>('/api/flows', doc());
    expect((await admin.post<ErrorBody>(`/api/flows/${flow.id}/pause`)).status).toBe(409);
    await admin.post(`/api/flows/${flow.id}/publish`, {});
    expect((await admin.post<FlowBody>(`/api/flows/${flow.id}/pause`)).body.status).toBe('paused');
    expect((await admin.post<FlowBody>(`/api/flows/${flow.id}/resume`)).body.status).toBe('active');
  });

  it('exports the document and imports it as a new flow', async () => {
    const { body: flow } = await admin.post<FlowBody>('/api/flows', doc({ name: 'To export' }));
    const exported = await admin.get<{ schema: string; name: string }>(`/api/flows/${flow.id}/export`);
    expect(exported.body).toMatchObject({ schema: 'handoff.flow/1', name: 'To export' });
    const imported = await admin.post<FlowBody>('/api/flows/import', exported.body);
    expect(imported.status).toBe(201);
    expect(imported.body.id).not.toBe(flow.id);
    expect(imported.body.draft).toEqual(exported.body);
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    expect((await admin.get('/api/flows/not-a-uuid')).status).toBe(400);
    expect((await admin.get('/api/flows/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('serves the OpenAPI document', async () => {
    const res = await fetch(`${app.url}/api/docs-json`);
    expect(res.status).toBe(200);
    const spec = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toContain('/api/flows/{id}/publish');
  });
});

describe('edges saved without sourcePort', () => {
  let app: TestApp;
  let api: HttpClient;
  beforeAll(async () => {
    app = await startTestApp();
    api = await new HttpClient(app.url).login();
  });
  afterAll(() => app?.close());

  it('answers a huge version number and a config nested 2,000 deep with 4xx, not 500', async () => {
    const created = await api.post<{ id: string }>('/api/flows', { schema: 'handoff.flow/1', name: 'deep', nodes: [], edges: [] });
    expect((await api.get(`/api/flows/${created.body.id}/versions/99999999999999`)).status).toBeLessThan(500);
    expect((await api.get(`/api/flows/${created.body.id}/versions/99999999999999`)).status).toBeGreaterThanOrEqual(400);
    let deep: unknown = 'leaf';
    for (let i = 0; i < 2000; i++) deep = { d: deep };
    const res = await api.put(`/api/flows/${created.body.id}`, {
      schema: 'handoff.flow/1',
      name: 'deep',
      nodes: [{ id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: { sample: deep } }],
      edges: [],
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('records each draft save in the audit log', async () => {
    const created = await api.post<{ id: string }>('/api/flows', { schema: 'handoff.flow/1', name: 'audited', nodes: [], edges: [] });
    await api.put(`/api/flows/${created.body.id}`, { schema: 'handoff.flow/1', name: 'audited again', nodes: [], edges: [] });
    const audit = await api.get<{ items: Array<{ action: string; targetId: string; detail: { name: string } }> }>('/api/audit');
    expect(audit.body.items.find((a) => a.action === 'flow.save' && a.targetId === created.body.id)).toMatchObject({ detail: { name: 'audited again' } });
  });

  it('are stored leaving from out, as validated, and followed by runs', async () => {
    const created = await api.post<{ id: string; draft: { edges: Array<{ sourcePort: string }> } }>('/api/flows', {
      schema: 'handoff.flow/1',
      name: 'no port',
      nodes: [
        { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} },
        { id: 'check', type: 'branch', position: { x: 260, y: 0 }, config: { condition: 'true' } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'check' }],
    });
    expect(created.status).toBe(201);
    expect(created.body.draft.edges[0].sourcePort).toBe('out');
    const { body } = await api.post<{ runId: string }>(`/api/flows/${created.body.id}/test-run`, { payload: {} });
    const run = await eventually(async () => {
      const r = (await api.get<{ status: string; steps: Array<{ nodeId: string }> }>(`/api/runs/${body.runId}`)).body;
      return r.status === 'succeeded' ? r : undefined;
    }, 15_000, 'the run');
    expect(run.steps.map((s) => s.nodeId)).toEqual(['start', 'check']);
    // From a branch, a connection needs its port: true or false.
    const bad = await api.post<{ problems: Array<{ code: string }> }>('/api/flows', { schema: 'handoff.flow/1', name: 'x', nodes: [{ id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} }, { id: 'check', type: 'branch', position: { x: 260, y: 0 }, config: {} }, { id: 'end', type: 'delay', position: { x: 520, y: 0 }, config: {} }], edges: [{ id: 'e1', source: 'start', target: 'check' }, { id: 'e2', source: 'check', target: 'end' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.map((p) => p.code)).toContain('edge.unknownPort');
  });
});

describe('credential types', () => {
  let app: TestApp;
  let api: HttpClient;
  beforeAll(async () => {
    app = await startTestApp();
    api = await new HttpClient(app.url).login();
  });
  afterAll(() => app?.close());

  it('refuses to publish or test a node pointed at a credential of another type, naming both types', async () => {
    const secret = await api.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'whsec', secret: 'whsec_do_not_leak_123' });
    const slack = await api.post<{ id: string }>('/api/credentials', { type: 'slack.webhook', name: 'slack', secret: 'https://hooks.slack.example.com/x' });
    const nodes = (credential: string) => [
      { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} },
      { id: 'tell', type: 'notify', position: { x: 260, y: 0 }, config: { channel: 'slack', credential: { credential }, text: 'hi' } },
    ];
    const edges = [{ id: 'e1', source: 'start', sourcePort: 'out', target: 'tell' }];
    const created = await api.post<{ id: string }>('/api/flows', doc({ nodes: nodes(secret.body.id), edges }));
    const publish = await api.post<{ message: string; problems: Array<{ code: string; nodeId: string; path: string }> }>(`/api/flows/${created.body.id}/publish`, {});
    expect(publish.status).toBe(400);
    expect(publish.body.problems).toEqual([expect.objectContaining({ code: 'credential.type', nodeId: 'tell', path: 'config.credential' })]);
    expect(publish.body.message).toMatch(/is a stripe\.signingSecret; this field takes slack\.webhook or smtp/);
    expect(publish.body.message).not.toMatch(/whsec_do_not_leak/);
    const test = await api.post(`/api/flows/${created.body.id}/test-run`, { payload: {} });
    expect(test.status).toBe(400);
    expect((await api.put(`/api/flows/${created.body.id}`, doc({ nodes: nodes(slack.body.id), edges }))).status).toBe(200);
    expect((await api.post(`/api/flows/${created.body.id}/publish`, {})).status).toBe(200);
  });
});

describe('webhook URL', () => {
  it('is the trigger’s route, absolute from HANDOFF_PUBLIC_URL when set, so the editor shows the address senders can reach', async () => {
    const app = await startTestApp({ publicUrl: 'https://handoff.example.com/' });
    try {
      // app.url is the public URL here; talk to the local listener
      const { port } = app.handoff.app.getHttpServer().address() as { port: number };
      const api = await new HttpClient(`http://127.0.0.1:${port}`).login();
      const hooked = doc({ nodes: [{ id: 'start', type: 'webhook.trigger', position: { x: 0, y: 0 }, config: {} }, doc().nodes[1]] });
      const res = await api.post<{ id: string; webhookUrl: string | null; webhookPath: string | null }>('/api/flows', hooked);
      expect(res.body.webhookUrl).toBe(`https://handoff.example.com/hooks/webhook/${res.body.id}`);
      // A trigger without a route has no URL to show.
      const manual = await api.post<{ webhookUrl: string | null; webhookPath: string | null }>('/api/flows', doc());
      expect(manual.body).toMatchObject({ webhookUrl: null, webhookPath: null });
    } finally {
      await app.close();
    }
  });
});
