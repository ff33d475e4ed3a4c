import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { ExprScope, FlowNode, getNodeType, incoming, NodeDefinition, nextNodes, NodeResult, parseConfig, Resume, RunContext } from '@handoff/nodes';
import { performance } from 'node:perf_hooks';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { StepOutcome } from '../metrics/metrics';
import { MetricsService } from '../metrics/metrics.service';
import { EffectsFactory } from './effects/effects.factory';
import { ExpressionSandbox } from './sandbox/expression-sandbox';
import { isPermanent, PermanentStepError, RetryScheduled } from './step-errors';
import { JobPayloads } from './queue';
import { maxAttemptsFor } from './retry-policy';
import { claimFrom, inputFrom, outputsOf, resumeReason, type StepInput } from '../runs/store/run-rules';
import * as store from '../runs/store/run-store';
import * as steps from '../runs/store/step-store';
import type { ClaimedStep, CreatedStep, FoldedStep, NextStep, RunSnapshot } from '../runs/store/step-store';

export interface JobInfo {
  /** graphile-worker's job id: the settle that leaves the run nothing to run deletes the job with its work (settleRun). */
  id: string;
  attempts: number;
  maxAttempts: number;
}

/** What a committed step attempt did, for the metrics and the log line written after commit. */
interface Done {
  outcome: Extract<StepOutcome, 'succeeded' | 'skipped' | 'waiting'>;
  nodeType: string;
  /** The run's status when it changed or may have (a step with nothing after it); null: still running. */
  runStatus: string | null;
  /** The next steps this job runs itself (created in the same transaction, without a job). */
  inline: CreatedStep[];
  /** When the run's Stripe event arrived, if this step started the onboarding intake of a live run. */
  kickoffOf?: Date;
  /** Pure steps after it, run in memory and recorded by its completion (foldPure). */
  folded: Folded[];
}

/** A folded step, for its metrics and log line. */
interface Folded {
  nodeId: string;
  nodeType: string;
  seconds: number;
}

/** An attempt that threw, and what its failure is recorded with. */
interface Failure {
  err: unknown;
  input: unknown;
  nodeType: string;
  seconds: number;
}

/** One step to attempt: the job's own, or one the job continues with. */
interface Attempt {
  nodeId: string;
  resume?: JobPayloads['run_step']['resume'];
  /** The job's own step: its attempts are the job's; an inline step counts its own. */
  job?: JobInfo;
  /**
   * In a batch: the effect's idempotency key is claimed when the step completes, not before
   * its effects (one statement less). If another run holds it, the batch rolls back (KeyTaken)
   * and the step runs again on its own, claiming first, and is recorded as a skip.
   */
  keyAtEnd?: boolean;
}

/** Another run made this effect already: a batch that claimed the key at the end rolls back. */
class KeyTaken extends Error {
  constructor() {
    super('the idempotency key is held by another run');
  }
}

/** Most steps one batch (one transaction) commits: keeps locks short and progress visible on long chains. */
const MAX_BATCH = 16;

/** Most pure steps one completion records after its own (foldPure): a long stretch still shows progress. */
const MAX_FOLD = 8;

/** The node type whose success counts as the onboarding kickoff in handoff_payment_to_kickoff_seconds. */
const KICKOFF_NODE = 'intake.start';

/**
 * Runs a run's steps. Everything one step does (its effects, its output row, its idempotency
 * record and the next steps' rows) commits in one transaction; if the worker dies half-way, the
 * transaction rolls back and the job is taken over.
 *
 * A job runs its own step and then goes on with the run's next steps itself (every branch) for
 * up to `inlineSliceMs`: the next steps' rows are committed with the step before them and marked
 * inline (no job of their own). Consecutive steps that stay in the database commit together in
 * one transaction (a batch); a step that calls out commits its claim first and runs in its own.
 * Waits, retries and what comes after the slice get jobs. A worker killed between two commits
 * loses nothing: its job is released and run again, finds its own step done and continues with
 * the run's inline steps still queued.
 */
@Injectable()
export class StepExecutor {
  private readonly logger = new Logger('StepExecutor');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly effects: EffectsFactory,
    private readonly metrics: MetricsService,
    private readonly sandbox: ExpressionSandbox,
  ) {}

  async execute(job: JobPayloads['run_step'], info: JobInfo): Promise<void> {
    const chain = new Chain(job.runId, performance.now() + this.config.inlineSliceMs, info.id);
    // Read the run up front (no lock): a pure first step (the trigger) then costs one statement.
    if (!job.resume) await chain.preload(this.db);
    const own: Attempt = { nodeId: job.nodeId, resume: job.resume, job: info };
    const queue = [job.nodeId];
    const first = job.resume ? await this.attempt(chain, own, queue) : await this.steps(chain, own, queue);
    // A stale job, or the job of a chain whose worker stopped between two steps: go on with its inline steps.
    if (first === 'stale') queue.push(...(await steps.inlineQueued(this.db, job.runId)));
    while (queue.length) await this.steps(chain, { nodeId: queue[0] }, queue);
  }

  /**
   * Inline steps whose worker is gone and whose job was not taken over (e.g. it had used up its
   * attempts) get jobs of their own; run from a minutely cron. A chain claims its next step
   * within milliseconds, so one queued for as long as a silent worker is presumed dead has lost
   * its worker (and if it is in fact still running, the new job waits on its lock and finds it done).
   */
  async adoptStranded(): Promise<void> {
    const n = await steps.adoptStrandedInline(this.db, this.config.workerStaleSeconds);
    if (n) this.logger.warn(`gave ${n} inline step(s) left by a stopped worker a job of their own`);
  }

  /**
   * Runs `queue[0]` as attempt `a`: in a batch with the in-database steps after it (pure
   * steps, built-in CRM, outbox, intake, review rows), or, for a step that calls out or once a
   * batch of this job has failed, in its own attempt. Takes what it ran off `queue` and adds
   * the inline steps it created.
   */
  private async steps(chain: Chain, a: Attempt, queue: string[]): Promise<'stale' | void> {
    const failure = chain.failureOf(a.nodeId);
    if (failure) {
      queue.shift();
      await this.fail(chain, a, failure);
      return;
    }
    if (chain.batching && !(chain.known && chain.callsOut(a.nodeId))) {
      const r = await this.batch(chain, queue);
      if (r === 'ran') return;
      if (r !== 'none') {
        // Again one step per transaction from the batch's first step; the step that failed is not run twice.
        chain.batching = false;
        chain.failed = r.failed;
        return this.steps(chain, a, queue);
      }
    }
    return this.attempt(chain, a, queue);
  }

  /**
   * In-database steps commit together: one transaction, one commit, for up to MAX_BATCH steps
   * (the slice bounds how many are created inline). All or nothing: a step that fails (or
   * anything unexpected) rolls the whole batch back and leaves `queue` as it was; the job then
   * goes on one step per transaction from the batch's first step, and the failed step's attempt
   * is recorded as it happened, without running it again (`failed`: null when what failed was
   * not a step, e.g. the commit). Stops before a step that calls out: its claim commits first.
   */
  private async batch(chain: Chain, queue: string[]): Promise<'ran' | 'none' | { failed: (Failure & { nodeId: string }) | null }> {
    const work = [...queue];
    // Steps this batch created already claimed: it must run them before it commits.
    const mine = new Map<string, CreatedStep>();
    const finished: Array<{ nodeId: string; done: Done; seconds: number }> = [];
    // The step under way, if any: what a failure is recorded against.
    const at: { step: (Omit<Failure, 'err' | 'seconds'> & { nodeId: string; started: number }) | null } = { step: null };
    // The batch stops before a step that calls out: that step's claim, committed on its own right after, marks the run.
    let atCall = false;
    try {
      await this.db.transaction(async (m) => {
        while (work.length) {
          const own = work.findIndex((id) => mine.has(id));
          const nodeId = work[own >= 0 ? own : 0];
          if (!chain.known) await chain.preload(m);
          atCall = own < 0 && chain.callsOut(nodeId);
          if (own < 0 && (finished.length >= MAX_BATCH || atCall)) break;
          work.splice(own >= 0 ? own : 0, 1);
          chain.siblingsAhead = work.some((id) => mine.has(id));
          // Next steps are created claimed only while the batch has room for them.
          chain.claimAhead = finished.length + work.length + 1 < MAX_BATCH;
          const step = { nodeId, nodeType: 'unknown', input: undefined as unknown, started: performance.now() };
          let done = chain.isPure(nodeId) ? await this.tryPure(chain, nodeId, m) : null;
          if (!done) {
            const pre = mine.get(nodeId);
            mine.delete(nodeId);
            const claimed = pre ? chain.claimedBy(pre) : await steps.claimStep(m, chain.runId, nodeId, claimFrom(false), false);
            if (!claimed) continue; // done or taken meanwhile
            const run = await chain.snapshot(m, claimed);
            // Another version's node that calls out: roll back the claim, its own attempt claims it.
            if (callsOut(run, nodeId)) throw new Error(`${nodeId} calls out`);
            const under = (at.step = { ...step, nodeType: claimed.node_type });
            done = await this.runClaimed(m, chain, run, claimed, { nodeId, keyAtEnd: true }, (input) => (under.input = input));
            at.step = null;
          }
          finished.push({ nodeId, done, seconds: (performance.now() - step.started) / 1000 });
          for (const c of done.inline) {
            work.push(c.node_id);
            if (c.claimed) mine.set(c.node_id, c);
          }
        }
        // The batch's claims left the run's row alone (a run that starts and ends here writes it
        // once); unless one of its steps settled the run, it is running now.
        if (finished.length && !atCall && finished.every((f) => f.done.runStatus === null)) await store.markRunning(m, chain.runId);
      });
    } catch (err) {
      chain.claimAhead = false;
      chain.siblingsAhead = false;
      chain.forget();
      // Not the step's failure: another run holds the effect's key, or two batches (each holding
      // the locks of several steps) deadlocked and Postgres aborted this one. Redone one step per transaction.
      const c = err instanceof KeyTaken || isDeadlock(err) ? null : at.step;
      return { failed: c ? { nodeId: c.nodeId, nodeType: c.nodeType, input: c.input, err, seconds: (performance.now() - c.started) / 1000 } : null };
    }
    chain.claimAhead = false;
    chain.siblingsAhead = false;
    if (!finished.length) return 'none';
    for (const f of finished) this.finished(chain, f.nodeId, f.done, f.seconds);
    queue.splice(0, queue.length, ...work);
    return 'ran';
  }

  /**
   * One step in its own transaction: claim and run together. A step that calls out (HTTP,
   * Stripe: it may take seconds) first commits its claim on its own, so watchers and a
   * reload see the attempt start, and an attempt cut short by a crash still counts; it then runs
   * in a second transaction that holds that claim. Takes `a` off `queue` and adds the inline
   * steps it created; 'stale': nothing to do.
   */
  private async attempt(chain: Chain, a: Attempt, queue: string[]): Promise<'stale' | void> {
    queue.shift(); // a is queue[0]
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let claimed: ClaimedStep | null = null;
    let claimCommitted = false;
    let input: unknown;
    const noteInput = (i: unknown) => (input = i);
    try {
      const quick = a.resume ? null : await this.tryPure(chain, a.nodeId, null);
      if (quick) {
        this.finished(chain, a.nodeId, quick, seconds());
        queue.push(...quick.inline.map((c) => c.node_id));
        return;
      }
      let done = await this.db.transaction(async (m): Promise<Done | 'claimed' | null> => {
        claimed = await steps.claimStep(m, chain.runId, a.nodeId, claimFrom(Boolean(a.resume)));
        if (!claimed) return null;
        const run = await chain.snapshot(m, claimed);
        if (callsOut(run, claimed.node_id)) return 'claimed';
        return this.runClaimed(m, chain, run, claimed, a, noteInput);
      });
      if (done === 'claimed') {
        claimCommitted = true;
        const mine = claimed as unknown as ClaimedStep;
        done = await this.db.transaction(async (m) => {
          const held = await steps.holdClaim(m, chain.runId, a.nodeId, mine.attempt);
          if (!held) return null;
          return this.runClaimed(m, chain, await chain.snapshot(m, held), held, a, noteInput);
        });
      }
      if (!done) return 'stale';
      this.finished(chain, a.nodeId, done, seconds());
      queue.push(...done.inline.map((c) => c.node_id));
    } catch (err) {
      await this.fail(chain, a, { err, input, nodeType: (claimed as ClaimedStep | null)?.node_type ?? 'unknown', seconds: seconds(), claimCommitted });
    }
  }

  /**
   * Records a failed attempt after its transaction rolled back: retrying, or failed for good
   * (then the run fails). The job's own step, not final: rethrows, so graphile-worker retries
   * the job with its backoff; an inline step gets a retry job of its own. Ends the chain.
   */
  private async fail(chain: Chain, a: Attempt, f: Failure & { claimCommitted?: boolean }): Promise<null> {
    chain.forget();
    const message = errorMessage(f.err);
    const permanent = isPermanent(f.err);
    // The job's own step: its attempts are the job's (graphile-worker retries it). An inline step counts its own.
    const final = a.job ? permanent || a.job.attempts >= a.job.maxAttempts : permanent ? true : null;
    const failed = await this.db.transaction(async (m) => {
      // The run's lock, as for any step: its status follows from all of its steps.
      const run = await store.lockRun(m, chain.runId);
      if (!run) return null;
      const r = await steps.failAttempt(m, run, a.nodeId, { message, input: f.input, final, resume: Boolean(a.resume), claimCommitted: f.claimCommitted ?? false });
      if (!r) return null;
      await store.notifyStep(m, run, a.nodeId, r.status);
      if (r.status === 'failed') await store.settleRun(m, run, { error: `${a.nodeId}: ${message}` });
      else if (!a.job) await steps.scheduleRetry(m, chain.runId, a.nodeId, r.attempt, r.max_attempts);
      return r;
    });
    const isFinal = failed?.status === 'failed' || (failed === null && final === true);
    this.metrics.step(f.nodeType, isFinal ? 'failed' : 'retrying', f.seconds);
    this.logger.warn(
      { runId: chain.runId, ...chain.ids, nodeId: a.nodeId, nodeType: f.nodeType, attempt: failed?.attempt ?? a.job?.attempts, final: isFinal, err: message },
      isFinal ? 'step failed' : 'step failed, will retry',
    );
    if (a.job && !isFinal) throw new RetryScheduled(message, { cause: f.err });
    return null;
  }

  /**
   * A pure step (it reads only its config and the run's data) with the run already read: run it
   * first, then claim it and record its outcome in one statement, which writes nothing if the
   * step is not claimable or the run moved on meanwhile (then the transaction path decides).
   * A failure is left to that path too, which records it.
   */
  private async tryPure(chain: Chain, nodeId: string, tx: EntityManager | null): Promise<Done | null> {
    const run = chain.known;
    const node = run?.document.nodes.find((n) => n.id === nodeId);
    const def = node && getNodeType(node.type);
    if (!run || !node || !def?.pure || chain.notQuick.has(nodeId)) return null;
    const outcome = await this.evaluatePure(run, node, def);
    if (!outcome) return null;
    const fold = await this.foldPure(chain, run, node.id, outcome);
    // In a batch the run is marked running (or settled) once, at its end.
    const created = await steps.claimAndComplete(tx ?? this.db, run, node.id, run.steps.length, outcome, fold.next, fold.steps, !tx);
    if (!created) return null;
    chain.record(node.id, 'succeeded', outcome.port, outcome.output ?? null);
    for (const f of fold.steps) chain.record(f.node_id, 'succeeded', f.port, f.output);
    // Nothing created after it (a join already there, or the end): count the run's steps, under its lock
    // (a batch holds it already: claimAndComplete took it).
    const settle = async (m: EntityManager) => ((await store.lockRunSummary(m, run.id)) ? store.settleRun(m, run, { job: chain.job }) : null);
    const runStatus = created.length || chain.siblingsAhead ? null : tx ? await store.settleRun(tx, run, { job: chain.job }) : await this.db.transaction(settle);
    return { outcome: 'succeeded', nodeType: node.type, runStatus, inline: inlineOf(created), folded: fold.done };
  }

  /** A pure node run against the run as known; null when it throws or waits (its own attempt then records that). */
  private async evaluatePure(run: RunSnapshot, node: FlowNode, def: NodeDefinition): Promise<{ port: string; output: unknown; input: StepInput } | null> {
    if (!def.run) return null;
    const scope = scopeOf(run, node);
    const input = inputFrom(incoming(run.document, node.id), run.steps, run.trigger);
    try {
      const unrendered = parseConfig(def, node.config);
      const config = await this.sandbox.renderConfig(unrendered, scope, def.expressionFields ?? []);
      const result: NodeResult = await def.run(this.contextFor(scope, unrendered, { effects: NO_EFFECTS }), config, input.value);
      return 'wait' in result ? null : { port: result.port, output: result.output, input };
    } catch {
      return null;
    }
  }

  /**
   * The pure steps that follow a step one after another are run here, in memory, and recorded
   * by the statement that completes it: a stretch of branches (any pure node) costs no
   * statement of its own. Each has a single way in and no row yet; the stretch stops at a
   * fan-out, a join, a step that is not pure, one that throws or waits (its own attempt records
   * that), MAX_FOLD, or the end of the slice. Returns the stretch and the steps after it.
   */
  private async foldPure(chain: Chain, run: RunSnapshot, nodeId: string, from: { port: string; output: unknown }): Promise<{ steps: FoldedStep[]; done: Folded[]; next: NextStep[] }> {
    let known = withFinished(run, nodeId, from.port, from.output);
    let at = { nodeId, port: from.port };
    const folded: FoldedStep[] = [];
    const done: Folded[] = [];
    for (;;) {
      const next = this.plan(chain, known, at.nodeId, at.port);
      const node = next.length === 1 && next[0].inline && folded.length < MAX_FOLD ? foldable(known, next[0].node_id) : null;
      const started = performance.now();
      const outcome = node && (await this.evaluatePure(known, node, node.def));
      if (!node || !outcome) {
        // It threw or waited: its own attempt goes straight to the path that records that, not through a third evaluation.
        if (node) chain.notQuick.add(node.id);
        return { steps: folded, done, next };
      }
      folded.push({ node_id: node.id, node_type: node.type, max_attempts: next[0].max_attempts, port: outcome.port, output: outcome.output ?? null, input: outcome.input });
      done.push({ nodeId: node.id, nodeType: node.type, seconds: (performance.now() - started) / 1000 });
      known = withFinished(known, node.id, outcome.port, outcome.output);
      at = { nodeId: node.id, port: outcome.port };
    }
  }

  /** What a node's `run` is handed: the step's scope, its expressions evaluated in the sandbox (or in-process when bounded). */
  private contextFor(scope: ExprScope & { node: RunContext['node'] }, unrendered: unknown, step: Pick<RunContext, 'effects' | 'resume' | 'idempotencyKey'>): RunContext {
    return {
      run: scope.run,
      unrendered,
      node: scope.node,
      scope,
      evaluate: (expr, extra) => this.sandbox.evaluate(expr, extra ? { ...scope, ...extra } : scope),
      now: () => new Date(),
      ...step,
    };
  }

  /** Metrics and log lines for a committed step: every line names the run, the flow and the Stripe event. */
  private finished(chain: Chain, nodeId: string, done: Done, seconds: number): void {
    const ids = { runId: chain.runId, ...chain.ids, nodeId, nodeType: done.nodeType };
    this.metrics.step(done.nodeType, done.outcome, seconds);
    if (done.kickoffOf) this.metrics.kickoffAfter(Math.max(0, (Date.now() - done.kickoffOf.getTime()) / 1000));
    this.logger.debug({ ...ids, outcome: done.outcome, ms: Math.round(seconds * 1000) }, `step ${done.outcome}`);
    for (const f of done.folded) {
      this.metrics.step(f.nodeType, 'succeeded', f.seconds);
      this.logger.debug({ ...ids, nodeId: f.nodeId, nodeType: f.nodeType, outcome: 'succeeded', folded: true, ms: Math.round(f.seconds * 1000) }, 'step succeeded');
    }
    if (done.runStatus && done.runStatus !== 'running') this.logger.log({ runId: ids.runId, flowId: ids.flowId, eventId: ids.eventId, status: done.runStatus }, `run ${done.runStatus}`);
  }

  private async runClaimed(m: EntityManager, chain: Chain, run: RunSnapshot, step: ClaimedStep, a: Attempt, noteInput: (input: unknown) => void): Promise<Done> {
    const done = (outcome: Done['outcome'], runStatus: string | null, inline: CreatedStep[] = [], folded: Folded[] = []): Done => ({ outcome, nodeType: step.node_type, runStatus, inline, folded });
    const node = run.document.nodes.find((n) => n.id === step.node_id);
    const def = node && getNodeType(node.type);
    if (!node || !def) throw new PermanentStepError(`Node ${step.node_id} (${step.node_type}) is not part of version ${run.version} or its type is unknown`);

    const scope = scopeOf(run, node);
    const input = inputFrom(incoming(run.document, node.id), run.steps, run.trigger);
    noteInput(input.value);
    const unrendered = parseConfig(def, node.config);
    const config = await this.sandbox.renderConfig(unrendered, scope, def.expressionFields ?? []);

    let idempotencyKey: string | undefined;
    if (def.effect) {
      const template = (node.config as { idempotencyKey?: string }).idempotencyKey || def.effect.defaultKey;
      // Test runs of a draft keep their own key space: testing must never use up the real payment's key.
      idempotencyKey = (run.test ? 'test:' : '') + (await this.sandbox.renderTemplate(template, scope));
      if (!idempotencyKey.replace(/^test:/, '').trim()) throw new PermanentStepError(`The idempotency key of ${node.id} rendered empty (template: ${template})`);
      if (!a.resume && !a.keyAtEnd) {
        const earlier = await store.claimKey(m, run, node.id, idempotencyKey);
        if (earlier) {
          const { runStatus, inline } = await this.finishSkipped(m, chain, run, step, idempotencyKey, earlier);
          // The skip's recorded output is built by the store: read the run again for the next step.
          chain.forget();
          return done('skipped', runStatus, inline);
        }
      }
    }

    const stepRow = { id: step.id, node_id: step.node_id, node_type: step.node_type, status: 'running', attempt: step.attempt, port: null, output: step.output };
    const resume = a.resume ? await this.resumeFor(m, stepRow) : undefined;
    if (resume) await store.clearWaits(m, stepRow);
    const ctx = this.contextFor(scope, unrendered, {
      resume,
      idempotencyKey,
      effects: this.effects.forStep(m, { runId: run.id, flowId: run.flow_id, nodeId: node.id, test: run.test }),
    });
    if (!def.run) throw new PermanentStepError(`${def.label} cannot run`);
    const result: NodeResult = await def.run(ctx, config, input.value);

    if ('wait' in result) {
      if (a.keyAtEnd && idempotencyKey && (await store.claimKey(m, run, node.id, idempotencyKey))) throw new KeyTaken();
      await store.setStepInputAndKey(m, step.id, input.value, a.resume ? undefined : idempotencyKey);
      await store.parkStep(m, run, stepRow, result.wait);
      chain.record(step.node_id, 'waiting', null, result.wait.output ?? null);
      return done('waiting', chain.siblingsAhead ? null : await store.settleRun(m, run, { job: chain.job }));
    }
    const fold = await this.foldPure(chain, run, node.id, result);
    const created = await steps.completeStep(
      m,
      run,
      step.id,
      node.id,
      { port: result.port, output: result.output, input, idempotencyKey: a.resume ? undefined : idempotencyKey, claimKey: a.keyAtEnd },
      fold.next,
      fold.steps,
    );
    if (!created) throw new KeyTaken();
    chain.record(step.node_id, 'succeeded', result.port, result.output ?? null);
    for (const f of fold.steps) chain.record(f.node_id, 'succeeded', f.port, f.output);
    // Nothing created after it: the run may have ended (or waits on other branches); count its steps.
    const runStatus = created.length || chain.siblingsAhead ? null : await store.settleRun(m, run, { job: chain.job });
    const kickoffOf = node.type === KICKOFF_NODE && !run.test ? (run.received_at ?? undefined) : undefined;
    return { ...done('succeeded', runStatus, inlineOf(created), fold.done), ...(kickoffOf ? { kickoffOf } : {}) };
  }

  /**
   * The next steps after `nodeId` on `port`, all run inline while the job's time slice lasts: a
   * fan-out's branches too, since the steps of one run take turns on its lock anyway, and a job
   * per branch would only add the queue's pick-up time.
   */
  private plan(chain: Chain, run: RunSnapshot, nodeId: string, port: string): NextStep[] {
    const inlineOk = chain.hasTime();
    return nextNodes(run.document, nodeId, port).flatMap((id) => {
      const next = run.document.nodes.find((n) => n.id === id);
      if (!next) return [];
      const def: NodeDefinition | undefined = getNodeType(next.type);
      // A step the open batch will run through its claim (in the database, not pure) is created claimed.
      const claimed = inlineOk && chain.claimAhead && Boolean(def && !def.pure && !def.outbound);
      return [{ node_id: id, node_type: next.type, max_attempts: maxAttemptsFor(def, next.config), inline: inlineOk, claimed }];
    });
  }

  /**
   * A repeat of an effect already made by an earlier run: no second effect. The path goes
   * on along the port the earlier step took, so later effects are checked by their own keys.
   */
  private async finishSkipped(
    m: EntityManager,
    chain: Chain,
    run: RunSnapshot,
    step: ClaimedStep,
    key: string,
    earlierRunId: string,
  ): Promise<{ port: string | null; runStatus: string | null; inline: CreatedStep[] }> {
    const row = { id: step.id, node_id: step.node_id, node_type: step.node_type, status: 'running', attempt: step.attempt, port: null, output: null };
    const port = await store.skipStep(m, run, row, key, earlierRunId);
    const created = port ? await steps.createSteps(m, run, this.plan(chain, run, step.node_id, port)) : [];
    const runStatus = created.length ? null : await store.settleRun(m, run);
    return { port, runStatus, inline: inlineOf(created) };
  }

  /**
   * What woke the step. A decision or a matched event wins over a timer that fired in the
   * same instant, so the port taken always agrees with what the review inbox shows.
   */
  private async resumeFor(m: EntityManager, step: store.StepRow): Promise<Resume> {
    const { resume, expireReview } = resumeReason(await store.latestReview(m, step), (step.output as { event?: unknown } | null)?.event);
    if (expireReview) await store.expireReview(m, expireReview);
    return resume;
  }
}

/** The run as known with one more step finished (a copy: the step is not committed yet). */
function withFinished(run: RunSnapshot, nodeId: string, port: string | null, output: unknown, status = 'succeeded'): RunSnapshot {
  const rest = run.steps.filter((s) => s.node_id !== nodeId);
  const nodes = run.step_nodes.includes(nodeId) ? run.step_nodes : [...run.step_nodes, nodeId];
  return { ...run, steps: [...rest, { node_id: nodeId, status, port, output: output ?? null }], step_nodes: nodes };
}

/** A node that can be folded into the step before it: pure, one way in, no row yet. */
function foldable(run: RunSnapshot, nodeId: string): (FlowNode & { def: NodeDefinition }) | null {
  const node = run.document.nodes.find((n) => n.id === nodeId);
  const def = node && getNodeType(node.type);
  if (!node || !def?.pure || !def.run || run.step_nodes.includes(nodeId) || incoming(run.document, nodeId).length !== 1) return null;
  return { ...node, def };
}

function inlineOf(created: CreatedStep[]): CreatedStep[] {
  return created.filter((c) => c.inline);
}

/** What expressions of a step see: `{ trigger, steps, run, flow, node }`. */
function scopeOf(run: RunSnapshot, node: { id: string; type: string }): ExprScope & { node: RunContext['node'] } {
  return {
    trigger: run.trigger,
    steps: outputsOf(run.steps),
    run: { id: run.id, flowId: run.flow_id, version: run.version, test: run.test, startedAt: (run.started_at ?? new Date()).toISOString() },
    flow: { id: run.flow_id, name: run.flow_name },
    node: { id: node.id, type: node.type },
  };
}

/** A pure node's effects: none (pure.spec proves they ask for none; this makes sure). */
const NO_EFFECTS = new Proxy({} as RunContext['effects'], {
  get: () => {
    throw new Error('a pure node asked for an effect');
  },
});

/**
 * Whether the node calls another system during its step (HTTP, Stripe): its claim is committed
 * before it runs. Other effects (built-in CRM, outbox, intake, review rows) commit with the
 * step: a crash rolls them back with the attempt, so there is nothing to count or show.
 */
function callsOut(run: RunSnapshot, nodeId: string): boolean {
  const node = run.document.nodes.find((n) => n.id === nodeId);
  return Boolean(node && getNodeType(node.type)?.outbound);
}

/**
 * What one job knows of its run between steps: read once, then kept up to date with the steps
 * it runs itself. Read again when another branch has moved on meanwhile, or after a failure.
 */
class Chain {
  private run: RunSnapshot | null = null;
  /** Steps are batched until a batch fails; then one transaction per step, so a failure is recorded where it happened. */
  batching = true;
  /** A batch is open and has room: the next steps it will run through a claim are created claimed. */
  claimAhead = false;
  /**
   * The open batch holds other steps of the run that it created claimed and runs before it
   * commits (a fan-out's other branches): the run cannot end with the step under way, so that
   * step does not settle it. The batch's last step does, or its end marks the run running.
   */
  siblingsAhead = false;
  /** The step whose attempt failed in a batch that rolled back: recorded when the chain gets back to it. */
  failed: (Failure & { nodeId: string }) | null = null;
  /** Pure steps whose evaluation in a fold threw or waited: their attempt skips the quick path. */
  readonly notQuick = new Set<string>();
  /** For log lines, kept when the snapshot is dropped. */
  ids: { flowId?: string; eventId?: string | null } = {};

  constructor(
    readonly runId: string,
    private readonly until: number,
    /** The job these steps run under (settleRun). */
    readonly job: string,
  ) {}

  get known(): RunSnapshot | null {
    return this.run;
  }

  hasTime(): boolean {
    return performance.now() < this.until;
  }

  async preload(db: Pick<EntityManager, 'query'>): Promise<void> {
    this.run = await steps.loadRun(db, this.runId);
    if (this.run) this.ids = { flowId: this.run.flow_id, eventId: this.run.event_id };
  }

  async snapshot(m: EntityManager, claimed: ClaimedStep): Promise<RunSnapshot> {
    if (!this.run || this.run.version !== claimed.version || this.run.steps.length !== claimed.with_output) {
      this.run = await steps.loadRun(m, this.runId);
      if (!this.run) throw new Error(`run ${this.runId} vanished while its step was claimed`);
      this.ids = { flowId: this.run.flow_id, eventId: this.run.event_id };
    }
    return this.run;
  }

  /** A step this job finished (committed). */
  record(nodeId: string, status: string, port: string | null, output: unknown): void {
    if (this.run) this.run = withFinished(this.run, nodeId, port, output, status);
  }

  forget(): void {
    this.run = null;
  }

  /** Whether the node (in the version known) calls out; unknown nodes are left to their attempt, which reports them. */
  callsOut(nodeId: string): boolean {
    return this.run ? callsOut(this.run, nodeId) || !this.run.document.nodes.some((n) => n.id === nodeId) : true;
  }

  /** A step created claimed by this batch, as claimStep would have returned it (the snapshot is the batch's own). */
  claimedBy(c: CreatedStep): ClaimedStep {
    // Rolls the batch back rather than commit the step unrun.
    if (!this.run) throw new Error(`run ${this.runId}: no snapshot for the step ${c.node_id} its batch claimed`);
    return { id: c.id, node_id: c.node_id, node_type: c.node_type, attempt: 1, max_attempts: c.max_attempts, output: null, version: this.run.version, with_output: this.run.steps.length };
  }

  failureOf(nodeId: string): Failure | null {
    const f = this.failed;
    if (!f || f.nodeId !== nodeId) return null;
    this.failed = null;
    return f;
  }

  isPure(nodeId: string): boolean {
    const node = this.run?.document.nodes.find((n) => n.id === nodeId);
    return Boolean(node && getNodeType(node.type)?.pure);
  }
}

/** Postgres aborted the transaction to break a deadlock (SQLSTATE 40P01). */
function isDeadlock(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string } | undefined)?.code === '40P01';
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.slice(0, 2000);
  return String(err).slice(0, 2000);
}
