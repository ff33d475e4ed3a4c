import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';

interface IntakeOutput {
  id: string;
  token: string;
  url: string;
  email: string;
}
interface IntakeView {
  id: string;
  status: string;
  email: string;
  dealId: string | null;
  contactId: string | null;
  runId: string;
  answers: Record<string, string> | null;
  submittedAt: string | null;
}

const PUBLIC_URL = 'https://handoff.example.com';

describe('onboarding intake', () => {
  let app: TestApp;
  let api: HttpClient;
  let client: HttpClient;
  let db: Client;
  let h: ReturnType<typeof flowHelpers>;
  let flowId: string;

  beforeAll(async () => {
    app = await startTestApp({ workerConcurrency: 2, publicUrl: PUBLIC_URL });
    // app.url is the public URL; the test talks to the process itself.
    const local = `http://127.0.0.1:${(app.handoff.app.getHttpServer().address() as { port: number }).port}`;
    api = await new HttpClient(local).login();
    client = new HttpClient(local); // the client: no login
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
    h = flowHelpers(api);
    flowId = await h.createFlow(
      flow(
        'intake',
        [
          node('start', 'manual.trigger'),
          node('won', 'crm.updateDeal', { stage: 'paid_won' }),
          node('intake', 'intake.start', {
            expiresInDays: 7,
            fields: [
              { name: 'company', label: 'Company name', required: true },
              { name: 'notes', label: 'Anything else?', required: false },
            ],
          }),
        ],
        [edge('start', 'won'), edge('won', 'intake')],
      ),
    );
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  async function startIntake(customerId: string, email: string | null = `${customerId}@example.com`) {
    const payment = { customerId, email, name: 'Grace Hopper', amount: 90000, currency: 'eur', metadata: { product: 'Audit' } };
    const run = await h.untilStatus(await h.testRun(flowId, { payment }), ['succeeded', 'failed']);
    return { run, intake: h.step(run, 'intake')?.output as IntakeOutput, dealId: (h.step(run, 'won')?.output as { dealId: string }).dealId };
  }
  const form = (token: string) => `/intake-api/${token}`;

  it('creates the intake linked to the deal and holds the e-mail with the link in the outbox when there is no SMTP credential', async () => {
    const { run, intake, dealId } = await startIntake('cus_I1');
    expect(run.status).toBe('succeeded');
    expect(intake.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(intake.url).toBe(`${PUBLIC_URL}/intake/${intake.token}`);

    const outbox = await api.get<{ items: Array<{ channel: string; status: string; recipient: string; body: string; nodeId: string }> }>(`/api/outbox?runId=${run.id}`);
    expect(outbox.body.items).toEqual([expect.objectContaining({ channel: 'email', status: 'held', recipient: 'cus_I1@example.com', nodeId: 'intake' })]);
    expect(outbox.body.items[0].body).toContain(intake.url);

    const deal = await api.get<{ intake: { id: string; status: string } }>(`/api/crm/deals/${dealId}`);
    expect(deal.body.intake).toEqual({ id: intake.id, status: 'sent' });

    // Only the token's hash is stored.
    const { rows } = await db.query(`SELECT encode(token_hash, 'hex') AS hash FROM intakes WHERE id = $1`, [intake.id]);
    expect(rows[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(intake.token);
  });

  it('shows the client the form without a login and marks it opened', async () => {
    const { intake } = await startIntake('cus_I2');
    const res = await client.get<{ fields: unknown[]; status: string; contact: unknown; expiresAt: string }>(form(intake.token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      fields: [
        { name: 'company', label: 'Company name', required: true },
        { name: 'notes', label: 'Anything else?', required: false },
      ],
      status: 'opened',
      contact: { name: 'Grace Hopper', email: 'cus_I2@example.com' },
    });
    const days = (Date.parse(res.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    const opened = await api.get<{ items: IntakeView[] }>('/api/intakes?status=opened');
    expect(opened.body.items.map((i) => i.id)).toContain(intake.id);
  });

  it('refuses invalid answers with the reasons and changes nothing', async () => {
    const { intake } = await startIntake('cus_I3');
    const res = await client.post<{ message: string; problems: Array<{ path: string; message: string }> }>(form(intake.token), {
      answers: { company: '', notes: 'x'.repeat(5001), hacker: 'y' },
    });
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual([
      { path: 'answers.hacker', message: 'is not a question on this form' },
      { path: 'answers.company', message: '(Company name) is required' },
      { path: 'answers.notes', message: '(Anything else?) must be at most 5000 characters, got 5001' },
    ]);
    expect((await client.post(form(intake.token), { answers: 'Acme' })).status).toBe(400);
    expect((await client.post(form(intake.token), {})).status).toBe(400);
    const { rows } = await db.query(`SELECT status, answers FROM intakes WHERE id = $1`, [intake.id]);
    expect(rows[0]).toEqual({ status: 'sent', answers: null });
  });

  it('takes one submission, moves the deal to onboarding in the same transaction (history by the client), and refuses a second', async () => {
    const { intake, dealId } = await startIntake('cus_I4');
    const sent = await client.post<{ status: string }>(form(intake.token), { answers: { company: '  Acme Ltd  ' } });
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('submitted');

    const deal = await api.get<{ stage: string; intake: unknown; history: Array<{ from: string; to: string; byType: string; by: string }> }>(`/api/crm/deals/${dealId}`);
    expect(deal.body.stage).toBe('onboarding');
    expect(deal.body.intake).toEqual({ id: intake.id, status: 'submitted' });
    expect(deal.body.history.at(-1)).toMatchObject({ from: 'paid_won', to: 'onboarding', byType: 'client', by: intake.id });

    const again = await client.post<{ message: string }>(form(intake.token), { answers: { company: 'Other' } });
    expect(again.status).toBe(409);
    expect((await client.get(form(intake.token))).status).toBe(410);

    const list = await api.get<{ items: IntakeView[] }>('/api/intakes?status=submitted');
    expect(list.body.items.find((i) => i.id === intake.id)).toMatchObject({ answers: { company: 'Acme Ltd' }, dealId, email: 'cus_I4@example.com' });
  });

  it('answers 410 once the link has expired, and lists it as expired', async () => {
    const { intake } = await startIntake('cus_I5');
    await db.query(`UPDATE intakes SET expires_at = now() - interval '1 minute' WHERE id = $1`, [intake.id]);
    const res = await client.get<{ message: string }>(form(intake.token));
    expect(res.status).toBe(410);
    expect(res.body.message).toMatch(/expired/);
    expect((await client.post(form(intake.token), { answers: { company: 'Late Ltd' } })).status).toBe(410);
    const list = await api.get<{ items: IntakeView[] }>('/api/intakes?status=expired');
    expect(list.body.items.map((i) => i.id)).toContain(intake.id);
  });

  it('answers 404 for a link that does not exist, well-formed or not', async () => {
    expect((await client.get(form(randomBytes(32).toString('base64url')))).status).toBe(404);
    expect((await client.get(form('short'))).status).toBe(404);
    expect((await client.post(form(randomBytes(32).toString('base64url')), { answers: {} })).status).toBe(404);
    expect((await api.get('/api/intakes?status=bogus')).status).toBe(400);
    expect((await client.get('/api/intakes')).status).toBe(401);
  });

  it('fails the step at once when there is no e-mail to send the link to', async () => {
    const { run } = await startIntake('cus_I6', null);
    expect(run.status).toBe('failed');
    expect(h.step(run, 'intake')).toMatchObject({ status: 'failed', attempt: 1 });
    expect(h.step(run, 'intake')!.error).toMatch(/e-mail is empty/);
  });
});
