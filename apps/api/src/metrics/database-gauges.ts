import type { DataSource } from 'typeorm';
import { gauge } from './metrics';

/**
 * Gauges read from the database at scrape time: they describe the shared state every
 * process sees, so each process reports the same value. Aggregate them with max(), not sum().
 */
const RUN_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'] as const;
const OUTBOX_BACKLOG = ['pending', 'sending', 'retrying', 'held', 'dead'] as const;

// Scrapes from several Prometheus replicas (or a refreshing dashboard) within this window share one query.
const FRESH_MS = 5_000;

interface Row {
  kind: 'runs' | 'reviews' | 'outbox';
  status: string;
  n: number;
}

export class DatabaseGauges {
  private readonly runs = gauge('handoff_runs', 'Runs by status (database-wide: aggregate with max)', ['status']);
  private readonly reviews = gauge('handoff_reviews_pending', 'Review steps waiting for a decision (database-wide: aggregate with max)');
  private readonly outbox = gauge('handoff_outbox_backlog', 'Outbox messages not yet delivered, by status (database-wide: aggregate with max)', ['status']);
  private readonly up = gauge('handoff_metrics_database_up', '1 when the last scrape could read the database gauges, 0 when it could not');
  private refreshed = 0;
  private pending: Promise<void> | null = null;

  constructor(private readonly db: DataSource) {}

  /** Reads the counts unless a recent scrape already did; a failed read zeroes `up` and leaves the others absent, never stale. */
  refresh(): Promise<void> {
    if (Date.now() - this.refreshed < FRESH_MS) return Promise.resolve();
    this.pending ??= this.read().finally(() => (this.pending = null));
    return this.pending;
  }

  private async read(): Promise<void> {
    try {
      const rows: Row[] = await this.db.query(
        `SELECT 'runs' AS kind, status, count(*)::int AS n FROM runs GROUP BY status
         UNION ALL SELECT 'reviews', 'pending', count(*)::int FROM reviews WHERE status = 'pending'
         UNION ALL SELECT 'outbox', status, count(*)::int FROM outbox_messages WHERE status <> 'sent' GROUP BY status`,
      );
      this.set(rows);
      this.up.set(1);
      this.refreshed = Date.now();
    } catch {
      this.runs.reset();
      this.reviews.reset();
      this.outbox.reset();
      this.up.set(0);
    }
  }

  private set(rows: Row[]): void {
    const count = (kind: Row['kind'], status: string) => rows.find((r) => r.kind === kind && r.status === status)?.n ?? 0;
    // Every status is exported, at 0 when there is none, so alerts see a value rather than nothing.
    for (const status of RUN_STATUSES) this.runs.set({ status }, count('runs', status));
    for (const status of OUTBOX_BACKLOG) this.outbox.set({ status }, count('outbox', status));
    this.reviews.set(count('reviews', 'pending'));
  }
}
