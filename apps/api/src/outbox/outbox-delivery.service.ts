import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { credentialTypesOfChannel } from '@handoff/nodes';
import { CredentialsService } from '../credentials/credentials.service';
import type { CredentialType } from '../credentials/credential-types';
import { isRefusal } from '../outbound/outbound';
import { redact, secretStrings } from '../credentials/redact';
import { connectorFor } from './connectors';
import { OutboxMessage } from './outbox-message.entity';

class WrongCredential extends Error {}

/** Delivers outbox messages; each attempt is recorded on the message, dead letters stay retryable. */
@Injectable()
export class OutboxDelivery {
  private readonly logger = new Logger('Outbox');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly credentials: CredentialsService,
  ) {}

  /** Only a credential of a type the channel's connector uses is opened: a Slack message is never handed a Stripe secret. */
  private async revealFor(channel: string, credentialId: string): Promise<unknown> {
    const [row]: Array<{ type: string }> = await this.db.query(`SELECT type FROM credentials WHERE id = $1`, [credentialId]);
    if (!row) throw new Error(`Credential ${credentialId} no longer exists`);
    const allowed = credentialTypesOfChannel(channel);
    if (!allowed.includes(row.type)) throw new WrongCredential(`Credential ${credentialId} is a ${row.type}; ${channel} messages need ${allowed.join(' or ')}`);
    return this.credentials.reveal(credentialId, row.type as CredentialType);
  }

  async deliver(messageId: string, job: { attempts: number; maxAttempts: number }): Promise<void> {
    const message = await this.db.getRepository(OutboxMessage).findOneBy({ id: messageId });
    if (!message || message.status === 'sent' || message.status === 'held') return;
    const connector = connectorFor(message.channel);
    let error: string | null = null;
    let refused = false;
    let secret: unknown = null;
    try {
      if (!connector) throw new Error(`No connector for channel ${message.channel}`);
      secret = message.credentialId ? await this.revealFor(message.channel, message.credentialId) : null;
      await connector(message, secret);
    } catch (e) {
      // A service may echo the token it was sent: whatever it said is scrubbed of the secret before anyone reads it.
      error = redact((e as Error).message, secretStrings(secret)).slice(0, 1000);
      // A refused address or a credential of the wrong type will not change by retrying.
      refused = isRefusal(e) || e instanceof WrongCredential;
    }
    const final = error !== null && (refused || job.attempts >= job.maxAttempts);
    const status = error === null ? 'sent' : final ? 'dead' : 'retrying';
    await this.db.query(
      `UPDATE outbox_messages SET status = $2, attempts = attempts + 1, last_error = $3,
         sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END,
         history = history || jsonb_build_array(jsonb_build_object('at', now(), 'ok', $3::text IS NULL, 'error', $3::text))
       WHERE id = $1`,
      [messageId, status, error],
    );
    const ids = { messageId, runId: message.runId, nodeId: message.nodeId, channel: message.channel, attempt: job.attempts };
    if (error === null) {
      this.logger.log(ids, 'outbox message delivered');
      return;
    }
    this.logger.warn({ ...ids, final }, `delivery failed: ${error}`);
    if (!final) throw new Error(error);
  }
}
