import { describe, expect, it } from 'vitest';
import { nodeTypes } from './registry';
import { runNode } from './testing/run-node';

// The engine commits a pure node's claim and outcome in one statement after running it outside
// any transaction: such a node must not ask for effects or wait.
const configs: Record<string, Record<string, unknown>> = {
  branch: { condition: "trigger.payment.status = 'cleared'" },
  'stripe.trigger': { signingSecret: { credential: '00000000-0000-4000-8000-000000000001' } },
  'webhook.trigger': { secret: { credential: '00000000-0000-4000-8000-000000000002' } },
  'manual.trigger': {},
  'schedule.trigger': { cron: '0 9 * * *' },
  'crm.trigger': {},
};

describe('pure nodes', () => {
  const pure = Object.values(nodeTypes).filter((d) => d.pure);

  it('are exactly the logic and trigger nodes listed here (a new one gets a case below)', () => {
    expect(pure.map((d) => d.type).sort()).toEqual(Object.keys(configs).sort());
  });

  it.each(Object.keys(configs))('%s asks for no effect and does not wait', async (type) => {
    const { result, effects } = await runNode(nodeTypes[type], configs[type], { trigger: { payment: { status: 'cleared' } } });
    expect('wait' in result).toBe(false);
    expect(Object.values(effects).every((list) => list.length === 0)).toBe(true);
  });
});
