import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';

interface Sample {
  run: { id: string; status: string; test: boolean } | null;
  trigger: unknown;
  steps: Record<string, { output: unknown; runId: string }>;
}

describe('GET /api/flows/:id/sample (the field picker’s data)', () => {
  let app: TestApp;
  let api: HttpClient;
  let viewer: HttpClient;
  let h: ReturnType<typeof flowHelpers>;

  beforeAll(async () => {
    app = await startTestApp();
    api = await new HttpClient(app.url).login();
    await api.post('/api/users', { email: 'sample-viewer@example.com', password: 'viewer-password-1', role: 'viewer' });
    viewer = await new HttpClient(app.url).login('sample-viewer@example.com', 'viewer-password-1');
    h = flowHelpers(api);
  });
  afterAll(() => app?.close());

  const doc = flow(
    'sample data',
    [
      node('start', 'manual.trigger'),
      node('check', 'branch', { condition: 'trigger.paid = true' }, 260),
      node('intake', 'intake.start', { email: '{{ trigger.email }}' }, 520),
    ],
    [edge('start', 'check'), edge('check', 'intake', 'true')],
  );

  it('answers no run and no data before the flow first runs', async () => {
    const flowId = await h.createFlow(doc);
    const res = await api.get<Sample>(`/api/flows/${flowId}/sample`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ run: null, trigger: null, steps: {} });
  });

  it('gives the newest run’s trigger data and each step’s newest output, from earlier runs for a branch not taken', async () => {
    const flowId = await h.createFlow(doc);
    const paidRun = await h.testRun(flowId, { paid: true, email: 'paid@example.com' });
    expect((await h.untilStatus(paidRun, ['succeeded', 'failed'])).status).toBe('succeeded');
    const unpaidRun = await h.testRun(flowId, { paid: false, email: 'unpaid@example.com' });
    expect((await h.untilStatus(unpaidRun, ['succeeded', 'failed'])).status).toBe('succeeded');

    const { status, body } = await api.get<Sample>(`/api/flows/${flowId}/sample`);
    expect(status).toBe(200);
    expect(body.run).toMatchObject({ id: unpaidRun, test: true, status: 'succeeded' });
    expect(body.trigger).toEqual({ paid: false, email: 'unpaid@example.com' });
    expect(body.steps.check).toEqual({ output: { value: false }, runId: unpaidRun });
    expect(body.steps.start.runId).toBe(unpaidRun);
    // The intake step ran only on the paid run: its output still comes from there.
    expect(body.steps.intake.runId).toBe(paidRun);
    expect(body.steps.intake.output).toMatchObject({ email: 'paid@example.com' });
    expect(JSON.stringify(body.steps.intake.output)).toMatch(/\/intake\/[A-Za-z0-9_-]{20,}/);

    // A viewer may read it, as they read runs, with the intake link masked as in the run history.
    const seen = await viewer.get<Sample>(`/api/flows/${flowId}/sample`);
    expect(seen.status).toBe(200);
    expect(seen.body.trigger).toEqual(body.trigger);
    expect(JSON.stringify(seen.body.steps.intake.output)).not.toMatch(/\/intake\/[A-Za-z0-9_-]{20,}/);
    expect(JSON.stringify(seen.body.steps.intake.output)).toContain('/intake/••••••');
  });

  it('answers 404 for an unknown flow and 400 for an id that is not one', async () => {
    const missing = await api.get<{ message: string }>('/api/flows/00000000-0000-4000-8000-000000000000/sample');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/not found/);
    expect((await api.get('/api/flows/not-a-uuid/sample')).status).toBe(400);
  });

  it('is refused without a session', async () => {
    const res = await fetch(`${app.url}/api/flows/00000000-0000-4000-8000-000000000000/sample`);
    expect(res.status).toBe(401);
  });
});
