import { describe, expect, it } from 'vitest';
import {
  checkExpression,
  checkTemplate,
  evaluateExpression,
  ExpressionError,
  isTruthy,
  parseTemplate,
  renderConfig,
  renderTemplate,
  renderValue,
  templateExpressions,
} from './expression';

const scope = {
  trigger: { payment: { status: 'cleared', amount: 250000, currency: 'usd', email: 'client@example.com', name: null, metadata: { product: 'Onboarding package' } } },
  steps: { deal: { dealId: 'deal_1' } },
  run: { id: 'run_1' },
  node: { id: 'tell' },
};

describe('evaluateExpression', () => {
  it('evaluates JSONata over the scope', async () => {
    expect(await evaluateExpression("trigger.payment.status = 'cleared' and trigger.payment.amount > 1000", scope)).toBe(true);
    expect(await evaluateExpression('steps.deal.dealId', scope)).toBe('deal_1');
  });

  it('returns a plain array for a JSONata sequence', async () => {
    const value = await evaluateExpression('items.n', { items: [{ n: 1 }, { n: 2 }] });
    expect(value).toEqual([1, 2]);
    expect(Object.keys(value as object)).toEqual(['0', '1']);
  });

  it('turns a syntax error into an ExpressionError naming the expression and position', async () => {
    const err = await evaluateExpression('trigger.payment.amount +', scope).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExpressionError);
    expect((err as ExpressionError).message).toBe('Expression "trigger.payment.amount +" cannot be read at position 24: Unexpected end of expression');
    expect((err as ExpressionError).position).toBe(24);
    expect((err as ExpressionError).expression).toBe('trigger.payment.amount +');
  });

  it('turns an evaluation error into an ExpressionError that says it failed', async () => {
    await expect(evaluateExpression('trigger.payment.email + 1', scope)).rejects.toThrow(
      /^Expression "trigger\.payment\.email \+ 1" failed at position \d+: The left side of the "\+" operator must evaluate to a number$/,
    );
  });

  it('stops a runaway recursive expression instead of hanging', async () => {
    await expect(evaluateExpression('($f := function($n) { $f($n + 1) }; $f(0))', {})).rejects.toThrow(/infinite loop|Stack overflow/);
  }, 10_000);

  it('stops runaway recursion that is not in tail position', async () => {
    await expect(evaluateExpression('($f := function($n) { 1 + $f($n + 1) }; $f(0))', {})).rejects.toThrow(/Stack overflow/);
  });
});

describe('checkExpression', () => {
  it('returns null for a valid expression and the reason for a broken one', () => {
    expect(checkExpression("trigger.payment.status = 'cleared'")).toBeNull();
    expect(checkExpression("trigger.payment.status = 'cleared")).toMatch(/^Expression ".*" cannot be read at position \d+: /);
    expect(checkExpression('   ')).toBe('Expression is empty');
  });
});

describe('isTruthy', () => {
  it('follows JSONata $boolean casting', () => {
    expect([true, 'x', 1, [0, 1], { a: 1 }].map(isTruthy)).toEqual([true, true, true, true, true]);
    expect([false, '', 0, [], [0, ''], {}, null, undefined].map(isTruthy)).toEqual([false, false, false, false, false, false, false, false]);
  });
});

describe('templates', () => {
  it('lists the expressions inside {{ }}', () => {
    expect(templateExpressions('Hi {{ trigger.payment.name }}, {{steps.deal.dealId}}!')).toEqual(['trigger.payment.name', 'steps.deal.dealId']);
    expect(templateExpressions('no templates here')).toEqual([]);
  });

  it('finds the closing braces after nested objects and quoted braces', () => {
    expect(templateExpressions('{{ {"a": {"b": 1}} }} and {{ "}}" }}')).toEqual(['{"a": {"b": 1}}', '"}}"']);
  });

  it('reports an unclosed {{', () => {
    expect(parseTemplate('Hi {{ trigger.payment.name').error).toBe('"{{" at position 4 has no closing "}}"');
    expect(checkTemplate('Hi {{ trigger.payment.name')).toMatch(/no closing/);
  });

  it('reports the first broken expression of a template', () => {
    expect(checkTemplate('{{ trigger.payment.name }} {{ trigger. }}')).toMatch(/^Expression "trigger\." cannot be read/);
    expect(checkTemplate('Paid {{ trigger.payment.amount }}')).toBeNull();
  });

  it('renders values into text: objects as JSON, null and missing as nothing', async () => {
    const text = await renderTemplate('{{ trigger.payment.email }}|{{ trigger.payment.name }}|{{ trigger.nope }}|{{ trigger.payment.metadata }}|{{ 1 + 1 }}', scope);
    expect(text).toBe('client@example.com|||{"product":"Onboarding package"}|2');
  });

  it('keeps the raw value when the whole string is one expression', async () => {
    expect(await renderValue('{{ trigger.payment.amount }}', scope)).toBe(250000);
    expect(await renderValue(' {{ trigger.payment.metadata }} ', scope)).toEqual({ product: 'Onboarding package' });
    expect(await renderValue('{{ trigger.nope }}', scope)).toBeNull();
    expect(await renderValue('{{ trigger.payment.amount }} cents', scope)).toBe('250000 cents');
    expect(await renderValue('plain', scope)).toBe('plain');
  });

  it('throws an ExpressionError when rendering a broken template', async () => {
    await expect(renderTemplate('Hi {{ trigger.payment.name', scope)).rejects.toBeInstanceOf(ExpressionError);
  });
});

describe('renderConfig', () => {
  it('renders every string leaf but expression fields and credential references', async () => {
    const config = {
      condition: "trigger.payment.status = 'cleared'",
      amount: '{{ trigger.payment.amount }}',
      key: '{{ run.id }}:{{ node.id }}',
      credential: { credential: '{{ not.rendered }}' },
      fields: { product: '{{ trigger.payment.metadata.product }}' },
      list: ['{{ trigger.payment.currency }}', 3, true],
      days: 14,
    };
    expect(await renderConfig(config, scope, ['condition'])).toEqual({
      condition: "trigger.payment.status = 'cleared'",
      amount: 250000,
      key: 'run_1:tell',
      credential: { credential: '{{ not.rendered }}' },
      fields: { product: 'Onboarding package' },
      list: ['usd', 3, true],
      days: 14,
    });
  });
});
