import { describe, expect, it } from 'vitest';
import { graphileLevel } from './graphile-log';

describe('graphileLevel', () => {
  it('drops the failure line of a run_step job: StepExecutor logged that attempt already', () => {
    expect(graphileLevel('error', { failure: true, job: { task_identifier: 'run_step' } })).toBeNull();
  });

  it('keeps other failures and errors as errors, warnings as warnings, and drops the chatter', () => {
    expect(graphileLevel('error', { failure: true, job: { task_identifier: 'deliver_outbox' } })).toBe('error');
    expect(graphileLevel('error')).toBe('error');
    expect(graphileLevel('error', { job: { task_identifier: 'run_step' } })).toBe('error');
    expect(graphileLevel('warning')).toBe('warn');
    expect(graphileLevel('info')).toBeNull();
    expect(graphileLevel('debug')).toBeNull();
  });
});
