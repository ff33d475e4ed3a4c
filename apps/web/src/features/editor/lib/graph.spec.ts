import { describe, expect, it } from 'vitest';
import { connectionProblem, wouldCreateCycle, type ConnectionContext } from './graph';

const kinds: Record<string, string> = { t: 'trigger', b: 'logic', c: 'crm', n: 'notify' };
const ports: Record<string, string[]> = { t: ['out'], b: ['true', 'false'], c: ['out'], n: ['out'] };
const ctx = (edges: ConnectionContext['edges']): ConnectionContext => ({
  edges,
  kindOf: (id) => kinds[id],
  portsOf: (id) => ports[id],
});

describe('wouldCreateCycle', () => {
  it('detects a path back to the source', () => {
    const edges = [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'c' },
    ];
    expect(wouldCreateCycle(edges, 'c', 'a')).toBe(true);
    expect(wouldCreateCycle(edges, 'a', 'c')).toBe(false);
    expect(wouldCreateCycle(edges, 'a', 'a')).toBe(true);
  });
});

describe('connectionProblem', () => {
  it('allows a named port into a non-trigger', () => {
    expect(connectionProblem({ source: 't', target: 'b', sourceHandle: 'out' }, ctx([]))).toBeNull();
    expect(connectionProblem({ source: 'b', target: 'c', sourceHandle: 'true' }, ctx([]))).toBeNull();
  });

  it('refuses self loops, edges into triggers, unknown ports and duplicates', () => {
    expect(connectionProblem({ source: 'b', target: 'b', sourceHandle: 'true' }, ctx([]))).toMatch(/itself/);
    expect(connectionProblem({ source: 'b', target: 't', sourceHandle: 'true' }, ctx([]))).toMatch(/Triggers/);
    expect(connectionProblem({ source: 'b', target: 'c', sourceHandle: 'maybe' }, ctx([]))).toMatch(/port/);
    expect(
      connectionProblem({ source: 'b', target: 'c', sourceHandle: 'true' }, ctx([{ source: 'b', target: 'c', sourceHandle: 'true' }])),
    ).toMatch(/Already/);
  });

  it('refuses connections that would close a cycle', () => {
    const edges = [
      { source: 'b', target: 'c', sourceHandle: 'true' },
      { source: 'c', target: 'n', sourceHandle: 'out' },
    ];
    expect(connectionProblem({ source: 'n', target: 'b', sourceHandle: 'out' }, ctx(edges))).toMatch(/loop/);
  });
});
