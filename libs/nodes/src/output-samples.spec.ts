import { describe, expect, it } from 'vitest';
import { declaredStepOutput } from './data-paths';
import type { NodeDefinition } from './define';
import { nodeTypes } from './registry';
import type { FakeContextOptions } from './testing/fake-run-context';
import { runNode } from './testing/run-node';

const deal = { id: 'deal-1', amount: 120000, currency: 'usd', product: 'Onboarding package', contact: { email: 'client@example.com', name: 'Ada Client', stripeCustomerId: null }, stripe: {} };
const credential = { credential: 'cred' };

/** A config and context each declaring type runs with, as a flow would run it. */
const runs: Record<string, { config: Record<string, unknown>; options?: FakeContextOptions }> = {
  branch: { config: {} },
  delay: { config: { duration: 'PT5S' }, options: { resume: { reason: 'timer' } } },
  notify: { config: { channel: 'slack' } },
  'intake.start': { config: { email: 'client@example.com' } },
  'stripe.customer': { config: { credential }, options: { trigger: { deal }, idempotencyKey: 'k' } },
  'stripe.invoice': { config: { credential }, options: { trigger: { deal }, idempotencyKey: 'k' } },
  'stripe.refund': { config: { credential, payment: 'pi_123' }, options: { idempotencyKey: 'k' } },
};

const declaring = Object.values(nodeTypes).filter((d: NodeDefinition) => d.outputSample);

describe('declared output samples', () => {
  it('are declared by the node types listed here, and only those', () => {
    expect(declaring.map((d) => d.type).sort()).toEqual(Object.keys(runs).sort());
  });

  it.each(declaring.map((d) => [d.type, d] as const))('%s: the sample has the keys a run outputs', async (type, def) => {
    const { config, options } = runs[type];
    const { result } = await runNode(def, config, options);
    expect('output' in result, 'the node finished').toBe(true);
    const output = (result as { output: Record<string, unknown> }).output;
    const sample = declaredStepOutput(def, config) as Record<string, unknown>;
    expect(Object.keys(sample).sort()).toEqual(Object.keys(output).sort());
  });
});
