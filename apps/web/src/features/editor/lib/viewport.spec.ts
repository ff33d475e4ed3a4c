import { describe, expect, it } from 'vitest';
import { MIN_READABLE_ZOOM, readableFit, revealRect } from './viewport';

describe('readableFit', () => {
  it('centres a flow that fits, never zooming past 1', () => {
    const v = readableFit({ x: 0, y: 0, width: 200, height: 100 }, { width: 800, height: 600 }, { padding: 40 });
    expect(v.zoom).toBe(1);
    expect(v).toEqual({ x: 300, y: 250, zoom: 1 });
  });

  it('zooms out to fit while that stays readable', () => {
    const v = readableFit({ x: 0, y: 0, width: 1000, height: 200 }, { width: 880, height: 600 }, { padding: 40 });
    expect(v.zoom).toBeCloseTo(0.8);
    expect(v.x).toBeCloseTo(40);
  });

  it('stops at the readable zoom and shows the flow’s start instead of shrinking it', () => {
    // The flagship template at 1280×800 with both panels open: about 1264×520 in a 708×700 pane.
    const v = readableFit({ x: 0, y: -80, width: 1264, height: 520 }, { width: 708, height: 700 }, { padding: 40 });
    expect(v.zoom).toBe(MIN_READABLE_ZOOM);
    expect(v.x).toBe(40);
    // 520 × 0.75 = 390 fits in 700: centred vertically.
    expect(v.y).toBeCloseTo((700 - 390) / 2 + 80 * 0.75);
  });

  it('shows the top-left of a flow too big in both directions', () => {
    const v = readableFit({ x: 100, y: 50, width: 5000, height: 3000 }, { width: 800, height: 600 }, { padding: 20 });
    expect(v).toEqual({ x: 20 - 100 * MIN_READABLE_ZOOM, y: 20 - 50 * MIN_READABLE_ZOOM, zoom: MIN_READABLE_ZOOM });
  });
});

describe('revealRect', () => {
  const pane = { width: 800, height: 600 };
  const card = { width: 224, height: 84 };

  it('leaves the view alone when the card is in view', () => {
    expect(revealRect({ x: 0, y: 0, zoom: 1 }, pane, { x: 100, y: 100, ...card })).toBeNull();
  });

  it('pans just enough to bring a card past the right or bottom edge into view, keeping the zoom', () => {
    const v = revealRect({ x: 0, y: 0, zoom: 0.75 }, pane, { x: 1000, y: 700, ...card }, 40)!;
    expect(v.zoom).toBe(0.75);
    expect(1000 * 0.75 + v.x + 224 * 0.75).toBeCloseTo(800 - 40);
    expect(700 * 0.75 + v.y + 84 * 0.75).toBeCloseTo(600 - 40);
  });

  it('pans to a card above or left of the view', () => {
    const v = revealRect({ x: 0, y: 0, zoom: 1 }, pane, { x: -300, y: -200, ...card }, 40)!;
    expect(v).toEqual({ x: 340, y: 240, zoom: 1 });
  });
});
