import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHttp } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { signWebhook } from '../triggers/webhook-signature';

const SECRET = 'whk_bulk_retry_0123456789';

interface BulkResult {
  id: string;
  ok: boolean;
  statusCode: number;
  status?: string;
  version?: number;
  message?: string;
}

describe('bulk retry of failed runs', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  const ext = new FakeHttp();
  let provisioningUp = false;

  beforeAll(async () => {
    await ext.start();
    // A provisioning API that refuses (4xx: failed for good, no retries) until it is "fixed".
    ext.respond(async (_req, res) => {
      if (!provisioningUp) return void res.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"account not ready"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    app = await startTestApp();
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
  });
  afterAll(async () => {
    await app?.close();
    await ext.stop();
  });

  const send = async (flowId: string, id: string) => {
    const body = JSON.stringify({ id });
    const res = await fetch(`${app.url}/hooks/webhook/${flowId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-handoff-signature': signWebhook(SECRET, body, Math.floor(Date.now() / 1000)) },
      body,
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { runId: string }).runId;
  };

  it('retries each failed run on its own and reports, per id, why the others were not retried', async () => {
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'webhook.secret', name: 'bulk', secret: SECRET });
    const doc = flow('bulk', [node('order', 'webhook.trigger', { secret: { credential: cred.body.id } }), node('call', 'http.request', { url: `${ext.url}/provision`, body: '{{ trigger.body }}' }, 260)], [edge('order', 'call')]);
    const flowId = await h.createFlow(doc);
    await h.publish(flowId);
    const failed = [await send(flowId, 'bulk_1'), await send(flowId, 'bulk_2')];
    for (const id of failed) expect((await h.untilStatus(id, ['failed', 'succeeded'])).status).toBe('failed');
    provisioningUp = true;
    const done = await send(flowId, 'bulk_3');
    expect((await h.untilStatus(done, ['failed', 'succeeded'])).status).toBe('succeeded');
    const unknown = '00000000-0000-4000-8000-000000000000';

    const res = await api.post<{ results: BulkResult[] }>('/api/runs/retry', { ids: [...failed, done, unknown] });
    expect(res.status).toBe(200);
    const byId = new Map(res.body.results.map((r) => [r.id, r]));
    for (const id of failed) expect(byId.get(id)).toMatchObject({ ok: true, statusCode: 200, version: 1 });
    expect(byId.get(done)).toMatchObject({ ok: false, statusCode: 409, message: 'Only a failed run can be retried; this one is succeeded' });
    expect(byId.get(unknown)).toMatchObject({ ok: false, statusCode: 404, message: `Run ${unknown} not found` });
    for (const id of failed) expect((await h.untilStatus(id, ['failed', 'succeeded'])).status).toBe('succeeded');
    // The succeeded run was left alone: one call per run, none twice.
    expect(ext.to('/provision')).toHaveLength(5);

    // A second bulk retry of the same ids: every one is refused, nothing runs again.
    const again = await api.post<{ results: BulkResult[] }>('/api/runs/retry', { ids: failed });
    expect(again.body.results.map((r) => r.statusCode)).toEqual([409, 409]);
    await new Promise((r) => setTimeout(r, 500));
    expect(ext.to('/provision')).toHaveLength(5);
  });

  it('retries on the latest published version and refuses test runs there, with the reason', async () => {
    provisioningUp = false;
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'webhook.secret', name: 'bulk latest', secret: SECRET });
    const doc = (path: string) =>
      flow('bulk latest', [node('order', 'webhook.trigger', { secret: { credential: cred.body.id } }), node('call', 'http.request', { url: `${ext.url}${path}`, body: '{{ trigger.body }}' }, 260)], [edge('order', 'call')]);
    const flowId = await h.createFlow(doc('/v1'));
    await h.publish(flowId);
    const real = await send(flowId, 'latest_1');
    const test = await h.testRun(flowId, { body: { id: 'latest_test' } });
    for (const id of [real, test]) expect((await h.untilStatus(id, ['failed', 'succeeded'])).status).toBe('failed');
    provisioningUp = true;
    expect((await api.put(`/api/flows/${flowId}`, doc('/v2'))).status).toBe(200);
    expect(await h.publish(flowId)).toBe(2);

    const res = await api.post<{ results: BulkResult[] }>('/api/runs/retry', { ids: [real, test], version: 'latest' });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      expect.objectContaining({ id: real, ok: true, version: 2 }),
      { id: test, ok: false, statusCode: 409, message: 'A test run runs the draft it was started with; start a new test run instead' },
    ]);
    expect((await h.untilStatus(real, ['failed', 'succeeded'])).status).toBe('succeeded');
    expect(ext.to('/v2')).toHaveLength(1);
    expect((await h.getRun(test)).status).toBe('failed');
  });

  it('answers 400 with the reason for a malformed request and changes nothing', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /ids/],
      [{ ids: [] }, /at least one run/],
      [{ ids: ['not-a-run'] }, /UUID/],
      [{ ids: ['00000000-0000-4000-8000-000000000000'], version: 'v2' }, /version/],
      [{ ids: Array.from({ length: 101 }, () => '00000000-0000-4000-8000-000000000000') }, /at most 100/],
    ];
    for (const [body, reason] of cases) {
      const res = await api.post<{ message: string }>('/api/runs/retry', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toMatch(reason);
    }
  });

  it('is for editors: a viewer is refused', async () => {
    expect((await api.post('/api/users', { email: 'view-bulk@example.com', password: 'viewer-password-1', role: 'viewer' })).status).toBe(201);
    const viewer = await new HttpClient(app.url).login('view-bulk@example.com', 'viewer-password-1');
    const res = await viewer.post('/api/runs/retry', { ids: ['00000000-0000-4000-8000-000000000000'] });
    expect(res.status).toBe(403);
  });
});
