import type { FlowDocument } from '@handoff/nodes';

export type Role = 'admin' | 'editor' | 'reviewer' | 'viewer';
export interface User {
  id: string;
  email: string;
  role: Role;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | number | null;
}

export type FlowStatus = 'draft' | 'active' | 'paused';

export interface FlowSummary {
  id: string;
  name: string;
  status: FlowStatus;
  publishedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Flow extends FlowSummary {
  draft: FlowDocument;
  problems?: import('./client').ApiProblem[];
  /** `/hooks/<hook>/<flow id>` of the saved draft's trigger; null when that trigger has no route. */
  webhookPath: string | null;
  /** The same route on the server's HANDOFF_PUBLIC_URL; null when none is set. */
  webhookUrl: string | null;
  /** The saved draft differs from the live (published) version; false before the first publish. */
  draftDiffers: boolean;
}

export interface FlowVersion {
  version: number;
  note: string | null;
  publishedAt: string;
  /** The publisher's user id, and their e-mail while the account exists. */
  publishedBy: string | null;
  publishedByEmail: string | null;
}

export interface Credential {
  id: string;
  type: string;
  name: string;
  createdAt?: string;
}

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled' | (string & {});
export type StepStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'cancelled' | (string & {});

export interface RunSummary {
  id: string;
  flowId: string;
  flowName?: string;
  version: number | null;
  status: RunStatus;
  test?: boolean;
  trigger: { eventId?: string | null; type?: string | null } | null;
  customerId?: string | null;
  email?: string | null;
  error?: string | null;
  createdAt?: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunStep {
  nodeId: string;
  status: StepStatus;
  port: string | null;
  attempt: number;
  input: unknown;
  output: unknown;
  error: unknown;
  startedAt: string | null;
  finishedAt: string | null;
  nodeType?: string;
  maxAttempts?: number;
  idempotencyKey?: string | null;
  /** Set when the step was a recorded skip: its idempotency key was already used by that run. */
  skippedOfRun?: string | null;
  waitUntil?: string | null;
  durationMs?: number | null;
}

export interface Run extends RunSummary {
  steps: RunStep[];
  /** The trigger payload the run started with. */
  payload?: unknown;
  /** The flow document the run is pinned to (published version or a test run's snapshot). */
  document?: unknown;
}

/** One SSE message: the contract's `{ runId, nodeId?, status }` or the engine's `{ runId, runStatus?, nodeId?, stepStatus?, port? }`. */
export interface RunStreamMessage {
  runId: string;
  flowId?: string;
  nodeId?: string;
  status?: string;
  runStatus?: string;
  stepStatus?: string;
  port?: string | null;
  [key: string]: unknown;
}

export interface Review {
  id: string;
  runId: string;
  flowId: string;
  /** Null once the flow is deleted. */
  flowName: string | null;
  nodeId: string;
  status: 'pending' | 'approved' | 'rejected' | 'timeout' | (string & {});
  reason: string;
  owner: string;
  facts: Record<string, unknown> | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decision: 'approve' | 'reject' | null;
  note: string | null;
  /** Held by a test run of a draft: out of the inbox unless asked for. */
  test?: boolean;
}

export interface CrmStage {
  key: string;
  label: string;
}

/** What flows wrote back about the deal's Stripe invoice; every field may still be null. */
export interface DealStripe {
  customerId: string | null;
  invoiceId: string | null;
  invoiceUrl: string | null;
  /** Free text from the flow that wrote it: 'open', 'paid', 'failed', 'draft', 'void'… */
  paymentStatus: string | null;
}

export type RecordType = 'profit' | 'nonprofit';

export interface Deal {
  id: string;
  title: string | null;
  /** Made by a test run of a draft: kept apart, hidden from the board unless asked for. */
  test?: boolean;
  contactId: string;
  contact: { name: string | null; email: string | null; stripeCustomerId: string | null };
  stage: string;
  /** Minor units (cents), as Stripe counts them. */
  amount: number | null;
  currency: string | null;
  product: string | null;
  recordType: RecordType | (string & {}) | null;
  fields?: Record<string, string | number | boolean | null>;
  stripe: DealStripe;
  runId: string | null;
  intake: { id?: string; status: string } | null;
  createdAt?: string;
  updatedAt: string;
}

/** Who did something to a deal: a person (by e-mail), the client (through their intake), or a flow's run. */
export type CrmActor = { type: 'user' | 'client'; id: string } | { type: 'run'; id: string; flowName: string | null };

/** One line of a deal's story, as `GET /api/crm/deals/:id` answers it (newest first). */
export type TimelineEntry =
  | { at: string; kind: 'created'; stage: string; by: CrmActor }
  | { at: string; kind: 'stage'; from: string | null; to: string; by: CrmActor }
  | { at: string; kind: 'updated'; changed: string[]; by: CrmActor }
  | { at: string; kind: 'run'; runId: string; flowId: string; flowName: string | null; status: string; trigger: string | null }
  | { at: string; kind: 'payment'; runId: string; eventId: string | null; type: string | null; amount: number | null; currency: string | null; status: string | null }
  | { at: string; kind: 'message'; id: string; runId: string | null; channel: string; recipient: string | null; subject: string | null; status: string }
  | {
      at: string;
      kind: 'intake';
      id: string;
      status: string;
      openedAt: string | null;
      submittedAt: string | null;
      answers: Record<string, unknown> | null;
      /** The form's questions, in order. */
      fields: Array<{ name: string; label: string }>;
    }
  | { at: string; kind: 'task'; id: string; title: string; assignee: string; status: string; dueAt: string | null; by: CrmActor };

export interface DealDetail extends Deal {
  history: Array<{ from: string | null; to: string; at: string; byType: string; by: string }>;
  timeline: TimelineEntry[];
}

/** Body of `POST /api/crm/deals`; `amount` in minor units. */
export interface NewDeal {
  title?: string | null;
  contact: { email: string; name?: string | null };
  stage: string;
  amount: number;
  currency: string;
  product?: string | null;
  recordType?: RecordType | null;
}

/** Body of `PATCH /api/crm/deals/:id`: only what changed. */
export type DealPatch = Partial<Pick<NewDeal, 'title' | 'amount' | 'currency' | 'product' | 'recordType' | 'stage'>>;

export interface CrmTask {
  id: string;
  dealId: string | null;
  deal: { id: string; title: string | null; contactEmail: string | null } | null;
  title: string;
  assignee: string;
  status: 'open' | 'done';
  dueAt: string | null;
  /** Open and past its due time, by the server's clock. */
  overdue: boolean;
  createdBy: { type: string; id: string };
  runId: string | null;
  createdAt: string;
  completedAt: string | null;
  completedBy: string | null;
}

export interface ContactSummary {
  id: string;
  name: string | null;
  email: string | null;
  stripeCustomerId: string | null;
  openDeals: number;
  createdAt: string;
  updatedAt: string;
}

export interface ContactDetail extends Omit<ContactSummary, 'openDeals'> {
  properties: Record<string, unknown> | null;
  deals: Deal[];
}

/** One CRM message of `GET /api/stream` (topic `crm`) or `GET /api/crm/stream`. */
export interface CrmStreamMessage {
  kind: 'deal' | 'task' | (string & {});
  dealId?: string | null;
  taskId?: string;
}

export interface IntakeField {
  name: string;
  label: string;
  required: boolean;
  type?: string;
}

export interface IntakeForm {
  fields: IntakeField[];
  status: 'pending' | 'open' | 'submitted' | 'completed' | 'expired' | (string & {});
  contact: { name?: string | null; email?: string | null } | null;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'retrying' | 'dead' | 'held';

/** One delivery attempt of an outbox message. */
export interface DeliveryAttempt {
  at: string;
  ok: boolean;
  error?: string | null;
}

/** A message a flow's notify step queued, as `GET /api/outbox` answers it. */
export interface OutboxMessage {
  id: string;
  runId: string | null;
  /** Queued by a test run of a draft. */
  test?: boolean;
  nodeId: string | null;
  channel: string;
  recipient: string | null;
  subject: string | null;
  body: string;
  status: OutboxStatus | (string & {});
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  history: DeliveryAttempt[];
  createdAt: string;
  sentAt: string | null;
}

/** A stored credential as listed: the secret never comes back. */
export interface CredentialSummary {
  id: string;
  type: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface AdminUser extends User {
  disabledAt: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  owner: { id?: string; email: string };
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** Answer of `POST /api/tokens`: the token itself, shown once. */
export interface NewApiToken {
  id: string;
  name: string;
  role: Role;
  expiresAt: string;
  token: string;
}

/** A trigger event a flow received, as `GET /api/events` answers it. */
export interface TriggerEvent {
  id: string;
  flowId: string;
  source: string;
  via: 'hook' | 'reconcile' | 'test' | (string & {});
  eventId: string;
  type: string | null;
  status: 'ran' | 'ignored' | 'held' | (string & {});
  livemode: boolean | null;
  duplicateCount: number;
  runId: string | null;
  receivedAt: string;
  lastSeenAt: string | null;
}

export type IntakeStatus = 'sent' | 'opened' | 'submitted' | 'expired';

/** An onboarding intake as `GET /api/intakes` answers it (the link is masked for viewers and reviewers). */
export interface Intake {
  id: string;
  status: IntakeStatus;
  email: string | null;
  name: string | null;
  contactId: string | null;
  deal: { id: string; title: string | null } | null;
  runId: string | null;
  flow: { id: string; name: string } | null;
  url: string | null;
  fields: Array<{ name: string; label: string; required: boolean }>;
  answers: Record<string, string> | null;
  expiresAt: string;
  createdAt: string;
  openedAt: string | null;
  submittedAt: string | null;
  /** The latest e-mail with the link, and how many were sent. */
  message: { id: string; status: string; sentAt: string | null; count: number } | null;
  canResend: boolean;
  resendBlockedBecause: string | null;
}
