import { describe, expect, it } from 'vitest';
import type { Run, RunStep } from '../../../api/types';
import { applyStreamMessage, isTerminal, latestSteps, overlayFromSteps } from './runState';

const step = (nodeId: string, status: string, attempt = 1, port: string | null = null): RunStep => ({
  nodeId,
  status,
  port,
  attempt,
  input: null,
  output: null,
  error: null,
  startedAt: '2024-01-01T00:00:00Z',
  finishedAt: null,
});

const run: Run = {
  id: 'r1',
  flowId: 'f1',
  version: 1,
  status: 'running',
  trigger: { eventId: 'evt_1', type: 'checkout.session.completed' },
  startedAt: '2024-01-01T00:00:00Z',
  finishedAt: null,
  steps: [step('paid', 'succeeded', 1, 'out'), step('crm', 'failed', 1), step('crm', 'succeeded', 2, 'out')],
};

describe('run state', () => {
  it('keeps the latest attempt of each step', () => {
    expect(latestSteps(run.steps).crm.attempt).toBe(2);
    expect(overlayFromSteps(run.steps)).toEqual({ paid: { status: 'succeeded', port: 'out' }, crm: { status: 'succeeded', port: 'out' } });
  });

  it('folds a step message into the run, adding the step when new', () => {
    const next = applyStreamMessage(run, { runId: 'r1', nodeId: 'notify_1', status: 'running' });
    expect(next.steps.at(-1)).toMatchObject({ nodeId: 'notify_1', status: 'running' });
    const done = applyStreamMessage(next, { runId: 'r1', nodeId: 'notify_1', status: 'succeeded', port: 'out' });
    expect(done.steps.filter((s) => s.nodeId === 'notify_1')).toHaveLength(1);
    expect(done.steps.at(-1)).toMatchObject({ status: 'succeeded', port: 'out' });
  });

  it('understands the engine message shape with runStatus and stepStatus', () => {
    const next = applyStreamMessage(run, { runId: 'r1', flowId: 'f1', nodeId: 'notify_1', stepStatus: 'succeeded', port: 'out', runStatus: 'succeeded' });
    expect(next.status).toBe('succeeded');
    expect(next.steps.at(-1)).toMatchObject({ nodeId: 'notify_1', status: 'succeeded', port: 'out' });
    expect(applyStreamMessage(run, { runId: 'r1', runStatus: 'failed' }).steps).toBe(run.steps);
  });

  it('updates the run status on a run-level message and ignores other runs', () => {
    expect(applyStreamMessage(run, { runId: 'r1', status: 'succeeded' }).status).toBe('succeeded');
    expect(applyStreamMessage(run, { runId: 'other', status: 'failed' })).toBe(run);
    expect(isTerminal('succeeded')).toBe(true);
    expect(isTerminal('waiting')).toBe(false);
  });

  it('moves a step to its next attempt in place, clearing the last attempt’s error', () => {
    const failedOnce: Run = { ...run, steps: [step('paid', 'succeeded', 1, 'out'), { ...step('call', 'retrying', 1), error: 'HTTP 500', finishedAt: null }] };
    const next = applyStreamMessage(failedOnce, { runId: 'r1', nodeId: 'call', stepStatus: 'running', attempt: 2 });
    expect(next.steps).toHaveLength(2);
    expect(next.steps[1]).toMatchObject({ nodeId: 'call', status: 'running', attempt: 2, error: null });
    const failed = applyStreamMessage(next, { runId: 'r1', nodeId: 'call', stepStatus: 'failed' });
    expect(failed.steps[1]).toMatchObject({ status: 'failed', attempt: 2 });
  });
});
