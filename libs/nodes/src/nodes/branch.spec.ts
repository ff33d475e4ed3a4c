import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../expression';
import { sampleEvent } from '../stripe/samples';
import { runNode } from '../testing/run-node';
import { branch } from './branch';

describe('branch', () => {
  it('goes to "true" for a cleared payment with the default condition', async () => {
    const { result } = await runNode(branch, {}, { event: sampleEvent('checkout_paid') });
    expect(result).toEqual({ port: 'true', output: { value: true } });
  });

  it('goes to "false" when the condition does not hold', async () => {
    const { result } = await runNode(branch, {}, { event: sampleEvent('checkout_unpaid') });
    expect(result).toEqual({ port: 'false', output: { value: false } });
  });

  it('treats a missing value as false and a non-empty string as true', async () => {
    expect((await runNode(branch, { condition: 'trigger.nothing' }, { trigger: {} })).result).toMatchObject({ port: 'false', output: { value: null } });
    expect((await runNode(branch, { condition: 'trigger.name' }, { trigger: { name: 'x' } })).result).toMatchObject({ port: 'true' });
  });

  it('reads earlier steps', async () => {
    const { result } = await runNode(branch, { condition: "steps.deal.stage = 'paid_won'" }, { steps: { deal: { stage: 'paid_won' } } });
    expect(result).toMatchObject({ port: 'true' });
  });

  it('does not render {{ }} inside the condition, so the condition stays an expression', async () => {
    const { result } = await runNode(branch, { condition: '"{{ x }}" = "{{ x }}"' }, { trigger: {} });
    expect(result).toMatchObject({ port: 'true' });
  });

  it('fails with an ExpressionError for a broken condition', async () => {
    await expect(runNode(branch, { condition: "trigger.payment.status = 'cleared" }, {})).rejects.toBeInstanceOf(ExpressionError);
  });
});
