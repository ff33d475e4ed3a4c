import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CredentialsService } from '../credentials/credentials.service';
import { connectorFor } from './connectors';
import { OutboxMessage } from './outbox-message.entity';

/** Delivers outbox messages; each attempt is recorded on the message, dead letters stay retryable. */
@Injectable()
export class OutboxDelivery {
  private readonly logger = new Logger('Outbox');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly credentials: CredentialsService,
  ) {}

  async deliver(messageId: string, job: { attempts: number; maxAttempts: number }): Promise<void> {
    const message = await this.db.getRepository(OutboxMessage).findOneBy({ id: messageId });
    if (!message || message.status === 'sent' || message.status === 'held') return;
    const connector = connectorFor(message.channel);
    let error: string | null = null;
    try {
      if (!connector) throw new Error(`No connector for channel ${message.channel}`);
      const secret = message.credentialId ? await this.credentials.reveal(message.credentialId) : null;
      if (message.credentialId && secret === null) throw new Error(`Credential ${message.credentialId} no longer exists`);
      await connector(message, secret);
    } catch (e) {
      error = (e as Error).message.slice(0, 1000);
    }
    const final = error !== null && job.attempts >= job.maxAttempts;
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
