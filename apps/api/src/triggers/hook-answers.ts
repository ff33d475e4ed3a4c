import type { WebhookOutcome } from '../metrics/metrics';
import type { IngestResult } from '../runs/store/run-start';
import type { HookAck } from './trigger-adapter';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** The 200 answer for a stored delivery. */
export function ackOf(result: IngestResult): HookAck {
  if (!result.inserted) return { received: true, duplicate: true };
  if (result.status === 'ignored') return { received: true, ignored: true };
  if (result.status === 'held') return { received: true, held: true };
  return { received: true, duplicate: false, runId: result.runId as string };
}

export function outcomeOf(ack: HookAck): WebhookOutcome {
  if ('ignored' in ack) return 'ignored';
  if ('held' in ack) return 'held';
  return ack.duplicate ? 'duplicate' : 'accepted';
}
