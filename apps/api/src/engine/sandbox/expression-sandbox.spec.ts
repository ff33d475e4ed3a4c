import { describe, expect, it } from 'vitest';
import { isPlainPath } from './expression-sandbox';

describe('isPlainPath', () => {
  it('lets plain data paths skip the sandbox', () => {
    for (const e of ['trigger.payment.email', ' steps.won.dealId ', 'run.id', 'trigger']) expect(isPlainPath(e), e).toBe(true);
  });
  it('sends anything that computes to the sandbox: calls, ranges, filters, operators, regexes', () => {
    for (const e of ['$count([1..3000].([1..3000]))', 'trigger.items[0]', 'trigger.amount / 100', 'trigger.a ? 1 : 2', '$join(x)', 'a.b.$string()', '/x+/', 'a[b > 1]', 'trigger.`odd name`']) {
      expect(isPlainPath(e), e).toBe(false);
    }
  });
});
