import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHttp } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { signWebhook } from '../triggers/webhook-signature';

const SECRET = 'whk_retry_latest_0123456789';

describe('retry on the latest published version', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  const ext = new FakeHttp();

  beforeAll(async () => {
    await ext.start();
    ext.respond(async (req, res) => {
      if (req.path === '/old') return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"no such endpoint"}');
      await new Promise((r) => setTimeout(r, 700)); // a slow provisioning call: its step must report its own time
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

  it('finishes, on the fixed version, a run that failed on the old one; a step reports its own duration', async () => {
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'webhook.secret', name: 'orders', secret: SECRET });
    const doc = (path: string) =>
      flow('provision', [node('order', 'webhook.trigger', { secret: { credential: cred.body.id } }), node('call', 'http.request', { url: `${ext.url}${path}`, body: '{{ trigger.body }}' }, 260)], [edge('order', 'call')]);
    const flowId = await h.createFlow(doc('/old'));
    await h.publish(flowId);
    const body = JSON.stringify({ id: 'ord_1' });
    const res = await fetch(`${app.url}/hooks/webhook/${flowId}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-handoff-signature': signWebhook(SECRET, body, Math.floor(Date.now() / 1000)) }, body });
    const { runId } = (await res.json()) as { runId: string };
    expect((await h.untilStatus(runId, ['failed', 'succeeded'])).status).toBe('failed');

    // The fix: the right path, published as version 2.
    expect((await api.put(`/api/flows/${flowId}`, doc('/new'))).status).toBe(200);
    expect(await h.publish(flowId)).toBe(2);
    expect((await api.post(`/api/runs/${runId}/retry?version=v9`, {})).status).toBe(400);
    const retried = await api.post<{ version: number }>(`/api/runs/${runId}/retry?version=latest`, {});
    expect(retried.status).toBeLessThan(300);
    expect(retried.body.version).toBe(2);
    const run = await h.untilStatus(runId, ['failed', 'succeeded']);
    expect(run.status).toBe('succeeded');
    expect(ext.to('/new')).toHaveLength(1);
    const call = (await api.get<{ steps: Array<{ nodeId: string; durationMs: number }> }>(`/api/runs/${runId}`)).body.steps.find((s) => s.nodeId === 'call')!;
    expect(call.durationMs).toBeGreaterThanOrEqual(650);

    // A step that the latest version no longer has cannot be retried there.
    const gone = await h.createFlow(doc('/old'));
    await h.publish(gone);
    const res2 = await fetch(`${app.url}/hooks/webhook/${gone}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-handoff-signature': signWebhook(SECRET, body, Math.floor(Date.now() / 1000)) }, body });
    const second = ((await res2.json()) as { runId: string }).runId;
    await h.untilStatus(second, ['failed']);
    await api.put(`/api/flows/${gone}`, flow('provision', [node('order', 'webhook.trigger', { secret: { credential: cred.body.id } })], []));
    await h.publish(gone);
    const refused = await api.post<{ message: string }>(`/api/runs/${second}/retry?version=latest`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/Version 2 has no step call \(http\.request\)/);
  });
});
