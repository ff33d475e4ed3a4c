import type { EntityManager } from 'typeorm';
import type { ReviewInput } from '@handoff/nodes';
import { notifyReview } from '../engine/notify';

interface ReviewOrigin {
  runId: string;
  flowId: string;
  nodeId: string;
}

/** Puts the payment in the review stage, on the step's transaction (the node queues the owner's alert). */
export async function createReview(m: EntityManager, origin: ReviewOrigin, input: ReviewInput): Promise<{ id: string }> {
  const [row] = await m.query(
    `INSERT INTO reviews (run_id, flow_id, node_id, reason, owner, facts, deadline) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [origin.runId, origin.flowId, origin.nodeId, input.reason, input.owner, JSON.stringify(input.facts ?? {}), input.deadline ?? null],
  );
  await notifyReview(m, { reviewId: row.id, runId: origin.runId, status: 'pending' });
  return { id: row.id };
}
