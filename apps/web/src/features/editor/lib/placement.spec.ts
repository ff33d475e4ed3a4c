import { describe, expect, it } from 'vitest';
import { COLUMN_WIDTH, DEFAULT_NODE_SIZE, NEW_NODE_SIZE, firstFreePort, freeSpot, overlaps, placeAfter, rectOf, type Placed } from './placement';

const node = (id: string, x: number, y: number, height = DEFAULT_NODE_SIZE.height): Placed => ({ id, position: { x, y }, measured: { width: 224, height } });

describe('freeSpot', () => {
  it('keeps the desired place when it is free', () => {
    expect(freeSpot({ x: 300, y: 0 }, [rectOf(node('a', 0, 0))])).toEqual({ x: 300, y: 0 });
  });

  it('gives the new card room for the problem line it shows at first', () => {
    const below = freeSpot({ x: 300, y: 0 }, [rectOf(node('a', 300, 200))]);
    expect(below.y + NEW_NODE_SIZE.height).toBeLessThanOrEqual(200);
  });

  it('moves below, then above, never onto another card', () => {
    const taken = [rectOf(node('a', 300, 0))];
    const first = freeSpot({ x: 300, y: 0 }, taken);
    expect(first.x).toBe(300);
    expect(first.y).toBeGreaterThan(0);
    const both = [...taken, rectOf(node('b', first.x, first.y))];
    const second = freeSpot({ x: 300, y: 0 }, both);
    expect(second.y).toBeLessThan(0);
    for (const r of both) expect(overlaps({ ...second, ...NEW_NODE_SIZE }, r)).toBe(false);
  });
});

describe('placeAfter', () => {
  it('puts the next step one column to the right at the same height', () => {
    const trigger = node('t', 0, 40);
    expect(placeAfter(trigger, ['out'], 'out', [trigger])).toEqual({ x: COLUMN_WIDTH, y: 40 });
  });

  it('puts a branch’s true target above its false target', () => {
    const b = node('b', 0, 0);
    const yes = placeAfter(b, ['true', 'false'], 'true', [b]);
    const no = placeAfter(b, ['true', 'false'], 'false', [b]);
    expect(yes.x).toBe(COLUMN_WIDTH);
    expect(no.x).toBe(COLUMN_WIDTH);
    expect(yes.y).toBeLessThan(no.y);
    expect(overlaps({ ...yes, ...NEW_NODE_SIZE }, { ...no, ...NEW_NODE_SIZE })).toBe(false);
  });

  it('never overlaps steps already there, tall ones included', () => {
    const t = node('t', 0, 0);
    const nodes = [t, node('x', COLUMN_WIDTH, -20, 160), node('y', COLUMN_WIDTH + 100, 150)];
    const p = placeAfter(t, ['out'], 'out', nodes);
    for (const n of nodes) expect(overlaps({ ...p, ...NEW_NODE_SIZE }, rectOf(n))).toBe(false);
  });
});

describe('firstFreePort', () => {
  it('returns the first port in declared order with no edge, or null', () => {
    const edges = [{ source: 'b', sourceHandle: 'true' }];
    expect(firstFreePort('b', ['true', 'false'], edges)).toBe('false');
    expect(firstFreePort('b', ['true', 'false'], [...edges, { source: 'b', sourceHandle: 'false' }])).toBeNull();
    expect(firstFreePort('t', ['out'], edges)).toBe('out');
  });
});
