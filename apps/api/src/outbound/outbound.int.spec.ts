import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHttp } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { Client } from 'pg';
import { eventually } from '../../test/fake-http';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { OutboxDelivery } from '../outbox/outbox-delivery.service';

/** Outbound calls from steps, as an attacker with an editor account would try them. */
describe('outbound address policy', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  const inside = new FakeHttp();

  const callFlow = (config: Record<string, unknown>) => h.createFlow(flow('call', [node('start', 'manual.trigger'), node('call', 'http.request', { method: 'GET', ...config }, 260)], [edge('start', 'call')]));
  const runCall = async (config: Record<string, unknown>) => h.untilStatus(await h.testRun(await callFlow(config)), ['succeeded', 'failed'], 30_000);
  const port = () => new URL(inside.url).port;

  beforeAll(async () => {
    await inside.start();
    // Only the name `localhost` is allowed: 127.0.0.1 and every other private address are not.
    app = await startTestApp({ allowedHosts: 'localhost' });
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
  });
  afterAll(async () => {
    await app?.close();
    await inside.stop();
  });

  it('refuses loopback, private and metadata addresses at once, without connecting, and says how to allow them', async () => {
    for (const url of [`${inside.url}/secret`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://[::1]:9/']) {
      const run = await runCall({ url });
      expect(run.status, url).toBe('failed');
      expect(h.step(run, 'call')).toMatchObject({ attempt: 1, error: expect.stringMatching(/refused: .*(loopback|link-local|private).*HANDOFF_ALLOWED_HOSTS/) });
    }
    expect(inside.requests).toHaveLength(0);
  });

  it('checks every redirect: an allowed host cannot send the call on to a private address', async () => {
    inside.respond((req, res) => {
      if (req.path === '/hop') res.writeHead(302, { location: `http://127.0.0.1:${port()}/secret` }).end();
      else res.writeHead(200).end('{"secret":"internal"}');
    });
    const run = await runCall({ url: `http://localhost:${port()}/hop` });
    expect(run.status).toBe('failed');
    expect(h.step(run, 'call')?.error).toMatch(/127\.0\.0\.1.*loopback/);
    expect(inside.requests.map((r) => r.path)).toEqual(['/hop']);
  });

  it('reads a huge answer only up to the limit', async () => {
    inside.requests.length = 0;
    inside.respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      // 300 MB if anyone read it all; the step stops reading at 256 KB and drops the connection.
      const pump = () => {
        while (sent < 300 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = Infinity));
      pump();
    });
    const run = await runCall({ url: `http://localhost:${port()}/big` });
    expect(run.status, JSON.stringify(h.step(run, 'call')?.error)).toBe('succeeded');
    const output = h.step(run, 'call')?.output as { body: string; headers: Record<string, string> };
    expect(output.body.length).toBe(256 * 1024);
    expect(output.headers['x-handoff-truncated']).toMatch(/256 KB/);
  });

  it('adds a secret header from an http.header credential, so the API key is never written in the flow', async () => {
    inside.requests.length = 0;
    inside.respond((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'http.header', name: 'provisioning', secret: { name: 'Authorization', value: 'Bearer s3cret-provisioning-key' } });
    const run = await runCall({ url: `http://localhost:${port()}/provision`, headers: { authorization: 'typed-in-the-flow' }, auth: { credential: cred.body.id } });
    expect(run.status).toBe('succeeded');
    expect(inside.requests[0].headers.authorization).toBe('Bearer s3cret-provisioning-key');
    const exported = await api.get<unknown>(`/api/runs/${run.id}`);
    expect(JSON.stringify(exported.body)).not.toContain('s3cret-provisioning-key');
  });

  it('sends a credential header, Authorization and Cookie only to the origin they were meant for, not on through a redirect', async () => {
    const other = new FakeHttp();
    await other.start();
    try {
      inside.requests.length = 0;
      const there = `http://localhost:${new URL(other.url).port}/landing`;
      inside.respond((req, res) => {
        if (req.path === '/away') res.writeHead(302, { location: there }).end();
        else if (req.path === '/here') res.writeHead(302, { location: '/landing' }).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
      other.respond((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
      const cred = await api.post<{ id: string }>('/api/credentials', { type: 'http.header', name: 'api key', secret: { name: 'X-Api-Key', value: 'key-for-inside-only' } });
      const config = { headers: { authorization: 'Bearer typed-token', cookie: 'sid=1', 'x-trace': 'kept' }, auth: { credential: cred.body.id } };

      const away = await runCall({ url: `http://localhost:${port()}/away`, ...config });
      expect(away.status, JSON.stringify(h.step(away, 'call')?.error)).toBe('succeeded');
      expect(inside.requests[0].headers).toMatchObject({ 'x-api-key': 'key-for-inside-only', authorization: 'Bearer typed-token', cookie: 'sid=1' });
      expect(other.requests).toHaveLength(1);
      const landed = other.requests[0].headers;
      expect([landed['x-api-key'], landed.authorization, landed.cookie, landed['x-trace']]).toEqual([undefined, undefined, undefined, 'kept']);

      // The same origin keeps them.
      const here = await runCall({ url: `http://localhost:${port()}/here`, ...config });
      expect(here.status).toBe('succeeded');
      expect(inside.requests.at(-1)).toMatchObject({ path: '/landing', headers: { 'x-api-key': 'key-for-inside-only', authorization: 'Bearer typed-token' } });
    } finally {
      await other.stop();
    }
  });

  it('holds connectors to the same rule: a Slack webhook aimed at the LAN is dead at once, and is never sent', async () => {
    inside.requests.length = 0;
    const slack = await api.post<{ id: string }>('/api/credentials', { type: 'slack.webhook', name: 'lan', secret: `http://127.0.0.1:${port()}/slack` });
    const flowId = await h.createFlow(flow('tell', [node('start', 'manual.trigger'), node('tell', 'notify', { channel: 'slack', credential: { credential: slack.body.id }, text: 'hi' }, 260)], [edge('start', 'tell')]));
    const run = await h.untilStatus(await h.testRun(flowId), ['succeeded', 'failed']);
    const outboxId = (h.step(run, 'tell')?.output as { outboxId: string }).outboxId;
    const message = await eventually(async () => {
      const m = (await api.get<{ items: Array<{ id: string; status: string; attempts: number; lastError: string }> }>('/api/outbox')).body.items.find((x) => x.id === outboxId);
      return m && m.status === 'dead' ? m : undefined;
    }, 15_000, 'the message to be dead');
    expect(message).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/127\.0\.0\.1.*loopback/) });
    expect(inside.requests).toHaveLength(0);
  });

  it('never hands a connector a credential of another type, nor shows its secret in the error', async () => {
    const secret = await api.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'whsec', secret: 'whsec_never_shown_123' });
    const db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    try {
      // A message written with the wrong credential (publish and test runs refuse such flows; this is defence in depth).
      const { rows } = await db.query(`INSERT INTO outbox_messages (channel, credential_id, body) VALUES ('slack', $1, 'hi') RETURNING id`, [secret.body.id]);
      await app.handoff.app.get(OutboxDelivery).deliver(rows[0].id, { attempts: 1, maxAttempts: 8 });
      const { rows: [m] } = await db.query(`SELECT status, last_error FROM outbox_messages WHERE id = $1`, [rows[0].id]);
      expect(m.status).toBe('dead');
      expect(m.last_error).toMatch(/is a stripe\.signingSecret; slack messages need slack\.webhook/);
      expect(m.last_error).not.toContain('whsec_never_shown');
    } finally {
      await db.end();
    }
  });

  it('lets the Stripe SDK reach only allowed hosts too', async () => {
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'stripe.apiKey', name: 'evil', secret: { secretKey: 'sk_test_x', apiBase: 'http://169.254.169.254' } });
    const flowId = await h.createFlow(
      flow('refund', [node('start', 'manual.trigger'), node('refund', 'stripe.refund', { credential: { credential: cred.body.id }, payment: 'pi_123' }, 260)], [edge('start', 'refund')]),
    );
    const run = await h.untilStatus(await h.testRun(flowId), ['succeeded', 'failed'], 30_000);
    expect(run.status).toBe('failed');
    expect(h.step(run, 'refund')).toMatchObject({ attempt: 1, error: expect.stringMatching(/^Stripe refund: 169\.254\.169\.254.*link-local/) });
  });
});

describe('outbound address policy, by host name', () => {
  let app: TestApp;
  let h: ReturnType<typeof flowHelpers>;
  let api: HttpClient;
  const inside = new FakeHttp();

  beforeAll(async () => {
    await inside.start();
    // Nothing allowed: `localhost` resolves to loopback and is refused when the socket looks it up.
    app = await startTestApp({ allowedHosts: '' });
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
  });
  afterAll(async () => {
    await app?.close();
    await inside.stop();
  });

  it('refuses a name that resolves to a private address, for http.request and for the Stripe SDK alike', async () => {
    const port = new URL(inside.url).port;
    const call = await h.createFlow(flow('call', [node('start', 'manual.trigger'), node('call', 'http.request', { method: 'GET', url: `http://localhost:${port}/x` }, 260)], [edge('start', 'call')]));
    const run = await h.untilStatus(await h.testRun(call), ['succeeded', 'failed'], 30_000);
    expect(h.step(run, 'call')).toMatchObject({ status: 'failed', attempt: 1, error: expect.stringMatching(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/) });
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'stripe.apiKey', name: 'lan', secret: { secretKey: 'sk_test_x', apiBase: `http://localhost:${port}` } });
    const refund = await h.createFlow(flow('refund', [node('start', 'manual.trigger'), node('refund', 'stripe.refund', { credential: { credential: cred.body.id }, payment: 'pi_1' }, 260)], [edge('start', 'refund')]));
    const run2 = await h.untilStatus(await h.testRun(refund), ['succeeded', 'failed'], 30_000);
    expect(h.step(run2, 'refund')).toMatchObject({ status: 'failed', attempt: 1, error: expect.stringMatching(/^Stripe refund: localhost resolves to .*loopback/) });
    // The HubSpot client's own sockets too (its baseUrl is a credential setting).
    const hs = await api.post<{ id: string }>('/api/credentials', { type: 'hubspot', name: 'lan', secret: { accessToken: 'pat-x', baseUrl: `http://localhost:${port}` } });
    const deal = await h.createFlow(
      flow('deal', [node('start', 'manual.trigger'), node('deal', 'crm.updateDeal', { connection: 'hubspot', credential: { credential: hs.body.id }, email: 'a@example.com', objectId: 'cs_1', customerId: '', name: '', amount: '', currency: '', product: '' }, 260)], [edge('start', 'deal')]),
    );
    const run3 = await h.untilStatus(await h.testRun(deal), ['succeeded', 'failed']);
    const outboxId = (h.step(run3, 'deal')?.output as { outboxId: string }).outboxId;
    const message = await eventually(async () => {
      const m = (await api.get<{ items: Array<{ id: string; status: string; lastError: string }> }>('/api/outbox')).body.items.find((x) => x.id === outboxId);
      return m && m.status === 'dead' ? m : undefined;
    }, 15_000, 'the HubSpot message to be dead');
    expect(message.lastError).toMatch(/localhost resolves to .*loopback/);
    expect(inside.requests).toHaveLength(0);
  });
});
