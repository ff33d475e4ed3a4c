import { nodeTypes } from '@handoff/nodes';
import { describe, expect, it } from 'vitest';
import type { FieldSpec } from './lib/schemaFields';
import { formFieldsOf, paletteSections, registryPort } from './registry';
import { createEditorStore } from './store/editorStore';

const flatten = (fields: FieldSpec[]): FieldSpec[] =>
  fields.flatMap((f) => (f.kind === 'object' ? [f, ...flatten(f.fields)] : f.kind === 'variant' ? [f, ...f.variants.flatMap((v) => flatten(v.fields))] : [f]));

describe('the editor on the real node registry', () => {
  it('draws a real input for every config field of every node type', () => {
    for (const type of Object.keys(nodeTypes)) {
      const json = flatten(formFieldsOf(type)).filter((f) => f.kind === 'json').map((f) => `${type}.${f.key}`);
      // A manual trigger's sample payload is free-form JSON on purpose.
      expect(json.filter((k) => k !== 'manual.trigger.sample')).toEqual([]);
    }
  });

  it('offers credential pickers with their accepted types', () => {
    const byKey = (type: string) => Object.fromEntries(formFieldsOf(type).map((f) => [f.key, f]));
    expect(byKey('stripe.trigger').signingSecret).toMatchObject({ kind: 'credential', required: true, credentialTypes: ['stripe.signingSecret'] });
    expect(byKey('notify').credential).toMatchObject({ kind: 'credential', required: false });
    expect(byKey('branch').condition).toMatchObject({ kind: 'string', expression: true });
    expect(byKey('intake.start').fields).toMatchObject({ kind: 'objectList' });
  });

  it('offers the Stripe event picker wherever a Stripe event type is asked for', () => {
    const byKey = (type: string) => Object.fromEntries(formFieldsOf(type).map((f) => [f.key, f]));
    expect(byKey('stripe.trigger').events).toMatchObject({ kind: 'eventTypes', wildcard: true });
    expect(byKey('wait.event').types).toMatchObject({ kind: 'eventTypes', wildcard: false });
    const eventFields = Object.keys(nodeTypes).flatMap((type) => flatten(formFieldsOf(type)).filter((f) => /event/i.test(f.key) && f.kind === 'stringList'));
    expect(eventFields).toEqual([]);
  });

  it('lists every node type in the palette exactly once', () => {
    const types = paletteSections().flatMap((g) => g.types.map((t) => t.type));
    expect([...types].sort()).toEqual(Object.keys(nodeTypes).sort());
  });

  it('builds a flow the shared validator accepts', () => {
    const store = createEditorStore(registryPort);
    const s = store.getState;
    s().load({ schema: 'handoff.flow/1', name: 'Test', nodes: [], edges: [] });
    expect(s().problems.map((p) => p.code)).toEqual(['flow.noTrigger']);
    const manual = s().addNode('manual.trigger', { x: 0, y: 0 })!;
    const branch = s().addNode('branch', { x: 300, y: 0 })!;
    expect(s().connect({ source: manual, sourceHandle: 'out', target: branch, targetHandle: 'in' })).toBe(true);
    expect(s().problems).toEqual([]);
    s().updateConfig(branch, { condition: '' });
    expect(s().problemsByNode[branch]?.[0]).toMatchObject({ code: 'config.invalid', path: 'config.condition' });
  });
});
