import { describe, expect, it } from 'vitest';
import { completionsAt, insertPath, insideExpression, isPlainPath, plainPreview, shortValue } from './fieldInsert';

const scope = {
  trigger: { payment: { status: 'cleared', amount: 250000, email: 'a@example.com' }, event: { id: 'evt_1' } },
  steps: { deal: { dealId: 'd1' } },
  run: { id: 'r1' },
};

describe('insertPath', () => {
  it('wraps the path in {{ }} in a template and replaces the selection', () => {
    expect(insertPath('Paid: ', 6, 6, 'trigger.payment.email', 'template')).toEqual({ text: 'Paid: {{ trigger.payment.email }}', caret: 33 });
    expect(insertPath('Paid: XX!', 6, 8, 'run.id', 'template')).toEqual({ text: 'Paid: {{ run.id }}!', caret: 18 });
  });

  it('inserts the bare path inside an open {{ and in an expression', () => {
    expect(insertPath('Hi {{  }}', 6, 6, 'trigger.payment.email', 'template').text).toBe('Hi {{ trigger.payment.email }}');
    expect(insertPath(" = 'cleared'", 0, 0, 'trigger.payment.status', 'expression').text).toBe("trigger.payment.status = 'cleared'");
  });
});

describe('insideExpression', () => {
  it('knows an open {{ from a closed one', () => {
    expect(insideExpression('{{ a }} b', 9, 'template')).toBe(false);
    expect(insideExpression('{{ a }} {{ b', 12, 'template')).toBe(true);
    expect(insideExpression('anything', 3, 'expression')).toBe(true);
  });
});

describe('completionsAt', () => {
  it('offers the keys after a dot, with a look at each value', () => {
    const c = completionsAt('Paid {{ trigger.payment.', 24, 'template', scope);
    expect(c?.items.map((i) => i.path)).toEqual(['trigger.payment.status', 'trigger.payment.amount', 'trigger.payment.email']);
    expect(c?.items[0].detail).toBe('"cleared"');
    expect(c).toMatchObject({ from: 24, to: 24 });
  });

  it('narrows by what is typed, prefix matches first, and replaces only the typed part', () => {
    const text = "trigger.payment.st = 'x'";
    const c = completionsAt(text, 18, 'expression', scope);
    expect(c?.items.map((i) => i.key)).toEqual(['status']);
    expect(c).toMatchObject({ from: 16, to: 18 });
    expect(completionsAt('{{ trigger.payment.a', 20, 'template', scope)?.items.map((i) => i.key)).toEqual(['amount', 'status', 'email']);
  });

  it('quotes a key that is not a plain name when it is accepted', () => {
    const c = completionsAt('{{ trigger.headers.con', 22, 'template', { trigger: { headers: { 'content-type': 'application/json' } } });
    expect(c?.items[0]).toMatchObject({ key: 'content-type', insert: '`content-type`', path: 'trigger.headers.`content-type`', detail: '"application/json"' });
  });

  it('offers the scope roots at the start', () => {
    expect(completionsAt('{{ st', 5, 'template', scope)?.items.map((i) => i.key)).toEqual(['steps']);
  });

  it('offers nothing outside {{ }}, inside a string literal, after a variable, or once the key is complete', () => {
    expect(completionsAt('trigger.pay', 11, 'template', scope)).toBeNull();
    expect(completionsAt("{{ 'trigger.pay", 15, 'template', scope)).toBeNull();
    expect(completionsAt('$x.pay', 6, 'expression', scope)).toBeNull();
    expect(completionsAt('{{ trigger.payment', 18, 'template', scope)).toBeNull();
    expect(completionsAt('{{ other.thing.', 15, 'template', scope)).toBeNull();
  });
});

describe('shortValue and isPlainPath', () => {
  it('shows values in a line', () => {
    expect(shortValue({ a: 1, b: 2 })).toBe('{ 2 keys }');
    expect(shortValue([1])).toBe('[ 1 item ]');
    expect(shortValue('x'.repeat(50))).toHaveLength(40);
    expect(shortValue(null)).toBe('null');
    expect(shortValue(undefined)).toBe('');
  });

  it('tells a plain path from a full expression', () => {
    expect(isPlainPath(' trigger.payment.email ')).toBe(true);
    // JSONata reads this as steps.crm minus 1.dealId: not a plain path.
    expect(isPlainPath('steps.crm-1.dealId')).toBe(false);
    expect(isPlainPath('trigger.payment.amount / 100')).toBe(false);
    expect(isPlainPath('$uppercase(trigger.payment.name)')).toBe(false);
  });
});

describe('plainPreview', () => {
  it('renders a template of plain paths from the sample, a lone path keeping its type', () => {
    expect(plainPreview('Paid: {{ trigger.payment.email }} ({{ trigger.payment.amount }})', 'template', scope)).toEqual({ value: 'Paid: a@example.com (250000)' });
    expect(plainPreview('{{ trigger.payment.amount }}', 'template', scope)).toEqual({ value: 250000 });
    expect(plainPreview('{{ trigger.payment.nope }}', 'template', scope)).toEqual({ value: null });
    expect(plainPreview('trigger.payment.status', 'expression', scope)).toEqual({ value: 'cleared' });
  });

  it('leaves full JSONata and broken templates to the evaluator', () => {
    expect(plainPreview('{{ trigger.payment.amount / 100 }}', 'template', scope)).toBeNull();
    expect(plainPreview("trigger.payment.status = 'cleared'", 'expression', scope)).toBeNull();
    expect(plainPreview('{{ trigger.payment.email', 'template', scope)).toBeNull();
  });
});
