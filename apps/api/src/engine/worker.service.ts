import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Logger as GraphileLogger, makeWorkerUtils, run, Runner, Task, WorkerUtils } from 'graphile-worker';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DATABASE_URL } from '../database/database-url';
import { EventMatcher } from '../hooks/stripe/event-matcher.service';
import { OutboxDelivery } from '../outbox/outbox-delivery.service';
import type { JobPayloads } from './queue';
import { RetentionService } from './retention.service';
import { StepExecutor } from './step-executor.service';

/**
 * Runs graphile-worker in worker/all roles. Workers heartbeat into Postgres; a worker that
 * stops beating (killed, machine lost) has its locked jobs released by any live process, so
 * its work is taken over within seconds rather than graphile-worker's 4-hour default.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private runner: Runner | null = null;
  private utils: WorkerUtils | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly workerIds = new Set<string>();
  private readonly processId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @InjectDataSource() private readonly db: DataSource,
    private readonly steps: StepExecutor,
    private readonly outbox: OutboxDelivery,
    private readonly retention: RetentionService,
    private readonly matcher: EventMatcher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.role === 'api') return;
    const runStep: Task = async (payload, helpers) => {
      await this.steps.execute(payload as JobPayloads['run_step'], { attempts: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
    };
    const deliverOutbox: Task = async (payload, helpers) => {
      await this.outbox.deliver((payload as JobPayloads['deliver_outbox']).messageId, { attempts: helpers.job.attempts, maxAttempts: helpers.job.max_attempts });
    };
    const quiet = new GraphileLogger(() => (level: string, message: string) => {
      if (level === 'error') this.logger.error(message);
      else if (level === 'warning') this.logger.warn(message);
    });
    this.runner = await run({
      connectionString: this.databaseUrl,
      concurrency: this.config.workerConcurrency,
      noHandleSignals: true,
      pollInterval: 1000,
      logger: quiet,
      taskList: { run_step: runStep, deliver_outbox: deliverOutbox, prune_payloads: async () => void (await this.retention.prune()), match_event: async (p) => void (await this.matcher.match(p as JobPayloads['match_event'])) },
      // graphile-worker runs each cron item once across all worker processes.
      crontab: '17 * * * * prune_payloads',
    });
    this.runner.events.on('worker:create', ({ worker }) => {
      this.workerIds.add(worker.workerId);
      void this.beat();
    });
    this.runner.events.on('worker:release', ({ worker }) => this.workerIds.delete(worker.workerId));
    this.utils = await makeWorkerUtils({ connectionString: this.databaseUrl, logger: quiet });
    await this.beat();
    this.timer = setInterval(() => void this.beat().then(() => this.releaseDeadWorkers()), this.config.heartbeatSeconds * 1000);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    if (!this.workerIds.size) return;
    await this.db
      .query(
        `INSERT INTO worker_heartbeats (worker_id, process_id, seen_at) SELECT unnest($1::text[]), $2, now()
         ON CONFLICT (worker_id) DO UPDATE SET seen_at = now()`,
        [[...this.workerIds], this.processId],
      )
      .catch((e: Error) => this.logger.warn(`heartbeat failed: ${e.message}`));
  }

  /** Jobs locked by a worker that has not beaten for staleSeconds go back to the queue. */
  private async releaseDeadWorkers(): Promise<void> {
    try {
      const stale = `${this.config.workerStaleSeconds} seconds`;
      const rows: Array<{ locked_by: string }> = await this.db.query(
        `SELECT DISTINCT j.locked_by FROM graphile_worker.jobs j
         WHERE j.locked_by IS NOT NULL AND j.locked_at < now() - $1::interval
           AND NOT EXISTS (SELECT 1 FROM worker_heartbeats h WHERE h.worker_id = j.locked_by AND h.seen_at > now() - $1::interval)`,
        [stale],
      );
      if (!rows.length || !this.utils) return;
      const ids = rows.map((r) => r.locked_by);
      await this.utils.forceUnlockWorkers(ids);
      await this.db.query(`DELETE FROM worker_heartbeats WHERE worker_id = ANY($1)`, [ids]);
      this.logger.warn(`released jobs of ${ids.length} unresponsive worker(s): ${ids.join(', ')}`);
    } catch (e) {
      this.logger.warn(`stale-worker sweep failed: ${(e as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.runner?.stop().catch(() => undefined);
    await Promise.resolve(this.utils?.release()).catch(() => undefined);
    if (this.workerIds.size) await this.db.query(`DELETE FROM worker_heartbeats WHERE worker_id = ANY($1)`, [[...this.workerIds]]).catch(() => undefined);
  }
}
