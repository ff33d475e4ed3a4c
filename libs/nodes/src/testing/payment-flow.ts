import type { FlowDocument } from '../flow-document';

/**
 * The flagship flow: a cleared payment moves the deal to paid/won, tells the team and
 * starts intake; anything else waits for a review whose approval joins the happy path.
 */
export function paymentToOnboardingFlow(): FlowDocument {
  return {
    schema: 'handoff.flow/1',
    name: 'Payment to onboarding',
    nodes: [
      {
        id: 'paid',
        type: 'stripe.trigger',
        position: { x: 0, y: 0 },
        config: {
          events: ['checkout.session.completed', 'checkout.session.async_payment_succeeded'],
          signingSecret: { credential: 'cred_whsec' },
        },
      },
      { id: 'cleared', type: 'branch', position: { x: 260, y: 0 }, config: { condition: "trigger.payment.status = 'cleared'" } },
      {
        id: 'hold',
        type: 'review',
        position: { x: 520, y: 200 },
        config: { owner: 'finance@example.com', reason: 'Payment {{ trigger.payment.objectId }} is {{ trigger.payment.status }}' },
      },
      {
        id: 'deal',
        type: 'crm.updateDeal',
        position: { x: 780, y: 0 },
        config: { stage: 'paid_won', idempotencyKey: '{{ trigger.payment.objectId }}:deal' },
      },
      {
        id: 'tell',
        type: 'notify',
        position: { x: 1040, y: 0 },
        config: { channel: 'slack', credential: { credential: 'cred_slack' }, to: '#sales', text: 'Paid: {{ trigger.payment.email }}' },
      },
      { id: 'intake', type: 'intake.start', position: { x: 1300, y: 0 }, config: { expiresInDays: 14 } },
      {
        id: 'declined',
        type: 'notify',
        position: { x: 780, y: 300 },
        config: { channel: 'email', to: 'sales@example.com', text: 'Payment for {{ trigger.payment.email }} was rejected in review' },
      },
    ],
    edges: [
      { id: 'e1', source: 'paid', sourcePort: 'out', target: 'cleared' },
      { id: 'e2', source: 'cleared', sourcePort: 'true', target: 'deal' },
      { id: 'e3', source: 'cleared', sourcePort: 'false', target: 'hold' },
      { id: 'e4', source: 'hold', sourcePort: 'approved', target: 'deal' },
      { id: 'e5', source: 'hold', sourcePort: 'rejected', target: 'declined' },
      { id: 'e6', source: 'deal', sourcePort: 'out', target: 'tell' },
      { id: 'e7', source: 'tell', sourcePort: 'out', target: 'intake' },
    ],
  };
}
