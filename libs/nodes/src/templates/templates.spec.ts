import { describe, expect, it } from 'vitest';
import { validateFlow } from '../validate-flow';
import { flowTemplates, templateDocument } from './index';

describe('flow templates', () => {
  it('offers the four starting points with a name and a description', () => {
    expect(flowTemplates.map((t) => t.id)).toEqual(['payment-to-onboarding', 'refund', 'failed-invoice', 'unpaid-invoice-reminder']);
    for (const t of flowTemplates) {
      expect(t.name).toBe(t.document.name);
      expect(t.description.length).toBeGreaterThan(40);
    }
  });

  it.each(flowTemplates.map((t) => [t.id, t] as const))('%s is valid except for the signing secret chosen after import', (_id, t) => {
    const { problems } = validateFlow(t.document);
    const trigger = t.document.nodes.find((n) => n.type === 'stripe.trigger')!;
    expect(problems).toEqual([expect.objectContaining({ code: 'config.invalid', nodeId: trigger.id, path: 'config.signingSecret', blocks: 'publish' })]);
    expect(problems[0].message).toMatch(/signingSecret/);
  });

  it('is valid once the signing secret is picked', () => {
    for (const t of flowTemplates) {
      const doc = templateDocument(t.id)!;
      doc.nodes.find((n) => n.type === 'stripe.trigger')!.config.signingSecret = { credential: 'cred_whsec' };
      expect(validateFlow(doc)).toEqual({ ok: true, problems: [] });
    }
  });

  it('keys every effect of the payment-to-onboarding flow by the paid object, so a second event for the same checkout is a skip', () => {
    const doc = templateDocument('payment-to-onboarding')!;
    const effects = doc.nodes.filter((n) => ['crm.updateDeal', 'notify', 'intake.start', 'review'].includes(n.type));
    expect(effects.length).toBe(7);
    for (const n of effects) expect(n.config.idempotencyKey).toMatch(new RegExp(`^\\{\\{ trigger\\.payment\\.objectId \\}\\}:.*${n.id}$`));
  });

  it('hands out copies, so editing one does not change the template', () => {
    templateDocument('refund')!.name = 'changed';
    expect(templateDocument('refund')!.name).toBe('Refund follow-up');
  });
});
