import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@handoff/nodes';
import { credentialUsage } from './whereUsed';

const doc = (nodes: FlowDocument['nodes']): FlowDocument => ({ schema: 'handoff.flow/1', name: 'f', nodes, edges: [] });

describe('credentialUsage', () => {
  it('maps each credential id to the flows and steps whose drafts point at it', () => {
    const a = doc([
      { id: 'stripe_1', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: { signingSecret: { credential: 'cred-1' } } },
      { id: 'notify_1', type: 'notify', position: { x: 0, y: 0 }, config: { channel: 'slack', credential: { credential: 'cred-2' }, text: 'hi' } },
    ]);
    const b = doc([{ id: 'notify_9', type: 'notify', position: { x: 0, y: 0 }, config: { channel: 'slack', credential: { credential: 'cred-2' }, text: 'hi' } }]);
    const usage = credentialUsage([
      { id: 'flow-a', name: 'Payments', draft: a },
      { id: 'flow-b', name: 'Alerts', draft: b },
    ]);
    expect(usage.get('cred-1')).toEqual([{ flowId: 'flow-a', flowName: 'Payments', nodeId: 'stripe_1' }]);
    expect(usage.get('cred-2')?.map((u) => `${u.flowName}/${u.nodeId}`)).toEqual(['Payments/notify_1', 'Alerts/notify_9']);
  });

  it('knows nothing of credentials no draft uses, and skips flows without a draft', () => {
    const usage = credentialUsage([{ id: 'x', name: 'Empty', draft: null }, { id: 'y', name: 'No steps', draft: doc([]) }]);
    expect(usage.size).toBe(0);
  });
});
