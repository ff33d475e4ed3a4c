import { randomUUID } from 'node:crypto';
import { BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { FlowDocument, normalizePayment, StripeEventLike, stripeTrigger, stripeTriggerOutput, triggerNode } from '@handoff/nodes';
import { CredentialsService } from '../../credentials/credentials.service';
import { RUNS_CHANNEL } from '../../engine/notify';
import { firstStep, searchKey, startRun } from '../../engine/run-starter';
import type { WebhookOutcome } from '../../metrics/metrics';
import { MetricsService } from '../../metrics/metrics.service';
import { StripeEvent, StripeEventStatus } from './stripe-event.entity';
import { isSubscribed, verifyStripeEvent } from './stripe-verify';

/** What Stripe gets back: any 2xx ends its retries, so every stored outcome is a 200. */
export type WebhookAck =
  | { received: true; duplicate: false; runId: string }
  | { received: true; duplicate: true }
  | { received: true; ignored: true }
  | { received: true; held: true };

interface Target {
  flowId: string;
  version: number;
  document: FlowDocument;
  events: string[];
  credentialId: string | null;
  /** The credential's GCM tag (hex): changes whenever the secret is sealed again; null when the credential is gone. */
  credentialTag: string | null;
}

interface Ingested {
  id: string;
  status: StripeEventStatus;
  inserted: boolean;
}

const SECRET_CACHE_SIZE = 1_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The published Stripe trigger's settings (schema defaults applied), or null when the document has none. */
function stripeTriggerOf(doc: FlowDocument): { events: string[]; credentialId: string | null } | null {
  const node = triggerNode(doc);
  if (node?.type !== 'stripe.trigger') return null;
  // A config saved without `events` means the schema's default list, exactly as the editor shows it.
  const parsed = stripeTrigger.config.safeParse(node.config);
  if (!parsed.success) return { events: [], credentialId: null };
  return { events: parsed.data.events, credentialId: parsed.data.signingSecret?.credential ?? null };
}

function runInput(target: Pick<Target, 'flowId' | 'version' | 'document'>, event: StripeEventLike) {
  const payment = normalizePayment(event);
  return {
    flowId: target.flowId,
    version: target.version,
    document: target.document,
    trigger: stripeTriggerOutput(event),
    triggerType: event.type,
    eventId: event.id,
    customerId: payment.customerId,
    email: payment.email,
  };
}

function outcomeOf(ack: WebhookAck): WebhookOutcome {
  if ('ignored' in ack) return 'ignored';
  if ('held' in ack) return 'held';
  return ack.duplicate ? 'duplicate' : 'accepted';
}

/**
 * Stripe webhook intake: verify, then store the event and start its run in one statement.
 * Nothing slow happens before the answer (no expressions, no outbound HTTP): matching the
 * event against waiting steps is a job for the worker.
 */
@Injectable()
export class StripeHooksService {
  private readonly logger = new Logger('StripeHooks');
  private readonly secrets = new Map<string, string>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(StripeEvent) private readonly events: Repository<StripeEvent>,
    private readonly credentials: CredentialsService,
    private readonly metrics: MetricsService,
  ) {}

  async receive(flowId: string, rawBody: unknown, signature: string | undefined): Promise<WebhookAck> {
    const target = await this.target(flowId);
    const secret = await this.signingSecret(target);
    if (!secret) this.refuse('bad_signature', 'The flow has no usable signing secret credential: pick one on its Stripe trigger and publish');
    const verified = verifyStripeEvent(Buffer.isBuffer(rawBody) ? rawBody : Buffer.alloc(0), signature, secret);
    if (!verified.ok) this.refuse(verified.outcome, verified.message);

    const { event } = verified;
    const ack = await this.ingest(target, event, rawBody as Buffer);
    const outcome = outcomeOf(ack);
    this.metrics.webhook(outcome);
    this.logger.log({ flowId, eventId: event.id, eventType: event.type, outcome, runId: 'runId' in ack ? ack.runId : undefined }, `stripe event ${outcome}`);
    return ack;
  }

  /**
   * The decrypted secret, kept per process under the credential's current ciphertext tag:
   * a deleted credential fails the lookup's join, a re-sealed one has a new tag, so the
   * cache never outlives the row. Saves a query and a decryption per delivery.
   */
  private async signingSecret(target: Target): Promise<string | null> {
    if (!target.credentialId || !target.credentialTag) return null;
    const key = `${target.credentialId}:${target.credentialTag}`;
    const hit = this.secrets.get(key);
    if (hit) return hit;
    const secret = await this.credentials.reveal<string>(target.credentialId, 'stripe.signingSecret');
    if (typeof secret !== 'string') return null;
    if (this.secrets.size >= SECRET_CACHE_SIZE) this.secrets.delete(this.secrets.keys().next().value as string);
    this.secrets.set(key, secret);
    return secret;
  }

  private refuse(outcome: WebhookOutcome, message: string): never {
    this.metrics.webhook(outcome);
    throw new BadRequestException({ statusCode: 400, message });
  }

  /** The flow's published version, its trigger settings and its signing credential's tag, in one query; 404 when there is nothing to deliver to. */
  private async target(flowId: string): Promise<Target> {
    const rows: Array<{ version: number; document: FlowDocument; credential_tag: string | null }> = UUID.test(flowId)
      ? await this.db.query(
          `SELECT f.published_version AS version, v.document, encode(c.auth_tag, 'hex') AS credential_tag
           FROM flows f
           JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.published_version
           LEFT JOIN credentials c ON c.type = 'stripe.signingSecret' AND c.id::text = (
             SELECT n #>> '{config,signingSecret,credential}' FROM jsonb_array_elements(v.document -> 'nodes') n
             WHERE n ->> 'type' = 'stripe.trigger' LIMIT 1)
           WHERE f.id = $1`,
          [flowId],
        )
      : [];
    const trigger = rows[0] && stripeTriggerOf(rows[0].document);
    if (!rows[0] || !trigger) {
      this.metrics.webhook('unknown_flow');
      throw new NotFoundException({ statusCode: 404, message: `No published flow ${UUID.test(flowId) ? flowId + ' ' : ''}with a Stripe trigger` });
    }
    return { flowId, version: rows[0].version, document: rows[0].document, credentialTag: rows[0].credential_tag, ...trigger };
  }

  /**
   * One statement, so one round trip and no explicit transaction: store the event (or count
   * a duplicate), and for a new event the flow runs, its run, trigger step, job and live
   * notification; a match_event job if a step waits for this type. FOR SHARE on the flow
   * orders this against pause/resume (which update the row): an event is either held
   * before a resume starts releasing, or sees the flow already active. Foreign keys are
   * checked at the end of the statement, so the event row may name its run first.
   */
  private async ingest(target: Target, event: StripeEventLike, rawBody: Buffer): Promise<WebhookAck> {
    const payment = normalizePayment(event);
    const first = firstStep(target.document);
    const runId = randomUUID();
    const [row]: Ingested[] = await this.db.query(
      `WITH f AS (SELECT status FROM flows WHERE id = $1 FOR SHARE),
       ins AS (
         INSERT INTO stripe_events (flow_id, event_id, type, livemode, status, payload, run_id)
         SELECT $1, $2, $3, $4, s.status, $6::jsonb, CASE WHEN s.status = 'ran' THEN $7::uuid END
         FROM f, LATERAL (SELECT CASE WHEN NOT $5::boolean THEN 'ignored' WHEN f.status = 'paused' THEN 'held' ELSE 'ran' END AS status) s
         ON CONFLICT (flow_id, event_id) DO UPDATE SET duplicate_count = stripe_events.duplicate_count + 1, last_seen_at = now()
         RETURNING id, status, (xmax = 0) AS inserted),
       run AS (
         INSERT INTO runs (id, flow_id, version, status, test, trigger, trigger_type, event_id, customer_id, email)
         SELECT $7, $1, $8, 'queued', false, $9::jsonb, $3, $2, $10, $11 FROM ins WHERE ins.inserted AND ins.status = 'ran'
         RETURNING id),
       step AS (
         INSERT INTO steps (run_id, node_id, node_type, status, max_attempts) SELECT id, $12, $13, 'queued', $14 FROM run RETURNING run_id),
       job AS (SELECT graphile_worker.add_job('run_step', json_build_object('runId', run_id, 'nodeId', $12::text), max_attempts => $14) FROM step),
       matcher AS (
         SELECT graphile_worker.add_job('match_event', json_build_object('flowId', $1::uuid, 'eventRowId', ins.id), max_attempts => 5) FROM ins
         WHERE ins.inserted AND EXISTS (SELECT 1 FROM event_waits w WHERE w.flow_id = $1 AND $3 = ANY (w.types))),
       note AS (SELECT pg_notify($15, json_build_object('runId', id, 'flowId', $1::uuid, 'runStatus', 'queued')::text) FROM run)
       -- Side-effect CTEs run only when read: the counts make sure they are.
       SELECT ins.id, ins.status, ins.inserted, (SELECT count(*) FROM job) + (SELECT count(*) FROM matcher) + (SELECT count(*) FROM note) AS effects FROM ins`,
      [
        target.flowId,
        event.id,
        event.type,
        event.livemode === true,
        isSubscribed(target.events, event.type),
        rawBody.toString('utf8'),
        runId,
        target.version,
        JSON.stringify(stripeTriggerOutput(event)),
        searchKey(payment.customerId),
        searchKey(payment.email),
        first.nodeId,
        first.nodeType,
        first.maxAttempts,
        RUNS_CHANNEL,
      ],
    );
    if (!row) {
      this.metrics.webhook('unknown_flow');
      throw new NotFoundException({ statusCode: 404, message: `Flow ${target.flowId} not found` });
    }
    if (!row.inserted) return { received: true, duplicate: true };
    if (row.status === 'ignored') return { received: true, ignored: true };
    if (row.status === 'held') return { received: true, held: true };
    return { received: true, duplicate: false, runId };
  }

  /**
   * Called by FlowsService when a flow is resumed, inside its transaction: every event held
   * while it was paused starts its run on the version published now (or is ignored if that
   * version no longer subscribes to its type). The flow row lock keeps new events out until commit.
   */
  async releaseHeld(m: EntityManager, flowId: string): Promise<number> {
    await m.query(`SELECT 1 FROM flows WHERE id = $1 FOR UPDATE`, [flowId]);
    const held: Array<{ id: string; payload: StripeEventLike }> = await m.query(
      `SELECT id, payload FROM stripe_events WHERE flow_id = $1 AND status = 'held' ORDER BY seq FOR UPDATE`,
      [flowId],
    );
    if (!held.length) return 0;
    const [current]: Array<{ version: number; document: FlowDocument }> = await m.query(
      `SELECT f.published_version AS version, v.document FROM flows f JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.published_version WHERE f.id = $1`,
      [flowId],
    );
    const trigger = current && stripeTriggerOf(current.document);
    let started = 0;
    for (const e of held) {
      if (!current || !trigger || !isSubscribed(trigger.events, e.payload.type)) {
        await m.query(`UPDATE stripe_events SET status = 'ignored' WHERE id = $1`, [e.id]);
        continue;
      }
      const runId = await startRun(m, runInput({ flowId, version: current.version, document: current.document }, e.payload));
      await m.query(`UPDATE stripe_events SET status = 'ran', run_id = $2 WHERE id = $1`, [e.id, runId]);
      started++;
    }
    this.logger.log({ flowId, held: held.length, started }, 'released held Stripe events');
    return started;
  }

  /** Received events, newest first, keyset-paginated on the receive sequence. */
  async list(filters: { flowId?: string; cursor?: string; limit?: number }) {
    const limit = Math.min(Math.max(filters.limit ?? 50, 1), 200);
    const qb = this.events.createQueryBuilder('e').orderBy('e.seq', 'DESC').limit(limit + 1);
    if (filters.flowId) {
      if (!UUID.test(filters.flowId)) throw new BadRequestException({ statusCode: 400, message: 'flowId must be a UUID' });
      qb.andWhere('e.flow_id = :flowId', { flowId: filters.flowId });
    }
    if (filters.cursor) {
      if (!/^\d{1,19}$/.test(filters.cursor)) throw new BadRequestException({ statusCode: 400, message: 'Invalid cursor' });
      qb.andWhere('e.seq < :cursor', { cursor: filters.cursor });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, limit).map((e) => ({
      id: e.id,
      flowId: e.flowId,
      eventId: e.eventId,
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
