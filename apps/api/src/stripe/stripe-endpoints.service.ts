import { createHash } from 'node:crypto';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import type { FlowDocument } from '@handoff/nodes';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { CredentialsService } from '../credentials/credentials.service';
import { StripeCredentialError, stripeFor } from './stripe-client';
import { eventTypesOf, stripeTriggerOf } from './stripe-events';

export interface EndpointResult {
  endpointId: string;
  url: string;
  events: string[];
  /** False when an endpoint for this URL was there already (it was brought up to date). */
  created: boolean;
  signingSecret: { credential: string };
}

const sameEvents = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/**
 * "Create the endpoint in Stripe" on a flow whose Stripe trigger has an API key: registers the
 * flow's webhook URL for the events it needs, looked up by URL first, so clicking twice or
 * publishing again never makes a second endpoint; the signing secret Stripe returns (only on
 * creation) becomes the trigger's credential in the draft.
 */
@Injectable()
export class StripeEndpointsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly credentials: CredentialsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ensure(actor: AuthUser, flowId: string, requestedUrl?: string): Promise<EndpointResult> {
    return this.db.transaction(async (m) => {
      // The flow row lock serialises two clicks in two browser tabs.
      const [flow]: Array<{ name: string; draft: FlowDocument }> = await m.query(`SELECT name, draft FROM flows WHERE id = $1 FOR UPDATE`, [flowId]);
      if (!flow) throw new NotFoundException({ statusCode: 404, message: `Flow ${flowId} not found` });
      const trigger = stripeTriggerOf(flow.draft);
      if (!trigger) throw new BadRequestException({ statusCode: 400, message: 'This flow does not start with a Stripe trigger' });
      if (!trigger.apiKey) throw new BadRequestException({ statusCode: 400, message: 'Pick a Stripe API key (credential type stripe.apiKey) on the Stripe trigger first' });
      const url = this.urlFor(flowId, requestedUrl);
      const events = eventTypesOf(flow.draft);
      const stripe = await stripeFor(this.credentials, trigger.apiKey).catch((e: unknown) => {
        throw e instanceof StripeCredentialError ? new BadRequestException({ statusCode: 400, message: e.message }) : e;
      });
      const existing = await this.call(() => this.find(stripe, url));
      let endpoint: Stripe.WebhookEndpoint;
      let created = false;
      let credential = trigger.signingSecret;
      if (existing) {
        endpoint = sameEvents(existing.enabled_events, events) ? existing : await this.call(() => stripe.webhookEndpoints.update(existing.id, { enabled_events: events as Stripe.WebhookEndpointUpdateParams.EnabledEvent[] }));
        if (!credential) {
          throw new ConflictException({
            statusCode: 409,
            message: `Stripe already has an endpoint for ${url} (${existing.id}), and Stripe shows its signing secret only in the dashboard: copy it from there into a signing-secret credential on the trigger`,
          });
        }
      } else {
        endpoint = await this.call(() =>
          stripe.webhookEndpoints.create(
            { url, enabled_events: events as Stripe.WebhookEndpointCreateParams.EnabledEvent[], description: `Handoff: ${flow.name}`.slice(0, 500), metadata: { handoff_flow_id: flowId } },
            // A concurrent create from another process gets the same endpoint back, secret included.
            { idempotencyKey: `handoff-endpoint:${flowId}:${createHash('sha256').update(url).digest('hex').slice(0, 32)}` },
          ),
        );
        created = true;
        if (!endpoint.secret) throw new Error('Stripe created the endpoint without returning its signing secret');
        const saved = await this.credentials.create(actor, 'stripe.signingSecret', `Stripe endpoint ${endpoint.id} (${flow.name})`.slice(0, 200), endpoint.secret);
        credential = saved.id;
        const draft = structuredClone(flow.draft);
        const node = draft.nodes.find((n) => n.id === trigger.nodeId)!;
        node.config = { ...node.config, signingSecret: { credential } };
        await m.query(`UPDATE flows SET draft = $2, updated_at = now() WHERE id = $1`, [flowId, JSON.stringify(draft)]);
      }
      await this.audit.record(actor, 'flow.stripe_endpoint', 'flow', flowId, { endpointId: endpoint.id, url, events, created }, m);
      return { endpointId: endpoint.id, url, events: endpoint.enabled_events, created, signingSecret: { credential: credential as string } };
    });
  }

  private urlFor(flowId: string, requested?: string): string {
    const raw = requested?.trim() || (this.config.publicUrl ? `${this.config.publicUrl.replace(/\/+$/, '')}/hooks/stripe/${flowId}` : '');
    if (!raw) throw new BadRequestException({ statusCode: 400, message: 'Set HANDOFF_PUBLIC_URL (the address Stripe can reach) or pass `url`' });
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new BadRequestException({ statusCode: 400, message: '`url` is not a URL' });
    }
    if (!/^https?:$/.test(url.protocol) || !url.pathname.endsWith(`/hooks/stripe/${flowId}`)) {
      throw new BadRequestException({ statusCode: 400, message: `The endpoint URL must be http(s) and end with /hooks/stripe/${flowId}` });
    }
    return url.toString();
  }

  private async find(stripe: Stripe, url: string): Promise<Stripe.WebhookEndpoint | null> {
    for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) if (endpoint.url === url) return endpoint;
    return null;
  }

  /** Stripe's 4xx answers are the user's to fix (a restricted key without the webhook scope...): 400 with Stripe's message. */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (e instanceof Stripe.errors.StripeError && (e.statusCode ?? 500) < 500) throw new BadRequestException({ statusCode: 400, message: `Stripe: ${e.message}` });
      throw e;
    }
  }
}
