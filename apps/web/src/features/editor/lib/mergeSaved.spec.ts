import { describe, expect, it } from 'vitest';
import type { FlowDoc } from '../store/types';
import { mergeSaved } from './mergeSaved';

const base: FlowDoc = {
  schema: 'handoff.flow/1',
  name: 'Invoice payments',
  nodes: [
    { id: 'payment', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: { events: ['invoice.paid'], apiKey: { credential: 'key' } } },
    { id: 'isPaid', type: 'branch', position: { x: 260, y: 0 }, config: { condition: 'true' } },
  ],
  edges: [{ id: 'e1', source: 'payment', sourcePort: 'out', target: 'isPaid' }],
};
const withSecret = (doc: FlowDoc): FlowDoc => ({
  ...doc,
  nodes: doc.nodes.map((n) => (n.id === 'payment' ? { ...n, config: { ...n.config, signingSecret: { credential: 'whsec-cred' } } } : n)),
});

describe('mergeSaved', () => {
  it('takes the server’s draft whole when nothing was edited since the save', () => {
    const server = withSecret(base);
    expect(mergeSaved(base, server, structuredClone(base))).toEqual(server);
  });

  it('keeps edits made while the server changed the draft, and adds the server’s change', () => {
    const local = structuredClone(base);
    local.name = 'Renamed meanwhile';
    local.nodes[1].config = { condition: "trigger.event.type = 'invoice.paid'" };
    local.nodes[0].position = { x: 40, y: 40 };
    const merged = mergeSaved(base, withSecret(base), local);
    expect(merged.name).toBe('Renamed meanwhile');
    expect(merged.nodes[0]).toEqual({ ...local.nodes[0], config: { ...local.nodes[0].config, signingSecret: { credential: 'whsec-cred' } } });
    expect(merged.nodes[1].config).toEqual({ condition: "trigger.event.type = 'invoice.paid'" });
  });

  it('keeps a local edit of the same value over the server’s', () => {
    const local = structuredClone(base);
    local.nodes[0].config = { ...local.nodes[0].config, signingSecret: { credential: 'picked-by-hand' } };
    expect(mergeSaved(base, withSecret(base), local).nodes[0].config.signingSecret).toEqual({ credential: 'picked-by-hand' });
  });

  it('leaves a node deleted locally deleted', () => {
    const local = { ...structuredClone(base), nodes: [structuredClone(base.nodes[1])], edges: [] };
    expect(mergeSaved(base, withSecret(base), local).nodes.map((n) => n.id)).toEqual(['isPaid']);
  });
});
