import type { EntityManager } from 'typeorm';
import type { EffectPorts, ReviewInput } from '@handoff/nodes';
import { notifyReview } from '../engine/notify';

interface ReviewOrigin {
  runId: string;
  flowId: string;
  nodeId: string;
}

/** Puts the payment in the review stage and alerts its owner, on the step's transaction. */
export async function createReview(m: EntityManager, origin: ReviewOrigin, input: ReviewInput, outbox: EffectPorts['outbox']): Promise<{ id: string }> {
  const [row] = await m.query(
    `INSERT INTO reviews (run_id, flow_id, node_id, reason, owner, facts, deadline) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [origin.runId, origin.flowId, origin.nodeId, input.reason, input.owner, JSON.stringify(input.facts ?? {}), input.deadline ?? null],
  );
  await notifyReview(m, { reviewId: row.id, runId: origin.runId, status: 'pending' });
  const facts = Object.entries(input.facts ?? {})
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('\n');
  await outbox.enqueue({
    channel: 'email',
    recipient: input.owner,
    subject: `Payment review needed: ${input.reason}`,
    body: `A payment is held for your review.\n\nReason: ${input.reason}\n${facts}\n\nDecide in the Handoff review inbox (review ${row.id}).`,
  });
  return { id: row.id };
}
