import type { CrmContactInput, CrmDealInput, CrmTaskInput, CrmTicketInput, ExprScope, HttpRequestInput, IntakeInput, OutboxMessage, Resume, ReviewInput, RunContext, StripeCustomerInput, StripeInvoiceInput, StripeRefundInput } from '../define';
import { evaluateExpression } from '../expression';
import { normalizePayment, type StripeEventLike } from '../stripe/normalize-payment';

/** Every effect a node asked for, in order, so a test can assert on exactly what was requested. */
export interface RecordedEffects {
  crm: CrmDealInput[];
  tasks: CrmTaskInput[];
  tickets: CrmTicketInput[];
  contacts: CrmContactInput[];
  outbox: OutboxMessage[];
  intake: IntakeInput[];
  review: ReviewInput[];
  http: HttpRequestInput[];
  stripe: Array<{ op: 'customer'; input: StripeCustomerInput } | { op: 'invoice'; input: StripeInvoiceInput } | { op: 'refund'; input: StripeRefundInput }>;
}

export interface FakeContextOptions {
  event?: StripeEventLike;
  trigger?: unknown;
  steps?: Record<string, unknown>;
  resume?: Resume;
  now?: string;
  nodeId?: string;
  nodeType?: string;
  idempotencyKey?: string;
}

/**
 * A RunContext standing in for the engine: expressions really run (JSONata), effects are
 * recorded instead of committed. Good for node `run` tests; the engine has its own.
 */
export function fakeRunContext(options: FakeContextOptions = {}): { ctx: RunContext; effects: RecordedEffects } {
  const run = { id: 'run_1', flowId: 'flow_1', version: 1, test: true, startedAt: '2026-01-05T09:00:00.000Z' };
  const node = { id: options.nodeId ?? 'step', type: options.nodeType ?? 'test' };
  const trigger = options.trigger ?? (options.event ? { event: options.event, payment: normalizePayment(options.event) } : {});
  const scope: ExprScope = { trigger, steps: options.steps ?? {}, run, flow: { id: 'flow_1', name: 'Payment to onboarding' }, node };
  const recorded: RecordedEffects = { crm: [], tasks: [], tickets: [], contacts: [], outbox: [], intake: [], review: [], http: [], stripe: [] };
  const ctx: RunContext = {
    run,
    node,
    scope,
    evaluate: (expression, extra) => evaluateExpression(expression, { ...scope, ...extra }),
    now: () => new Date(options.now ?? '2026-01-05T09:00:00.000Z'),
    resume: options.resume,
    idempotencyKey: options.idempotencyKey,
    effects: {
      crm: {
        updateDeal: async (input) => {
          recorded.crm.push(input);
          return { dealId: `deal_${recorded.crm.length}`, stage: input.stage };
        },
        updateContact: async (input) => {
          recorded.contacts.push(input);
          return { contactId: `contact_${recorded.contacts.length}`, properties: input.properties };
        },
        createTask: async (input) => {
          recorded.tasks.push(input);
          if (input.connection && input.connection !== 'builtin') {
            return { connection: input.connection, queued: true, outboxId: `out_task_${recorded.tasks.length}`, key: input.key ?? '', assignee: input.assignee, dueAt: input.dueAt };
          }
          return { taskId: `task_${recorded.tasks.length}`, dealId: input.dealId, assignee: input.assignee, dueAt: input.dueAt };
        },
        createTicket: async (input) => {
          recorded.tickets.push(input);
          return { connection: input.connection, queued: true, outboxId: `out_ticket_${recorded.tickets.length}`, key: input.key };
        },
      },
      outbox: {
        enqueue: async (message) => {
          recorded.outbox.push(message);
          return { id: `out_${recorded.outbox.length}` };
        },
      },
      intake: {
        start: async (input) => {
          recorded.intake.push(input);
          const token = `tok_${recorded.intake.length}`;
          return { id: `intake_${recorded.intake.length}`, token, url: `https://handoff.test/intake/${token}` };
        },
      },
      review: {
        create: async (input) => {
          recorded.review.push(input);
          return { id: `rev_${recorded.review.length}` };
        },
      },
      http: {
        request: async (input) => {
          recorded.http.push(input);
          return { status: 200, headers: { 'content-type': 'application/json' }, body: { ok: true, call: recorded.http.length } };
        },
      },
      stripe: {
        customer: async (input) => {
          recorded.stripe.push({ op: 'customer', input });
          return { customerId: input.customerId ?? 'cus_fake', email: input.email, created: !input.customerId };
        },
        invoice: async (input) => {
          recorded.stripe.push({ op: 'invoice', input });
          const amountDue = input.items.reduce((sum, i) => sum + i.amount * i.quantity, 0);
          return { customerId: input.customer.customerId ?? 'cus_fake', invoiceId: 'in_fake', invoiceUrl: 'https://invoice.stripe.test/in_fake', status: 'open', number: 'F-1', amountDue, currency: input.items[0].currency, replaced: null, action: 'created' };
        },
        refund: async (input) => {
          recorded.stripe.push({ op: 'refund', input });
          return { refundId: 're_fake', status: 'succeeded', amount: input.amount ?? 0, currency: 'usd', payment: input.payment };
        },
      },
    },
  };
  return { ctx, effects: recorded };
}
