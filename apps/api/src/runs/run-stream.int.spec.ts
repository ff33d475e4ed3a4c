import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FakeHttp } from '../../test/fake-http';
import { edge, flow, flowHelpers, node } from '../../test/flow-helpers';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { openStream } from '../../test/sse';

interface RunMessage {
  runId: string;
  flowId: string;
  runStatus?: string;
  nodeId?: string;
  stepStatus?: string;
  attempt?: number;
}

describe('the run stream', () => {
  let app: TestApp;
  let api: HttpClient;
  let h: ReturnType<typeof flowHelpers>;
  const ext = new FakeHttp();

  beforeAll(async () => {
    await ext.start();
    app = await startTestApp();
    api = await new HttpClient(app.url).login();
    h = flowHelpers(api);
  });
  afterAll(async () => {
    await app?.close();
    await ext.stop();
  });

  const listen = async (path: string) => {
    const stream = await openStream<RunMessage>(`${app.url}${path}`, api.cookie!);
    expect(stream.status).toBe(200);
    return stream;
  };

  it('carries each step change (an effect step\'s attempt as it starts), and only run changes with level=run', async () => {
    const flowId = await h.createFlow(
      flow(
        'streamed',
        [node('start', 'manual.trigger'), node('check', 'branch', { condition: 'true' }, 260), node('call', 'http.request', { url: `${ext.url}/hook`, body: '{{ trigger }}' }, 520)],
        [edge('start', 'check'), edge('check', 'call', 'true')],
      ),
    );
    const steps = await listen(`/api/runs/stream?flowId=${flowId}`);
    const runsOnly = await listen(`/api/runs/stream?flowId=${flowId}&level=run`);
    // The first subscriber opens the LISTEN connection; give it a moment.
    await new Promise((r) => setTimeout(r, 300));

    const runId = await h.testRun(flowId);
    await h.untilStatus(runId, ['succeeded']);
    await eventually(async () => runsOnly.seen.some((e) => e.runId === runId && e.runStatus === 'succeeded'), 10_000, 'the run finishing on the run-level stream');
    await eventually(async () => steps.seen.some((e) => e.runId === runId && e.nodeId === 'call' && e.stepStatus === 'succeeded'), 10_000, 'the last step on the full stream');

    // A step with an effect is announced as it starts, with its attempt, before its outcome.
    const call = steps.seen.filter((e) => e.nodeId === 'call').map((e) => e.stepStatus);
    expect(call.indexOf('running')).toBeGreaterThanOrEqual(0);
    expect(call.indexOf('running')).toBeLessThan(call.indexOf('succeeded'));
    expect(steps.seen.find((e) => e.nodeId === 'call' && e.stepStatus === 'running')).toMatchObject({ runId, flowId, attempt: 1 });
    // A step without effects commits within milliseconds: its outcome is what watchers see.
    expect(steps.seen.some((e) => e.nodeId === 'check' && e.stepStatus === 'succeeded')).toBe(true);
    expect(runsOnly.seen.map((e) => e.runStatus)).toEqual(expect.arrayContaining(['queued', 'succeeded']));
    expect(runsOnly.seen.every((e) => e.runStatus !== undefined)).toBe(true);
    await steps.stop();
    await runsOnly.stop();
  });

  it('refuses an unknown level with the reason', async () => {
    const res = await api.get<{ message: string }>('/api/runs/stream?level=step');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('level may only be run');
  });
});
