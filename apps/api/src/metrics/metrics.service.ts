import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, register } from 'prom-client';
import { collectProcessMetrics, counter, duplicatesSuppressed, gauge, histogram, WebhookOutcome, webhookRequests } from './metrics';

/** What other modules inject to count things; the registry itself stays in prom-client. */
@Injectable()
export class MetricsService {
  private readonly webhookRequests = webhookRequests();
  private readonly duplicates = duplicatesSuppressed();

  constructor() {
    collectProcessMetrics();
  }

  /** One Stripe webhook request answered with `outcome`; a duplicate also counts as suppressed. */
  webhook(outcome: WebhookOutcome): void {
    this.webhookRequests.inc({ outcome });
    if (outcome === 'duplicate') this.duplicates.inc();
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return counter(name, help, labelNames);
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return gauge(name, help, labelNames);
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = [], buckets?: number[]): Histogram<L> {
    return histogram(name, help, labelNames, buckets);
  }

  /** The Prometheus text exposition of this process. */
  render(): Promise<string> {
    return register.metrics();
  }
}
