import { describe, expect, it } from 'vitest';
import { checkCron } from './cron';

describe('checkCron', () => {
  it.each(['0 9 * * 1-5', '*/15 * * * *', '0 0 1 1,7 *', '30 8 * * 7', ' 0 12 1-15 * 0 '])('accepts %j', (cron) => {
    expect(checkCron(cron)).toBeNull();
  });

  it('refuses anything but 5 fields and says how many it got', () => {
    expect(checkCron('0 9 * *')).toMatch(/5 fields.*has 4$/);
    expect(checkCron('0 0 9 * * *')).toMatch(/has 6$/);
    expect(checkCron('')).toMatch(/has 0$/);
  });

  it('names the field that is out of range', () => {
    expect(checkCron('0 24 * * *')).toBe('hour "24" is out of range 0-23');
    expect(checkCron('0 9 32 * *')).toBe('day of month "32" is out of range 1-31');
    expect(checkCron('0 9 * 0-3 *')).toBe('month "0-3" is out of range 1-12');
  });

  it('refuses zero steps and backwards ranges', () => {
    expect(checkCron('*/0 * * * *')).toBe('minute step "*/0" must be at least */1');
    expect(checkCron('0 9 * * 5-1')).toBe('day of week range "5-1" must go from low to high');
  });

  it('refuses syntax the scheduler does not run: names, stepped ranges, question marks', () => {
    for (const cron of ['0 9 * * MON', '0 9 1-15/2 * *', '0 9 * * ?']) expect(checkCron(cron)).toMatch(/is not a cron value/);
  });
});
