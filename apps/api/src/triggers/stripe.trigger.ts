import { randomUUID } from 'node:crypto';
import { BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FlowDocument, FlowNode, isStripeEventLike, normalizePayment, StripeEventLike, stripeTrigger, stripeTriggerOutput, triggerNode } from '@handoff/nodes';
import { CredentialsService } from '../credentials/credentials.service';
import type { WebhookOutcome } from '../metrics/metrics';
import { MetricsService } from '../metrics/metrics.service';
import { RunSpec, TriggerEventSpec } from '../runs/store/run-start';
import { IngestBatcher } from './ingest-batcher';
import { jobInsert } from '../engine/queue';
import { isSubscribed, verifyStripeEvent } from './stripe-verify';
import { HookAck, HookRequest, PublishedFlow, StoredEvent, TriggerAdapter, TriggerInputError, TriggerRun } from './trigger-adapter';
import { ackOf, isUuid, outcomeOf } from './hook-answers';

interface Target {
  flowId: string;
  version: number;
  document: FlowDocument;
  events: string[];
  mode: 'any' | 'live' | 'test';
  credentialId: string | null;
  /** The credential's GCM tag (hex): changes whenever the secret is sealed again; null when the credential is gone. */
  credentialTag: string | null;
}

const SECRET_CACHE_SIZE = 1_000;
const TARGET_CACHE_SIZE = 1_000;

/** The Stripe trigger's settings (schema defaults applied), or null when the node is another type. */
function settingsOf(node: FlowNode | null | undefined): { events: string[]; mode: Target['mode']; credentialId: string | null } | null {
  if (node?.type !== 'stripe.trigger') return null;
  // A config saved without `events` means the schema's default list, exactly as the editor shows it.
  const parsed = stripeTrigger.config.safeParse(node.config);
  if (!parsed.success) return { events: [], mode: 'any', credentialId: null };
  return { events: parsed.data.events, mode: parsed.data.livemode, credentialId: parsed.data.signingSecret?.credential ?? null };
}

/** Whether the trigger takes an event of this mode (a live flow can refuse test events). */
const modeAllows = (mode: Target['mode'], livemode: unknown) => mode === 'any' || (mode === 'live') === (livemode === true);

/** A Stripe event's run: the verified event and its normalized payment, searchable by event, customer and e-mail. */
function runOfEvent(event: StripeEventLike): TriggerRun {
  const payment = normalizePayment(event);
  return { trigger: stripeTriggerOutput(event), triggerType: event.type, eventId: event.id, customerId: payment.customerId, email: payment.email };
}

/**
 * `stripe.trigger`: POST /hooks/stripe/:flowId. Verify the signature, then store the event
 * and start its run in one statement. Nothing slow happens before the answer (no
 * expressions, no outbound HTTP): matching the event against waiting steps is a job.
 */
@Injectable()
export class StripeTrigger implements TriggerAdapter {
  readonly type = 'stripe.trigger';
  readonly hook = 'stripe';
  private readonly logger = new Logger('StripeTrigger');
  private readonly secrets = new Map<string, string>();
  /** What a delivery to each flow needs to know (see receive); checked by every ingest statement. */
  private readonly targets = new Map<string, Target>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly credentials: CredentialsService,
    private readonly metrics: MetricsService,
    private readonly batcher: IngestBatcher,
  ) {}

  /**
   * A delivery costs one statement when the flow's target is known: the target (published
   * version, trigger settings, signing credential) is kept per flow and re-read only when the
   * signature does not verify with it, or when the ingest statement finds that the published
   * version or the credential changed since (its flow guard): then nothing was written, and the
   * delivery is verified and stored again with what the database holds now.
   */
  async receive(req: HookRequest): Promise<HookAck> {
    const cached = this.targets.get(req.flowId);
    let target = cached ?? (await this.target(req.flowId));
    let verified = await this.verify(target, req);
    if (!verified.ok && cached) verified = await this.verify((target = await this.target(req.flowId)), req);
    if (!verified.ok) this.refuse(verified.outcome, verified.message);
    let ack = await this.ingest(target, verified.event, req.rawBody, 'hook', true);
    if (!ack) {
      target = await this.target(req.flowId);
      verified = await this.verify(target, req);
      if (!verified.ok) this.refuse(verified.outcome, verified.message);
      ack = await this.ingest(target, verified.event, req.rawBody, 'hook', true);
      if (!ack) this.gone(target.flowId);
    }
    const { event } = verified;
    const outcome = outcomeOf(ack);
    this.metrics.webhook(outcome);
    this.logger.log({ flowId: target.flowId, eventId: event.id, eventType: event.type, outcome, runId: 'runId' in ack ? ack.runId : undefined }, `stripe event ${outcome}`);
    return ack;
  }

  /**
   * An event fetched from Stripe's API by reconciliation (no signature: it came over our own
   * authenticated call), through the same ingest statement and dedupe as a delivery.
   */
  async ingestFetched(flowId: string, event: StripeEventLike): Promise<HookAck> {
    const target = await this.target(flowId);
    return (await this.ingest(target, event, Buffer.from(JSON.stringify(event)), 'reconcile', false)) ?? this.gone(flowId);
  }

  private async verify(target: Target, req: HookRequest): Promise<ReturnType<typeof verifyStripeEvent>> {
    const secret = await this.signingSecret(target);
    if (!secret) this.refuse('bad_signature', 'The flow has no usable signing secret credential: pick one on its Stripe trigger and publish');
    const header = req.headers['stripe-signature'];
    return verifyStripeEvent(req.rawBody, typeof header === 'string' ? header : undefined, secret);
  }

  private gone(flowId: string): never {
    this.targets.delete(flowId);
    this.metrics.webhook('unknown_flow');
    throw new NotFoundException({ statusCode: 404, message: `Flow ${flowId} not found` });
  }

  runOf(event: StoredEvent, flow: PublishedFlow): TriggerRun | null {
    const settings = settingsOf(flow.node);
    if (!settings || !isStripeEventLike(event.payload) || !isSubscribed(settings.events, event.payload.type) || !modeAllows(settings.mode, event.payload.livemode)) return null;
    return runOfEvent(event.payload);
  }

  testRun(_node: FlowNode, body: { event?: unknown }) {
    if (!isStripeEventLike(body.event)) throw new TriggerInputError('A Stripe test run needs `event`: a Stripe event object with id, type and data.object');
    return { ...runOfEvent(body.event), key: `test:${randomUUID()}`, payload: body.event, type: body.event.type };
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
    const rows: Array<{ version: number; document: FlowDocument; credential_tag: string | null }> = isUuid(flowId)
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
    const settings = rows[0] && settingsOf(triggerNode(rows[0].document));
    if (!rows[0] || !settings) {
      this.targets.delete(flowId);
      this.metrics.webhook('unknown_flow');
      throw new NotFoundException({ statusCode: 404, message: `No published flow ${isUuid(flowId) ? flowId + ' ' : ''}with a Stripe trigger` });
    }
    const target = { flowId, version: rows[0].version, document: rows[0].document, credentialTag: rows[0].credential_tag, ...settings };
    this.targets.delete(flowId);
    if (this.targets.size >= TARGET_CACHE_SIZE) this.targets.delete(this.targets.keys().next().value as string);
    this.targets.set(flowId, target);
    return target;
  }

  /**
   * One statement: the event row (or a counted duplicate), its run, and a match_event job if a
   * step waits for this type. `guarded`: only if the flow's published version and signing
   * credential are still the target's; null when they are not (or the flow is gone).
   */
  private async ingest(target: Target, event: StripeEventLike, rawBody: Buffer, via: 'hook' | 'reconcile', guarded: boolean): Promise<HookAck | null> {
    const spec: TriggerEventSpec = {
      flowId: target.flowId,
      source: this.type,
      key: event.id,
      type: event.type,
      livemode: event.livemode === true,
      payload: null,
      payloadJson: rawBody.toString('utf8'),
      subscribed: isSubscribed(target.events, event.type) && modeAllows(target.mode, event.livemode),
      holdWhenPaused: true,
      via,
    };
    const run: RunSpec = { runId: randomUUID(), flowId: target.flowId, version: target.version, document: target.document, ...runOfEvent(event) };
    const result = await this.batcher.ingest({
      event: spec,
      run,
      extra: (p, n) => {
        const flowId = p.add(target.flowId);
        const type = p.add(event.type);
        return {
          ctes: [
            `${n('matcher')} AS (${jobInsert(
              'match_event',
              `SELECT json_build_object('flowId', ${flowId}::uuid, 'eventRowId', ins.id) AS payload, 5 AS max_attempts FROM ${n('ins')} ins
               WHERE ins.inserted AND EXISTS (SELECT 1 FROM event_waits w WHERE w.flow_id = ${flowId}::uuid AND ${type}::text = ANY (w.types))`,
            )})`,
          ],
          effects: `(SELECT count(*) FROM ${n('matcher')})`,
          flowGuard: guarded
            ? `fl.published_version = ${p.add(target.version)}::int AND EXISTS (SELECT 1 FROM credentials c WHERE c.id = ${p.add(target.credentialId)}::uuid AND c.type = 'stripe.signingSecret' AND encode(c.auth_tag, 'hex') = ${p.add(target.credentialTag)}::text)`
            : undefined,
        };
      },
    });
    return result ? ackOf(result) : null;
  }
}
