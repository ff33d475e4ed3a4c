import { beforeEach, describe, expect, it } from 'vitest';
import { createEditorStore, type EditorStore } from './editorStore';
import type { FlowDoc, Problem, RegistryPort } from './types';

const types: Record<string, { kind: string; ports: string[]; defaults?: Record<string, unknown> }> = {
  'stripe.trigger': { kind: 'trigger', ports: ['out'], defaults: { events: ['checkout.session.completed'] } },
  branch: { kind: 'logic', ports: ['true', 'false'] },
  'crm.updateDeal': { kind: 'crm', ports: ['out'], defaults: { stage: 'won' } },
  notify: { kind: 'notify', ports: ['out'] },
};

const registry: RegistryPort = {
  kindOf: (t) => types[t]?.kind,
  portsOf: (t) => types[t]?.ports,
  defaultsOf: (t) => ({ ...(types[t]?.defaults ?? {}) }),
  validate: (doc) => {
    const problems: Problem[] = [];
    if (doc.nodes.filter((n) => types[n.type]?.kind === 'trigger').length !== 1) problems.push({ code: 'trigger_count', message: 'A flow needs exactly one trigger', blocks: 'publish' });
    for (const n of doc.nodes) if (n.type === 'branch' && !n.config.condition) problems.push({ code: 'config', message: 'Condition is required', nodeId: n.id, blocks: 'publish' });
    return problems;
  },
  // Stands in for the path check: a config string naming `trigger.missing` is reported, once run data is known.
  dataWarnings: (doc, runData) =>
    runData ? doc.nodes.filter((n) => JSON.stringify(n.config).includes('trigger.missing')).map((n) => ({ code: 'data.unknownPath', nodeId: n.id, message: 'trigger.missing is not in the sample data' })) : [],
};

const doc: FlowDoc = {
  schema: 'handoff.flow/1',
  name: 'Payment to onboarding',
  description: 'kept as is',
  nodes: [
    { id: 'paid', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: { events: ['checkout.session.completed'] } },
    { id: 'cleared', type: 'branch', position: { x: 260, y: 0 }, config: { condition: "trigger.payment.status = 'cleared'" } },
  ],
  edges: [{ id: 'e1', source: 'paid', sourcePort: 'out', target: 'cleared' }],
};

let store: EditorStore;
const s = () => store.getState();

beforeEach(() => {
  store = createEditorStore(registry);
  s().load(structuredClone(doc), { flowId: 'f1' });
});

describe('editor store', () => {
  it('loads a document and writes the same document back', () => {
    expect(s().nodes.map((n) => n.id)).toEqual(['paid', 'cleared']);
    expect(s().edges[0]).toMatchObject({ source: 'paid', sourceHandle: 'out', target: 'cleared', targetHandle: 'in' });
    expect(s().toDocument()).toEqual(doc);
    expect(s().dirty).toBe(false);
    expect(s().problems).toEqual([]);
  });

  it('adds a node with a readable unique id, the schema defaults, and selects it', () => {
    const id = s().addNode('crm.updateDeal', { x: 10.4, y: 20.6 });
    expect(id).toBe('crm_1');
    expect(s().addNode('crm.updateDeal', { x: 0, y: 0 })).toBe('crm_2');
    const node = s().nodes.find((n) => n.id === 'crm_1')!;
    expect(node.data).toEqual({ nodeType: 'crm.updateDeal', config: { stage: 'won' } });
    expect(node.position).toEqual({ x: 10, y: 21 });
    expect(s().nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['crm_2']);
    expect(s().dirty).toBe(true);
  });

  it('refuses unknown node types', () => {
    expect(s().addNode('nope', { x: 0, y: 0 })).toBeNull();
    expect(s().past).toHaveLength(0);
  });

  it('connects named ports and refuses loops, self edges and edges into triggers', () => {
    s().addNode('crm.updateDeal', { x: 0, y: 0 });
    expect(s().connect({ source: 'cleared', sourceHandle: 'true', target: 'crm_1', targetHandle: 'in' })).toBe(true);
    expect(s().edges.at(-1)).toMatchObject({ id: 'e2', sourceHandle: 'true' });
    expect(s().connect({ source: 'crm_1', sourceHandle: 'out', target: 'cleared', targetHandle: 'in' })).toBe(false);
    expect(s().connect({ source: 'crm_1', sourceHandle: 'out', target: 'crm_1', targetHandle: 'in' })).toBe(false);
    expect(s().connect({ source: 'crm_1', sourceHandle: 'out', target: 'paid', targetHandle: 'in' })).toBe(false);
    expect(s().connect({ source: 'cleared', sourceHandle: 'maybe', target: 'crm_1', targetHandle: 'in' })).toBe(false);
    expect(s().edges).toHaveLength(2);
  });

  it('validates on every change and groups problems by node', () => {
    s().updateConfig('cleared', {});
    expect(s().problemsByNode.cleared?.[0].message).toBe('Condition is required');
    s().remove({ nodes: ['paid'] });
    expect(s().problems.map((p) => p.code)).toContain('trigger_count');
    expect(s().edges).toHaveLength(0);
  });

  it('keeps data warnings apart from problems, from the run data set and on every change', () => {
    s().updateConfig('cleared', { condition: 'trigger.missing' });
    expect(s().warningsByNode).toEqual({});
    s().setRunData({ run: null, trigger: null, steps: {} });
    expect(s().warningsByNode.cleared?.[0].message).toBe('trigger.missing is not in the sample data');
    expect(s().problemsByNode.cleared).toBeUndefined();
    s().updateConfig('cleared', { condition: 'trigger.present' });
    expect(s().warningsByNode).toEqual({});
  });

  it('removes the selection with the edges attached to it', () => {
    s().select('cleared');
    s().remove();
    expect(s().nodes.map((n) => n.id)).toEqual(['paid']);
    expect(s().edges).toEqual([]);
  });

  it('undoes and redoes graph changes, and is clean again after undoing to the saved state', () => {
    s().addNode('notify', { x: 0, y: 0 });
    s().connect({ source: 'cleared', sourceHandle: 'false', target: 'notify_1', targetHandle: 'in' });
    expect(s().edges).toHaveLength(2);
    s().undo();
    expect(s().edges).toHaveLength(1);
    s().undo();
    expect(s().nodes).toHaveLength(2);
    expect(s().dirty).toBe(false);
    s().redo();
    s().redo();
    expect(s().edges).toHaveLength(2);
    expect(s().dirty).toBe(true);
    s().undo();
    s().addNode('branch', { x: 0, y: 0 });
    expect(s().future).toHaveLength(0);
  });

  it('records typing into one field as one undo step', () => {
    s().updateConfig('cleared', { condition: 'a' }, 'condition');
    s().updateConfig('cleared', { condition: 'ab' }, 'condition');
    s().updateConfig('cleared', { condition: 'abc' }, 'condition');
    expect(s().past).toHaveLength(1);
    s().undo();
    expect(s().nodes[1].data.config).toEqual(doc.nodes[1].config);
  });

  it('records a drag once, at its end, and only if something moved', () => {
    s().beginDrag();
    s().endDrag();
    expect(s().past).toHaveLength(0);
    s().beginDrag();
    s().onNodesChange([{ type: 'position', id: 'paid', position: { x: 40, y: 40 }, dragging: true }]);
    s().onNodesChange([{ type: 'position', id: 'paid', position: { x: 80, y: 90 }, dragging: true }]);
    s().endDrag();
    expect(s().past).toHaveLength(1);
    s().undo();
    expect(s().nodes[0].position).toEqual({ x: 0, y: 0 });
  });

  it('ignores React Flow remove changes so deletes always go through remove()', () => {
    s().onNodesChange([{ type: 'remove', id: 'paid' }]);
    expect(s().nodes).toHaveLength(2);
  });

  it('lays nodes out in columns by depth', () => {
    s().addNode('crm.updateDeal', { x: 999, y: 999 });
    s().connect({ source: 'cleared', sourceHandle: 'true', target: 'crm_1', targetHandle: 'in' });
    s().autoLayout();
    const x = Object.fromEntries(s().nodes.map((n) => [n.id, n.position.x]));
    expect(x.paid).toBeLessThan(x.cleared);
    expect(x.cleared).toBeLessThan(x.crm_1);
    s().undo();
    expect(s().nodes.find((n) => n.id === 'crm_1')!.position).toEqual({ x: 999, y: 999 });
  });

  it('stays dirty for edits made while a save was in flight', () => {
    s().rename('Renamed');
    const sent = s().toDocument();
    s().rename('Renamed again');
    s().markSaved(sent);
    expect(s().dirty).toBe(true);
    s().markSaved(s().toDocument());
    expect(s().dirty).toBe(false);
  });

  it('names a step with the document label and removes it when cleared', () => {
    s().setLabel('cleared', 'Paid in full?');
    expect(s().toDocument().nodes[1]).toMatchObject({ id: 'cleared', label: 'Paid in full?' });
    s().setLabel('cleared', '');
    expect(s().toDocument().nodes[1]).not.toHaveProperty('label');
    expect(s().dirty).toBe(false);
  });

  it('changes nothing when read-only', () => {
    s().load(doc, { readOnly: true });
    expect(s().addNode('notify', { x: 0, y: 0 })).toBeNull();
    s().remove({ nodes: ['paid'] });
    s().updateConfig('paid', {});
    expect(s().toDocument()).toEqual(doc);
  });

  it('shows a credential the server put on the saved draft, keeping the selection and clean', () => {
    const base = s().toDocument();
    s().select('paid');
    const saved = structuredClone(base);
    saved.nodes[0].config = { ...saved.nodes[0].config, signingSecret: { credential: 'whsec-cred' } };
    s().adoptSaved(base, saved);
    expect(s().toDocument()).toEqual(saved);
    expect(s().nodes.find((n) => n.id === 'paid')?.selected).toBe(true);
    expect(s().dirty).toBe(false);
    expect(s().past).toEqual([]);
  });

  it('keeps edits made while the server changed the draft, and stays dirty for them', () => {
    const base = s().toDocument();
    s().updateConfig('cleared', { condition: 'true' });
    const saved = structuredClone(base);
    saved.nodes[0].config = { ...saved.nodes[0].config, signingSecret: { credential: 'whsec-cred' } };
    s().adoptSaved(base, saved);
    expect(s().toDocument().nodes.map((n) => n.config)).toEqual([saved.nodes[0].config, { condition: 'true' }]);
    expect(s().dirty).toBe(true);
    s().markSaved(s().toDocument());
    expect(s().dirty).toBe(false);
  });

  describe('adding steps where they belong', () => {
    const overlapping = () => {
      const rects = s().nodes.map((n) => ({ id: n.id, ...n.position }));
      return rects.filter((a, i) => rects.some((b, j) => j !== i && Math.abs(a.x - b.x) < 224 && Math.abs(a.y - b.y) < 84));
    };

    it('adds and connects the next step from a port in one undo step', () => {
      const id = s().addNodeAfter('crm.updateDeal', 'cleared', 'true')!;
      const yes = s().nodes.find((n) => n.id === id)!;
      expect(s().edges.find((e) => e.target === id)).toMatchObject({ source: 'cleared', sourceHandle: 'true' });
      expect(yes.selected).toBe(true);
      const no = s().addNodeAfter('notify', 'cleared', 'false')!;
      expect(s().edges.find((e) => e.target === no)).toMatchObject({ source: 'cleared', sourceHandle: 'false' });
      expect(s().nodes.find((n) => n.id === no)!.position.y).toBeGreaterThan(yes.position.y);
      expect(overlapping()).toEqual([]);
      s().undo();
      expect(s().nodes.some((n) => n.id === no)).toBe(false);
      expect(s().edges.some((e) => e.target === no)).toBe(false);
    });

    it('adds after the selected step on a palette click, connected from its first free output', () => {
      s().select('cleared');
      const first = s().addNodeByClick('notify', { x: 0, y: 0 })!;
      expect(s().edges.find((e) => e.target === first)).toMatchObject({ source: 'cleared', sourceHandle: 'true' });
      s().select('cleared');
      const second = s().addNodeByClick('notify', { x: 0, y: 0 })!;
      expect(s().edges.find((e) => e.target === second)).toMatchObject({ source: 'cleared', sourceHandle: 'false' });
      s().select('cleared');
      const third = s().addNodeByClick('notify', { x: 0, y: 0 })!;
      // Both outputs taken: placed after it, not connected.
      expect(s().edges.some((e) => e.target === third)).toBe(false);
      expect(overlapping()).toEqual([]);
    });

    it('places a palette click with nothing selected at the free spot nearest the view centre', () => {
      s().select(null);
      const id = s().addNodeByClick('notify', { x: 0, y: 0 })!;
      expect(s().edges.some((e) => e.target === id)).toBe(false);
      expect(overlapping()).toEqual([]);
    });

    it('never connects into a trigger', () => {
      s().select('cleared');
      const id = s().addNodeByClick('stripe.trigger', { x: 600, y: 600 })!;
      expect(s().edges.some((e) => e.target === id)).toBe(false);
      expect(s().addNodeAfter('stripe.trigger', 'cleared', 'true')).not.toBeNull();
      expect(s().edges).toHaveLength(1);
    });
  });

  it('tidies up with rows far enough apart for the tallest card', () => {
    s().addNodeAfter('notify', 'cleared', 'true');
    s().addNodeAfter('notify', 'cleared', 'false');
    s().onNodesChange(s().nodes.map((n) => ({ type: 'dimensions' as const, id: n.id, dimensions: { width: 224, height: n.id === 'notify_1' ? 230 : 90 } })));
    s().autoLayout();
    const at = Object.fromEntries(s().nodes.map((n) => [n.id, n.position]));
    expect(at.notify_2.y - at.notify_1.y).toBeGreaterThanOrEqual(230 + 24);
  });

  it('remembers which panels are open through its prefs port', () => {
    const saved: Array<Record<string, boolean>> = [];
    const other = createEditorStore(registry, { load: () => ({ side: false }), save: (p) => saved.push({ ...p }) });
    expect(other.getState().panels).toEqual({ palette: true, side: false });
    other.getState().togglePanel('palette');
    expect(other.getState().panels).toEqual({ palette: false, side: false });
    expect(saved).toEqual([{ palette: false, side: false }]);
  });

  it('opens one port picker at a time and closes it on load', () => {
    s().openPicker('cleared', 'true');
    expect(s().picker).toEqual({ nodeId: 'cleared', port: 'true' });
    s().openPicker('paid', 'out');
    expect(s().picker).toEqual({ nodeId: 'paid', port: 'out' });
    s().load(structuredClone(doc));
    expect(s().picker).toBeNull();
  });

  it('closes the port picker when its step is removed or the change is undone', () => {
    s().openPicker('cleared', 'true');
    s().remove({ nodes: ['cleared'] });
    expect(s().picker).toBeNull();
    s().undo();
    s().openPicker('cleared', 'false');
    s().redo();
    expect(s().picker).toBeNull();
    expect(s().nodes.some((n) => n.id === 'cleared')).toBe(false);
  });
});
