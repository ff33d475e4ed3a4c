import { describe, expect, it } from 'vitest';
import { diffFlows } from './flow-diff';

const at = (x: number) => ({ x, y: 0 });
interface Doc {
  name: string;
  nodes: Array<{ id: string; type: string; position: { x: number; y: number }; label?: string; config: Record<string, unknown> }>;
  edges: Array<{ id: string; source: string; sourcePort: string; target: string }>;
  settings: Record<string, unknown>;
}
const base: Doc = {
  name: 'Payment to onboarding',
  nodes: [
    { id: 'paid', type: 'stripe.trigger', position: at(0), config: { events: ['checkout.session.completed'] } },
    { id: 'cleared', type: 'branch', position: at(260), config: { condition: "trigger.payment.status = 'cleared'" } },
    { id: 'tell', type: 'notify', position: at(520), label: 'Tell sales', config: { channel: 'slack', text: 'Paid', retry: { attempts: 3, backoff: 'exp' } } },
  ],
  edges: [
    { id: 'e1', source: 'paid', sourcePort: 'out', target: 'cleared' },
    { id: 'e2', source: 'cleared', sourcePort: 'true', target: 'tell' },
  ],
  settings: { retentionDays: 30 },
};

describe('diffFlows', () => {
  it('finds nothing between a document and its copy, whatever the key order or edge ids', () => {
    const copy = structuredClone(base);
    copy.nodes[2].config = { retry: { backoff: 'exp', attempts: 3 }, text: 'Paid', channel: 'slack' };
    copy.edges = copy.edges.map((e, i) => ({ ...e, id: `new-${i}` }));
    expect(diffFlows(base, copy)).toMatchObject({ same: true, nodes: { added: [], removed: [], changed: [], moved: [] }, edges: { added: [], removed: [] }, settings: [] });
  });

  it('lists added, removed, changed and moved steps, rewired edges, settings and the name', () => {
    const draft = structuredClone(base);
    draft.name = 'Payments';
    draft.nodes[0].position = at(-40);
    draft.nodes[1].config = { condition: 'true' };
    draft.nodes.splice(2, 1);
    draft.nodes.push({ id: 'won', type: 'crm.updateDeal', position: at(520), config: { stage: 'paid_won' } });
    draft.edges[1] = { id: 'e3', source: 'cleared', sourcePort: 'true', target: 'won' };
    draft.settings = { retentionDays: 90 };
    expect(diffFlows(base, draft)).toEqual({
      same: false,
      name: { from: 'Payment to onboarding', to: 'Payments' },
      description: false,
      nodes: {
        added: [{ id: 'won', type: 'crm.updateDeal' }],
        removed: [{ id: 'tell', type: 'notify', label: 'Tell sales' }],
        changed: [{ id: 'cleared', type: 'branch', fields: ['config.condition'] }],
        moved: [{ id: 'paid', type: 'stripe.trigger' }],
      },
      edges: { added: [{ source: 'cleared', sourcePort: 'true', target: 'won' }], removed: [{ source: 'cleared', sourcePort: 'true', target: 'tell' }] },
      settings: ['retentionDays'],
    });
  });

  it('names a relabelled step, a new config key and a changed port as such', () => {
    const draft = structuredClone(base);
    draft.nodes[2] = { ...draft.nodes[2], label: 'Tell delivery', config: { ...draft.nodes[2].config, to: '#delivery' } };
    draft.edges[1] = { ...draft.edges[1], sourcePort: 'false' };
    const diff = diffFlows(base, draft);
    expect(diff.nodes.changed).toEqual([{ id: 'tell', type: 'notify', label: 'Tell delivery', fields: ['label', 'config.to'] }]);
    expect(diff.edges).toEqual({ added: [{ source: 'cleared', sourcePort: 'false', target: 'tell' }], removed: [{ source: 'cleared', sourcePort: 'true', target: 'tell' }] });
  });
});
