import { describe, expect, it } from 'vitest';
import { formatDuration, formatMoney, formatRelative } from './format';

describe('format', () => {
  it('formats durations from milliseconds to minutes', () => {
    expect(formatDuration('2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.420Z')).toBe('420 ms');
    expect(formatDuration('2024-01-01T00:00:00Z', '2024-01-01T00:00:03.2Z')).toBe('3.2 s');
    expect(formatDuration('2024-01-01T00:00:00Z', '2024-01-01T00:04:05Z')).toBe('4 min 05 s');
    expect(formatDuration(null, '2024-01-01T00:00:00Z')).toBe('—');
  });

  it('formats minor-unit amounts in their currency', () => {
    expect(formatMoney(12900, 'usd')).toMatch(/129\.00/);
    expect(formatMoney(5000, 'jpy')).toMatch(/5,000/);
    expect(formatMoney(null, 'usd')).toBe('—');
  });

  it('describes recent times relatively', () => {
    const now = new Date('2024-01-01T12:00:00Z');
    expect(formatRelative('2024-01-01T11:59:50Z', now)).toBe('just now');
    expect(formatRelative('2024-01-01T11:50:00Z', now)).toBe('10 min ago');
    expect(formatRelative('2024-01-01T09:00:00Z', now)).toBe('3 h ago');
  });
});
