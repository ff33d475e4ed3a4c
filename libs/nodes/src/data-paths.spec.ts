import { describe, expect, it } from 'vitest';
import { childKeys, configPaths, joinPath, splitPath, declaredTriggerData, editDistance, expressionPaths, missingPaths, pathExists, suggestPath, templatePaths, valueAtPath } from './data-paths';
import { getNodeType } from './registry';

const scope = {
  trigger: {
    payment: { status: 'cleared', amount: 250000, email: 'client@example.com', name: null },
    event: { data: { object: { lines: { data: [{ price: { id: 'price_1' } }, { price: { id: 'price_2' }, note: 'x' }] } } } },
  },
  steps: { crm_1: { dealId: 'deal_1' } },
  run: { id: 'run_1' },
};

describe('expressionPaths', () => {
  it('finds each scope path in a condition once, in order', () => {
    expect(expressionPaths("trigger.payment.status = 'cleared' and trigger.payment.amount >= 100 and trigger.payment.status != 'x'")).toEqual([
      'trigger.payment.status',
      'trigger.payment.amount',
    ]);
  });

  it('reads paths inside function arguments and backtick-quoted step ids', () => {
    expect(expressionPaths('$uppercase(trigger.payment.name) & steps.`crm-1`.dealId')).toEqual(['trigger.payment.name', 'steps.`crm-1`.dealId']);
  });

  it('keeps a path going through a filter and ignores the relative path inside it', () => {
    expect(expressionPaths('trigger.items[price > 5].name')).toEqual(['trigger.items.name']);
    expect(expressionPaths('trigger.event.data.object.lines.data[0].price.id')).toEqual(['trigger.event.data.object.lines.data.price.id']);
  });

  it('cuts a path at an object constructor and skips variables and other roots', () => {
    expect(expressionPaths('trigger.payment.{ "a": amount }')).toEqual(['trigger.payment']);
    expect(expressionPaths('($x := trigger.a; $x.b)')).toEqual(['trigger.a']);
    expect(expressionPaths('event.data.object.id = trigger.payment.objectId')).toEqual(['trigger.payment.objectId']);
  });

  it('answers nothing for an expression that does not parse', () => {
    expect(expressionPaths('trigger.payment.status = ')).toEqual([]);
  });

  it('counts a bare root as a path', () => {
    expect(expressionPaths('trigger')).toEqual(['trigger']);
  });
});

describe('templatePaths and configPaths', () => {
  it('reads every {{ }} of a template', () => {
    expect(templatePaths('Paid: {{ trigger.payment.email }} ({{ trigger.payment.amount / 100 }}) {{ trigger.payment.email }}')).toEqual([
      'trigger.payment.email',
      'trigger.payment.amount',
    ]);
  });

  it('reads expression fields as JSONata and every other string as a template, nested included, never credentials', () => {
    const refs = configPaths(
      { expressionFields: ['condition'] },
      {
        condition: 'trigger.payment.status',
        message: 'Hi {{ trigger.payment.name }}',
        plain: 'trigger.not.a.template',
        fields: [{ label: '{{ steps.crm_1.dealId }}' }],
        secret: { credential: '{{ trigger.x }}' },
      },
    );
    expect(refs).toEqual([
      { field: 'condition', path: 'trigger.payment.status' },
      { field: 'message', path: 'trigger.payment.name' },
      { field: 'fields.0.label', path: 'steps.crm_1.dealId' },
    ]);
  });
});

describe('pathExists and valueAtPath', () => {
  it('finds keys, including ones holding null, and reads through arrays', () => {
    expect(pathExists(scope, 'trigger.payment.name')).toBe(true);
    expect(pathExists(scope, 'trigger.paymnt.status')).toBe(false);
    expect(pathExists(scope, 'trigger.event.data.object.lines.data.note')).toBe(true);
    expect(pathExists(scope, 'trigger.payment.status.length')).toBe(false);
    expect(valueAtPath(scope, 'trigger.payment.amount')).toBe(250000);
    expect(valueAtPath(scope, 'trigger.event.data.object.lines.data.price.id')).toEqual(['price_1', 'price_2']);
    expect(valueAtPath(scope, 'trigger.nope')).toBeUndefined();
  });

  it('lists the keys under a path, through arrays, and the top level for an empty path', () => {
    expect(childKeys(scope, 'trigger.payment')).toEqual(['status', 'amount', 'email', 'name']);
    expect(childKeys(scope, 'trigger.event.data.object.lines.data')).toEqual(['price', 'note']);
    expect(childKeys(scope, '')).toEqual(['trigger', 'steps', 'run']);
    expect(childKeys(scope, 'trigger.nope')).toEqual([]);
  });

  it('does not treat inherited properties as data', () => {
    expect(pathExists(scope, 'trigger.payment.constructor')).toBe(false);
    expect(pathExists(scope, 'trigger.toString')).toBe(false);
  });
});

describe('joinPath and splitPath', () => {
  it('quote keys that are not plain names, as JSONata needs, and read them back', () => {
    expect(joinPath(['trigger', 'headers', 'content-type'])).toBe('trigger.headers.`content-type`');
    expect(joinPath(['trigger', 'body', 'order.id'])).toBe('trigger.body.`order.id`');
    expect(splitPath('trigger.body.`order.id`.x')).toEqual(['trigger', 'body', 'order.id', 'x']);
    expect(splitPath('')).toEqual([]);
  });

  it('check and fix paths through such keys', () => {
    const data = { trigger: { headers: { 'content-type': 'application/json' }, body: { 'order.id': 'o1' } } };
    expect(pathExists(data, 'trigger.headers.`content-type`')).toBe(true);
    expect(valueAtPath(data, 'trigger.body.`order.id`')).toBe('o1');
    expect(pathExists(data, 'trigger.body.order.id')).toBe(false);
    expect(suggestPath(data, 'trigger.headers.`content-typ`')).toBe('trigger.headers.`content-type`');
    expect(childKeys(data, 'trigger.headers')).toEqual(['content-type']);
    expect(expressionPaths('trigger.headers.`content-type`')).toEqual(['trigger.headers.`content-type`']);
  });
});

describe('suggestPath', () => {
  it('fixes a misspelt segment', () => {
    expect(suggestPath(scope, 'trigger.paymnt.status')).toBe('trigger.payment.status');
    expect(suggestPath(scope, 'trigger.payment.emial')).toBe('trigger.payment.email');
  });

  it('answers null when nothing is close or the path exists', () => {
    expect(suggestPath(scope, 'trigger.customer.vat')).toBeNull();
    expect(suggestPath(scope, 'trigger.payment.status')).toBeNull();
  });

  it('measures edits case-insensitively', () => {
    expect(editDistance('paymnt', 'payment')).toBe(1);
    expect(editDistance('Status', 'status')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('missingPaths', () => {
  const opts = { upstream: ['paid', 'crm_1', 'crm_2'], knownSteps: ['crm_1'] };

  it('names a typo with a suggestion', () => {
    const out = missingPaths([{ field: 'message', path: 'trigger.paymnt.status' }], scope, opts);
    expect(out).toEqual([
      {
        field: 'message',
        path: 'trigger.paymnt.status',
        suggestion: 'trigger.payment.status',
        message: 'trigger.paymnt.status is not in the sample data (did you mean trigger.payment.status?)',
      },
    ]);
  });

  it('passes paths the sample has', () => {
    expect(missingPaths([{ field: 'c', path: 'trigger.payment.status' }, { field: 'c', path: 'steps.crm_1.dealId' }, { field: 'c', path: 'run.id' }], scope, opts)).toEqual([]);
  });

  it('does not judge an earlier step that has no sample yet', () => {
    expect(missingPaths([{ field: 'c', path: 'steps.crm_2.anything' }], scope, opts)).toEqual([]);
  });

  it('flags a step that does not run before this one, suggesting a close one', () => {
    const [m] = missingPaths([{ field: 'c', path: 'steps.crm_3.dealId' }], scope, opts);
    expect(m.message).toBe('steps.crm_3.dealId reads step "crm_3", which does not run before this step (did you mean steps.crm_1.dealId?)');
    expect(missingPaths([{ field: 'c', path: 'steps.later.x' }], scope, opts)[0].suggestion).toBeNull();
  });

  it('flags a missing key of a known step', () => {
    expect(missingPaths([{ field: 'c', path: 'steps.crm_1.dealid' }], scope, opts)[0].suggestion).toBe('steps.crm_1.dealId');
  });
});

describe('declaredTriggerData', () => {
  it('gives a Stripe trigger `{ event, payment }` as runs see it, not the raw test event', () => {
    const data = declaredTriggerData(getNodeType('stripe.trigger'), {}) as { event: { type: string }; payment: { status: string; email: string } };
    expect(data.event.type).toBe('checkout.session.completed');
    expect(data.payment).toMatchObject({ status: 'cleared', email: 'client@example.com' });
  });

  it('follows the Stripe trigger’s subscribed events, and has none for a type without a sample', () => {
    const invoice = declaredTriggerData(getNodeType('stripe.trigger'), { events: ['invoice.paid'] }) as { event: { type: string }; payment: { objectType: string } };
    expect(invoice.event.type).toBe('invoice.paid');
    expect(invoice.payment.objectType).toBe('invoice');
    expect(declaredTriggerData(getNodeType('stripe.trigger'), { events: ['customer.created'] })).toBeUndefined();
  });

  it('uses the test sample of other triggers, read with the node config', () => {
    expect(declaredTriggerData(getNodeType('crm.trigger'), { on: 'deal.created', stage: 'paid_won' })).toMatchObject({ deal: { stage: 'paid_won' }, previous: null });
    expect(declaredTriggerData(undefined, {})).toBeUndefined();
  });
});
