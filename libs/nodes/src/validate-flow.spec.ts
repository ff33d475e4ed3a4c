import { describe, expect, it } from 'vitest';
import type { FlowDocument } from './flow-document';
import { paymentToOnboardingFlow } from './testing/payment-flow';
import { problemsBlocking, validateFlow, type Problem } from './validate-flow';

const flow = (change: (doc: FlowDocument) => void): FlowDocument => {
  const doc = paymentToOnboardingFlow();
  change(doc);
  return doc;
};
const codes = (problems: Problem[]) => problems.map((p) => p.code);
const node = (doc: FlowDocument, id: string) => {
  const n = doc.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id} in the test flow`);
  return n;
};

describe('validateFlow', () => {
  it('accepts the payment-to-onboarding flow with no problems', () => {
    expect(validateFlow(paymentToOnboardingFlow())).toEqual({ ok: true, problems: [] });
  });

  it('accepts an edge that leaves out sourcePort and a node that leaves out config', () => {
    const doc = {
      schema: 'handoff.flow/1',
      name: 'Manual',
      nodes: [
        { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 } },
        { id: 'wait', type: 'delay', position: { x: 1, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'wait' }],
    };
    expect(validateFlow(doc).problems).toEqual([]);
  });

  describe('problems that block saving', () => {
    it('reports each schema issue with its path and the node it is on', () => {
      const result = validateFlow({
        schema: 'handoff.flow/2',
        name: '',
        nodes: [{ id: 'paid', type: 'stripe.trigger', position: { x: 0 }, config: {} }, { id: '1bad', type: 'branch', position: { x: 0, y: 0 } }],
        edges: [],
        extra: true,
      });
      expect(result.ok).toBe(false);
      expect(result.problems.map((p) => [p.path, p.nodeId])).toEqual([
        ['schema', undefined],
        ['name', undefined],
        ['nodes[0].position.y', 'paid'],
        ['nodes[1].id', '1bad'],
        ['', undefined],
      ]);
      expect(result.problems.every((p) => p.code === 'document.invalid' && p.blocks === 'save')).toBe(true);
      expect(result.problems[2].message).toBe("The flow document's nodes[0].position.y is required");
      expect(result.problems[4].message).toMatch(/extra/);
    });

    it('refuses something that is not a document at all', () => {
      const { problems } = validateFlow('nope');
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ code: 'document.invalid', blocks: 'save' });
    });

    it('reports a node type Handoff does not know', () => {
      const { problems } = validateFlow(flow((d) => (node(d, 'tell').type = 'fax.send')));
      expect(problems).toContainEqual({
        code: 'node.unknownType',
        nodeId: 'tell',
        path: 'type',
        blocks: 'save',
        message: 'Step "tell" has type "fax.send", which is not a Handoff node type',
      });
    });

    it('reports duplicate node and edge ids', () => {
      const { problems } = validateFlow(
        flow((d) => {
          d.nodes.push({ ...node(d, 'tell'), position: { x: 5, y: 5 } });
          d.edges.push({ ...d.edges[0], target: 'hold' });
        }),
      );
      expect(problems).toContainEqual(expect.objectContaining({ code: 'node.duplicateId', nodeId: 'tell', blocks: 'save' }));
      expect(problems).toContainEqual(expect.objectContaining({ code: 'edge.duplicateId', edgeId: 'e1', blocks: 'save' }));
    });

    it('reports edges whose source or target is not a node', () => {
      const { problems } = validateFlow(
        flow((d) => {
          d.edges.push({ id: 'e8', source: 'ghost', sourcePort: 'out', target: 'tell' });
          d.edges.push({ id: 'e9', source: 'tell', sourcePort: 'out', target: 'nowhere' });
        }),
      );
      expect(problems).toContainEqual(expect.objectContaining({ code: 'edge.unknownSource', edgeId: 'e8', message: 'Edge e8 starts at "ghost", but there is no step with that id' }));
      expect(problems).toContainEqual(expect.objectContaining({ code: 'edge.unknownTarget', edgeId: 'e9', message: 'Edge e9 goes to "nowhere", but there is no step with that id' }));
    });

    it('reports an edge leaving from a port its node type does not have', () => {
      const { problems } = validateFlow(flow((d) => (d.edges[2].sourcePort = 'maybe')));
      expect(problems).toEqual([
        {
          code: 'edge.unknownPort',
          edgeId: 'e3',
          nodeId: 'cleared',
          blocks: 'save',
          message: 'Edge e3 leaves "cleared" from port "maybe", but branch has ports true, false',
        },
      ]);
    });

    it('reports every node of a loop', () => {
      const { problems } = validateFlow(flow((d) => d.edges.push({ id: 'back', source: 'intake', sourcePort: 'out', target: 'deal' })));
      const loop = problems.filter((p) => p.code === 'graph.cycle');
      expect(loop.map((p) => p.nodeId)).toEqual(['deal', 'tell', 'intake']);
      expect(loop[0]).toMatchObject({ blocks: 'save', message: 'Steps loop back on themselves: deal → tell → intake → deal. Remove one of these connections' });
    });

    it('reports an edge into the trigger', () => {
      const { problems } = validateFlow(flow((d) => d.edges.push({ id: 'e8', source: 'intake', sourcePort: 'out', target: 'paid' })));
      expect(problems).toContainEqual(expect.objectContaining({ code: 'edge.intoTrigger', edgeId: 'e8', nodeId: 'paid', blocks: 'save' }));
    });
  });

  describe('problems that only block publishing', () => {
    it('requires a trigger', () => {
      const { problems } = validateFlow(flow((d) => (d.nodes = d.nodes.filter((n) => n.id !== 'paid'))));
      expect(codes(problemsBlocking(problems, 'save'))).toEqual(['edge.unknownSource']);
      expect(problems).toContainEqual(expect.objectContaining({ code: 'flow.noTrigger', blocks: 'publish' }));
    });

    it('reports each trigger when there are several', () => {
      const { problems } = validateFlow(
        flow((d) => {
          d.nodes.push({ id: 'byHand', type: 'manual.trigger', position: { x: 0, y: 200 }, config: {} });
          d.edges.push({ id: 'e8', source: 'byHand', sourcePort: 'out', target: 'cleared' });
        }),
      );
      const many = problems.filter((p) => p.code === 'flow.multipleTriggers');
      expect(many.map((p) => p.nodeId)).toEqual(['paid', 'byHand']);
      expect(many[0].message).toBe('A flow starts from exactly one trigger, but this one has 2: "paid", "byHand". Keep one');
      expect(problems).toHaveLength(2);
    });

    it('reports one problem per config issue with the node and the config path', () => {
      const { problems } = validateFlow(
        flow((d) => {
          node(d, 'paid').config = { events: [] };
          node(d, 'hold').config = { owner: 'not-an-email', colour: 'red' };
        }),
      );
      expect(problems).toEqual([
        expect.objectContaining({ code: 'config.invalid', nodeId: 'paid', path: 'config.events', blocks: 'publish', message: 'Step "paid" (Stripe payment): events needs at least one event type' }),
        expect.objectContaining({ code: 'config.invalid', nodeId: 'paid', path: 'config.signingSecret', message: 'Step "paid" (Stripe payment): signingSecret is required' }),
        expect.objectContaining({ code: 'config.invalid', nodeId: 'hold', path: 'config.owner', message: 'Step "hold" (Payment review): owner must be an e-mail address' }),
        expect.objectContaining({ code: 'config.invalid', nodeId: 'hold', path: 'config.colour', message: 'Step "hold" (Payment review): colour is not a setting of this node type; remove it' }),
      ]);
    });

    it('reports a config that needs a credential for its connection', () => {
      const { problems } = validateFlow(flow((d) => (node(d, 'deal').config = { connection: 'hubspot' })));
      expect(problems).toEqual([
        expect.objectContaining({ code: 'config.invalid', nodeId: 'deal', path: 'config.credential', message: 'Step "deal" (Update CRM deal): credential is required to reach HubSpot' }),
      ]);
    });

    it('reports an expression field that does not parse', () => {
      const { problems } = validateFlow(flow((d) => (node(d, 'cleared').config = { condition: "trigger.payment.status = 'cleared" })));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ code: 'expression.invalid', nodeId: 'cleared', path: 'config.condition', blocks: 'publish' });
      expect(problems[0].message).toMatch(/^Step "cleared" \(Branch\): condition is not a valid expression\. Expression ".*" cannot be read at position \d+/);
    });

    it('reports a {{ }} template that does not parse, wherever it is in the config', () => {
      const { problems } = validateFlow(
        flow((d) => {
          node(d, 'tell').config = { ...node(d, 'tell').config, text: 'Paid {{ trigger.payment.email' };
          node(d, 'deal').config = { fields: { plan: '{{ trigger.payment.metadata.plan + }}' } };
        }),
      );
      expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([
        ['template.invalid', 'deal', 'config.fields.plan'],
        ['template.invalid', 'tell', 'config.text'],
      ]);
      expect(problems[1].message).toBe('Step "tell" (Notify): text has a broken {{ }} template. "{{" at position 6 has no closing "}}"');
    });

    it('does not read credential references as templates', () => {
      const { problems } = validateFlow(flow((d) => (node(d, 'tell').config = { ...node(d, 'tell').config, credential: { credential: '{{ odd id' } })));
      expect(problems).toEqual([]);
    });

    it('reports nodes the trigger cannot reach', () => {
      const { problems } = validateFlow(flow((d) => (d.edges = d.edges.filter((e) => e.id !== 'e7'))));
      expect(problems).toEqual([
        { code: 'node.unreachable', nodeId: 'intake', blocks: 'publish', message: 'Step "intake" is not connected to the trigger, so it would never run' },
      ]);
    });

    it('reports a wait for a Stripe event in a flow that no Stripe trigger starts: no event could ever reach it', () => {
      const doc = (trigger: string) => ({
        schema: 'handoff.flow/1',
        name: 'wait',
        nodes: [
          { id: 'start', type: trigger, position: { x: 0, y: 0 }, config: trigger === 'stripe.trigger' ? { signingSecret: { credential: 'cred_1' } } : {} },
          { id: 'paid', type: 'wait.event', position: { x: 260, y: 0 }, config: { types: ['invoice.paid'], match: '' } },
        ],
        edges: [{ id: 'e1', source: 'start', target: 'paid' }],
      });
      expect(validateFlow(doc('manual.trigger')).problems).toEqual([
        {
          code: 'node.wrongTrigger',
          nodeId: 'paid',
          blocks: 'publish',
          message: 'Step "paid" (Wait for event) only works in a flow started by Stripe payment; this one starts from Manual start. Change the trigger, or use a Delay instead',
        },
      ]);
      expect(validateFlow(doc('stripe.trigger')).problems).toEqual([]);
    });

    it('reports a review that ends on Stripe events in a flow no Stripe trigger starts, and not one without them', () => {
      const doc = (resolveOn: string[]) => ({
        schema: 'handoff.flow/1',
        name: 'review',
        nodes: [
          { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} },
          { id: 'hold', type: 'review', position: { x: 260, y: 0 }, config: { owner: 'finance@example.com', resolveOn } },
        ],
        edges: [{ id: 'e1', source: 'start', target: 'hold' }],
      });
      expect(validateFlow(doc(['checkout.session.async_payment_succeeded'])).problems).toEqual([
        {
          code: 'node.wrongTrigger',
          nodeId: 'hold',
          blocks: 'publish',
          message: 'Step "hold" (Payment review) only works in a flow started by Stripe payment with these settings; this one starts from Manual start. Change the trigger, or the step’s settings',
        },
      ]);
      expect(validateFlow(doc([])).problems).toEqual([]);
    });
  });
});

describe('problemsBlocking', () => {
  const save: Problem = { code: 'graph.cycle', message: 'loop', blocks: 'save' };
  const publish: Problem = { code: 'flow.noTrigger', message: 'no trigger', blocks: 'publish' };

  it('blocks saving only on structural problems', () => {
    expect(problemsBlocking([save, publish], 'save')).toEqual([save]);
  });

  it('blocks publishing on every problem', () => {
    expect(problemsBlocking([save, publish], 'publish')).toEqual([save, publish]);
  });
});
