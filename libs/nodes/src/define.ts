import type { z } from 'zod';
import type { OutboxChannel, ProviderThatCan } from './providers';

/** Palette groups; also tells the engine which nodes start runs. */
export type NodeKind = 'trigger' | 'logic' | 'crm' | 'payment' | 'notify' | 'intake' | 'human' | 'action';

/** What expressions and templates see: `{ trigger, steps: { <nodeId>: output }, run, flow }`. */
export interface ExprScope {
  trigger: unknown;
  steps: Record<string, unknown>;
  run: { id: string; flowId: string; version: number; test: boolean; startedAt: string };
  flow: { id: string; name: string };
  node?: { id: string; type: string };
}

/** Why a waiting step is being run again. */
export type Resume =
  | { reason: 'timer' }
  | { reason: 'event'; event: unknown }
  | { reason: 'review'; decision: 'approve' | 'reject'; note: string | null; by: string; reviewId: string };

/** A step that cannot finish now: the engine parks the run until `until`, an event or a review decision. */
export interface WaitRequest {
  wait: {
    /** ISO timestamp after which the step is run again with `{ reason: 'timer' }`. */
    until?: string;
    /** Resume when a Stripe event of one of these types arrives for the same flow and `match` (JSONata over `{ event, trigger, steps }`) is true. */
    event?: { types: string[]; match?: string };
    /** Resume when this review is decided. */
    reviewId?: string;
    /** Stored on the step while it waits (shown in the UI). */
    output?: unknown;
  };
}

export interface PortResult<P extends string = string> {
  port: P;
  output: unknown;
}

export type NodeResult<P extends string = string> = PortResult<P> | WaitRequest;

/**
 * Effects the engine performs inside the step's transaction. A node never talks to the
 * database or a third-party API itself: it asks the engine, which makes the effect, its
 * idempotency record and the next jobs commit together (DESIGN.md "Exactly-once").
 */
export interface EffectPorts {
  crm: {
    updateDeal(input: CrmDealInput): Promise<unknown>;
    /** Sets contact properties (Stripe customer id, subscription status, last payment date, custom fields). */
    updateContact(input: CrmContactInput): Promise<unknown>;
    /** A task for a person on the team: in the built-in CRM ("My tasks"), or queued for HubSpot / Salesforce. */
    createTask(input: CrmTaskInput): Promise<CrmTaskResult>;
    /** A support ticket in an outside CRM (HubSpot), queued in the outbox and upserted by `key`. */
    createTicket(input: CrmTicketInput): Promise<CrmQueuedWrite>;
  };
  /** Queue a message for delivery by the outbox (Slack, email, HubSpot, HTTP...). */
  outbox: {
    enqueue(message: OutboxMessage): Promise<{ id: string }>;
  };
  intake: {
    start(input: IntakeInput): Promise<{ id: string; token: string; url: string }>;
  };
  review: {
    create(input: ReviewInput): Promise<{ id: string }>;
  };
  /**
   * A call whose answer later steps need (provisioning): made during the step, with the
   * step's idempotency key as the Idempotency-Key header, so a retried step is safe for any
   * API that honours the header. A non-2xx answer throws and the step is retried.
   */
  http: {
    request(input: HttpRequestInput): Promise<HttpResponse>;
  };
  /**
   * Stripe, through the official SDK during the step: every write carries an Idempotency-Key
   * derived from `idempotencyKey` and the operation, so a retried step, a replayed run and a
   * lost answer all land on the same Stripe object. A Stripe 4xx fails the step at once.
   */
  stripe: {
    customer(input: StripeCustomerInput): Promise<StripeCustomerResult>;
    invoice(input: StripeInvoiceInput): Promise<StripeInvoiceResult>;
    refund(input: StripeRefundInput): Promise<StripeRefundResult>;
  };
}

export interface StripeCustomerInput {
  credential: string;
  idempotencyKey: string;
  email: string | null;
  name?: string | null;
  customerId?: string | null;
  metadata?: Record<string, string>;
}

export interface StripeCustomerResult {
  customerId: string;
  email: string | null;
  /** True when this step created it; false when it was found by id or e-mail. */
  created: boolean;
}

export interface StripeInvoiceInput {
  credential: string;
  idempotencyKey: string;
  customer: Omit<StripeCustomerInput, 'credential' | 'idempotencyKey'>;
  items: Array<{ description: string; amount: number; currency: string; quantity: number }>;
  /** An invoice this one replaces (voided, or deleted if a draft) when the deal's own invoices do not lead to it. */
  existingInvoiceId?: string | null;
  /** The deal version the items come from (a CRM change seq): an invoice made from a newer one is left as it is. */
  version?: string | null;
  daysUntilDue: number;
  send: boolean;
  metadata: Record<string, string>;
}

export interface StripeInvoiceResult {
  customerId: string;
  invoiceId: string;
  invoiceUrl: string | null;
  status: string;
  number: string | null;
  amountDue: number;
  currency: string;
  /** The open invoice this one replaced (voided), if any. */
  replaced: string | null;
  /** How the invoice came about. */
  action: 'created' | 'replaced' | 'found';
}

export interface StripeRefundInput {
  credential: string;
  idempotencyKey: string;
  /** A payment intent (pi_…) or charge (ch_…) id. */
  payment: string;
  /** Minor units; null refunds what is left. */
  amount: number | null;
  reason?: 'duplicate' | 'fraudulent' | 'requested_by_customer' | null;
  metadata: Record<string, string>;
}

export interface StripeRefundResult {
  refundId: string;
  status: string;
  amount: number;
  currency: string;
  payment: string;
}

export interface HttpRequestInput {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** An `http.header` credential (e.g. Authorization: Bearer …) added to the request by the engine, never written in the flow. */
  credential?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: unknown;
}

/** The CRMs a node can write deals, contacts or tasks to (libs/nodes/src/providers). */
export type CrmDealConnection = ProviderThatCan<'deals'>['id'];
export type CrmContactConnection = ProviderThatCan<'contacts'>['id'];
export type CrmTaskConnection = ProviderThatCan<'tasks'>['id'];
export type CrmTicketConnection = ProviderThatCan<'tickets'>['id'];
/** CRMs outside Handoff: written through the outbox by their connector. */
export type OutsideCrm = Exclude<CrmDealConnection | CrmContactConnection | CrmTaskConnection | CrmTicketConnection, 'builtin'>;

/** Who a CRM record is about: found by Stripe customer id, else e-mail, in every CRM. */
export interface CrmPerson {
  customerId: string | null;
  email: string | null;
  name: string | null;
}

/** What a write to an outside CRM answers at once: it is queued in the outbox and delivered by the connector. */
export interface CrmQueuedWrite {
  connection: string;
  queued: true;
  outboxId: string;
  /** The unique value the record is upserted by in that CRM. */
  key: string;
}

export interface CrmDealInput {
  connection: CrmDealConnection;
  /** The built-in CRM deal to update, instead of finding it by customer id or e-mail. */
  dealId?: string;
  /** Stripe ids and payment status to write on the deal (merged). */
  stripe?: Record<string, string | null>;
  credential?: string;
  customerId?: string | null;
  email?: string | null;
  name?: string | null;
  /** Empty keeps the stage (only with `dealId`). */
  stage: string;
  amount?: number | null;
  currency?: string | null;
  product?: string | null;
  fields?: Record<string, string>;
  /** The Stripe object (checkout session, invoice...) the deal came from; HubSpot and Salesforce key their deal by it. */
  objectId?: string | null;
}

export interface CrmContactInput extends CrmPerson {
  connection: CrmContactConnection;
  /** HubSpot or Salesforce credential id (outside CRMs only). */
  credential?: string;
  /** Merged into the contact's properties; an empty value removes the property. */
  properties: Record<string, string>;
}

export interface CrmTaskInput {
  /** Default: the built-in CRM. */
  connection?: CrmTaskConnection;
  credential?: string;
  title: string;
  /** E-mail of the person who should do it. */
  assignee: string;
  dueAt: string | null;
  /** The built-in CRM deal it belongs to, if any. */
  dealId: string | null;
  /** Outside CRMs: the unique value the task is upserted by (the step's idempotency key). */
  key?: string;
  /** Outside CRMs: more detail for the task's body. */
  body?: string;
  /** Outside CRMs: the contact the task is about (associated with it). */
  person?: CrmPerson;
}

export type CrmTaskResult =
  | { connection?: 'builtin'; taskId: string; dealId: string | null; assignee: string; dueAt: string | null }
  | (CrmQueuedWrite & { assignee: string; dueAt: string | null });

export interface CrmTicketInput {
  connection: CrmTicketConnection;
  credential: string;
  /** The unique value the ticket is upserted by (the step's idempotency key). */
  key: string;
  subject: string;
  content: string;
  priority: 'LOW' | 'MEDIUM' | 'HIGH';
  /** HubSpot pipeline and stage ids of a new ticket. */
  pipeline: string;
  stage: string;
  /** The contact the ticket is about (associated with it), if the run has one. */
  person: CrmPerson;
}

export interface OutboxMessage {
  channel: OutboxChannel;
  credential?: string;
  recipient?: string;
  subject?: string;
  body: string;
  /** Channel-specific payload (e.g. HTTP method/headers). */
  payload?: Record<string, unknown>;
  /** Delivery attempts before the message is dead (default 8, with exponential backoff). */
  maxAttempts?: number;
}

export interface IntakeInput {
  email?: string | null;
  name?: string | null;
  customerId?: string | null;
  expiresInDays: number;
  fields: Array<{ name: string; label: string; required: boolean }>;
  /** SMTP credential the link is e-mailed with; without one the e-mail is held in the outbox. */
  credential?: string;
}

export interface ReviewInput {
  reason: string;
  owner: string;
  deadline?: string;
  facts: Record<string, unknown>;
}

export interface RunContext {
  run: ExprScope['run'];
  node: { id: string; type: string };
  scope: ExprScope;
  /** Evaluate a JSONata expression over `scope`; throws ExpressionError on a broken expression. */
  evaluate(expression: string, extra?: Record<string, unknown>): Promise<unknown>;
  now(): Date;
  /**
   * The node's config as saved (defaults applied) before its templates were rendered, so a node
   * can tell what came from a template, e.g. that one `{{ }}` recipient gave one address.
   */
  unrendered?: unknown;
  /** Set when the step was waiting and is run again. */
  resume?: Resume;
  /**
   * Effect nodes only: the rendered idempotency key of this step (`config.idempotencyKey`
   * or the node type's `effect.defaultKey`), so a node can pass it on, e.g. as an HTTP
   * Idempotency-Key header.
   */
  idempotencyKey?: string;
  effects: EffectPorts;
}

/**
 * What a trigger node tells the editor about how it fires; the server side of each trigger
 * is its adapter in apps/api/src/triggers/. The editor draws the trigger's panel from this,
 * never from the type name.
 */
export interface TriggerInfo<C = unknown> {
  /** Runs start at `POST /hooks/<hook>/<flowId>`; the editor shows that URL. */
  hook?: { path: string; help: string };
  /** Upcoming fire times (a schedule), shown in `timezone(config)`. */
  upcoming?: (config: C, count: number, from: Date) => Date[];
  timezone?: (config: C) => string;
  /**
   * What Handoff can set up at the sender when the trigger holds an API key in `credentialKey`:
   * create its endpoint (`POST /api/flows/:id/<path>/endpoint`) and look there for events that
   * never arrived (`.../reconcile`). The editor shows the buttons from this.
   */
  setup?: { provider: string; credentialKey: string; path: string };
  /** What a test run of the draft is started with: a Stripe event, or a JSON payload that becomes `trigger`. */
  test: 'stripeEvent' | 'payload';
  /** A payload to prefill the test dialog with (shape of `trigger` in expressions). */
  sample?: (config: C) => unknown;
  /**
   * What `trigger` looks like in expressions when that is not the test input itself (a Stripe
   * event becomes `{ event, payment }`): the editor's field picker and path check read it.
   */
  output?: (config: C) => unknown;
}

export interface NodeDefinition<C extends z.ZodType = z.ZodType, P extends string = string> {
  type: string;
  kind: NodeKind;
  label: string;
  description: string;
  config: C;
  ports: readonly P[];
  /**
   * Config keys holding JSONata expressions (evaluated by the node), as opposed to
   * `{{ }}` templates which the engine renders into every other string before `run`.
   */
  expressionFields?: readonly string[];
  /** Effect nodes get an `idempotencyKey` template; a repeat key is a recorded skip. */
  effect?: { defaultKey: string };
  /**
   * `run` calls another system directly (HTTP, Stripe's API), not through the outbox: the
   * engine commits the step's claim before it runs, so watchers see the attempt and a crash in
   * the middle of the call still counts as an attempt (outbound.spec checks the list).
   */
  outbound?: true;
  /** Trigger nodes only: how they fire, for the editor. */
  trigger?: TriggerInfo<z.infer<C>>;
  /**
   * An example of the node's output (what later steps read as `steps.<id>`), for the editor's
   * field picker and path check before a run shows the real one. Declared only where the node
   * decides the shape itself; output-samples.spec checks each against a run.
   */
  outputSample?: (config: z.infer<C>) => unknown;
  /** Engine-side retry policy default (attempts including the first). */
  retry?: { attempts: number };
  /**
   * `run` reads only its config, the scope and its input: no `ctx.effects`, no waits, nothing
   * outside the process. The engine may then run it before claiming the step and commit claim
   * and outcome in one statement (pure.spec checks every node that says so).
   */
  pure?: true;
  /**
   * The Stripe event types the node waits for with this config: they reach it only through its
   * own flow's Stripe webhook, so the flow's endpoint asks Stripe for them (stripe-events.ts).
   */
  stripeEvents?: (config: z.infer<C>) => readonly string[];
  /**
   * The trigger types under which this node can do its work (a wait for a Stripe event needs
   * the flow's Stripe trigger to receive it); under another, publishing is refused. A node with
   * `stripeEvents` needs a Stripe trigger whenever its settings wait for any.
   */
  onlyUnder?: readonly string[];
  run?: (ctx: RunContext, config: z.infer<C>, input: unknown) => Promise<NodeResult<P>>;
}

export function defineNode<C extends z.ZodType, const P extends string>(def: NodeDefinition<C, P>): NodeDefinition<C, P> {
  return def;
}
