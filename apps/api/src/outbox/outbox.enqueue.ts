import type { EntityManager } from 'typeorm';
import type { OutboxMessage } from '@handoff/nodes';
import { addJob } from '../engine/queue';

/** Attempts of a delivery job unless the message asks otherwise; graphile-worker backs off exponentially between them. */
export const DEFAULT_DELIVERY_ATTEMPTS = 8;

export interface OutboxOrigin {
  runId: string | null;
  nodeId: string | null;
}

/**
 * Writes the message and its delivery job on the caller's transaction. A message with no
 * connector configured (no credential) is kept as `held`: readable in the outbox, never lost.
 */
export async function enqueueOutbox(m: EntityManager, origin: OutboxOrigin, message: OutboxMessage): Promise<{ id: string }> {
  // Every outbox channel is a provider reached with a credential (providers in libs/nodes).
  const held = !message.credential;
  const maxAttempts = Math.max(1, Math.min(25, Math.floor(message.maxAttempts ?? DEFAULT_DELIVERY_ATTEMPTS)));
  const [row] = await m.query(
    `INSERT INTO outbox_messages (run_id, node_id, channel, credential_id, recipient, subject, body, payload, status, max_attempts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [origin.runId, origin.nodeId, message.channel, message.credential ?? null, message.recipient ?? null, message.subject ?? null, message.body, JSON.stringify(message.payload ?? {}), held ? 'held' : 'pending', maxAttempts],
  );
  if (!held) await addJob(m, 'deliver_outbox', { messageId: row.id }, { maxAttempts });
  return { id: row.id };
}
