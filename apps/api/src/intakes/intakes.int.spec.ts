import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/fake-http';
import { decoded, startSmtp } from '../../test/fake-smtp';
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
interface StaffIntake {
  id: string;
  status: string;
  url: string | null;
  flow: { id: string; name: string } | null;
  deal: { id: string; title: string | null } | null;
  fields: Array<{ name: string; label: string; required: boolean }>;
  answers: Record<string, string> | null;
  message: { id: string; status: string; count: number } | null;
  canResend: boolean;
  resendBlockedBecause: string | null;
}

const PUBLIC_URL = 'https://handoff.example.com';

describe('onboarding intake', () => {
  let app: TestApp;
  let api: HttpClient;
  let client: HttpClient;
  let db: Client;
  let h: ReturnType<typeof flowHelpers>;
  let flowId: string;
  let local: string;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    app = await startTestApp({ workerConcurrency: 2, publicUrl: PUBLIC_URL });
    // app.url is the public URL; the test talks to the process itself.
    local = `http://127.0.0.1:${(app.handoff.app.getHttpServer().address() as { port: number }).port}`;
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
    await smtp?.stop();
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
    const reopened = await client.get<{ message: string; reason: string }>(form(intake.token));
    expect(reopened.status).toBe(410);
    expect(reopened.body).toMatchObject({ reason: 'submitted', message: 'This form has already been sent. Thank you!' });

    const list = await api.get<{ items: IntakeView[] }>('/api/intakes?status=submitted');
    expect(list.body.items.find((i) => i.id === intake.id)).toMatchObject({ answers: { company: 'Acme Ltd' }, dealId, email: 'cus_I4@example.com' });
  });

  it('answers 410 once the link has expired, and lists it as expired', async () => {
    const { intake } = await startIntake('cus_I5');
    await db.query(`UPDATE intakes SET expires_at = now() - interval '1 minute' WHERE id = $1`, [intake.id]);
    const res = await client.get<{ message: string }>(form(intake.token));
    expect(res.status).toBe(410);
    expect(res.body.message).toMatch(/expired/);
    expect((res.body as { reason?: string }).reason).toBe('expired');
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

  describe('the staff list and resend', () => {
    it('lists an intake with its flow, deal, link and questions; filters by flow, status and search', async () => {
      const { intake, dealId } = await startIntake('cus_L1');
      const other = await h.createFlow(flow('other intake', [node('start', 'manual.trigger'), node('intake', 'intake.start', {})], [edge('start', 'intake')]));
      await h.untilStatus(await h.testRun(other, { payment: { email: 'cus_L1-other@example.com' } }), ['succeeded']);

      const mine = await api.get<{ items: StaffIntake[] }>(`/api/intakes?flowId=${flowId}&q=cus_L1`);
      expect(mine.status).toBe(200);
      expect(mine.body.items).toHaveLength(1);
      expect(mine.body.items[0]).toMatchObject({
        id: intake.id,
        status: 'sent',
        url: intake.url,
        flow: { id: flowId, name: 'intake' },
        deal: { id: dealId, title: 'Audit' },
        fields: [
          { name: 'company', label: 'Company name', required: true },
          { name: 'notes', label: 'Anything else?', required: false },
        ],
        message: { status: 'held', count: 1 },
        // Held for want of an SMTP credential: the outbox's retry sends it, not a resend.
        canResend: false,
      });
      expect(mine.body.items[0].resendBlockedBecause).toMatch(/no e-mail credential.*Outbox/);
      const both = await api.get<{ items: StaffIntake[] }>('/api/intakes?q=CUS_L1');
      expect(both.body.items.map((i) => i.flow?.name).sort()).toEqual(['intake', 'other intake']);
      expect((await api.get<{ items: StaffIntake[] }>(`/api/intakes?q=cus_L1&status=submitted`)).body.items).toEqual([]);

      const one = await api.get<StaffIntake>(`/api/intakes/${intake.id}`);
      expect(one.body).toMatchObject({ id: intake.id, url: intake.url, answers: null });
      expect((await api.get(`/api/intakes/${randomUUID()}`)).status).toBe(404);
      for (const bad of ['flowId=nope', 'q=' + 'x'.repeat(201), 'cursor=bm9wZQ', 'status=done']) {
        const res = await api.get<{ message: string }>(`/api/intakes?${bad}`);
        expect(res.status, bad).toBe(400);
        expect(res.body.message).toBeTruthy();
      }
    });

    it('pages through more than one page with the cursor, each intake once', async () => {
      await db.query(
        `INSERT INTO intakes (token_hash, email, name, status, fields, expires_at, created_at)
         SELECT decode(md5(random()::text || n), 'hex'), 'page' || n || '@paging.example.com', 'Pager', 'sent', '[]', now() + interval '1 day', now() - n * interval '1 second'
         FROM generate_series(1, 57) n`,
      );
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { body: { items: StaffIntake[]; nextCursor: string | null } } = await api.get(`/api/intakes?q=paging.example.com${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...res.body.items.map((i) => i.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(2);
      expect(seen).toHaveLength(57);
      expect(new Set(seen).size).toBe(57);
    });

    it('masks the link for viewers and reviewers and lets only editors resend', async () => {
      const { intake } = await startIntake('cus_L2');
      expect((await api.post('/api/users', { email: 'intake-viewer@example.com', password: 'viewer-password', role: 'viewer' })).status).toBe(201);
      const viewer = await new HttpClient(local).login('intake-viewer@example.com', 'viewer-password');
      const seen = await viewer.get<StaffIntake>(`/api/intakes/${intake.id}`);
      expect(seen.status).toBe(200);
      expect(seen.body.url).toBe(`${PUBLIC_URL}/intake/••••••`);
      const listed = await viewer.get<{ items: StaffIntake[] }>('/api/intakes?q=cus_L2');
      expect(JSON.stringify(listed.body)).not.toContain(intake.token);
      expect((await viewer.post(`/api/intakes/${intake.id}/resend`, {})).status).toBe(403);
    });

    it('sends the same link again through the outbox when asked, audited, and offers nothing once the form is sent back', async () => {
      const mail = await api.post<{ id: string }>('/api/credentials', { type: 'smtp', name: 'intake smtp', secret: { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, from: 'onboarding@example.com' } });
      const mailed = await h.createFlow(
        flow('mailed intake', [node('start', 'manual.trigger'), node('intake', 'intake.start', { credential: { credential: mail.body.id }, fields: [{ name: 'company', label: 'Company name', required: true }] })], [edge('start', 'intake')]),
      );
      const run = await h.untilStatus(await h.testRun(mailed, { payment: { email: 'resend@example.com', name: 'Ada' } }), ['succeeded']);
      const { id, url, token } = h.step(run, 'intake')!.output as IntakeOutput;
      const ready = await eventually(async () => {
        const res = await api.get<StaffIntake>(`/api/intakes/${id}`);
        return res.body.message?.status === 'sent' ? res.body : undefined;
      }, 15_000, 'the first intake mail to be sent');
      expect(ready.canResend).toBe(true);

      const resent = await api.post<StaffIntake>(`/api/intakes/${id}/resend`, {});
      expect(resent.status).toBe(200);
      expect(resent.body.message).toMatchObject({ count: 2 });
      const mails = await eventually(async () => {
        const got = smtp.mails.filter((m) => m.to.includes('resend@example.com'));
        return got.length === 2 ? got : undefined;
      }, 15_000, 'two intake mails');
      for (const m of mails) expect(decoded(m.raw)).toContain(url);
      const audit = await api.get<{ items: Array<{ action: string; targetId: string; actorEmail: string }> }>('/api/audit');
      expect(audit.body.items.find((a) => a.action === 'intake.resend')).toMatchObject({ targetId: id, actorEmail: 'admin@example.com' });

      expect((await client.post(form(token), { answers: { company: 'Resent Ltd' } })).status).toBe(200);
      const done = await api.get<StaffIntake>(`/api/intakes/${id}`);
      expect(done.body).toMatchObject({ status: 'submitted', answers: { company: 'Resent Ltd' }, canResend: false });
      const refused = await api.post<{ message: string }>(`/api/intakes/${id}/resend`, {});
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/already sent the form/);
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE payload ->> 'intakeId' = $1`, [id]);
      expect(rows[0].n).toBe(2);
    });
  });
});
