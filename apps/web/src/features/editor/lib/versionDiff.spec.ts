import { diffFlows } from '@handoff/nodes';
import { describe, expect, it } from 'vitest';
import { describeDiff } from './versionDiff';

const label = (type: string) => ({ branch: 'Branch', notify: 'Notify', delay: 'Delay' })[type] ?? type;
const node = (id: string, type: string, x: number, config: Record<string, unknown> = {}, extra: { label?: string } = {}) => ({ id, type, position: { x, y: 0 }, config, ...extra });

describe('describeDiff', () => {
  it('reads a version against the draft as lines: added, removed, changed steps and connections, then moves', () => {
    const v1 = {
      name: 'Onboarding',
      nodes: [node('start', 'manual.trigger', 0), node('check', 'branch', 260, { condition: 'true' }), node('tell', 'notify', 520, { text: 'hi' }, { label: 'Tell sales' })],
      edges: [
        { id: 'a', source: 'start', sourcePort: 'out', target: 'check' },
        { id: 'b', source: 'check', sourcePort: 'true', target: 'tell' },
      ],
    };
    const draft = {
      name: 'Onboarding v2',
      nodes: [node('start', 'manual.trigger', 10), node('check', 'branch', 260, { condition: 'false' }), node('wait', 'delay', 520, { duration: 'PT1H' })],
      edges: [
        { id: 'a', source: 'start', sourcePort: 'out', target: 'check' },
        { id: 'c', source: 'check', sourcePort: 'true', target: 'wait' },
      ],
    };
    expect(describeDiff(diffFlows(v1, draft), label)).toEqual([
      { kind: 'flow', text: 'Renamed from “Onboarding” to “Onboarding v2”' },
      { kind: 'added', text: 'Step added: Delay (wait)' },
      { kind: 'removed', text: 'Step removed: Tell sales (tell)' },
      { kind: 'changed', text: 'Step changed: Branch (check): condition' },
      { kind: 'added', text: 'Connection added: check [true] → wait' },
      { kind: 'removed', text: 'Connection removed: check [true] → tell' },
      { kind: 'moved', text: 'Moved on the canvas: manual.trigger (start)' },
    ]);
  });

  it('has no lines when the draft is the version', () => {
    const doc = { name: 'Same', nodes: [node('start', 'manual.trigger', 0)], edges: [] };
    expect(describeDiff(diffFlows(doc, structuredClone(doc)), label)).toEqual([]);
  });
});
