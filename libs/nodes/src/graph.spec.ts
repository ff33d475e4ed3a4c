import { describe, expect, it } from 'vitest';
import type { FlowGraph } from './graph';
import { ancestorsOf, findCycle, findCycles, incoming, nextNodes, reachableFrom, triggerNode } from './graph';
import { paymentToOnboardingFlow } from './testing/payment-flow';

const graph = (edges: Array<[string, string, string?]>, nodes?: string[]): FlowGraph => {
  const ids = nodes ?? [...new Set(edges.flatMap(([s, t]) => [s, t]))];
  return {
    nodes: ids.map((id) => ({ id, type: id === 'start' ? 'manual.trigger' : 'delay' })),
    edges: edges.map(([source, target, port], i) => ({ id: `e${i + 1}`, source, target, sourcePort: port ?? 'out' })),
  };
};

describe('graph walk', () => {
  const flow = paymentToOnboardingFlow();

  it('follows a branch by port name', () => {
    expect(nextNodes(flow, 'cleared', 'true')).toEqual(['deal']);
    expect(nextNodes(flow, 'cleared', 'false')).toEqual(['hold']);
    expect(nextNodes(flow, 'cleared', 'maybe')).toEqual([]);
  });

  it('fans out to every target of a port, each once', () => {
    const g = graph([['start', 'a'], ['start', 'b'], ['start', 'a']]);
    expect(nextNodes(g, 'start', 'out')).toEqual(['a', 'b']);
  });

  it('exposes both edges into a join', () => {
    expect(incoming(flow, 'deal').map((e) => `${e.source}:${e.sourcePort}`)).toEqual(['cleared:true', 'hold:approved']);
    expect(incoming(flow, 'tell').map((e) => e.id)).toEqual(['e6']);
  });

  it('ignores edges to missing nodes', () => {
    const g = graph([['start', 'a'], ['start', 'ghost']], ['start', 'a']);
    expect(nextNodes(g, 'start', 'out')).toEqual(['a']);
  });

  it('finds the trigger, or null without one', () => {
    expect(triggerNode(flow)?.id).toBe('paid');
    expect(triggerNode(graph([['a', 'b']]))).toBeNull();
  });

  it('lists the steps that can run before a node, nearest first, through every branch into a join', () => {
    expect(ancestorsOf(flow, 'cleared')).toEqual(['paid']);
    expect(ancestorsOf(flow, 'deal').sort()).toEqual(['cleared', 'hold', 'paid']);
    expect(ancestorsOf(flow, 'deal')[0]).toBe('cleared');
    expect(ancestorsOf(flow, 'paid')).toEqual([]);
    expect(ancestorsOf(graph([['start', 'a'], ['b', 'c']]), 'a')).toEqual(['start']);
  });

  it('lists what a node reaches, including itself', () => {
    expect(reachableFrom(flow, 'paid').sort()).toEqual(['cleared', 'deal', 'declined', 'hold', 'intake', 'paid', 'tell']);
    expect(reachableFrom(flow, 'tell')).toEqual(['tell', 'intake']);
  });
});

describe('findCycle', () => {
  it('is null for the acyclic payment flow, joins included', () => {
    expect(findCycle(paymentToOnboardingFlow())).toBeNull();
  });

  it('returns the loop as a path back to its start', () => {
    expect(findCycle(graph([['start', 'a'], ['a', 'b'], ['b', 'c'], ['c', 'a']]))).toEqual(['a', 'b', 'c', 'a']);
  });

  it('sees a node connected to itself', () => {
    expect(findCycle(graph([['start', 'a'], ['a', 'a']]))).toEqual(['a', 'a']);
  });

  it('reports separate loops separately', () => {
    const loops = findCycles(graph([['start', 'a'], ['a', 'b'], ['b', 'a'], ['start', 'x'], ['x', 'y'], ['y', 'x']]));
    expect(loops).toEqual([['a', 'b', 'a'], ['x', 'y', 'x']]);
  });
});
