import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * Prometheus metrics live in prom-client's default registry, one per process; each api or
 * worker process exposes its own on /metrics and its counters are summed across processes
 * (the database gauges, the same everywhere, take max: see database-gauges.ts). Get-or-create keeps
 * a second app in the same process (tests) from registering a name twice.
 */
export const webhookOutcomes = ['accepted', 'duplicate', 'ignored', 'held', 'bad_signature', 'malformed', 'too_large', 'unknown_flow'] as const;
export type WebhookOutcome = (typeof webhookOutcomes)[number];

function existing<T>(name: string): T | undefined {
  return register.getSingleMetric(name) as T | undefined;
}

export function counter<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
  return existing<Counter<L>>(name) ?? new Counter<L>({ name, help, labelNames });
}

export function gauge<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
  return existing<Gauge<L>>(name) ?? new Gauge<L>({ name, help, labelNames });
}

export function histogram<L extends string = string>(name: string, help: string, labelNames: readonly L[] = [], buckets?: number[]): Histogram<L> {
  return existing<Histogram<L>>(name) ?? new Histogram<L>({ name, help, labelNames, ...(buckets ? { buckets } : {}) });
}

export function webhookRequests(): Counter<'outcome'> {
  const known = existing<Counter<'outcome'>>('handoff_webhook_requests_total');
  if (known) return known;
  const c = counter('handoff_webhook_requests_total', 'Webhook requests (Stripe and generic /hooks/webhook) by outcome', ['outcome']);
  // Every outcome is exported from the start, so rate() and alerts see a 0 rather than nothing.
  for (const outcome of webhookOutcomes) c.inc({ outcome }, 0);
  return c;
}

export function duplicatesSuppressed(): Counter {
  return counter('handoff_duplicates_suppressed_total', 'Repeat deliveries of an already stored Stripe event that started no run');
}

export type StepOutcome = 'succeeded' | 'skipped' | 'waiting' | 'retrying' | 'failed';

export function stepDuration(): Histogram<'node_type' | 'outcome'> {
  return histogram(
    'handoff_step_duration_seconds',
    'Time a worker spent executing one step attempt (config, effects, commit), by node type and outcome',
    ['node_type', 'outcome'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
}

export function ingestBatchSize(): Histogram {
  return histogram('handoff_ingest_batch_size', 'Webhook deliveries stored by one statement and commit (group commit under load; 1 when idle)', [], [1, 2, 4, 8, 16]);
}

export function paymentToKickoff(): Histogram {
  return histogram(
    'handoff_payment_to_kickoff_seconds',
    'From a Stripe event being received to the onboarding intake of its run being started (intake.start succeeded); live runs only',
    [],
    [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
  );
}

let defaultsCollected = false;
export function collectProcessMetrics(): void {
  if (defaultsCollected || existing('process_cpu_user_seconds_total')) return;
  defaultsCollected = true;
  collectDefaultMetrics();
}

/**
 * Error middleware for the raw body parser on /hooks: a body over the limit never reaches
 * the controller, so it is counted here and answered by the app's body error handler (413).
 */
export function countWebhookBodyErrors(err: { type?: string } | undefined, _req: Request, _res: Response, next: NextFunction): void {
  if (err) webhookRequests().inc({ outcome: err.type === 'entity.too.large' ? 'too_large' : 'malformed' });
  next(err);
}
