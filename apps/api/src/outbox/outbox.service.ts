import { ConflictException, Injectable, NotFoundException, BadRequestException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { credentialTypesOfChannel } from '@handoff/nodes';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { addJob } from '../engine/queue';
import { OutboxMessage, OutboxStatus } from './outbox-message.entity';
import { maskIntakeLinks, seesIntakeLinks } from '../common/mask-intake-links';

const statuses: OutboxStatus[] = ['pending', 'sending', 'sent', 'retrying', 'dead', 'held'];

@Injectable()
export class OutboxService {
  constructor(
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Newest first; viewers and reviewers see intake links masked (the link is the key to a client's form). */
  async list(f: { status?: string; runId?: string; cursor?: string }, reader?: AuthUser) {
    if (f.status && !statuses.includes(f.status as OutboxStatus)) throw new BadRequestException({ statusCode: 400, message: `status must be one of ${statuses.join(', ')}` });
    if (f.cursor && !/^\d{1,18}$/.test(f.cursor)) throw new BadRequestException({ statusCode: 400, message: 'Invalid cursor' });
    if (f.runId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(f.runId)) throw new BadRequestException({ statusCode: 400, message: 'runId must be a UUID' });
    const qb = this.messages.createQueryBuilder('o').orderBy('o.seq', 'DESC').limit(101);
    if (f.status) qb.andWhere('o.status = :status', { status: f.status });
    if (f.runId) qb.andWhere('o.run_id = :runId', { runId: f.runId });
    if (f.cursor) qb.andWhere('o.seq < :cursor', { cursor: f.cursor });
    // A message a test run queued says so: the Outbox tags it.
    qb.addSelect('EXISTS (SELECT 1 FROM runs t WHERE t.id = o.run_id AND t.test)', 'test');
    const { entities, raw } = await qb.getRawAndEntities<{ test: boolean }>();
    const rows = entities.map((o, i) => Object.assign(o, { test: raw[i]?.test === true }));
    const items = rows.slice(0, 100);
    return { items: reader && !seesIntakeLinks(reader.role) ? items.map(maskIntakeLinks) : items, nextCursor: rows.length > 100 ? items[items.length - 1].seq : null };
  }

  /**
   * A dead letter goes back to delivery. A held message (queued while its step had no credential)
   * takes the credential its step has in the flow's published version now: set it there,
   * publish, then retry; without one the answer says so instead of failing again.
   */
  async retry(actor: AuthUser, id: string) {
    await this.db.transaction(async (m) => {
      const [msg] = await m.query(`SELECT id, status, channel, credential_id, max_attempts, run_id, node_id FROM outbox_messages WHERE id = $1 FOR UPDATE`, [id]);
      if (!msg) throw new NotFoundException({ statusCode: 404, message: `Outbox message ${id} not found` });
      if (msg.status !== 'dead' && msg.status !== 'held') throw new ConflictException({ statusCode: 409, message: `Only dead or held messages can be retried; this one is ${msg.status}` });
      let credentialId: string | null = msg.credential_id;
      if (!credentialId) {
        credentialId = await this.credentialOfStep(m, msg.run_id, msg.node_id, msg.channel);
        if (!credentialId) {
          throw new ConflictException({
            statusCode: 409,
            message: `This ${msg.channel} message has no credential to be sent with: pick one on its step (${msg.node_id ?? 'unknown'}), publish, then retry`,
          });
        }
      }
      await m.query(`UPDATE outbox_messages SET status = 'pending', attempts = 0, credential_id = $2 WHERE id = $1`, [id, credentialId]);
      await addJob(m, 'deliver_outbox', { messageId: id }, { maxAttempts: msg.max_attempts });
      await this.audit.record(actor, 'outbox.retry', 'outbox_message', id, {}, m);
    });
    return this.messages.findOneByOrFail({ id });
  }

  /** The credential the message's step has in its flow's published version now, if it is of a type the channel uses. */
  private async credentialOfStep(m: EntityManager, runId: string | null, nodeId: string | null, channel: string): Promise<string | null> {
    if (!runId || !nodeId) return null;
    const [row]: Array<{ credential: string | null; type: string | null }> = await m.query(
      `SELECT n -> 'config' -> 'credential' ->> 'credential' AS credential, c.type
       FROM runs r JOIN flows f ON f.id = r.flow_id JOIN flow_versions v ON v.flow_id = f.id AND v.version = f.published_version,
            jsonb_array_elements(v.document -> 'nodes') n
       LEFT JOIN credentials c ON c.id::text = n -> 'config' -> 'credential' ->> 'credential'
       WHERE r.id = $1 AND n ->> 'id' = $2`,
      [runId, nodeId],
    );
    return row?.credential && row.type && credentialTypesOfChannel(channel).includes(row.type) ? row.credential : null;
  }
}
