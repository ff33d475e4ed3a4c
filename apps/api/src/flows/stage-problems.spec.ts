import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@handoff/nodes';
import { stageProblems } from './stage-problems';

const STAGES = ['lead', 'proposal', 'paid_won', 'lost'];
const doc = (nodes: Array<{ id: string; type: string; config: Record<string, unknown> }>): FlowDocument =>
  ({ schema: 'handoff.flow/1', name: 'f', nodes: nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })), edges: [] }) as FlowDocument;

describe('stageProblems', () => {
  it('names a plain-text stage the built-in CRM does not have, on the step that has it', () => {
    expect(stageProblems(doc([{ id: 'won', type: 'crm.updateDeal', config: { stage: 'new' } }]), STAGES)).toEqual([
      { code: 'crm.unknownStage', nodeId: 'won', path: 'config.stage', blocks: 'publish', message: 'Step "won": "new" is not a stage of the built-in CRM; the stages are lead, proposal, paid_won, lost' },
    ]);
    expect(stageProblems(doc([{ id: 'deal', type: 'crm.trigger', config: { on: 'deal.stage_changed', stage: 'Won' } }]), STAGES)).toHaveLength(1);
  });

  it('leaves known stages, templates, empty stages and outside CRMs alone', () => {
    const nodes = [
      { id: 'a', type: 'crm.updateDeal', config: { stage: 'paid_won' } },
      { id: 'b', type: 'crm.updateDeal', config: { stage: '{{ steps.pick.stage }}' } },
      { id: 'c', type: 'crm.updateDeal', config: { stage: '', dealId: '{{ trigger.deal.id }}' } },
      { id: 'd', type: 'crm.updateDeal', config: { connection: 'hubspot', stage: 'closedwon' } },
      { id: 'e', type: 'crm.trigger', config: { on: 'deal.created' } },
      { id: 'f', type: 'notify', config: { stage: 'whatever' } },
    ];
    expect(stageProblems(doc(nodes), STAGES)).toEqual([]);
  });
});
