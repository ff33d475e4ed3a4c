import { BadRequestException, ConflictException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { cancelRun, failedSteps, latestPublished, lockRunSummary, pinnedDocument, repinRun, retryFailedSteps } from './store/run-store';
import { maskIntakeLinks, seesIntakeLinks } from '../common/mask-intake-links';
import { Run, RunStatus } from './run.entity';
import { Step } from './step.entity';
import { stepInput } from './store/run-rules';

export interface RunFilters {
  flowId?: string;
  status?: RunStatus;
  q?: string;
  since?: string;
  until?: string;
  cursor?: string;
  limit?: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUMMARY_COLUMNS = ['id', 'seq', 'flowId', 'version', 'status', 'test', 'eventId', 'triggerType', 'customerId', 'email', 'error', 'createdAt', 'startedAt', 'finishedAt'] as const;

const runStatuses: RunStatus[] = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];

function summary(r: Run) {
  return {
    id: r.id,
    flowId: r.flowId,
    version: r.version,
    status: r.status,
    test: r.test,
    trigger: { eventId: r.eventId, type: r.triggerType },
    customerId: r.customerId,
    email: r.email,
    error: r.error,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  };
}

export type BulkRetryResult =
  | { id: string; ok: true; statusCode: 200; status: string; version: number | null }
  | { id: string; ok: false; statusCode: number; message: string };

function reasonOf(err: HttpException): string {
  const body = err.getResponse();
  return typeof body === 'object' && body && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : err.message;
}

@Injectable()
export class RunsService {
  constructor(
    @InjectRepository(Run) private readonly runs: Repository<Run>,
    @InjectRepository(Step) private readonly steps: Repository<Step>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Keyset pagination on the run sequence: cost does not grow with the page number. */
  async list(f: RunFilters) {
    const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
    // Summary columns only: trigger holds the whole Stripe event (kilobytes, stored out of line) and the list never shows it.
    const qb = this.runs.createQueryBuilder('r').select(SUMMARY_COLUMNS.map((c) => `r.${c}`)).orderBy('r.seq', 'DESC').limit(limit + 1);
    if (f.flowId) {
      if (!UUID.test(f.flowId)) throw new BadRequestException({ statusCode: 400, message: 'flowId must be a UUID' });
      qb.andWhere('r.flow_id = :flowId', { flowId: f.flowId });
    }
    if (f.status) {
      if (!runStatuses.includes(f.status)) throw new BadRequestException({ statusCode: 400, message: `status must be one of ${runStatuses.join(', ')}` });
      qb.andWhere('r.status = :status', { status: f.status });
    }
    const at: Record<string, string> = {};
    for (const [name, value] of [['since', f.since], ['until', f.until]] as const) {
      if (!value) continue;
      // ISO only (2026-12-01 or 2026-12-01T09:00:00Z): Date.parse also takes "1", which Postgres does not.
      if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) throw new BadRequestException({ statusCode: 400, message: `${name} must be an ISO timestamp such as 2026-12-01T09:00:00Z` });
      at[name] = new Date(value).toISOString();
    }
    if (at.since) qb.andWhere('r.created_at >= :since', { since: at.since });
    if (at.until) qb.andWhere('r.created_at < :until', { until: at.until });
    if (f.q) {
      const q = f.q.trim();
      // id::text would have no index and turn the OR into a scan of every run; a uuid compare uses the key.
      const byId = UUID.test(q) ? ' OR r.id = CAST(:q AS uuid)' : '';
      qb.andWhere(`(r.event_id = :q OR r.customer_id = :q OR lower(r.email) = lower(:q)${byId})`, { q });
    }
    if (f.cursor) {
      if (!/^\d{1,18}$/.test(f.cursor)) throw new BadRequestException({ statusCode: 400, message: 'Invalid cursor' });
      qb.andWhere('r.seq < :cursor', { cursor: f.cursor });
    }
    qb.leftJoin('flows', 'f', 'f.id = r.flow_id').addSelect('f.name', 'flow_name');
    const { entities, raw } = await qb.getRawAndEntities<{ flow_name: string | null }>();
    const items = entities.slice(0, limit).map((r, i) => ({ ...summary(r), flowName: raw[i]?.flow_name ?? null }));
    return { items, nextCursor: entities.length > limit ? entities[limit - 1].seq : null };
  }

  /** One run with its steps; viewers and reviewers see intake links masked (the link is the key to a client's form). */
  async get(id: string, reader?: AuthUser) {
    const run = await this.runs.findOneBy({ id });
    if (!run) throw new NotFoundException({ statusCode: 404, message: `Run ${id} not found` });
    const steps = await this.steps.find({ where: { runId: id }, order: { createdAt: 'ASC' } });
    const document = await pinnedDocument(this.db, id);
    const byNode = new Map(steps.map((s) => [s.nodeId, s]));
    const view = {
      ...summary(run),
      document,
      payload: run.trigger,
      steps: steps.map((s) => ({
        nodeId: s.nodeId,
        nodeType: s.nodeType,
        status: s.status,
        port: s.port,
        attempt: s.attempt,
        maxAttempts: s.maxAttempts,
        input: stepInput(s, run.trigger, (nodeId) => byNode.get(nodeId)?.output),
        output: s.output,
        error: s.error,
        idempotencyKey: s.idempotencyKey,
        skippedOfRun: s.skippedOfRun,
        waitUntil: s.waitUntil,
        startedAt: s.startedAt,
        finishedAt: s.finishedAt,
        durationMs: s.startedAt && s.finishedAt ? s.finishedAt.getTime() - s.startedAt.getTime() : null,
      })),
    };
    return reader && !seesIntakeLinks(reader.role) ? maskIntakeLinks(view) : view;
  }

  /**
   * Resumes a failed run from its failed steps; finished steps are not repeated. With
   * `latest`, the run first moves to the flow's latest published version (the fix published
   * after it failed): the failed steps must still exist there with the same type, and what runs
   * after them follows the new version.
   */
  async retry(actor: AuthUser, id: string, opts: { latest?: boolean } = {}) {
    await this.db.transaction(async (m) => {
      const run = await lockRunSummary(m, id);
      if (!run) throw new NotFoundException({ statusCode: 404, message: `Run ${id} not found` });
      if (run.status !== 'failed') throw new ConflictException({ statusCode: 409, message: `Only a failed run can be retried; this one is ${run.status}` });
      let version = run.version;
      if (opts.latest) {
        if (run.test) throw new ConflictException({ statusCode: 409, message: 'A test run runs the draft it was started with; start a new test run instead' });
        const latest = await latestPublished(m, run.flow_id);
        if (!latest) throw new ConflictException({ statusCode: 409, message: 'The flow has no published version' });
        const missing = (await failedSteps(m, id)).filter((s) => !latest.document.nodes.some((n) => n.id === s.node_id && n.type === s.node_type));
        if (missing.length) {
          throw new ConflictException({ statusCode: 409, message: `Version ${latest.version} has no step ${missing.map((s) => `${s.node_id} (${s.node_type})`).join(', ')} to retry from` });
        }
        version = latest.version;
        await repinRun(m, id, version);
      }
      const steps = await retryFailedSteps(m, run);
      await this.audit.record(actor, 'run.retry', 'run', id, { steps, version }, m);
    });
    return this.get(id);
  }

  /**
   * Retries several failed runs, each in its own transaction: one that cannot be retried
   * (not failed, not found, its step gone from the latest version) is reported with its
   * status code and reason and does not hold back the others.
   */
  async retryMany(actor: AuthUser, ids: string[], opts: { latest?: boolean } = {}): Promise<{ results: BulkRetryResult[] }> {
    const results: BulkRetryResult[] = [];
    for (const id of ids) {
      try {
        const run = await this.retry(actor, id, opts);
        results.push({ id, ok: true, statusCode: 200, status: run.status, version: run.version });
      } catch (err) {
        if (!(err instanceof HttpException)) throw err;
        results.push({ id, ok: false, statusCode: err.getStatus(), message: reasonOf(err) });
      }
    }
    return { results };
  }

  /** Stops a queued, running or waiting run: pending steps are cancelled and their timers removed. */
  async cancel(actor: AuthUser, id: string) {
    await this.db.transaction(async (m) => {
      const run = await lockRunSummary(m, id);
      if (!run) throw new NotFoundException({ statusCode: 404, message: `Run ${id} not found` });
      if (!['queued', 'running', 'waiting'].includes(run.status)) throw new ConflictException({ statusCode: 409, message: `This run is already ${run.status}` });
      await cancelRun(m, run);
      await this.audit.record(actor, 'run.cancel', 'run', id, {}, m);
    });
    return this.get(id);
  }
}
