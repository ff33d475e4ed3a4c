import { describe, expect, it } from 'vitest';
import { isBoundedExpression } from './bounded-expression';

describe('isBoundedExpression', () => {
  it.each([
    "trigger.payment.status = 'cleared'",
    'trigger.payment.amount > 0 and trigger.payment.currency = "usd"',
    "$uppercase(trigger.payment.name) & ' paid ' & $string(trigger.payment.amount / 100)",
    "trigger.payment.email != ''",
    "steps.won.stage = 'paid_won' ? 'yes' : 'no'",
    '-trigger.payment.amount',
    '$now()',
    'true',
    Array.from({ length: 8 }, (_, i) => `trigger.a${i} = 1`).join(' and '),
  ])('evaluates %s in-process', (e) => expect(isBoundedExpression(e)).toBe(true));

  it.each([
    "$count([1..200].($join([1..100000].($pad('x', 1000))))) > 0",
    "$pad('x', 100000000)",
    '[1..10000000]',
    "$match(trigger.x, /(a+)+$/)",
    "trigger.payment.name ~> /a+/",
    'items[price > 5].name',
    'items[0]',
    '$x := 5',
    'function($a) { $a }',
    '($a := 1; $a)',
    'trigger.**.id',
    'trigger.*',
    '$sum(items.price)',
    '{ "a": trigger.x }',
    'trigger.(',
    // Its values grow with the data times the paths it reads, and $length splits a string into an array of characters.
    `$length(${Array.from({ length: 60 }, () => 'trigger.s').join('&')}) > 0`,
    Array.from({ length: 9 }, (_, i) => `trigger.a${i} = 1`).join(' and '),
    '$length(trigger.s) > 0',
    '$substring(trigger.s, 0, 5)',
  ])('sends %s to the sandbox', (e) => expect(isBoundedExpression(e)).toBe(false));
});
