import { describe, expect, it } from 'vitest';
import { getNodeType } from './registry';
import { ConfigError, resolveConfig } from './resolve-config';

const scope = { trigger: { payment: { email: 'client@example.com', amount: 250000 } }, steps: {}, run: { id: 'run_1' }, flow: { id: 'f', name: 'F' }, node: { id: 'deal' } };
const def = (type: string) => {
  const d = getNodeType(type);
  if (!d) throw new Error(`no ${type}`);
  return d;
};

describe('resolveConfig', () => {
  it('fills defaults before rendering them, keeping single-expression values typed', async () => {
    const config = await resolveConfig(def('crm.updateDeal'), { stage: 'paid_won' }, scope);
    expect(config).toMatchObject({ connection: 'builtin', email: 'client@example.com', amount: 250000, stage: 'paid_won', customerId: null });
  });

  it('leaves expression fields for the node to evaluate', async () => {
    expect(await resolveConfig(def('branch'), { condition: 'trigger.payment.amount > 0' }, scope)).toEqual({ condition: 'trigger.payment.amount > 0' });
  });

  it('throws a ConfigError listing what is wrong', async () => {
    const err = await resolveConfig(def('review'), { owner: 'nobody' }, scope).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toBe('Payment review settings are invalid: owner must be an e-mail address');
  });
});
