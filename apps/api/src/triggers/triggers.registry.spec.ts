import { describe, expect, it } from 'vitest';
import { nodeTypes } from '@handoff/nodes';
import type { TriggerAdapter } from './trigger-adapter';
import { triggerAdapters } from './triggers.registry';

// Constructors only store their dependencies, so an adapter's declared type and route can be read without them.
const adapters: TriggerAdapter[] = triggerAdapters.map((Adapter) => Reflect.construct(Adapter, []));

describe('trigger registry', () => {
  it('has exactly one server adapter for every trigger the palette offers, so none is offered that fires nothing', () => {
    const offered = Object.values(nodeTypes).filter((d) => d.kind === 'trigger').map((d) => d.type).sort();
    expect(adapters.map((a) => a.type).sort()).toEqual(offered);
  });

  it('serves the route each trigger node shows in the editor, and only those', () => {
    for (const adapter of adapters) {
      const hook = nodeTypes[adapter.type].trigger?.hook?.path;
      expect(adapter.hook, adapter.type).toBe(hook);
      expect(Boolean(adapter.receive), adapter.type).toBe(Boolean(hook));
    }
  });
});
