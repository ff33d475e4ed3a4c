import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventEmitter } from 'node:events';
import { Logger as GraphileLogger, makeWorkerUtils, run, Runner, Task, WorkerEvents, WorkerUtils } from 'graphile-worker';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DATABASE_URL } from '../database/database-url';
import { ScheduleTrigger } from '../triggers/schedule.trigger';
import { TriggersService } from '../triggers/triggers.service';
import { StripeReconcileService } from '../stripe/stripe-reconcile.service';
import { EventMatcher } from './event-matcher.service';
import { graphileLevel, type GraphileLogMeta } from './graphile-log';
import { OutboxDelivery } from '../outbox/outbox-delivery.service';
import type { JobPayloads } from './queue';
import { RetentionService } from './retention.service';
import { StepExecutor } from './step-executor.service';
import { ExpressionSandbox } from './sandbox/expression-sandbox';

/**
 * Runs graphile-worker in worker/all roles. graphile-worker locks jobs by worker pool id;
 * each process heartbeats its pool into Postgres, and a pool that stops beating (process
 * killed, machine lost) has its locked jobs released by any live process, so its work is
 * taken over within seconds rather than after graphile-worker's 4-hour lock expiry.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private runner: Runner | null = null;
  private stopping = false;
  private utils: WorkerUtils | null = null;
  private timer: NodeJS.Timeout | null = null;
  private poolId: string | null = null;
  /** Jobs this process is executing right now (graphile job ids). */
  private readonly active = new Set<string>();
  /**
   * Jobs fetched (and locked) into the pool's local queue that no slot has started yet: while
   * every slot is busy with long steps they wait there for longer than the lost-job margin, and
   * are not lost.
   */
  private readonly queued = new Set<string>();
  private readonly processId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly graphileLogger = new GraphileLogger(() => (level: string, message: string, meta?: GraphileLogMeta) => {
    const ours = graphileLevel(level, meta);
    if (ours === 'error') this.logger.error(message);
    else if (ours === 'warn') this.logger.warn(message);
  });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @InjectDataSource() private readonly db: DataSource,
    private readonly steps: StepExecutor,
    private readonly outbox: OutboxDelivery,
    private readonly retention: RetentionService,
    private readonly matcher: EventMatcher,
    private readonly schedules: ScheduleTrigger,
    private readonly triggers: TriggersService,
    private readonly stripeReconcile: StripeReconcileService,
    private readonly sandbox: ExpressionSandbox,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.role === 'api') return;
    const runStep: Task = async (payload, helpers) => {
      await this.steps.execute(payload as JobPayloads['run_step'], { id: helpers.job.id, attempts: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
    };
    const deliverOutbox: Task = async (payload, helpers) => {
      await this.outbox.deliver((payload as JobPayloads['deliver_outbox']).messageId, { attempts: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
    };
    this.utils = await makeWorkerUtils({ connectionString: this.databaseUrl, logger: this.graphileLogger });
    // Our own emitter, listened to before run(): the pool is created (and announced) inside it.
    const events: WorkerEvents = new EventEmitter();
    events.on('pool:create', ({ workerPool }) => (this.poolId = workerPool.id));
    events.on('localQueue:getJobs:complete', ({ jobs }) => jobs.forEach((j) => this.queued.add(j.id)));
    events.on('localQueue:returnJobs', ({ jobs }) => jobs.forEach((j) => this.queued.delete(j.id)));
    events.on('job:start', ({ job }) => {
      this.queued.delete(job.id);
      this.active.add(job.id);
    });
    events.on('job:complete', ({ job }) => this.active.delete(job.id));
    const runner = await run({
      events,
      connectionString: this.databaseUrl,
      concurrency: this.config.workerConcurrency,
      noHandleSignals: true,
      pollInterval: 1000,
      // The pool fetches (and locks) a few jobs in one query and hands them to its slots: one
      // "get job" round trip less per job under load. A dead process's locked jobs are released by
      // the heartbeat checks below, as for jobs it was running.
      preset: { worker: { localQueue: { size: this.config.workerConcurrency + 1 } } },
      logger: this.graphileLogger,
      taskList: { run_step: runStep, deliver_outbox: deliverOutbox, prune_payloads: async () => void (await this.retention.prune()), match_event: async (p) => void (await this.matcher.match(p as JobPayloads['match_event'])),
        fire_schedule: async (p) => void (await this.schedules.fire(p as JobPayloads['fire_schedule'])),
        reconcile_triggers: async () => void (await this.triggers.reconcile()),
        reconcile_stripe: async () => void (await this.stripeReconcile.reconcileAll()),
        adopt_stranded_steps: async () => void (await this.steps.adoptStranded()),
      },
      // graphile-worker runs each cron item once across all worker processes.
      crontab: '17 * * * * prune_payloads\n* * * * * reconcile_triggers\n*/10 * * * * reconcile_stripe\n* * * * * adopt_stranded_steps',
    });
    // graphile-worker stops its pool only on errors it cannot recover from; a process without
    // a worker would accept work it never runs, so it exits and its supervisor restarts it.
    runner.promise.then(
      () => this.poolStopped(null),
      (err: Error) => this.poolStopped(err),
    );
    this.runner = runner;
    await this.sandbox.warm().catch((e: Error) => this.logger.warn(`expression sandbox did not start: ${e.message}`));
    await this.beat();
    await this.releaseDeadLocalPools();
    this.timer = setInterval(() => void this.beat().then(() => this.releaseDeadLocalPools()).then(() => this.releaseLostJobs()), this.config.heartbeatSeconds * 1000);
    this.timer.unref();
  }

  private poolStopped(err: Error | null): void {
    if (this.stopping) return;
    this.logger.fatal({ err: err?.message }, 'the worker pool stopped unexpectedly; exiting so the process is restarted');
    process.exitCode = 1;
    process.kill(process.pid, 'SIGTERM');
  }

  /**
   * Pools of processes on this machine that are known gone (their pid is not alive): their jobs
   * go back at once, without waiting for the stale threshold. After `kill -9` of the whole app
   * and a restart, its runs carry on within seconds.
   */
  private async releaseDeadLocalPools(): Promise<void> {
    const rows: Array<{ worker_id: string; process_id: string }> = await this.db
      .query(`SELECT worker_id, process_id FROM worker_heartbeats WHERE process_id LIKE $1 AND worker_id <> $2`, [`${hostname()}:%`, this.poolId ?? ''])
      .catch(() => []);
    const dead = rows.filter((r) => {
      const pid = Number(r.process_id.split(':')[1]);
      return Number.isInteger(pid) && pid !== process.pid && !pidAlive(pid);
    });
    if (!dead.length || !this.utils) return;
    const ids = dead.map((r) => r.worker_id);
    await this.utils.forceUnlockWorkers(ids);
    await this.db.query(`DELETE FROM worker_heartbeats WHERE worker_id = ANY($1)`, [ids]);
    this.logger.warn(`released jobs of ${ids.length} worker pool(s) of processes on this machine that are gone: ${ids.join(', ')}`);
  }

  private async beat(): Promise<void> {
    if (!this.poolId) return;
    await this.db
      .query(
        `INSERT INTO worker_heartbeats (worker_id, process_id, seen_at) VALUES ($1, $2, now())
         ON CONFLICT (worker_id) DO UPDATE SET seen_at = now()`,
        [this.poolId, this.processId],
      )
      .catch((e: Error) => this.logger.warn(`heartbeat failed: ${e.message}`));
  }

  /**
   * Jobs whose lock outlived their worker go back to the queue: those of pools that stopped
   * beating for staleSeconds, and those of this pool that no worker here is running or holds in
   * its local queue any more (graphile-worker could not record their outcome because the
   * database was away).
   * Running a released job again is safe: a step that already committed is not run twice.
   */
  private async releaseLostJobs(): Promise<void> {
    try {
      const stale = `${this.config.workerStaleSeconds} seconds`;
      const rows: Array<{ locked_by: string }> = await this.db.query(
        `SELECT DISTINCT j.locked_by FROM graphile_worker.jobs j
         WHERE j.locked_by IS NOT NULL AND j.locked_by <> $2 AND j.locked_at < now() - $1::interval
           AND NOT EXISTS (SELECT 1 FROM worker_heartbeats h WHERE h.worker_id = j.locked_by AND h.seen_at > now() - $1::interval)`,
        [stale, this.poolId ?? ''],
      );
      if (rows.length && this.utils) {
        const ids = rows.map((r) => r.locked_by);
        await this.utils.forceUnlockWorkers(ids);
        await this.db.query(`DELETE FROM worker_heartbeats WHERE worker_id = ANY($1)`, [ids]);
        this.logger.warn(`released jobs of ${ids.length} unresponsive worker pool(s): ${ids.join(', ')}`);
      }
      if (!this.poolId) return;
      // A job is locked a moment before its job:start event; the margin keeps a just-fetched job locked.
      // (A SELECT around the UPDATE: TypeORM returns [rows, count] for a bare UPDATE ... RETURNING.)
      const lost: Array<{ id: string }> = await this.db.query(
        `WITH lost AS (
           SELECT id FROM graphile_worker._private_jobs
           WHERE locked_by = $1 AND locked_at < now() - interval '5 seconds' AND NOT (id::text = ANY($2::text[]))
           FOR UPDATE SKIP LOCKED),
         released AS (UPDATE graphile_worker._private_jobs j SET locked_by = NULL, locked_at = NULL FROM lost WHERE j.id = lost.id RETURNING j.id)
         SELECT id FROM released`,
        [this.poolId, [...this.active, ...this.queued]],
      );
      if (lost.length) this.logger.warn(`released ${lost.length} job(s) whose outcome could not be recorded: ${lost.map((j) => j.id).join(', ')}`);
    } catch (e) {
      this.logger.warn(`lost-job sweep failed: ${(e as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.runner?.stop().catch(() => undefined);
    await Promise.resolve(this.utils?.release()).catch(() => undefined);
    if (this.poolId) await this.db.query(`DELETE FROM worker_heartbeats WHERE worker_id = $1`, [this.poolId]).catch(() => undefined);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
