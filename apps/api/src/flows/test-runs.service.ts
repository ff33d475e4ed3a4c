import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FlowDocument, isStripeEventLike, normalizePayment, stripeTriggerOutput, triggerNode, validateFlow } from '@handoff/nodes';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { startRun } from '../engine/run-starter';

/**
 * "Test with sample event": runs the saved draft (not the published version) as a test run
 * that keeps its own copy of the document and its own idempotency key space.
 */
@Injectable()
export class TestRunsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async start(actor: AuthUser, flowId: string, body: { event?: unknown; payload?: unknown }): Promise<{ runId: string }> {
    const [flow] = await this.db.query(`SELECT id, draft FROM flows WHERE id = $1`, [flowId]);
    if (!flow) throw new NotFoundException({ statusCode: 404, message: `Flow ${flowId} not found` });
    const doc = flow.draft as FlowDocument;
    const { problems } = validateFlow(doc);
    if (problems.length) {
      throw new BadRequestException({ statusCode: 400, message: `Fix the flow before testing it: ${problems.slice(0, 3).map((p) => p.message).join('; ')}`, problems });
    }
    const trigger = triggerNode(doc)!;
    let payload: Record<string, unknown>;
    let meta: { triggerType: string | null; eventId: string | null; customerId: string | null; email: string | null };
    if (trigger.type === 'stripe.trigger') {
      if (!isStripeEventLike(body.event)) throw new BadRequestException({ statusCode: 400, message: 'A Stripe test run needs `event`: a Stripe event object with id, type and data.object' });
      const payment = normalizePayment(body.event);
      payload = stripeTriggerOutput(body.event);
      meta = { triggerType: body.event.type, eventId: body.event.id, customerId: payment.customerId, email: payment.email };
    } else {
      const sample = body.payload ?? (trigger.config as { sample?: unknown }).sample ?? {};
      if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) throw new BadRequestException({ statusCode: 400, message: '`payload` must be a JSON object' });
      payload = sample as Record<string, unknown>;
      meta = { triggerType: trigger.type, eventId: null, customerId: null, email: null };
    }
    return this.db.transaction(async (m) => {
      const runId = await startRun(m, { flowId, version: 0, document: doc, trigger: payload, test: true, ...meta });
      await this.audit.record(actor, 'flow.test_run', 'flow', flowId, { runId }, m);
      return { runId };
    });
  }
}
