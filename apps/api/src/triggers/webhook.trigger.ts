import { randomUUID } from 'node:crypto';
import { BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FlowDocument, FlowNode, triggerNode, webhookTrigger } from '@handoff/nodes';
import { CredentialsService } from '../credentials/credentials.service';
import { MetricsService } from '../metrics/metrics.service';
import { IngestBatcher } from './ingest-batcher';
import { ackOf, isUuid, outcomeOf } from './hook-answers';
import { HookAck, HookRequest, PublishedFlow, StoredEvent, TriggerAdapter, TriggerInputError, TriggerRun } from './trigger-adapter';
import { deliveryId, verifyWebhookSignature } from './webhook-signature';
import { mayBeUnstorable, unstorable } from './storable';

/** Headers kept in the run's `trigger.headers`: what a flow may route on, never credentials. */
const HIDDEN_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-handoff-signature']);
const MAX_KEY_LENGTH = 255;

function visibleHeaders(headers: HookRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (HIDDEN_HEADERS.has(name) || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const header = (headers: HookRequest['headers'], name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

interface WebhookPayload {
  body: unknown;
  headers: Record<string, string>;
}

function runOfPayload(payload: WebhookPayload, key: string): TriggerRun {
  const body = payload.body as { email?: unknown } | null;
  return { trigger: payload, triggerType: 'webhook', eventId: key, email: typeof body?.email === 'string' ? body.email : null };
}

/**
 * `webhook.trigger`: POST /hooks/webhook/:flowId from any system that can sign an HMAC
 * (docs/webhooks.md). Same answers as the Stripe hook; dedupe on the body's id field or
 * the Idempotency-Key header.
 */
@Injectable()
export class WebhookTrigger implements TriggerAdapter {
  readonly type = 'webhook.trigger';
  readonly hook = 'webhook';
  private readonly logger = new Logger('WebhookTrigger');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly credentials: CredentialsService,
    private readonly metrics: MetricsService,
    private readonly batcher: IngestBatcher,
  ) {}

  async receive(req: HookRequest): Promise<HookAck> {
    const rows: Array<{ version: number; document: FlowDocument }> = isUuid(req.flowId)
      ? await this.db.query(
          `SELECT f.published_version AS version, v.document FROM flows f JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.published_version WHERE f.id = $1`,
          [req.flowId],
        )
      : [];
    const node = rows[0] && triggerNode(rows[0].document);
    if (!rows[0] || node?.type !== this.type) {
      this.metrics.webhook('unknown_flow');
      throw new NotFoundException({ statusCode: 404, message: `No published flow ${isUuid(req.flowId) ? req.flowId + ' ' : ''}with a webhook trigger` });
    }
    const config = webhookTrigger.config.parse(node.config);
    const secret = await this.credentials.reveal<string>(config.secret.credential, 'webhook.secret');
    if (typeof secret !== 'string') this.refuse('bad_signature', 'The flow has no usable webhook.secret credential: pick one on its webhook trigger and publish');
    const checked = verifyWebhookSignature(header(req.headers, 'x-handoff-signature'), req.rawBody, secret);
    if (!checked.ok) this.refuse('bad_signature', checked.message);

    let body: unknown;
    try {
      body = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      this.refuse('malformed', 'The body is not JSON');
    }
    const problem = mayBeUnstorable(req.rawBody) ? unstorable(body, 'The body') : null;
    if (problem) this.refuse('malformed', problem);
    const key = deliveryId(body, config.idField, header(req.headers, 'idempotency-key'));
    if (!key) this.refuse('malformed', `The body has no "${config.idField}" and there is no Idempotency-Key header: one of them must identify the delivery, so a repeat starts nothing`);
    if (key.length > MAX_KEY_LENGTH) this.refuse('malformed', `The delivery id is longer than ${MAX_KEY_LENGTH} characters`);

    const payload: WebhookPayload = { body, headers: visibleHeaders(req.headers) };
    const result = await this.batcher.ingest({
      event: { flowId: req.flowId, source: this.type, key, type: 'webhook', payload, subscribed: true, holdWhenPaused: true },
      run: { runId: randomUUID(), flowId: req.flowId, version: rows[0].version, document: rows[0].document, ...runOfPayload(payload, key) },
    });
    if (!result) throw new NotFoundException({ statusCode: 404, message: `Flow ${req.flowId} not found` });
    const ack = ackOf(result);
    const outcome = outcomeOf(ack);
    this.metrics.webhook(outcome);
    this.logger.log({ flowId: req.flowId, deliveryId: key, outcome, runId: 'runId' in ack ? ack.runId : undefined }, `webhook ${outcome}`);
    return ack;
  }

  runOf(event: StoredEvent, flow: PublishedFlow): TriggerRun | null {
    if (flow.node.type !== this.type) return null;
    return runOfPayload(event.payload as WebhookPayload, event.triggerKey);
  }

  testRun(_node: FlowNode, body: { payload?: unknown }) {
    const payload = body.payload as Partial<WebhookPayload> | undefined;
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new TriggerInputError('A webhook test run needs `payload`: { body, headers }');
    const shaped: WebhookPayload = { body: payload.body ?? null, headers: payload.headers && typeof payload.headers === 'object' ? payload.headers : {} };
    const key = `test:${randomUUID()}`;
    return { ...runOfPayload(shaped, key), key, payload: shaped, type: 'webhook' };
  }

  private refuse(outcome: 'bad_signature' | 'malformed', message: string): never {
    this.metrics.webhook(outcome);
    throw new BadRequestException({ statusCode: 400, message });
  }
}
