import { describe, expect, it } from 'vitest';
import { layeredLayout, tidyLayout } from './layout';

const at = (id: string, y = 0) => ({ id, position: { x: 0, y } });

describe('layeredLayout', () => {
  it('puts each node one column after its deepest parent', () => {
    const pos = layeredLayout(
      [at('t'), at('b'), at('crm'), at('notify'), at('done')],
      [
        { source: 't', target: 'b' },
        { source: 'b', target: 'crm' },
        { source: 'crm', target: 'notify' },
        { source: 'b', target: 'done' },
        { source: 'notify', target: 'done' },
      ],
      { columnWidth: 100, rowHeight: 50 },
    );
    expect(pos.t.x).toBe(0);
    expect(pos.b.x).toBe(100);
    expect(pos.crm.x).toBe(200);
    expect(pos.notify.x).toBe(300);
    expect(pos.done.x).toBe(400);
  });

  it('centres siblings of a column around the middle and keeps branch order', () => {
    const pos = layeredLayout(
      [at('t'), at('yes', 10), at('no', 20)],
      [
        { source: 't', target: 'yes' },
        { source: 't', target: 'no' },
      ],
      { columnWidth: 100, rowHeight: 100 },
    );
    expect(pos.yes).toEqual({ x: 100, y: -50 });
    expect(pos.no).toEqual({ x: 100, y: 50 });
    expect(pos.t).toEqual({ x: 0, y: 0 });
  });

  it('places unconnected nodes and survives a cycle', () => {
    const pos = layeredLayout([at('a'), at('b'), at('lonely', 5)], [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'a' },
    ]);
    expect(Object.keys(pos).sort()).toEqual(['a', 'b', 'lonely']);
    expect(pos.lonely.x).toBe(0);
  });
});

describe('tidyLayout', () => {
  it('places a step connected to nothing in a row under the flow, not in the trigger’s column', () => {
    const pos = tidyLayout(
      [at('t'), at('yes', 10), at('no', 20), at('lonely', -500)],
      [
        { source: 't', target: 'yes' },
        { source: 't', target: 'no' },
      ],
      { columnWidth: 100, rowHeight: 100, first: 't' },
    );
    expect(pos.t).toEqual({ x: 0, y: 0 });
    expect(pos.yes).toEqual({ x: 100, y: -50 });
    expect(pos.no).toEqual({ x: 100, y: 50 });
    expect(pos.lonely).toEqual({ x: 0, y: 150 });
  });

  it('lays out a separate chain below the trigger’s part, then the lonely steps left to right', () => {
    const pos = tidyLayout(
      [at('a', 300), at('b', 300), at('t'), at('x'), at('z', 900), { id: 'y', position: { x: -50, y: 900 } }],
      [
        { source: 't', target: 'x' },
        { source: 'a', target: 'b' },
      ],
      { columnWidth: 100, rowHeight: 100, first: 't' },
    );
    expect(pos.t).toEqual({ x: 0, y: 0 });
    expect(pos.x).toEqual({ x: 100, y: 0 });
    expect(pos.a).toEqual({ x: 0, y: 100 });
    expect(pos.b).toEqual({ x: 100, y: 100 });
    expect(pos.y).toEqual({ x: 0, y: 200 });
    expect(pos.z).toEqual({ x: 100, y: 200 });
  });

  it('starts with the trigger even when it is connected to nothing yet', () => {
    const pos = tidyLayout([at('step', -100), at('t')], [], { columnWidth: 100, rowHeight: 100, first: 't' });
    expect(pos.t).toEqual({ x: 0, y: 0 });
    expect(pos.step).toEqual({ x: 0, y: 100 });
  });
});
