import type { Resume } from '@handoff/nodes';

/** Pure rules of the run/step store (run-store.ts applies them); each has a spec beside it. */

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'queued' | 'running' | 'retrying' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface StepCounts {
  /** queued, running or retrying */
  active: number;
  waiting: number;
  failed: number;
}

/** A run's status follows from its steps: anything moving wins, then a failure, then a wait; else succeeded. */
const RUN_STATUS_ORDER = [
  ['active', 'running'],
  ['failed', 'failed'],
  ['waiting', 'waiting'],
] as const satisfies ReadonlyArray<readonly [keyof StepCounts, RunStatus]>;

export function runStatusFrom(c: StepCounts): Extract<RunStatus, 'running' | 'failed' | 'waiting' | 'succeeded'> {
  return RUN_STATUS_ORDER.find(([count]) => c[count] > 0)?.[1] ?? 'succeeded';
}

/** runStatusFrom in SQL, over a row `counts` with StepCounts' columns: the statement that settles a run counts and updates at once. */
export function runStatusSql(counts: string): string {
  return `CASE ${RUN_STATUS_ORDER.map(([count, status]) => `WHEN ${counts}.${count} > 0 THEN '${status}'`).join(' ')} ELSE 'succeeded' END`;
}

/**
 * The statuses a job may claim a step from: a timer/event/review wake-up only a waiting step,
 * any other job a step not yet done and not waiting ('running': a step that calls out commits
 * its claim first, and a worker that died during the call left it so). A stale job for a
 * finished step does nothing.
 */
export function claimFrom(resume: boolean): string[] {
  return resume ? ['waiting'] : ['queued', 'running', 'retrying'];
}

/** A step of a run that has an output: for `steps.<id>` in expressions and for the next step's input. */
export interface FinishedStep {
  node_id: string;
  status: string;
  port: string | null;
  output: unknown;
}

type Edges = ReadonlyArray<{ source: string; sourcePort?: string }>;

/** A step's input, and where it came from: recorded instead of a copy of it (see stepInput). */
export interface StepInput {
  value: unknown;
  /** The node whose output it is, '' for the run's trigger, null when nothing fed the step. */
  from: string | null;
}

/**
 * A step's input: the output of the first finished step (in finishing order) whose edge led to
 * it on the port it took; the trigger payload for a node without incoming edges. A succeeded
 * step records `from` instead of a copy of `value` (#17: the copies were half of what the steps
 * wrote); stepInput reads it back.
 */
export function inputFrom(incomingEdges: Edges, finished: readonly FinishedStep[], trigger: unknown): StepInput {
  if (!incomingEdges.length) return { value: trigger, from: '' };
  const hit = finished.find((s) => (s.status === 'succeeded' || s.status === 'skipped') && incomingEdges.some((e) => e.source === s.node_id && (e.sourcePort ?? 'out') === s.port));
  return hit ? { value: hit.output ?? null, from: hit.node_id } : { value: null, from: null };
}

/**
 * A recorded step's input as the run page shows it: its own copy, or what `input_from` names
 * (the run's trigger, or that step's output). Nothing once the run's payloads were pruned.
 */
export function stepInput(step: { input: unknown; inputFrom: string | null; prunedAt: Date | null }, trigger: unknown, outputOf: (nodeId: string) => unknown): unknown {
  if (step.prunedAt) return null;
  if (step.inputFrom === null) return step.input;
  return step.inputFrom === '' ? trigger : (outputOf(step.inputFrom) ?? null);
}

/** `steps.<id>` in expressions: outputs of finished and waiting steps. */
export function outputsOf(steps: readonly FinishedStep[]): Record<string, unknown> {
  return Object.fromEntries(steps.map((s) => [s.node_id, s.output]));
}

export interface ReviewState {
  id: string;
  status: string;
  decision: string | null;
  note: string | null;
  decided_by: string | null;
}

/**
 * What woke a waiting step. A decision or a matched event wins over a timer that fired in
 * the same instant, so the port taken always agrees with what the review inbox shows; a
 * timer that wins over a pending review expires it.
 */
export function resumeReason(review: ReviewState | null, capturedEvent: unknown): { resume: Resume; expireReview: string | null } {
  if (review && (review.decision === 'approve' || review.decision === 'reject')) {
    return { resume: { reason: 'review', decision: review.decision, note: review.note, by: review.decided_by ?? '', reviewId: review.id }, expireReview: null };
  }
  // An event that ends a review (review.resolveOn) closes it: no one decides it any more.
  if (capturedEvent) return { resume: { reason: 'event', event: capturedEvent }, expireReview: review?.status === 'pending' ? review.id : null };
  return { resume: { reason: 'timer' }, expireReview: review?.status === 'pending' ? review.id : null };
}
