import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth.decorators';
import { maskIntakeLinks, seesIntakeLinks } from '../common/mask-intake-links';

/** How many of a flow's newest runs lend step outputs to its sample: enough to cover both sides of a branch. */
export const SAMPLE_RUNS = 20;

export interface FlowSample {
  /** The newest run of the flow (test or real), whose trigger data is `trigger`; null before the first run. */
  run: { id: string; status: string; test: boolean; startedAt: Date | null } | null;
  trigger: unknown;
  /** Per node id: its newest output later steps could read (succeeded, skipped or waiting) among the newest runs, and which run gave it. */
  steps: Record<string, { output: unknown; runId: string }>;
}

/**
 * What the editor's field picker shows as "the data of the last run": read from runs and steps
 * only, so it holds what the run history already shows anyone who may read runs, never a
 * credential (steps hold credential ids, never secrets), with intake links masked likewise.
 */
@Injectable()
export class FlowDataService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async sampleOf(flowId: string, reader: AuthUser): Promise<FlowSample> {
    const [flow] = await this.db.query<Array<{ id: string }>>(`SELECT id FROM flows WHERE id = $1`, [flowId]);
    if (!flow) throw new NotFoundException({ statusCode: 404, message: `Flow ${flowId} not found` });
    const [run] = await this.db.query<Array<{ id: string; status: string; test: boolean; started_at: Date | null; trigger: unknown }>>(
      `SELECT id, status, test, started_at, trigger FROM runs WHERE flow_id = $1 ORDER BY seq DESC LIMIT 1`,
      [flowId],
    );
    // The statuses whose output the engine hands to later steps (run-store `stepOutputs`). Pruned
    // steps (retention) have no output left; a later run's output wins over an older one.
    const steps = await this.db.query<Array<{ node_id: string; run_id: string; output: unknown }>>(
      `WITH recent AS (SELECT id, seq FROM runs WHERE flow_id = $1 ORDER BY seq DESC LIMIT $2)
       SELECT DISTINCT ON (s.node_id) s.node_id, s.run_id, s.output
         FROM steps s JOIN recent r ON r.id = s.run_id
        WHERE s.status IN ('succeeded', 'skipped', 'waiting') AND s.output IS NOT NULL
        ORDER BY s.node_id, r.seq DESC, s.finished_at DESC NULLS LAST`,
      [flowId, SAMPLE_RUNS],
    );
    const sample: FlowSample = {
      run: run ? { id: run.id, status: run.status, test: run.test, startedAt: run.started_at } : null,
      trigger: run?.trigger ?? null,
      steps: Object.fromEntries(steps.map((s) => [s.node_id, { output: s.output, runId: s.run_id }])),
    };
    return seesIntakeLinks(reader.role) ? sample : maskIntakeLinks(sample);
  }
}
