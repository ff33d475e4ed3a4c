import { BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import type { FlowDocument, StripeEventLike } from '@handoff/nodes';
import { CredentialsService } from '../credentials/credentials.service';
import { counter } from '../metrics/metrics';
import { StripeTrigger } from '../triggers/stripe.trigger';
import { stripeFor } from './stripe-client';
import { eventTypesOf, stripeTriggerOf } from './stripe-events';

/** Stripe retries a delivery for up to three days; looking back as far finds whatever it gave up on. */
const WINDOW_SECONDS = 3 * 24 * 3600;
/** Events read per flow and check, newest first: a bound on one check's work. */
const MAX_EVENTS = 2_000;
/** Stripe's events list accepts at most this many types at once. */
const MAX_TYPES = 20;

export interface ReconcileResult {
  flowId: string;
  /** Events of the flow's types Stripe has in the window. */
  checked: number;
  /** Of those, the ones this flow never received, now ingested (run, held or ignored as any delivery). */
  ingested: number;
  eventIds: string[];
}

const reconciled = () => counter('handoff_stripe_reconciled_events_total', 'Stripe events found by reconciliation, by outcome (ingested: never delivered; already: received before)', ['outcome']);

/**
 * Reconciliation for flows whose Stripe trigger has an API key: lists the recent events of
 * the types the flow needs and ingests those it never received, through the same statement
 * and dedupe as a delivery, so an endpoint that was down for longer than Stripe retries loses
 * nothing. Runs every 10 minutes (worker cron) and from the editor's "Check Stripe" button.
 */
@Injectable()
export class StripeReconcileService {
  private readonly logger = new Logger('StripeReconcile');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly credentials: CredentialsService,
    private readonly trigger: StripeTrigger,
  ) {}

  /** Every published flow with a Stripe API key on its trigger; one flow's failure does not stop the others. */
  async reconcileAll(): Promise<ReconcileResult[]> {
    const rows: Array<{ flow_id: string }> = await this.db.query(
      `SELECT flow_id FROM flow_triggers WHERE type = 'stripe.trigger' AND config -> 'apiKey' ->> 'credential' IS NOT NULL ORDER BY flow_id`,
    );
    const results: ReconcileResult[] = [];
    for (const { flow_id } of rows) {
      try {
        results.push(await this.reconcile(flow_id));
      } catch (e) {
        this.logger.warn({ flowId: flow_id, err: (e as Error).message }, 'Stripe reconciliation failed for a flow');
      }
    }
    return results;
  }

  async reconcile(flowId: string): Promise<ReconcileResult> {
    const [flow]: Array<{ document: FlowDocument | null }> = await this.db.query(
      `SELECT v.document FROM flows f LEFT JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.published_version WHERE f.id = $1`,
      [flowId],
    );
    if (!flow) throw new NotFoundException({ statusCode: 404, message: `Flow ${flowId} not found` });
    const trigger = flow.document && stripeTriggerOf(flow.document);
    if (!flow.document || !trigger) throw new BadRequestException({ statusCode: 400, message: 'Publish the flow with a Stripe trigger first' });
    if (!trigger.apiKey) throw new BadRequestException({ statusCode: 400, message: 'The published Stripe trigger has no API key to read Stripe’s events with' });
    const stripe = await stripeFor(this.credentials, trigger.apiKey).catch((e: Error) => {
      throw new BadRequestException({ statusCode: 400, message: e.message });
    });
    const types = eventTypesOf(flow.document);
    const result: ReconcileResult = { flowId, checked: 0, ingested: 0, eventIds: [] };
    const since = Math.floor(Date.now() / 1000) - WINDOW_SECONDS;
    // Oldest first within what we read, so runs start in the order Stripe made the events.
    const found: Stripe.Event[] = [];
    for (let i = 0; i < types.length; i += MAX_TYPES) {
      const chunk = types.slice(i, i + MAX_TYPES);
      const params: Stripe.EventListParams = { limit: 100, created: { gte: since }, ...(chunk[0] === '*' ? {} : { types: chunk }) };
      try {
        for await (const event of stripe.events.list(params)) {
          found.push(event);
          if (found.length >= MAX_EVENTS) break;
        }
      } catch (e) {
        if (e instanceof Stripe.errors.StripeError && (e.statusCode ?? 500) < 500) throw new BadRequestException({ statusCode: 400, message: `Stripe: ${e.message}` });
        throw e;
      }
    }
    found.sort((a, b) => a.created - b.created);
    for (const event of found) {
      result.checked++;
      const ack = await this.trigger.ingestFetched(flowId, event as unknown as StripeEventLike);
      const isNew = !('duplicate' in ack && ack.duplicate);
      reconciled().inc({ outcome: isNew ? 'ingested' : 'already' });
      if (isNew) {
        result.ingested++;
        result.eventIds.push(event.id);
      }
    }
    if (result.ingested) this.logger.warn({ flowId, ingested: result.ingested, eventIds: result.eventIds.slice(0, 20) }, 'Stripe events that never arrived were ingested');
    return result;
  }
}
