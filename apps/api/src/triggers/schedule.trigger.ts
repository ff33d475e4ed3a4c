import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FlowDocument, FlowNode, latestTick, nextTick, scheduleTrigger, triggerNode } from '@handoff/nodes';
import { addJob, JobPayloads, removeJob } from '../engine/queue';
import { ingest } from '../runs/store/run-start';
import { PublishedFlow, StoredEvent, TriggerAdapter, TriggerRun } from './trigger-adapter';

const jobKey = (flowId: string) => `schedule:${flowId}`;

interface ScheduleState {
  /** The last tick that fired (ISO): the next job is planned from it, so downtime is noticed. */
  lastScheduledFor?: string;
}

interface TickPayload {
  firedAt: string;
  scheduledFor: string;
}

/**
 * What to do when a schedule's job runs at `now` (pure, see the spec): fire the latest tick
 * not fired yet, if any (after downtime that is the latest missed one, once), and plan the
 * next job for the first tick after now.
 */
export function planTick(cron: string, timezone: string, now: Date, last: Date | null): { fire: Date | null; next: Date | null } {
  const latest = latestTick(cron, timezone, now);
  return { fire: latest && (!last || latest > last) ? latest : null, next: nextTick(cron, timezone, now) };
}

/**
 * `schedule.trigger`: one graphile-worker job per flow (job key `schedule:<flowId>`) at the next
 * tick. The job fires the tick through the run-start path with the tick time as its dedupe
 * key and plans the next one, under the flow_triggers row lock: however many worker
 * processes run, a tick starts one run. Pausing removes the job; resuming plans from the
 * last tick fired, so a tick missed while paused or down runs once, late (docs/triggers.md).
 */
@Injectable()
export class ScheduleTrigger implements TriggerAdapter {
  readonly type = 'schedule.trigger';
  private readonly logger = new Logger('ScheduleTrigger');

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async activate(m: EntityManager, flow: PublishedFlow): Promise<void> {
    const config = scheduleTrigger.config.parse(flow.node.config);
    const [row]: Array<{ state: ScheduleState; now: Date }> = await m.query(`SELECT state, clock_timestamp() AS now FROM flow_triggers WHERE flow_id = $1`, [flow.id]);
    const from = row?.state.lastScheduledFor ? new Date(row.state.lastScheduledFor) : (row?.now ?? new Date());
    const next = nextTick(config.cron, config.timezone, from);
    if (next) await addJob(m, 'fire_schedule', { flowId: flow.id, scheduledFor: next.toISOString() }, { runAt: next, jobKey: jobKey(flow.id), maxAttempts: 10 });
    else await removeJob(m, jobKey(flow.id));
  }

  async stalled(m: EntityManager): Promise<string[]> {
    const rows: Array<{ flow_id: string }> = await m.query(
      `SELECT t.flow_id FROM flow_triggers t JOIN flows f ON f.id = t.flow_id
       WHERE t.type = $1 AND f.status = 'active'
         AND NOT EXISTS (SELECT 1 FROM graphile_worker.jobs j WHERE j.key = 'schedule:' || t.flow_id::text AND j.attempts < j.max_attempts)`,
      [this.type],
    );
    return rows.map((r) => r.flow_id);
  }

  async deactivate(m: EntityManager, flowId: string): Promise<void> {
    await removeJob(m, jobKey(flowId));
  }

  /** The fire_schedule job. Returns the run it started, if any. */
  async fire(job: JobPayloads['fire_schedule']): Promise<string | null> {
    return this.db.transaction(async (m) => {
      // Flow row first (FOR SHARE, as every run start takes it), then the trigger row: the order publish and pause use.
      const [flow]: Array<{ status: string; version: number | null; document: FlowDocument | null; now: Date }> = await m.query(
        `SELECT f.status, f.published_version AS version, v.document, clock_timestamp() AS now
         FROM flows f LEFT JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.published_version WHERE f.id = $1 FOR SHARE OF f`,
        [job.flowId],
      );
      const node = flow?.document ? triggerNode(flow.document) : undefined;
      if (!flow || flow.status !== 'active' || node?.type !== this.type || !flow.document || flow.version === null) return null;
      const [row]: Array<{ state: ScheduleState }> = await m.query(`SELECT state FROM flow_triggers WHERE flow_id = $1 FOR UPDATE`, [job.flowId]);
      if (!row) return null;
      const config = scheduleTrigger.config.parse(node.config);
      // Database time is the clock: the job ran because the database said it was due. Never earlier than the tick it was planned for.
      const now = new Date(Math.max(flow.now.getTime(), Date.parse(job.scheduledFor) || 0));
      const last = row.state.lastScheduledFor ? new Date(row.state.lastScheduledFor) : null;
      const plan = planTick(config.cron, config.timezone, now, last);
      let runId: string | null = null;
      if (plan.fire) {
        const payload: TickPayload = { firedAt: flow.now.toISOString(), scheduledFor: plan.fire.toISOString() };
        const result = await ingest(
          m,
          { flowId: job.flowId, source: this.type, key: payload.scheduledFor, type: 'schedule', payload, subscribed: true, holdWhenPaused: false },
          { runId: randomUUID(), flowId: job.flowId, version: flow.version, document: flow.document, ...runOfTick(payload) },
        );
        runId = result?.runId ?? null;
        await m.query(`UPDATE flow_triggers SET state = state || $2::jsonb WHERE flow_id = $1`, [job.flowId, JSON.stringify({ lastScheduledFor: payload.scheduledFor })]);
        this.logger.log({ flowId: job.flowId, scheduledFor: payload.scheduledFor, runId }, 'schedule fired');
      }
      // The running job still holds the key; graphile-worker gives a locked job's key to the new one.
      if (plan.next) await addJob(m, 'fire_schedule', { flowId: job.flowId, scheduledFor: plan.next.toISOString() }, { runAt: plan.next, jobKey: jobKey(job.flowId), maxAttempts: 10 });
      return runId;
    });
  }

  runOf(event: StoredEvent): TriggerRun | null {
    return runOfTick(event.payload as TickPayload);
  }

  testRun(_node: FlowNode, body: { payload?: unknown }) {
    const given = (body.payload ?? {}) as Partial<TickPayload>;
    const now = new Date().toISOString();
    const payload: TickPayload = { firedAt: typeof given.firedAt === 'string' ? given.firedAt : now, scheduledFor: typeof given.scheduledFor === 'string' ? given.scheduledFor : now };
    return { ...runOfTick(payload), key: `test:${randomUUID()}`, payload, type: 'schedule' };
  }
}

function runOfTick(payload: TickPayload): TriggerRun {
  return { trigger: payload, triggerType: 'schedule', eventId: payload.scheduledFor };
}
