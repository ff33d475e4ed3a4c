import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export const DEFAULT_RETENTION_DAYS = 30;
const BATCH = 5000;

/**
 * Step inputs and outputs hold customer data; each flow keeps them `settings.retentionDays`
 * (default 30) after a run ends. Run summaries, webhook events and the audit log remain.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async prune(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows: Array<{ id: string }> = await this.db.query(
        `WITH expired AS (
           SELECT s.id FROM steps s
           JOIN runs r ON r.id = s.run_id
           LEFT JOIN flow_versions v ON v.flow_id = r.flow_id AND v.version = r.version
           WHERE r.finished_at IS NOT NULL AND s.pruned_at IS NULL
             AND r.finished_at < now() - make_interval(days => coalesce((coalesce(r.document, v.document) -> 'settings' ->> 'retentionDays')::int, $1))
           LIMIT $2),
         pruned AS (UPDATE steps SET input = NULL, input_from = NULL, output = NULL, pruned_at = now() WHERE id IN (SELECT id FROM expired) RETURNING id)
         SELECT id FROM pruned`,
        [DEFAULT_RETENTION_DAYS, BATCH],
      );
      total += rows.length;
      if (rows.length < BATCH) break;
    }
    if (total) this.logger.log(`pruned the payloads of ${total} steps`);
    return total;
  }
}
