import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '@handoff/nodes';
import { eventually } from '../../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../../test/harness';
import { SANDBOX_HEAP_MB, SANDBOX_TIMEOUT_MS } from './expression-sandbox';

/**
 * Expressions a security probe used to take the whole process down with: each now fails only
 * its own step, with a clear error, while the process keeps answering and other runs finish.
 */
describe('expression sandbox', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;

  const flowWith = (config: Record<string, unknown>, type = 'branch') =>
    h.createFlow(flow(`runaway ${type}`, [node('start', 'manual.trigger'), node('bad', type, config, 260)], [edge('start', 'bad')]));

  beforeAll(async () => {
    app = await startTestApp();
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
  });
  afterAll(() => app?.close());

  it('stops an expression that would eat the heap, fails its step with the reason, and the process lives on', async () => {
    const flowId = await flowWith({ condition: "$count([1..200].($join([1..100000].($pad('x', 1000))))) > 0" });
    const run = await h.untilStatus(await h.testRun(flowId), ['succeeded', 'failed'], 60_000);
    expect(run.status).toBe('failed');
    // Usually the heap cap ends it; on a busy machine the time limit (ours, or JSONata's own loop
    // guard inside the sandbox) may come first. Stopped and named either way.
    expect(h.step(run, 'bad')?.error).toMatch(
      new RegExp(`^Expression "\\$count.*" (used more than ${SANDBOX_HEAP_MB} MB|ran longer than ${SANDBOX_TIMEOUT_MS / 1000} s|failed: Evaluation timeout)`),
    );
    expect(h.step(run, 'bad')?.attempt).toBe(1);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('stops a template that computes for seconds after the time limit, while /healthz and other runs go on', async () => {
    const slow = await flowWith({ url: 'http://127.0.0.1:9/x', body: '{{ $count([1..3000].([1..3000])) }}' }, 'http.request');
    const fine = await flowWith({ condition: '1 + 1 = 2' });
    const started = Date.now();
    const slowRun = await h.testRun(slow);
    // While the runaway template occupies a sandbox worker, the process answers at once and a normal run finishes.
    const health: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = Date.now();
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      health.push(Date.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Math.max(...health)).toBeLessThan(500);
    const fineRun = await h.untilStatus(await h.testRun(fine), ['succeeded', 'failed']);
    expect(fineRun.status).toBe('succeeded');
    const done = await h.untilStatus(slowRun, ['succeeded', 'failed'], 30_000);
    expect(done.status).toBe('failed');
    // A 9-million-item cross product: stopped by the heap cap or the time limit, whichever comes first; named either way.
    expect(h.step(done, 'bad')?.error).toMatch(new RegExp(`^Expression "\\{\\{ \\$count\\(\\[1\\.\\.3000\\]\\.\\(\\[1\\.\\.3000\\]\\)\\) \\}\\}" (ran longer than ${SANDBOX_TIMEOUT_MS / 1000} s|used more than ${SANDBOX_HEAP_MB} MB)`));
    expect(Date.now() - started).toBeLessThan(SANDBOX_TIMEOUT_MS + 15_000);
  });

  it('stops catastrophic regex backtracking, which no JSONata step check can interrupt, after the time limit', async () => {
    const flowId = await flowWith({ condition: '$contains("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /^(a+)+$/)' });
    const started = Date.now();
    const run = await h.untilStatus(await h.testRun(flowId), ['succeeded', 'failed'], 30_000);
    expect(run.status).toBe('failed');
    expect(h.step(run, 'bad')?.error).toMatch(new RegExp(`ran longer than (${SANDBOX_TIMEOUT_MS / 1000} s and was stopped|${SANDBOX_TIMEOUT_MS / 4000} s and was stopped: it overran)`));
    expect(Date.now() - started).toBeLessThan(SANDBOX_TIMEOUT_MS + 10_000);
  });

  it('gives an expression that overran the limit a quarter of it next time, so a stream of its runs cannot hold the job slots', async () => {
    const flowId = await flowWith({ condition: '$contains(trigger.s, /^(b+)+$/)' });
    const hostile = { s: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb!' };
    const quarter = new RegExp(`ran longer than ${SANDBOX_TIMEOUT_MS / 4000} s and was stopped: it overran the ${SANDBOX_TIMEOUT_MS / 1000} s limit recently`);
    // The first run may already meet the shorter limit: its step can be evaluated twice (ahead of its claim, then in it).
    const first = await h.untilStatus(await h.testRun(flowId, hostile), ['succeeded', 'failed'], 30_000);
    expect(h.step(first, 'bad')?.error).toMatch(new RegExp(`ran longer than ${SANDBOX_TIMEOUT_MS / 1000} s and was stopped$|${quarter.source}`));
    const again = await h.untilStatus(await h.testRun(flowId, hostile), ['succeeded', 'failed'], 30_000);
    expect(h.step(again, 'bad')?.error).toMatch(quarter);
    // The same expression on data it handles quickly still works within the shorter limit.
    const quick = await h.untilStatus(await h.testRun(flowId, { s: 'bbb' }), ['succeeded', 'failed']);
    expect(h.step(quick, 'bad')).toMatchObject({ status: 'succeeded', port: 'true' });
  });

  it('still evaluates ordinary expressions and templates with their types', async () => {
    const flowId = await flowWith({ condition: "trigger.amount >= 100 and $uppercase(trigger.currency) = 'USD'" });
    const run = await h.untilStatus(await h.testRun(flowId, { amount: 150, currency: 'usd' }), ['succeeded', 'failed']);
    expect(h.step(run, 'bad')).toMatchObject({ status: 'succeeded', port: 'true', output: { value: true } });
  });

  it('keeps a stream of real webhook runs flowing while a hostile expression runs next to them', async () => {
    const secret = 'whsec_sandbox_stream_0123456789';
    const cred = await api.post<{ id: string }>('/api/credentials', { type: 'stripe.signingSecret', name: 'whsec', secret });
    const normal = await h.createFlow(
      flow('payments', [node('paid', 'stripe.trigger', { signingSecret: { credential: cred.body.id } }), node('cleared', 'branch', { condition: "trigger.payment.status = 'cleared'" }, 260)], [edge('paid', 'cleared')]),
    );
    await h.publish(normal);
    const hostile = await flowWith({ condition: '$contains("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /^(a+)+$/)' });
    const hostileRun = await h.testRun(hostile);
    const runIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const payload = JSON.stringify(sampleEvent('checkout_paid'));
      const res = await fetch(`${app.url}/hooks/stripe/${normal}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }) },
        body: payload,
      });
      expect(res.status).toBe(200);
      runIds.push(((await res.json()) as { runId: string }).runId);
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    }
    await eventually(async () => {
      const runs = await Promise.all(runIds.map((id) => h.getRun(id)));
      return runs.every((r) => r.status === 'succeeded') ? true : undefined;
    }, 30_000, 'the 20 webhook runs to finish');
    const done = await h.untilStatus(hostileRun, ['succeeded', 'failed'], 30_000);
    expect(done.status).toBe('failed');
    expect(h.step(done, 'bad')?.error).toMatch(/ran longer than/);
  });
});
