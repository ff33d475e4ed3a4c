import { describe, expect, it } from 'vitest';
import { graphileLevel } from './graphile-log';
import { RetryScheduled } from './step-errors';

describe('graphileLevel', () => {
  it('drops the failure line of a job that rethrew after logging its step’s attempt', () => {
    expect(graphileLevel('error', { failure: true, error: new RetryScheduled('POST /x answered 500') })).toBeNull();
  });

  it('keeps any other failure of a job (the database gone, a bug) as an error, warnings as warnings, and drops the chatter', () => {
    expect(graphileLevel('error', { failure: true, error: new Error('Connection terminated unexpectedly') })).toBe('error');
    expect(graphileLevel('error', { failure: true, error: 'a string' })).toBe('error');
    expect(graphileLevel('error')).toBe('error');
    expect(graphileLevel('warning')).toBe('warn');
    expect(graphileLevel('info')).toBeNull();
    expect(graphileLevel('debug')).toBeNull();
  });
});
