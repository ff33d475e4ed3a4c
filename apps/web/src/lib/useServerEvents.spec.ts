import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { trailingThrottle } from './useServerEvents';

describe('trailingThrottle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('turns a burst into one call at the end of the window', () => {
    const fn = vi.fn();
    const t = trailingThrottle(fn, 250);
    for (let i = 0; i < 5; i++) t.call();
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(250);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('keeps calling while messages keep coming, unlike a debounce', () => {
    const fn = vi.fn();
    const t = trailingThrottle(fn, 250);
    for (let ms = 0; ms < 1000; ms += 100) {
      t.call();
      vi.advanceTimersByTime(100);
    }
    expect(fn.mock.calls.length).toBeGreaterThanOrEqual(3);
  });

  it('does nothing once cancelled', () => {
    const fn = vi.fn();
    const t = trailingThrottle(fn, 250);
    t.call();
    t.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).not.toHaveBeenCalled();
  });
});
