import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  ExprScope,
  getNodeType,
  incoming,
  NodeDefinition,
  nextNodes,
  NodeResult,
  parseConfig,
  Resume,
} from '@handoff/nodes';
import { performance } from 'node:perf_hooks';
import type { StepOutcome } from '../metrics/metrics';
import { MetricsService } from '../metrics/metrics.service';
import { EffectsFactory } from './effects/effects.factory';
import { ExpressionSandbox } from './sandbox/expression-sandbox';
import { isPermanent, PermanentStepError } from './step-errors';
import { JobPayloads } from './queue';
import { maxAttemptsFor } from './retry-policy';
import { claimable, isTerminalRun, resumeReason } from '../runs/store/run-rules';
import * as store from '../runs/store/run-store';
import type { RunRow, StepRow } from '../runs/store/run-store';

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
    private readonly sandbox: ExpressionSandbox,
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
    const run = await store.lockRun(m, job.runId);
    if (!run || isTerminalRun(run.status)) return null;
    const step = await store.lockStep(m, job.runId, job.nodeId);
    if (!step || !claimable(step.status, Boolean(job.resume))) return null;
    await store.markRunning(m, run, step);
    return { nodeType: step.node_type, flowId: run.flow_id, eventId: run.event_id };
  }

  private async runClaimed(m: EntityManager, job: JobPayloads['run_step']): Promise<Done | null> {
    const run = await store.lockRun(m, job.runId);
    const step = await store.lockStep(m, job.runId, job.nodeId);
    if (!run || !step || step.status !== 'running') return null; // cancelled meanwhile
    const done = (outcome: Done['outcome'], runStatus: string): Done => ({ outcome, nodeType: step.node_type, runStatus, flowId: run.flow_id, eventId: run.event_id });
    const node = run.document.nodes.find((n) => n.id === job.nodeId);
    const def = node && getNodeType(node.type);
    if (!node || !def) throw new PermanentStepError(`Node ${job.nodeId} (${step.node_type}) is not part of version ${run.version} or its type is unknown`);

    const scope = await this.scopeFor(m, run, node.id, node.type);
    const input = await this.inputFor(m, run, node.id);
    const unrendered = parseConfig(def, node.config);
    const config = await this.sandbox.renderConfig(unrendered, scope, def.expressionFields ?? []);

    let idempotencyKey: string | undefined;
    if (def.effect) {
      const template = (node.config as { idempotencyKey?: string }).idempotencyKey || def.effect.defaultKey;
      // Test runs of a draft keep their own key space: testing must never use up the real payment's key.
      idempotencyKey = (run.test ? 'test:' : '') + (await this.sandbox.renderTemplate(template, scope));
      if (!idempotencyKey.replace(/^test:/, '').trim()) throw new PermanentStepError(`The idempotency key of ${node.id} rendered empty (template: ${template})`);
      if (!job.resume) {
        const earlier = await store.claimKey(m, run, node.id, idempotencyKey);
        if (earlier) return done('skipped', await this.finishSkipped(m, run, step, idempotencyKey, earlier));
        await store.setStepKey(m, step.id, idempotencyKey);
      }
    }

    const resume = job.resume ? await this.resumeFor(m, step) : undefined;
    if (resume) await store.clearWaits(m, step);
    const ctx = {
      run: scope.run,
      unrendered,
      node: { id: node.id, type: node.type },
      scope,
      evaluate: (expr: string, extra?: Record<string, unknown>) => this.sandbox.evaluate(expr, extra ? { ...scope, ...extra } : scope),
      now: () => new Date(),
      resume,
      idempotencyKey,
      effects: this.effects.forStep(m, { runId: run.id, flowId: run.flow_id, nodeId: node.id, test: run.test }),
    };
    await store.setStepInput(m, step.id, input);
    if (!def.run) throw new PermanentStepError(`${def.label} cannot run`);
    const result: NodeResult = await def.run(ctx, config, input);

    if ('wait' in result) {
      await store.parkStep(m, run, step, result.wait);
      return done('waiting', await store.settleRun(m, run));
    }
    await store.succeedStep(m, run, step, result.port, result.output);
    await this.enqueueNext(m, run, node.id, result.port);
    const kickoffOf = node.type === KICKOFF_NODE && !run.test ? await store.eventReceivedAt(m, run) : undefined;
    return { ...done('succeeded', await store.settleRun(m, run)), ...(kickoffOf ? { kickoffOf } : {}) };
  }

  private async recordFailure(m: EntityManager, job: JobPayloads['run_step'], message: string, final: boolean): Promise<void> {
    const run = await store.lockRun(m, job.runId);
    if (run) await store.failStep(m, run, job.nodeId, message, final);
  }

  private async scopeFor(m: EntityManager, run: RunRow, nodeId: string, nodeType: string): Promise<ExprScope> {
    return {
      trigger: run.trigger,
      steps: await store.stepOutputs(m, run.id),
      run: { id: run.id, flowId: run.flow_id, version: run.version, test: run.test, startedAt: (run.started_at ?? new Date()).toISOString() },
      flow: { id: run.flow_id, name: run.flow_name },
      node: { id: nodeId, type: nodeType },
    };
  }

  /** A step's input is the output of the step whose edge led to it (the trigger payload for a trigger). */
  private async inputFor(m: EntityManager, run: RunRow, nodeId: string): Promise<unknown> {
    const edges = incoming(run.document, nodeId);
    if (!edges.length) return run.trigger;
    const rows = await store.finishedSteps(m, run.id, edges.map((e) => e.source));
    const hit = rows.find((r) => edges.some((e) => e.source === r.node_id && (e.sourcePort ?? 'out') === r.port));
    return hit?.output ?? null;
  }

  /**
   * A repeat of an effect already made by an earlier run: no second effect. The path goes
   * on along the port the earlier step took, so later effects are checked by their own keys.
   */
  private async finishSkipped(m: EntityManager, run: RunRow, step: StepRow, key: string, earlierRunId: string): Promise<string> {
    const port = await store.skipStep(m, run, step, key, earlierRunId);
    if (port) await this.enqueueNext(m, run, step.node_id, port);
    return store.settleRun(m, run);
  }

  /**
   * What woke the step. A decision or a matched event wins over a timer that fired in the
   * same instant, so the port taken always agrees with what the review inbox shows.
   */
  private async resumeFor(m: EntityManager, step: StepRow): Promise<Resume> {
    const { resume, expireReview } = resumeReason(await store.latestReview(m, step), (step.output as { event?: unknown } | null)?.event);
    if (expireReview) await store.expireReview(m, expireReview);
    return resume;
  }

  /** Creates each next step once per run (a join runs on its first arrival) and its job. */
  private async enqueueNext(m: EntityManager, run: RunRow, nodeId: string, port: string): Promise<void> {
    for (const nextId of nextNodes(run.document, nodeId, port)) {
      const next = run.document.nodes.find((n) => n.id === nextId);
      if (!next) continue;
      const def: NodeDefinition | undefined = getNodeType(next.type);
      const attempts = maxAttemptsFor(def, next.config);
      await store.createStep(m, run, next, attempts);
    }
  }
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.slice(0, 2000);
  return String(err).slice(0, 2000);
}
