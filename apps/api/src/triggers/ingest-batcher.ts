import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AfterCommitNotify } from '../database/after-commit-notify';
import { MetricsService } from '../metrics/metrics.service';
import { IngestItem, IngestResult, IngestRow, ingestBatchStatement, ingestResult, notifyIngested } from '../runs/store/run-start';

/** Statements in flight at once; a delivery that finds them all busy waits and goes with the next. */
const MAX_IN_FLIGHT = 3;
/** Deliveries per statement. */
const MAX_BATCH = 16;

interface Waiting {
  item: IngestItem;
  /** (flow, dedupe key): two deliveries of one event never share a statement or run side by side. */
  key: string;
  resolve: (result: IngestResult | null) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for webhook deliveries. Each delivery's statement is the same as alone
 * (run-start.ts), but deliveries that arrive while earlier ones are being stored go to
 * Postgres together: one statement, one round trip and one commit for up to 16 of them. A
 * delivery is still answered only after its own rows have committed. At a low rate nothing
 * waits (a statement slot is free); under load the round trips and commits per delivery
 * fall, which on this kind of machine is most of what a delivery costs (docs/performance.md).
 *
 * - Deliveries with the same (flow, key) never go in one statement, nor in two statements at
 *   once: the second waits for the first's commit and then counts as its duplicate, as when
 *   they arrive one after the other. (Two in one statement could not both ON CONFLICT the same row.)
 * - A statement that fails is retried one delivery per statement, so one delivery's problem
 *   is answered to that delivery only, and the others are stored.
 */
@Injectable()
export class IngestBatcher {
  private readonly waiting: Waiting[] = [];
  private readonly busy = new Set<string>();
  private inFlight = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly afterCommit: AfterCommitNotify,
    private readonly metrics: MetricsService,
  ) {}

  /** Stores one delivery (see `ingest` in run-start.ts); null when its flow is gone or its guard no longer holds. */
  ingest(item: IngestItem): Promise<IngestResult | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, key: `${item.event.flowId}\u0000${item.event.key}`, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
      const batch = this.take();
      if (batch.length === 0) return;
      this.inFlight++;
      for (const w of batch) this.busy.add(w.key);
      void this.send(batch).finally(() => {
        this.inFlight--;
        for (const w of batch) this.busy.delete(w.key);
        this.pump();
      });
    }
  }

  /** The oldest waiting deliveries whose keys are not in flight, at most one per key. */
  private take(): Waiting[] {
    const batch: Waiting[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < this.waiting.length && batch.length < MAX_BATCH; ) {
      const w = this.waiting[i];
      if (this.busy.has(w.key) || keys.has(w.key)) {
        i++;
        continue;
      }
      keys.add(w.key);
      batch.push(w);
      this.waiting.splice(i, 1);
    }
    return batch;
  }

  private async send(batch: Waiting[]): Promise<void> {
    let rows: Array<IngestRow & { i: number }>;
    try {
      const { sql, params } = ingestBatchStatement(batch.map((w) => w.item));
      rows = await this.db.query(sql, params);
      this.metrics.ingestBatch(batch.length);
    } catch (e) {
      if (batch.length === 1) return batch[0].reject(e);
      for (const w of batch) await this.send([w]);
      return;
    }
    const byIndex = new Map(rows.map((row) => [Number(row.i), row]));
    batch.forEach((w, i) => {
      const row = byIndex.get(i);
      if (row) notifyIngested(row, w.item.run, this.afterCommit);
      w.resolve(row ? ingestResult(row, w.item.run) : null);
    });
  }
}
