import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isTruthy } from '@handoff/nodes';
import { EventWait, stepOutputs, triggerEvent, waitsFor, wakeWithEvent } from '../runs/store/run-store';
import type { JobPayloads } from './queue';
import { ExpressionSandbox } from './sandbox/expression-sandbox';

/**
 * The `match_event` job: wakes the `wait.event` steps of a flow that a received Stripe event
 * satisfies. Runs in the worker, so JSONata never slows the webhook's answer. Each wake locks
 * the step and claims its wait row (run-store), so a retry of this job, a second event or the
 * timeout firing at the same moment cannot wake a step twice.
 */
@Injectable()
export class EventMatcher {
  private readonly logger = new Logger('EventMatcher');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sandbox: ExpressionSandbox,
  ) {}

  /** Returns how many waiting steps the event woke. */
  async match(job: JobPayloads['match_event']): Promise<number> {
    const event = await triggerEvent(this.db, job.eventRowId, job.flowId);
    if (!event) return 0;
    let woke = 0;
    for (const wait of await waitsFor(this.db, job.flowId, event.type)) {
      if (!(await this.matches(wait, event.payload))) continue;
      if (await this.db.transaction((m) => wakeWithEvent(m, wait, event.payload))) woke++;
    }
    return woke;
  }

  private async matches(wait: EventWait, event: Record<string, unknown>): Promise<boolean> {
    if (!wait.match?.trim()) return true;
    const steps = await stepOutputs(this.db, wait.run_id);
    try {
      return isTruthy(await this.sandbox.evaluate(wait.match, { event, trigger: wait.trigger, steps }));
    } catch (err) {
      // A broken match expression is the flow author's problem: that wait just does not match.
      this.logger.warn({ runId: wait.run_id, nodeId: wait.node_id, err: (err as Error).message }, 'wait.event match failed');
      return false;
    }
  }
}
