import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { decideReview } from '../runs/store/run-store';
import { Review, ReviewStatus } from './review.entity';

const statuses: ReviewStatus[] = ['pending', 'approved', 'rejected', 'expired', 'cancelled'];

@Injectable()
export class ReviewsService {
  constructor(
    @InjectRepository(Review) private readonly reviews: Repository<Review>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Newest first; reviews of test runs are left out unless asked for. */
  async list(status?: string, cursor?: string, includeTest = false) {
    if (status && !statuses.includes(status as ReviewStatus)) throw new BadRequestException({ statusCode: 400, message: `status must be one of ${statuses.join(', ')}` });
    const qb = this.reviews.createQueryBuilder('r').orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'DESC').limit(101);
    if (status) qb.andWhere('r.status = :status', { status });
    if (!includeTest) qb.andWhere('NOT EXISTS (SELECT 1 FROM runs t WHERE t.id = r.run_id AND t.test)');
    if (cursor) {
      const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
      const valid = at && id && !Number.isNaN(Date.parse(at)) && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
      if (!valid) throw new BadRequestException({ statusCode: 400, message: 'Invalid cursor' });
      qb.andWhere(`(date_trunc('milliseconds', r.created_at), r.id) < (:at, :id)`, { at, id });
    }
    // A review of a test run says so: the inbox tags it (and hides it unless asked).
    qb.addSelect('EXISTS (SELECT 1 FROM runs t WHERE t.id = r.run_id AND t.test)', 'test');
    const { entities, raw } = await qb.getRawAndEntities<{ test: boolean }>();
    const rows = entities.map((r, i) => ({ ...r, test: raw[i]?.test === true }));
    const page = rows.slice(0, 100);
    const last = rows.length > 100 ? page[page.length - 1] : null;
    // The inbox leads with who paid, how much and in which flow; flows may be deleted since.
    const flowIds = [...new Set(page.map((r) => r.flowId))];
    const names: Array<{ id: string; name: string }> = flowIds.length ? await this.db.query(`SELECT id, name FROM flows WHERE id = ANY($1::uuid[])`, [flowIds]) : [];
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    const items = page.map((r) => ({ ...r, flowName: nameOf.get(r.flowId) ?? null }));
    return { items, nextCursor: last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url') : null };
  }

  async get(id: string) {
    const r = await this.reviews.findOneBy({ id });
    if (!r) throw new NotFoundException({ statusCode: 404, message: `Review ${id} not found` });
    return r;
  }

  /** One decision per review; the waiting run resumes on the approved or rejected port. */
  async decide(actor: AuthUser, id: string, decision: 'approve' | 'reject', note: string | null) {
    await this.db.transaction(async (m) => {
      const outcome = await decideReview(m, id, decision, note, actor.email);
      if (!outcome.ok && outcome.reason === 'not_found') throw new NotFoundException({ statusCode: 404, message: `Review ${id} not found` });
      if (!outcome.ok && outcome.reason === 'decided') throw new ConflictException({ statusCode: 409, message: `This review is already ${outcome.status}` });
      if (!outcome.ok) throw new ConflictException({ statusCode: 409, message: 'The run is no longer waiting for this review' });
      await this.audit.record(actor, 'review.decide', 'review', id, { decision, note, runId: outcome.runId }, m);
    });
    return this.get(id);
  }
}
