import { describe, expect, it } from 'vitest';
import { minorDigits, minorToMajorInput, parseMajorAmount } from './money';

describe('minorDigits', () => {
  it('knows the currency’s decimals, and falls back to two for an unknown code', () => {
    expect(minorDigits('usd')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('kwd')).toBe(3);
    expect(minorDigits('zz')).toBe(2);
    expect(minorDigits(null)).toBe(2);
  });
});

describe('parseMajorAmount', () => {
  const minor = (input: string, currency = 'usd') => {
    const r = parseMajorAmount(input, currency);
    return r.ok ? r.minor : r.error;
  };

  it('turns dollars as typed into cents', () => {
    expect(minor('1200')).toBe(120000);
    expect(minor('1200.5')).toBe(120050);
    expect(minor('1,200.50')).toBe(120050);
    expect(minor(' 1 200.05 ')).toBe(120005);
    expect(minor('.5')).toBe(50);
    expect(minor('0')).toBe(0);
  });

  it('reads a comma as the decimal point unless it groups thousands', () => {
    expect(minor('12,5', 'eur')).toBe(1250);
    expect(minor('1.200,50', 'eur')).toBe(120050);
    expect(minor('1,200', 'eur')).toBe(120000);
    expect(minor('1,200,000')).toBe(120000000);
  });

  it('uses the currency’s own minor unit', () => {
    expect(minor('1200', 'jpy')).toBe(1200);
    expect(minor('1.5', 'jpy')).toBe('JPY has no decimals');
    expect(minor('1.234', 'kwd')).toBe(1234);
  });

  it('says what is wrong with what cannot be an amount', () => {
    expect(minor('')).toBe('Enter an amount');
    expect(minor('-5')).toBe('The amount cannot be negative');
    expect(minor('12 dollars')).toBe('Use digits, with . or , for the decimals');
    expect(minor('1.2.3')).toBe('The amount has more than one decimal point');
    expect(minor('1.234')).toBe('USD has at most 2 decimals');
    expect(minor('99999999999')).toBe('The amount is too large');
  });
});

describe('minorToMajorInput', () => {
  it('gives back what a person would type, without trailing zero cents', () => {
    expect(minorToMajorInput(120050, 'usd')).toBe('1200.50');
    expect(minorToMajorInput(120000, 'usd')).toBe('1200');
    expect(minorToMajorInput(5, 'usd')).toBe('0.05');
    expect(minorToMajorInput(1200, 'jpy')).toBe('1200');
    expect(minorToMajorInput(null, 'usd')).toBe('');
  });

  it('round-trips through parseMajorAmount', () => {
    for (const [amount, currency] of [[120050, 'usd'], [7, 'eur'], [1234, 'kwd'], [999, 'jpy']] as const) {
      expect(parseMajorAmount(minorToMajorInput(amount, currency), currency)).toEqual({ ok: true, minor: amount });
    }
  });
});
