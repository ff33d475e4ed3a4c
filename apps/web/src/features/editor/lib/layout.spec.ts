import { describe, expect, it } from 'vitest';
import { layeredLayout } from './layout';

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
