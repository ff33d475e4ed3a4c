import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  evaluateExpression,
  ExprScope,
  FlowDocument,
  getNodeType,
  incoming,
  NodeDefinition,
  nextNodes,
  NodeResult,
  renderTemplate,
  resolveConfig,
  Resume,
} from '@handoff/nodes';
import { performance } from 'node:perf_hooks';
import type { StepOutcome } from '../metrics/metrics';
import { MetricsService } from '../metrics/metrics.service';
import { EffectsFactory } from './effects/effects.factory';
import { isPermanent, PermanentStepError } from './step-errors';
import { addJob, JobPayloads, removeJob, timerKey } from './queue';
import { notifyRun } from './notify';
import { maxAttemptsFor } from './retry-policy';

interface RunRow {
  id: string;
  flow_id: string;
  version: number;
  status: string;
  test: boolean;
  trigger: Record<string, unknown>;
  event_id: string | null;
  started_at: Date | null;
  document: FlowDocument;
  flow_name: string;
}

interface StepRow {
  id: string;
  node_id: string;
  node_type: string;
  status: string;
  attempt: number;
  port: string | null;
  output: unknown;
}

export interface JobInfo {
  attempts: number;
  maxAttempts: number;
}

/** What a committed step attempt did, for the metrics and the log line written after commit. */
interface Done {
  outcome: Extract<StepOutcome, 'succeeded' | 'skipped' | 'waiting'>;
  nodeType: string;
  runStatus: string;
  flowId: string;
  eventId: string | null;
  /** When the run's Stripe event arrived, if this step started the onboarding intake of a live run. */
  kickoffOf?: Date;
}

/** The node type whose success counts as the onboarding kickoff in handoff_payment_to_kickoff_seconds. */
const KICKOFF_NODE = 'intake.start';

const TERMINAL_STEP = new Set(['succeeded', 'failed', 'skipped', 'cancelled']);
const TERMINAL_RUN = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Runs one step of one run. Everything a step does (its effects, its output row, its
 * idempotency record and the jobs for the next nodes) commits in one transaction; if the
 * worker dies half-way, the transaction rolls back and the job is taken over.
 */
@Injectable()
export class StepExecutor {
  private readonly logger = new Logger('StepExecutor');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly effects: EffectsFactory,
    private readonly metrics: MetricsService,
  ) {}

  async execute(job: JobPayloads['run_step'], info: JobInfo): Promise<void> {
    const claimed = await this.db.transaction((m) => this.claim(m, job));
    if (!claimed) return;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const ids = { runId: job.runId, flowId: claimed.flowId, eventId: claimed.eventId, nodeId: job.nodeId, nodeType: claimed.nodeType };
    try {
      const done = await this.db.transaction((m) => this.runClaimed(m, job));
      if (done) this.finished(ids, done, seconds());
    } catch (err) {
      const message = errorMessage(err);
      const final = isPermanent(err) || info.attempts >= info.maxAttempts;
      await this.db.transaction((m) => this.recordFailure(m, job, message, final));
      this.metrics.step(claimed.nodeType, final ? 'failed' : 'retrying', seconds());
      this.logger.warn({ ...ids, attempt: info.attempts, final, err: message }, final ? 'step failed' : 'step failed, will retry');
      // Not final: graphile-worker retries the job with exponential backoff.
      if (!final) throw err;
    }
  }

  /** Metrics and log lines for a committed step: every line names the run, the flow and the Stripe event. */
  private finished(ids: { runId: string; flowId: string; eventId: string | null; nodeId: string; nodeType: string }, done: Done, seconds: number): void {
    this.metrics.step(done.nodeType, done.outcome, seconds);
    if (done.kickoffOf) this.metrics.kickoffAfter(Math.max(0, (Date.now() - done.kickoffOf.getTime()) / 1000));
    this.logger.debug({ ...ids, outcome: done.outcome, ms: Math.round(seconds * 1000) }, `step ${done.outcome}`);
    if (done.runStatus !== 'running') this.logger.log({ runId: ids.runId, flowId: ids.flowId, eventId: ids.eventId, status: done.runStatus }, `run ${done.runStatus}`);
  }

  /** Marks the step running (visible to watchers) unless the job is stale. */
  private async claim(m: EntityManager, job: JobPayloads['run_step']): Promise<{ nodeType: string; flowId: string; eventId: string | null } | null> {
    const run = await this.lockRun(m, job.runId);
    if (!run || TERMINAL_RUN.has(run.status)) return null;
    const step = await this.lockStep(m, job.runId, job.nodeId);
    if (!step || TERMINAL_STEP.has(step.status)) return null;
    // A timer/event/review resume only applies to a waiting step, and a waiting step only wakes on one.
    if ((step.status === 'waiting') !== Boolean(job.resume)) return null;
    await m.query(
      `UPDATE steps SET status = 'running', attempt = attempt + 1, started_at = coalesce(started_at, now()), error = NULL WHERE id = $1`,
      [step.id],
    );
    if (run.status !== 'running') {
      await m.query(`UPDATE runs SET status = 'running', started_at = coalesce(started_at, now()) WHERE id = $1`, [run.id]);
    }
    await notifyRun(m, { runId: run.id, flowId: run.flow_id, runStatus: 'running', nodeId: job.nodeId, stepStatus: 'running' });
    return { nodeType: step.node_type, flowId: run.flow_id, eventId: run.event_id };
  }

  private async runClaimed(m: EntityManager, job: JobPayloads['run_step']): Promise<Done | null> {
    const run = await this.lockRun(m, job.runId);
    const step = await this.lockStep(m, job.runId, job.nodeId);
    if (!run || !step || step.status !== 'running') return null; // cancelled meanwhile
    const done = (outcome: Done['outcome'], runStatus: string): Done => ({ outcome, nodeType: step.node_type, runStatus, flowId: run.flow_id, eventId: run.event_id });
    const node = run.document.nodes.find((n) => n.id === job.nodeId);
    const def = node && getNodeType(node.type);
    if (!node || !def) throw new PermanentStepError(`Node ${job.nodeId} (${step.node_type}) is not part of version ${run.version} or its type is unknown`);

    const scope = await this.scopeFor(m, run, node.id, node.type);
    const input = await this.inputFor(m, run, node.id);
    const config = await resolveConfig(def, node.config, scope);

    let idempotencyKey: string | undefined;
    if (def.effect) {
      const template = (node.config as { idempotencyKey?: string }).idempotencyKey || def.effect.defaultKey;
      // Test runs of a draft keep their own key space: testing must never use up the real payment's key.
      idempotencyKey = (run.test ? 'test:' : '') + (await renderTemplate(template, scope));
      if (!idempotencyKey.replace(/^test:/, '').trim()) throw new PermanentStepError(`The idempotency key of ${node.id} rendered empty (template: ${template})`);
      if (!job.resume) {
        const earlier = await this.claimKey(m, run, node.id, idempotencyKey);
        if (earlier) return done('skipped', await this.finishSkipped(m, run, step, idempotencyKey, earlier));
        await m.query(`UPDATE steps SET idempotency_key = $2 WHERE id = $1`, [step.id, idempotencyKey]);
      }
    }

    const resume = job.resume ? await this.resumeFor(m, step) : undefined;
    if (resume) await this.clearWaits(m, step);
    const ctx = {
      run: scope.run,
      node: { id: node.id, type: node.type },
      scope,
      evaluate: (expr: string, extra?: Record<string, unknown>) => evaluateExpression(expr, extra ? { ...scope, ...extra } : scope),
      now: () => new Date(),
      resume,
      idempotencyKey,
      effects: this.effects.forStep(m, { runId: run.id, flowId: run.flow_id, nodeId: node.id, test: run.test }),
    };
    await m.query(`UPDATE steps SET input = $2 WHERE id = $1`, [step.id, JSON.stringify(input ?? null)]);
    if (!def.run) throw new PermanentStepError(`${def.label} cannot run`);
    const result: NodeResult = await def.run(ctx, config, input);

    if ('wait' in result) {
      await this.park(m, run, step, result.wait);
      return done('waiting', await this.settleRun(m, run));
    }
    await m.query(`UPDATE steps SET status = 'succeeded', port = $2, output = $3, finished_at = now(), wait_until = NULL WHERE id = $1`, [
      step.id,
      result.port,
      JSON.stringify(result.output ?? null),
    ]);
    await notifyRun(m, { runId: run.id, flowId: run.flow_id, nodeId: node.id, stepStatus: 'succeeded', port: result.port });
    await this.enqueueNext(m, run, node.id, result.port);
    const kickoffOf = node.type === KICKOFF_NODE && !run.test ? await this.eventReceivedAt(m, run) : undefined;
    return { ...done('succeeded', await this.settleRun(m, run)), ...(kickoffOf ? { kickoffOf } : {}) };
  }

  /** When the Stripe event that started the run arrived (before any hold while its flow was paused). */
  private async eventReceivedAt(m: EntityManager, run: RunRow): Promise<Date | undefined> {
    if (!run.event_id) return undefined;
    const [row]: Array<{ received_at: Date }> = await m.query(`SELECT received_at FROM trigger_events WHERE flow_id = $1 AND trigger_key = $2`, [run.flow_id, run.event_id]);
    return row?.received_at;
  }

  private async recordFailure(m: EntityManager, job: JobPayloads['run_step'], message: string, final: boolean): Promise<void> {
    const run = await this.lockRun(m, job.runId);
    if (!run) return;
    await m.query(`UPDATE steps SET status = $3, error = $4, finished_at = CASE WHEN $3 = 'failed' THEN now() ELSE NULL END WHERE run_id = $1 AND node_id = $2 AND status = 'running'`, [
      job.runId,
      job.nodeId,
      final ? 'failed' : 'retrying',
      message,
    ]);
    await notifyRun(m, { runId: run.id, flowId: run.flow_id, nodeId: job.nodeId, stepStatus: final ? 'failed' : 'retrying' });
    if (final) await this.settleRun(m, run, `${job.nodeId}: ${message}`);
  }

  private async lockRun(m: EntityManager, runId: string): Promise<RunRow | null> {
    const rows: RunRow[] = await m.query(
      `SELECT r.id, r.flow_id, r.version, r.status, r.test, r.trigger, r.event_id, r.started_at, coalesce(r.document, v.document) AS document, f.name AS flow_name
       FROM runs r JOIN flows f ON f.id = r.flow_id LEFT JOIN flow_versions v ON v.flow_id = r.flow_id AND v.version = r.version
       WHERE r.id = $1 FOR UPDATE OF r`,
      [runId],
    );
    return rows[0] ?? null;
  }

  private async lockStep(m: EntityManager, runId: string, nodeId: string): Promise<StepRow | null> {
    const rows: StepRow[] = await m.query(`SELECT id, node_id, node_type, status, attempt, port, output FROM steps WHERE run_id = $1 AND node_id = $2 FOR UPDATE`, [runId, nodeId]);
    return rows[0] ?? null;
  }

  private async scopeFor(m: EntityManager, run: RunRow, nodeId: string, nodeType: string): Promise<ExprScope> {
    const rows: Array<{ node_id: string; output: unknown }> = await m.query(`SELECT node_id, output FROM steps WHERE run_id = $1 AND status IN ('succeeded','skipped','waiting')`, [run.id]);
    return {
      trigger: run.trigger,
      steps: Object.fromEntries(rows.map((r) => [r.node_id, r.output])),
      run: { id: run.id, flowId: run.flow_id, version: run.version, test: run.test, startedAt: (run.started_at ?? new Date()).toISOString() },
      flow: { id: run.flow_id, name: run.flow_name },
      node: { id: nodeId, type: nodeType },
    };
  }

  /** A step's input is the output of the step whose edge led to it (the trigger payload for a trigger). */
  private async inputFor(m: EntityManager, run: RunRow, nodeId: string): Promise<unknown> {
    const edges = incoming(run.document, nodeId);
    if (!edges.length) return run.trigger;
    const rows: Array<{ node_id: string; port: string; output: unknown }> = await m.query(
      `SELECT node_id, port, output FROM steps WHERE run_id = $1 AND node_id = ANY($2) AND status IN ('succeeded','skipped') ORDER BY finished_at`,
      [run.id, edges.map((e) => e.source)],
    );
    const hit = rows.find((r) => edges.some((e) => e.source === r.node_id && (e.sourcePort ?? 'out') === r.port));
    return hit?.output ?? null;
  }

  /** Records the key; returns the earlier run that holds it, if any. */
  private async claimKey(m: EntityManager, run: RunRow, nodeId: string, key: string): Promise<string | null> {
    const inserted = await m.query(
      `INSERT INTO idempotency_keys (flow_id, node_id, key, run_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING run_id`,
      [run.flow_id, nodeId, key, run.id],
    );
    if (inserted.length) return null;
    const [existing] = await m.query(`SELECT run_id FROM idempotency_keys WHERE flow_id = $1 AND node_id = $2 AND key = $3`, [run.flow_id, nodeId, key]);
    return existing.run_id === run.id ? null : existing.run_id;
  }

  /**
   * A repeat of an effect already made by an earlier run: no second effect. The path goes
   * on along the port the earlier step took, so later effects are checked by their own keys.
   */
  private async finishSkipped(m: EntityManager, run: RunRow, step: StepRow, key: string, earlierRunId: string): Promise<string> {
    const [earlier] = await m.query(`SELECT status, port, output FROM steps WHERE run_id = $1 AND node_id = $2`, [earlierRunId, step.node_id]);
    const port: string | null = earlier && (earlier.status === 'succeeded' || earlier.status === 'skipped') ? earlier.port : null;
    const output = { skipped: true, reason: 'duplicate', idempotencyKey: key, earlierRunId, earlierOutput: earlier?.output ?? null };
    await m.query(`UPDATE steps SET status = 'skipped', port = $2, output = $3, idempotency_key = $4, skipped_of_run = $5, finished_at = now() WHERE id = $1`, [
      step.id,
      port,
      JSON.stringify(output),
      key,
      earlierRunId,
    ]);
    await notifyRun(m, { runId: run.id, flowId: run.flow_id, nodeId: step.node_id, stepStatus: 'skipped', port });
    if (port) await this.enqueueNext(m, run, step.node_id, port);
    return this.settleRun(m, run);
  }

  /**
   * What woke the step. A decision or a matched event wins over a timer that fired in the
   * same instant, so the port taken always agrees with what the review inbox shows.
   */
  private async resumeFor(m: EntityManager, step: StepRow): Promise<Resume> {
    const [r] = await m.query(`SELECT id, status, decision, note, decided_by FROM reviews WHERE run_id = (SELECT run_id FROM steps WHERE id = $1) AND node_id = $2 ORDER BY created_at DESC LIMIT 1`, [
      step.id,
      step.node_id,
    ]);
    if (r && (r.decision === 'approve' || r.decision === 'reject')) return { reason: 'review', decision: r.decision, note: r.note, by: r.decided_by, reviewId: r.id };
    const captured = (step.output as { event?: unknown } | null)?.event;
    if (captured) return { reason: 'event', event: captured };
    if (r?.status === 'pending') await m.query(`UPDATE reviews SET status = 'expired' WHERE id = $1`, [r.id]);
    return { reason: 'timer' };
  }

  /** A woken step no longer waits on anything else. */
  private async clearWaits(m: EntityManager, step: StepRow): Promise<void> {
    await m.query(`DELETE FROM event_waits WHERE step_id = $1`, [step.id]);
    await removeJob(m, timerKey(step.id));
  }

  private async park(m: EntityManager, run: RunRow, step: StepRow, wait: Extract<NodeResult, { wait: unknown }>['wait']): Promise<void> {
    const until = wait.until ? new Date(wait.until) : null;
    await m.query(`UPDATE steps SET status = 'waiting', output = $2, wait_until = $3 WHERE id = $1`, [step.id, JSON.stringify(wait.output ?? null), until]);
    if (until) await addJob(m, 'run_step', { runId: run.id, nodeId: step.node_id, resume: 'timer' }, { runAt: until, jobKey: timerKey(step.id), maxAttempts: 3 });
    if (wait.event) {
      await m.query(`INSERT INTO event_waits (step_id, run_id, flow_id, types, match) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (step_id) DO UPDATE SET types = EXCLUDED.types, match = EXCLUDED.match`, [
        step.id,
        run.id,
        run.flow_id,
        wait.event.types,
        wait.event.match ?? null,
      ]);
    }
    await notifyRun(m, { runId: run.id, flowId: run.flow_id, nodeId: step.node_id, stepStatus: 'waiting' });
  }

  /** Creates each next step once per run (a join runs on its first arrival) and its job. */
  private async enqueueNext(m: EntityManager, run: RunRow, nodeId: string, port: string): Promise<void> {
    for (const nextId of nextNodes(run.document, nodeId, port)) {
      const next = run.document.nodes.find((n) => n.id === nextId);
      if (!next) continue;
      const def: NodeDefinition | undefined = getNodeType(next.type);
      const attempts = maxAttemptsFor(def, next.config);
      const created = await m.query(
        `INSERT INTO steps (run_id, node_id, node_type, status, max_attempts) VALUES ($1, $2, $3, 'queued', $4) ON CONFLICT (run_id, node_id) DO NOTHING RETURNING id`,
        [run.id, next.id, next.type, attempts],
      );
      if (!created.length) continue;
      await addJob(m, 'run_step', { runId: run.id, nodeId: next.id }, { maxAttempts: attempts });
      await notifyRun(m, { runId: run.id, flowId: run.flow_id, nodeId: next.id, stepStatus: 'queued' });
    }
  }

  /** The run's status follows from its steps; returns it. */
  async settleRun(m: EntityManager, run: { id: string; flow_id: string }, error?: string): Promise<string> {
    const [c] = await m.query(
      `SELECT count(*) FILTER (WHERE status IN ('queued','running','retrying'))::int AS active,
              count(*) FILTER (WHERE status = 'waiting')::int AS waiting,
              count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM steps WHERE run_id = $1`,
      [run.id],
    );
    const status = c.active > 0 ? 'running' : c.failed > 0 ? 'failed' : c.waiting > 0 ? 'waiting' : 'succeeded';
    const finished = status === 'succeeded' || status === 'failed';
    await m.query(`UPDATE runs SET status = $2, finished_at = CASE WHEN $3 THEN now() ELSE NULL END, error = coalesce($4, CASE WHEN $2 = 'failed' THEN error END) WHERE id = $1`, [
      run.id,
      status,
      finished,
      error ?? null,
    ]);
    await notifyRun(m, { runId: run.id, flowId: run.flow_id, runStatus: status });
    return status;
  }
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.slice(0, 2000);
  return String(err).slice(0, 2000);
}
