import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditEntry } from './audit.entity';

export interface Actor {
  id: string;
  email: string;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  /** Pass the transaction's manager so the audit row commits (or not) with the change it records. */
  async record(actor: Actor | null, action: string, targetType: string | null, targetId: string | null, detail: Record<string, unknown>, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AuditEntry) : this.entries;
    await repo.save(repo.create({ actorId: actor?.id ?? null, actorEmail: actor?.email ?? null, action, targetType, targetId, detail }));
  }

  async list(cursor: string | null, limit = 50) {
    // Digits that fit a bigint: anything else is a client's mistake, not a server error.
    if (cursor && !/^\d{1,18}$/.test(cursor)) throw new BadRequestException({ statusCode: 400, message: 'Invalid cursor' });
    const qb = this.entries.createQueryBuilder('a').orderBy('a.id', 'DESC').limit(limit + 1);
    if (cursor) qb.where('a.id < :cursor', { cursor });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }
}
