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
}

export interface FlowVersion {
  version: number;
  note: string | null;
  publishedAt: string;
  publishedBy: string | null;
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

export interface Deal {
  id: string;
  title: string | null;
  contactId: string;
  contact: { name: string | null; email: string | null; stripeCustomerId: string | null };
  stage: string;
  amount: number | null;
  currency: string | null;
  product: string | null;
  recordType: 'profit' | 'nonprofit' | (string & {}) | null;
  stripe: DealStripe;
  runId: string | null;
  intake: { status: string } | null;
  updatedAt: string;
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
