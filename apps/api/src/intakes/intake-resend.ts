import type { IntakeStatus } from './intake.entity';

export interface LatestMessage {
  status: string;
  credential_id: string | null;
  node_id: string | null;
}

/**
 * Why the intake's message cannot be sent again, or null when it can. Only an open form is worth
 * a reminder, and only a message that has finished its delivery (sent, or dead after its
 * retries) and has a credential to go out with: a held one waits in the outbox for a credential
 * (retry it there), and one still being delivered would reach the client twice.
 */
export function resendBlocker(status: IntakeStatus, latest: LatestMessage | null): string | null {
  if (status === 'submitted') return 'The client has already sent the form; there is nothing to resend';
  if (status === 'expired') return 'The link has expired; a new intake needs a new run';
  if (!latest) return 'No message was sent for this intake';
  if (!latest.credential_id) {
    return `The link was never sent: its step (${latest.node_id ?? 'unknown'}) has no e-mail credential. Set one, publish, then retry the held message in the Outbox`;
  }
  if (latest.status !== 'sent' && latest.status !== 'dead') return `The last message is still ${latest.status}; wait for its delivery to finish`;
  return null;
}
