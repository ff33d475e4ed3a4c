import { describe, expect, it } from 'vitest';
import { nodeTypes } from './registry';

// The engine commits the claim of an `outbound` step before running it (watchers see the call
// in flight; a crash during it counts as an attempt). A node that calls HTTP or Stripe itself
// must say so.
describe('outbound nodes', () => {
  it('are exactly the nodes whose run calls ctx.effects.http or ctx.effects.stripe', () => {
    const calling = Object.values(nodeTypes).filter((d) => /effects\.(http|stripe)\b/.test(String(d.run)));
    const flagged = Object.values(nodeTypes).filter((d) => d.outbound);
    expect(flagged.map((d) => d.type).sort()).toEqual(calling.map((d) => d.type).sort());
    expect(flagged.map((d) => d.type).sort()).toEqual(['http.request', 'stripe.customer', 'stripe.invoice', 'stripe.refund']);
  });
});
