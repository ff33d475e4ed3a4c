import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FlowDocument, validateFlow } from '@handoff/nodes';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { TriggersService } from '../triggers/triggers.service';
import { FlowsService } from './flows.service';

/**
 * "Test with sample event": runs the saved draft (not the published version) as a test run
 * that keeps its own copy of the document and its own idempotency key space. The trigger's
 * adapter turns the body (a Stripe event, or a payload) into the run's `trigger`.
 */
@Injectable()
export class TestRunsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly triggers: TriggersService,
    private readonly flows: FlowsService,
  ) {}

  async start(actor: AuthUser, flowId: string, body: { event?: unknown; payload?: unknown }): Promise<{ runId: string }> {
    const [flow] = await this.db.query(`SELECT id, draft FROM flows WHERE id = $1`, [flowId]);
    if (!flow) throw new NotFoundException({ statusCode: 404, message: `Flow ${flowId} not found` });
    const doc = flow.draft as FlowDocument;
    const problems = [...validateFlow(doc).problems, ...(await this.flows.storedProblems(doc))];
    if (problems.length) {
      throw new BadRequestException({ statusCode: 400, message: `Fix the flow before testing it: ${problems.slice(0, 3).map((p) => p.message).join('; ')}`, problems });
    }
    return this.db.transaction(async (m) => {
      const runId = await this.triggers.startTestRun(m, flowId, doc, body);
      await this.audit.record(actor, 'flow.test_run', 'flow', flowId, { runId }, m);
      return { runId };
    });
  }
}
