import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { signWebhook } from './webhook-signature';

const SECRET = 'whk_0123456789abcdef0123456789abcdef';

interface Answer {
  received?: boolean;
  duplicate?: boolean;
  held?: boolean;
  runId?: string;
  message?: string;
}
const json = async (r: Response): Promise<Answer> => (await r.json()) as Answer;

describe('webhook.trigger: POST /hooks/webhook/:flowId', () => {
  let app: TestApp;
  let api: HttpClient;
  let db: Client;
  let h: ReturnType<typeof flowHelpers>;
  let flowId: string;

  const now = () => Math.floor(Date.now() / 1000);
  const deliver = (id: string, raw: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/hooks/webhook/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  const signed = (raw: string, t = now(), secret = SECRET) => ({ 'x-handoff-signature': signWebhook(secret, raw, t) });
  const count = async (sql: string, params: unknown[]) => Number((await db.query(sql, params)).rows[0].count);

  beforeAll(async () => {
    app = await startTestApp();
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'webhook.secret', name: 'orders', secret: SECRET });
    expect(cred.status).toBe(201);
    flowId = await h.createFlow(
      flow('Orders', [node('order', 'webhook.trigger', { secret: { credential: cred.body.id }, idField: 'order.id' }), node('check', 'branch', { condition: 'trigger.body.order.total > 100' }, 260)], [edge('order', 'check')]),
    );
    await h.publish(flowId);
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('starts one run for ten concurrent copies of a signed delivery, with the body and headers as `trigger`', async () => {
    const raw = JSON.stringify({ order: { id: 'ord_1', total: 250 }, email: 'client@example.com' });
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(flowId, raw, { ...signed(raw), 'x-source': 'shop' }).then(async (r) => ({ status: r.status, body: await json(r) }))));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const started = answers.filter((a) => a.body.duplicate === false);
    expect(started).toHaveLength(1);
    expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(9);
    expect(await count(`SELECT count(*) FROM runs WHERE flow_id = $1`, [flowId])).toBe(1);
    const run = await h.untilStatus(started[0].body.runId!, ['succeeded']);
    expect(h.step(run, 'check')).toMatchObject({ port: 'true' });
    const { rows } = await db.query(`SELECT trigger, event_id, email FROM runs WHERE id = $1`, [run.id]);
    expect(rows[0]).toMatchObject({ event_id: 'ord_1', email: 'client@example.com', trigger: { body: { order: { id: 'ord_1' } }, headers: { 'x-source': 'shop' } } });
    expect(rows[0].trigger.headers['x-handoff-signature']).toBeUndefined();
    const [ev] = (await db.query(`SELECT source, duplicate_count FROM trigger_events WHERE flow_id = $1 AND trigger_key = 'ord_1'`, [flowId])).rows;
    expect(ev).toEqual({ source: 'webhook.trigger', duplicate_count: 9 });
  });

  it('uses the Idempotency-Key header when the body has no id', async () => {
    const raw = JSON.stringify({ note: 'no id here' });
    const first = await deliver(flowId, raw, { ...signed(raw), 'idempotency-key': 'key-42' });
    const again = await deliver(flowId, raw, { ...signed(raw), 'idempotency-key': 'key-42' });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect((await json(again)).duplicate).toBe(true);
    const missing = await deliver(flowId, raw, signed(raw));
    expect(missing.status).toBe(400);
    expect((await json(missing)).message).toMatch(/no "order.id" and there is no Idempotency-Key/);
  });

  it('refuses stale, forged and missing signatures with 400 and stores nothing', async () => {
    const before = await count(`SELECT count(*) FROM trigger_events WHERE flow_id = $1`, [flowId]);
    const raw = JSON.stringify({ order: { id: 'ord_forged', total: 5 } });
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['stale', signed(raw, now() - 301), /300 s/],
      ['forged', signed(raw, now(), 'another-secret-0123456789'), /does not match/],
      ['missing', {}, /Missing x-handoff-signature/],
      ['tampered', signed(raw.replace('5', '6')), /does not match/],
    ];
    for (const [name, headers, reason] of cases) {
      const res = await deliver(flowId, raw, headers);
      expect(res.status, name).toBe(400);
      expect((await json(res)).message, name).toMatch(reason);
    }
    expect(await count(`SELECT count(*) FROM trigger_events WHERE flow_id = $1`, [flowId])).toBe(before);
    expect(await count(`SELECT count(*) FROM runs WHERE flow_id = $1 AND event_id = 'ord_forged'`, [flowId])).toBe(0);
  });

  it('answers 404 for a flow without a webhook trigger, 400 for a body that is not JSON, 413 over 1 MiB', async () => {
    const raw = JSON.stringify({ order: { id: 'x' } });
    expect((await deliver('00000000-0000-4000-8000-000000000000', raw, signed(raw))).status).toBe(404);
    expect((await deliver('not-a-uuid', raw, signed(raw))).status).toBe(404);
    const text = 'order=1';
    const notJson = await deliver(flowId, text, signed(text));
    expect(notJson.status).toBe(400);
    expect((await json(notJson)).message).toBe('The body is not JSON');
    const big = JSON.stringify({ order: { id: 'big' }, pad: 'x'.repeat(1024 * 1024) });
    expect((await deliver(flowId, big, signed(big))).status).toBe(413);
  });

  it('answers 400 with the reason, and stores nothing, for a signed body Postgres could not store', async () => {
    const before = await count(`SELECT count(*) FROM trigger_events WHERE flow_id = $1`, [flowId]);
    const cases: Array<[string, string, RegExp]> = [
      ['a NUL', '{"order":{"id":"nul"},"a":"\\u0000"}', /NUL character/],
      ['a lone surrogate', '{"order":{"id":"sur"},"a":"\\ud800"}', /unpaired UTF-16 surrogate/],
      ['5,000 levels', `{"order":{"id":"deep"},"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, /nested more than 64 levels/],
    ];
    for (const [name, raw, reason] of cases) {
      const res = await deliver(flowId, raw, signed(raw));
      expect(res.status, name).toBe(400);
      expect((await json(res)).message, name).toMatch(reason);
    }
    expect(await count(`SELECT count(*) FROM trigger_events WHERE flow_id = $1`, [flowId])).toBe(before);
  });

  it('answers a delivery the same on the path in front of Nest as through Express (hooks-in-front.ts)', async () => {
    // A query string keeps a URL off the front path: Express and Nest answer it as before.
    const viaExpress = (path: string) => `${path}?via=express`;
    const post = async (path: string, raw: string, headers: Record<string, string> = {}) => {
      const r = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
      const keep = ['content-type', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'content-security-policy'];
      return { status: r.status, body: (await r.json()) as unknown, headers: Object.fromEntries(keep.map((k) => [k, r.headers.get(k)])) };
    };
    const unknownFlow = `/hooks/webhook/00000000-0000-4000-8000-000000000000`;
    const ok = JSON.stringify({ order: { id: 'ord_paths', total: 1 } });
    const big = JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) });
    const cases: Array<[string, string, Record<string, string>]> = [
      [unknownFlow, ok, signed(ok)],
      [`/hooks/nosuchhook/${flowId}`, ok, signed(ok)],
      [`/hooks/webhook/${flowId}`, ok, signed(ok, now(), 'whk_wrong_secret_0000000000000000')],
      [`/hooks/webhook/${flowId}`, 'not json', signed('not json')],
      [`/hooks/webhook/${flowId}`, big, signed(big)],
    ];
    for (const [path, raw, headers] of cases) {
      const front = await post(path, raw, headers);
      expect(front.status, path).toBeGreaterThanOrEqual(400);
      expect(front.headers['x-content-type-options']).toBe('nosniff');
      expect(await post(viaExpress(path), raw, headers), path).toEqual(front);
    }
    // The same delivery twice: taken on the front path, a duplicate through Express.
    const first = await post(`/hooks/webhook/${flowId}`, ok, signed(ok));
    const again = await post(viaExpress(`/hooks/webhook/${flowId}`), ok, signed(ok));
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(first.body).toMatchObject({ received: true, duplicate: false });
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect(again.headers).toEqual(first.headers);
  });

  it('holds deliveries while the flow is paused and runs each once on resume', async () => {
    expect((await api.post(`/api/flows/${flowId}/pause`, {})).status).toBe(200);
    const raw = JSON.stringify({ order: { id: 'ord_paused', total: 150 } });
    const held = await deliver(flowId, raw, signed(raw));
    expect(await json(held)).toEqual({ received: true, held: true });
    expect((await json(await deliver(flowId, raw, signed(raw)))).duplicate).toBe(true);
    expect(await count(`SELECT count(*) FROM runs WHERE flow_id = $1 AND event_id = 'ord_paused'`, [flowId])).toBe(0);
    expect((await api.post(`/api/flows/${flowId}/resume`, {})).status).toBe(200);
    const { rows } = await db.query(`SELECT id FROM runs WHERE flow_id = $1 AND event_id = 'ord_paused'`, [flowId]);
    expect(rows).toHaveLength(1);
    await h.untilStatus(rows[0].id, ['succeeded']);
  });
});
