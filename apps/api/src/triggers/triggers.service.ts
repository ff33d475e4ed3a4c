import { randomUUID } from 'node:crypto';
import { BadRequestException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { FlowDocument, triggerNode } from '@handoff/nodes';
import { HeldRelease, ingest, release } from '../runs/store/run-start';
import { isUuid } from './hook-answers';
import { TriggerEvent } from './trigger-event.entity';
import { HookAck, HookRequest, PublishedFlow, StoredEvent, TRIGGER_ADAPTERS, TriggerAdapter, TriggerInputError } from './trigger-adapter';

/**
 * What the rest of the app asks of triggers, by flow, never by trigger type: keep a flow's
 * trigger firing or stopped as it is published, paused, resumed or deleted; release the
 * events held while it was paused; route hook deliveries; start test runs.
 */
@Injectable()
export class TriggersService {
  private readonly logger = new Logger('Triggers');

  constructor(
    @Inject(TRIGGER_ADAPTERS) private readonly adapters: readonly TriggerAdapter[],
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(TriggerEvent) private readonly events: Repository<TriggerEvent>,
  ) {}

  adapterFor(type: string): TriggerAdapter | undefined {
    return this.adapters.find((a) => a.type === type);
  }

  /** A hook delivery: 404 when no trigger type has that route. */
  receive(hook: string, req: HookRequest): Promise<HookAck> {
    const adapter = this.adapters.find((a) => a.hook === hook && a.receive);
    if (!adapter?.receive) throw new NotFoundException({ statusCode: 404, message: `No webhook route /hooks/${hook.slice(0, 40)}` });
    return adapter.receive(req);
  }

  private async published(m: EntityManager, flowId: string): Promise<PublishedFlow | null> {
    const [row]: Array<{ status: PublishedFlow['status']; version: number | null; document: FlowDocument | null }> = await m.query(
      `SELECT f.status, f.published_version AS version, v.document FROM flows f LEFT JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.published_version WHERE f.id = $1`,
      [flowId],
    );
    const node = row?.document ? triggerNode(row.document) : undefined;
    if (!row || !row.document || row.version === null || !node) return null;
    return { id: flowId, version: row.version, document: row.document, node, status: row.status };
  }

  /**
   * Brings the flow's trigger in line with the flow row, on the caller's transaction (which
   * holds the flow row lock): after publish, pause, resume. Its flow_triggers row follows the
   * published version; only an active flow's trigger is activated, every other adapter is told to stop.
   */
  async sync(m: EntityManager, flowId: string): Promise<void> {
    const flow = await this.published(m, flowId);
    if (!flow) {
      await this.stop(m, flowId);
      return;
    }
    await m.query(
      `INSERT INTO flow_triggers (flow_id, type, version, config) VALUES ($1, $2, $3, $4)
       ON CONFLICT (flow_id) DO UPDATE SET type = EXCLUDED.type, version = EXCLUDED.version, config = EXCLUDED.config,
         state = CASE WHEN flow_triggers.type = EXCLUDED.type THEN flow_triggers.state ELSE '{}'::jsonb END, updated_at = now()`,
      [flowId, flow.node.type, flow.version, JSON.stringify(flow.node.config ?? {})],
    );
    for (const adapter of this.adapters) {
      if (adapter.type === flow.node.type && flow.status === 'active') await adapter.activate?.(m, flow);
      else await adapter.deactivate?.(m, flowId);
    }
  }

  /**
   * The `reconcile_triggers` job (every minute): published flows whose trigger row is missing
   * or behind (published before triggers were adapters), and triggers an adapter reports as
   * stalled, are synced again. Returns the flows it fixed.
   */
  async reconcile(): Promise<string[]> {
    const behind: Array<{ id: string }> = await this.db.query(
      `SELECT f.id FROM flows f LEFT JOIN flow_triggers t ON t.flow_id = f.id
       WHERE f.published_version IS NOT NULL AND (t.flow_id IS NULL OR t.version <> f.published_version)`,
    );
    const stalled = (await Promise.all(this.adapters.map((a) => a.stalled?.(this.db.manager) ?? Promise.resolve([])))).flat();
    const ids = [...new Set([...behind.map((r) => r.id), ...stalled])];
    for (const id of ids) {
      await this.db.transaction(async (m) => {
        await m.query(`SELECT 1 FROM flows WHERE id = $1 FOR UPDATE`, [id]);
        await this.sync(m, id);
      });
    }
    if (ids.length) this.logger.warn({ flows: ids }, 'triggers that were not firing were activated again');
    return ids;
  }

  /** Every adapter stops firing for the flow (before it is deleted). */
  async stop(m: EntityManager, flowId: string): Promise<void> {
    for (const adapter of this.adapters) await adapter.deactivate?.(m, flowId);
    await m.query(`DELETE FROM flow_triggers WHERE flow_id = $1`, [flowId]);
  }

  /**
   * On resume, inside its transaction: every event held while the flow was paused starts its
   * run on the version published now, through the same run-start statement as a live event;
   * one the current trigger would not run (another trigger type, an unsubscribed Stripe
   * event type) is marked ignored. The flow row lock keeps new events out until commit.
   */
  async releaseHeld(m: EntityManager, flowId: string): Promise<number> {
    await m.query(`SELECT 1 FROM flows WHERE id = $1 FOR UPDATE`, [flowId]);
    const held: Array<{ id: string; source: string; trigger_key: string; type: string; payload: unknown }> = await m.query(
      `SELECT id, source, trigger_key, type, payload FROM trigger_events WHERE flow_id = $1 AND status = 'held' ORDER BY seq FOR UPDATE`,
      [flowId],
    );
    if (!held.length) return 0;
    const flow = await this.published(m, flowId);
    const releases: HeldRelease[] = [];
    const ignored: string[] = [];
    for (const row of held) {
      const event: StoredEvent = { id: row.id, source: row.source, triggerKey: row.trigger_key, type: row.type, payload: row.payload };
      const adapter = this.adapterFor(row.source);
      const run = flow && adapter && row.source === flow.node.type ? adapter.runOf(event, flow) : null;
      if (!flow || !run) ignored.push(row.id);
      else releases.push({ eventRowId: row.id, run: { runId: randomUUID(), flowId, version: flow.version, document: flow.document, ...run } });
    }
    if (ignored.length) await m.query(`UPDATE trigger_events SET status = 'ignored' WHERE id = ANY($1::uuid[])`, [ignored]);
    const started = await release(m, releases);
    this.logger.log({ flowId, held: held.length, started }, 'released held trigger events');
    return started;
  }

  /** A test run of the draft (version 0, its own copy of the document and its own key space). */
  async startTestRun(m: EntityManager, flowId: string, draft: FlowDocument, body: { event?: unknown; payload?: unknown }): Promise<string> {
    const node = triggerNode(draft);
    const adapter = node && this.adapterFor(node.type);
    if (!node || !adapter) throw new BadRequestException({ statusCode: 400, message: `The flow's trigger ${node?.type ?? ''} cannot be test-run` });
    let input;
    try {
      input = adapter.testRun(node, body);
    } catch (e) {
      if (e instanceof TriggerInputError) throw new BadRequestException({ statusCode: 400, message: e.message });
      throw e;
    }
    const { key, payload, type, ...run } = input;
    const runId = randomUUID();
    await ingest(m, { flowId, source: node.type, key, type, payload, subscribed: true, holdWhenPaused: false, via: 'test' }, { ...run, runId, flowId, version: 0, document: draft, test: true });
    return runId;
  }

  /** Received trigger events, newest first, keyset-paginated on the receive sequence. */
  async list(filters: { flowId?: string; cursor?: string; limit?: number }) {
    const limit = Math.min(Math.max(filters.limit ?? 50, 1), 200);
    const qb = this.events.createQueryBuilder('e').orderBy('e.seq', 'DESC').limit(limit + 1);
    if (filters.flowId) {
      if (!isUuid(filters.flowId)) throw new BadRequestException({ statusCode: 400, message: 'flowId must be a UUID' });
      qb.andWhere('e.flow_id = :flowId', { flowId: filters.flowId });
    }
    if (filters.cursor) {
      if (!/^\d{1,18}$/.test(filters.cursor)) throw new BadRequestException({ statusCode: 400, message: 'Invalid cursor' });
      qb.andWhere('e.seq < :cursor', { cursor: filters.cursor });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, limit).map((e) => ({
      id: e.id,
      flowId: e.flowId,
      source: e.source,
      via: e.via,
      eventId: e.triggerKey,
      type: e.type,
      status: e.status,
      livemode: e.livemode,
      duplicateCount: e.duplicateCount,
      runId: e.runId,
      receivedAt: e.receivedAt,
      lastSeenAt: e.lastSeenAt,
    }));
    return { items, nextCursor: rows.length > limit ? rows[limit - 1].seq : null };
  }
}
