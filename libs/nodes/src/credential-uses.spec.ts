import { describe, expect, it } from 'vitest';
import { credentialUses } from './credential-uses';
import type { FlowDocument } from './flow-document';

const doc = (nodes: FlowDocument['nodes']): FlowDocument => ({ schema: 'handoff.flow/1', name: 'f', nodes, edges: [] });

describe('credentialUses', () => {
  it('finds each credential a node points at, with the types its field takes', () => {
    const uses = credentialUses(
      doc([
        { id: 'paid', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: { signingSecret: { credential: 'c1' }, apiKey: { credential: 'c2' } } },
        { id: 'tell', type: 'notify', position: { x: 0, y: 0 }, config: { channel: 'slack', credential: { credential: 'c3' } } },
      ]),
    );
    expect(uses).toEqual([
      { nodeId: 'paid', path: 'config.signingSecret', id: 'c1', types: ['stripe.signingSecret'] },
      { nodeId: 'paid', path: 'config.apiKey', id: 'c2', types: ['stripe.apiKey'] },
      { nodeId: 'tell', path: 'config.credential', id: 'c3', types: ['slack.webhook', 'smtp'] },
    ]);
  });

  it('still finds a reference where the schema does not expect one (its types then unknown)', () => {
    expect(credentialUses(doc([{ id: 'b', type: 'branch', position: { x: 0, y: 0 }, config: { extra: { credential: 'c9' } } }]))).toEqual([
      { nodeId: 'b', path: 'config.extra', id: 'c9', types: [] },
    ]);
  });
});
