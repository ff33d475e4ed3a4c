import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { register } from 'prom-client';
import { DataSource } from 'typeorm';
import { DatabaseGauges } from './database-gauges';
import { collectProcessMetrics, duplicatesSuppressed, ingestBatchSize, paymentToKickoff, stepDuration, StepOutcome, WebhookOutcome, webhookRequests } from './metrics';

/** What other modules inject to count things; the registry itself stays in prom-client. */
@Injectable()
export class MetricsService {
  private readonly webhookRequests = webhookRequests();
  private readonly duplicates = duplicatesSuppressed();
  private readonly steps = stepDuration();
  private readonly kickoff = paymentToKickoff();
  private readonly batches = ingestBatchSize();
  private readonly database: DatabaseGauges;

  constructor(@InjectDataSource() db: DataSource) {
    collectProcessMetrics();
    this.database = new DatabaseGauges(db);
  }

  /** One Stripe webhook request answered with `outcome`; a duplicate also counts as suppressed. */
  webhook(outcome: WebhookOutcome): void {
    this.webhookRequests.inc({ outcome });
    if (outcome === 'duplicate') this.duplicates.inc();
  }

  /** One statement stored `size` webhook deliveries. */
  ingestBatch(size: number): void {
    this.batches.observe(size);
  }

  /** One step attempt finished (committed or rolled back) after `seconds`. */
  step(nodeType: string, outcome: StepOutcome, seconds: number): void {
    this.steps.observe({ node_type: nodeType, outcome }, seconds);
  }

  /** A live run started its onboarding intake `seconds` after its Stripe event arrived. */
  kickoffAfter(seconds: number): void {
    this.kickoff.observe(seconds);
  }

  /** The Prometheus text exposition of this process. */
  async render(): Promise<string> {
    await this.database.refresh();
    return register.metrics();
  }
}
