import { describe, expect, it } from 'vitest';
import { majorUnits } from './crm-deal-payload';

describe('majorUnits', () => {
  it('writes minor units as the decimal amount of the currency', () => {
    expect(majorUnits(250000, 'usd')).toBe('2500.00');
    expect(majorUnits(5, 'eur')).toBe('0.05');
    expect(majorUnits(1200, 'JPY')).toBe('1200');
    expect(majorUnits(1234, 'kwd')).toBe('1.234');
    expect(majorUnits(-199, 'usd')).toBe('-1.99');
    expect(majorUnits(0, null)).toBe('0.00');
  });
});
