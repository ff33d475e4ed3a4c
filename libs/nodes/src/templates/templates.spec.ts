import { describe, expect, it } from 'vitest';
import { validateFlow } from '../validate-flow';
import { flowTemplates, templateDocument } from './index';

describe('flow templates', () => {
  it('offers the starting points with a name and a description', () => {
    expect(flowTemplates.map((t) => t.id)).toEqual([
      'payment-to-onboarding',
      'refund',
      'failed-invoice',
      'unpaid-invoice-reminder',
      'deal-to-invoice',
      'deal-amended-invoice',
      'invoice-sent-paid-or-reminded',
      'invoice-payment-status',
    ]);
    for (const t of flowTemplates) {
      expect(t.name).toBe(t.document.name);
      expect(t.description.length).toBeGreaterThan(40);
    }
  });

  // The credentials a template needs, picked after import: Stripe triggers' signing secret, Stripe actions' API key.
  const needed = (t: (typeof flowTemplates)[number]) =>
    t.document.nodes.flatMap((n) => (n.type === 'stripe.trigger' ? [[n.id, 'config.signingSecret']] : n.type.startsWith('stripe.') ? [[n.id, 'config.credential']] : []));

  it.each(flowTemplates.map((t) => [t.id, t] as const))('%s is valid except for the credentials chosen after import', (_id, t) => {
    const { problems } = validateFlow(t.document);
    expect(needed(t).length).toBeGreaterThan(0);
    expect(problems).toEqual(needed(t).map(([nodeId, path]) => expect.objectContaining({ code: 'config.invalid', nodeId, path, blocks: 'publish' })));
  });

  it('is valid once the credentials are picked', () => {
    for (const t of flowTemplates) {
      const doc = templateDocument(t.id)!;
      for (const n of doc.nodes) {
        if (n.type === 'stripe.trigger') n.config.signingSecret = { credential: 'cred_whsec' };
        else if (n.type.startsWith('stripe.')) n.config.credential = { credential: 'cred_sk' };
      }
      expect(validateFlow(doc), t.id).toEqual({ ok: true, problems: [] });
    }
  });

  it('keys the invoice of a deal by the deal, and its replacement by the change, so no run makes a second live invoice', () => {
    const invoiceOf = (id: string) => templateDocument(id)!.nodes.find((n) => n.type === 'stripe.invoice')!;
    expect(invoiceOf('deal-to-invoice').config.idempotencyKey).toBe('deal:{{ trigger.deal.id }}:invoice');
    expect(invoiceOf('deal-amended-invoice').config).toMatchObject({ existingInvoiceId: '{{ trigger.deal.stripe.invoiceId }}', idempotencyKey: 'deal:{{ trigger.deal.id }}:change:{{ trigger.change.seq }}' });
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
