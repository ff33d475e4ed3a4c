import { describe, expect, it } from 'vitest';
import { dealName, majorUnits, splitName } from './crm-deal-payload';

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

describe('dealName', () => {
  it('names the deal after the product and who bought it', () => {
    expect(dealName({ connection: 'hubspot', stage: 'x', product: 'Website', name: 'Ada' })).toBe('Website – Ada');
    expect(dealName({ connection: 'hubspot', stage: 'x', email: 'a@example.com' })).toBe('Stripe payment – a@example.com');
  });
});

describe('splitName', () => {
  it('takes the first word as the first name and the rest as the last name', () => {
    expect(splitName('Ada King Lovelace')).toEqual({ first: 'Ada', last: 'King Lovelace' });
    expect(splitName('  Ada ')).toEqual({ first: 'Ada', last: null });
    expect(splitName(null)).toEqual({ first: null, last: null });
  });
});
