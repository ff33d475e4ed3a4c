import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FakeHttp } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { decoded, startSmtp } from '../../test/fake-smtp';

interface OutboxView {
  id: string;
  channel: string;
  status: string;
  recipient: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  history: Array<{ ok: boolean; error: string | null }>;
}
/** A header of a raw message, unfolded. */
const header = (raw: string, name: string) => new RegExp(`^${name}: (.*(?:\\r\\n[ \\t].*)*)`, 'mi').exec(raw)?.[1].replace(/\r\n[ \t]/g, ' ');

describe('notify delivery through the outbox', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const slack = new FakeHttp();

  beforeAll(async () => {
    await slack.start();
    smtp = await startSmtp();
    app = await startTestApp({ workerConcurrency: 2 });
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
  });
  afterAll(async () => {
    await app?.close();
    await slack.stop();
    await smtp?.stop();
  });

  async function credential(type: string, secret: unknown): Promise<string> {
    const res = await api.post<{ id: string }>('/api/credentials', { type, name: `${type} for tests`, secret });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }
  const outboxOf = async (runId: string) => (await api.get<{ items: OutboxView[] }>(`/api/outbox?runId=${runId}`)).body.items;
  const untilMessage = (runId: string, statuses: string[], ms = 20_000) =>
    eventually(async () => {
      const [m] = await outboxOf(runId);
      return m && statuses.includes(m.status) ? m : undefined;
    }, ms, `the outbox message of run ${runId} to be ${statuses.join('/')}`);

  async function runNotify(config: Record<string, unknown>, payload: Record<string, unknown> = {}) {
    const id = await h.createFlow(flow(`notify ${Math.random()}`, [node('start', 'manual.trigger'), node('tell', 'notify', config)], [edge('start', 'tell')]));
    const run = await h.untilStatus(await h.testRun(id, payload), ['succeeded', 'failed']);
    expect(run.status).toBe('succeeded');
    return run;
  }

  it('posts a Slack message to the incoming webhook of the credential', async () => {
    const hook = await credential('slack.webhook', `${slack.url}/services/T000/B000/XXXX`);
    const run = await runNotify({ channel: 'slack', credential: { credential: hook }, to: '#sales', text: 'Paid: {{ trigger.who }}' }, { who: 'Ada' });
    expect(h.step(run, 'tell')!.output).toMatchObject({ channel: 'slack', to: '#sales' });
    const sent = await untilMessage(run.id, ['sent']);
    expect(sent).toMatchObject({ channel: 'slack', attempts: 1, lastError: null });
    const posts = slack.to('/services/T000/B000/XXXX');
    expect(posts).toHaveLength(1);
    expect(posts[0].method).toBe('POST');
    expect(JSON.parse(posts[0].body)).toEqual({ text: 'Paid: Ada' });
  });

  it('sends a held message once its step has a credential in the published flow: retry picks it up, and says so when there is none', async () => {
    const doc = (config: Record<string, unknown>) => flow('held then sent', [node('start', 'manual.trigger'), node('tell', 'notify', { channel: 'slack', text: 'held until set', ...config })], [edge('start', 'tell')]);
    const id = await h.createFlow(doc({}));
    await h.publish(id);
    const run = await h.untilStatus(await h.testRun(id), ['succeeded', 'failed']);
    const held = await untilMessage(run.id, ['held']);
    const refused = await api.post<{ message: string }>(`/api/outbox/${held.id}/retry`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/no credential to be sent with: pick one on its step \(tell\), publish, then retry/);
    const hook = await credential('slack.webhook', `${slack.url}/services/T000/B000/HELD`);
    expect((await api.put(`/api/flows/${id}`, doc({ credential: { credential: hook } }))).status).toBe(200);
    await h.publish(id);
    expect((await api.post(`/api/outbox/${held.id}/retry`, {})).status).toBeLessThan(300);
    await untilMessage(run.id, ['sent']);
    expect(slack.to('/services/T000/B000/HELD')).toHaveLength(1);
  });

  it('sends an e-mail through the SMTP credential, with a Message-ID derived from the outbox id', async () => {
    const mail = await credential('smtp', { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, from: 'Handoff <handoff@example.com>' });
    const run = await runNotify({
      channel: 'email',
      credential: { credential: mail },
      to: 'sales@example.com, delivery@example.com',
      subject: 'New client: {{ trigger.who }}',
      text: 'Please start onboarding for {{ trigger.who }}.',
    }, { who: 'Grace' });
    const sent = await untilMessage(run.id, ['sent']);
    const got = await eventually(async () => smtp.mails.find((m) => m.raw.includes(`<${sent.id}@handoff>`)), 10_000, 'the mail');
    expect(got.from).toBe('handoff@example.com');
    expect(got.to).toEqual(['sales@example.com', 'delivery@example.com']);
    expect(header(got.raw, 'Subject')).toBe('New client: Grace');
    expect(header(got.raw, 'Message-ID')).toBe(`<${sent.id}@handoff>`);
    expect(decoded(got.raw)).toContain('Please start onboarding for Grace.');
  });

  it('e-mails the intake link through SMTP when the intake step has a credential', async () => {
    const mail = await credential('smtp', { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, from: 'onboarding@example.com' });
    const id = await h.createFlow(flow('intake mail', [node('start', 'manual.trigger'), node('intake', 'intake.start', { credential: { credential: mail } })], [edge('start', 'intake')]));
    const run = await h.untilStatus(await h.testRun(id, { payment: { email: 'client@example.com', name: 'Jenny Rosen' } }), ['succeeded', 'failed']);
    const { url } = h.step(run, 'intake')!.output as { url: string };
    await untilMessage(run.id, ['sent']);
    const got = await eventually(async () => smtp.mails.find((m) => m.to.includes('client@example.com') && decoded(m.raw).includes(url)), 10_000, 'the intake mail');
    expect(header(got.raw, 'Subject')).toBe('Your onboarding form');
  });

  it('alerts a review’s owner through the credential on the review step, by e-mail or Slack', async () => {
    const mail = await credential('smtp', { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, from: 'handoff@example.com' });
    const reviewFlow = (config: Record<string, unknown>) =>
      h.createFlow(flow(`review ${Math.random()}`, [node('start', 'manual.trigger'), node('check', 'review', { owner: 'finance@example.com', reason: 'Check {{ trigger.who }}', ...config })], [edge('start', 'check')]));
    const byMail = await h.untilStatus(await h.testRun(await reviewFlow({ credential: { credential: mail } }), { who: 'Acme' }), ['waiting']);
    expect((await untilMessage(byMail.id, ['sent'])).recipient).toBe('finance@example.com');
    const got = await eventually(async () => smtp.mails.find((m) => m.to.includes('finance@example.com') && header(m.raw, 'Subject') === 'Payment review needed: Check Acme'), 10_000, 'the alert');
    expect(decoded(got.raw)).toContain('Decide in the Handoff review inbox');

    const hook = await credential('slack.webhook', `${slack.url}/review-alerts`);
    const bySlack = await h.untilStatus(await h.testRun(await reviewFlow({ alert: 'slack', credential: { credential: hook } }), { who: 'Globex' }), ['waiting']);
    await untilMessage(bySlack.id, ['sent']);
    expect(JSON.parse(slack.to('/review-alerts').at(-1)!.body).text).toMatch(/^Payment review for finance@example.com: Check Globex/);
  });

  it('retries a failing target with backoff, then marks the message dead; an editor retries it once the target is back', async () => {
    let down = true;
    slack.respond((req, res) => {
      if (req.path === '/down' && down) return void res.writeHead(500, { 'content-type': 'text/plain' }).end('internal_error');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    const hook = await credential('slack.webhook', `${slack.url}/down`);
    // retry.attempts on the notify step bounds the delivery attempts of its message.
    const run = await runNotify({ channel: 'slack', credential: { credential: hook }, text: 'This will bounce', retry: { attempts: 2 } });
    const dead = await untilMessage(run.id, ['dead'], 30_000);
    expect(dead).toMatchObject({ status: 'dead', attempts: 2, maxAttempts: 2 });
    expect(dead.lastError).toMatch(/500/);
    expect(dead.history.map((a) => a.ok)).toEqual([false, false]);
    expect(slack.to('/down')).toHaveLength(2);

    const deadList = await api.get<{ items: OutboxView[] }>('/api/outbox?status=dead');
    expect(deadList.body.items.map((m) => m.id)).toContain(dead.id);

    down = false;
    const retried = await api.post<OutboxView>(`/api/outbox/${dead.id}/retry`);
    expect(retried.status).toBe(201);
    const sent = await untilMessage(run.id, ['sent']);
    expect(sent.history.map((a) => a.ok)).toEqual([false, false, true]);
    expect(slack.to('/down')).toHaveLength(3);
    expect((await api.post(`/api/outbox/${dead.id}/retry`)).status).toBe(409);
  });
  it('keeps retrying while a target is down for a while (errors, dropped connections), then delivers every message once, unattended', async () => {
    const downUntil = Date.now() + 4_000;
    const delivered: string[] = [];
    slack.respond((req, res) => {
      if (req.path !== '/flaky') return void res.writeHead(404).end();
      if (Date.now() < downUntil) {
        // Half the failures are 503s, half are connections cut without an answer.
        if (slack.to('/flaky').length % 2) return void res.writeHead(503, { 'content-type': 'text/plain' }).end('service_unavailable');
        return void res.socket?.destroy();
      }
      delivered.push((JSON.parse(req.body) as { text: string }).text);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    const hook = await credential('slack.webhook', `${slack.url}/flaky`);
    const runs = await Promise.all(['one', 'two', 'three'].map((n) => runNotify({ channel: 'slack', credential: { credential: hook }, text: `Paid: ${n}` })));
    const sent = await Promise.all(runs.map((r) => untilMessage(r.id, ['sent'], 45_000)));
    for (const m of sent) {
      expect(m.attempts).toBeGreaterThan(1);
      expect(m.history.map((a) => a.ok)).toEqual([...Array(m.attempts - 1).fill(false), true]);
    }
    expect(delivered.sort()).toEqual(['Paid: one', 'Paid: three', 'Paid: two']);
  }, 60_000);
});
