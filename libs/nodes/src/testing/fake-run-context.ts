import type { CrmDealInput, ExprScope, HttpRequestInput, IntakeInput, OutboxMessage, Resume, ReviewInput, RunContext } from '../define';
import { evaluateExpression } from '../expression';
import { normalizePayment, type StripeEventLike } from '../stripe/normalize-payment';

/** Every effect a node asked for, in order, so a test can assert on exactly what was requested. */
export interface RecordedEffects {
  crm: CrmDealInput[];
  outbox: OutboxMessage[];
  intake: IntakeInput[];
  review: ReviewInput[];
  http: HttpRequestInput[];
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
  const recorded: RecordedEffects = { crm: [], outbox: [], intake: [], review: [], http: [] };
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
    },
  };
  return { ctx, effects: recorded };
}
