import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { addJob, removeJob, timerKey } from '../engine/queue';
import { notifyRun } from '../engine/notify';
import { Review, ReviewStatus } from './review.entity';

const statuses: ReviewStatus[] = ['pending', 'approved', 'rejected', 'expired', 'cancelled'];

@Injectable()
export class ReviewsService {
  constructor(
    @InjectRepository(Review) private readonly reviews: Repository<Review>,
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(status?: string, cursor?: string) {
    if (status && !statuses.includes(status as ReviewStatus)) throw new BadRequestException({ statusCode: 400, message: `status must be one of ${statuses.join(', ')}` });
    const qb = this.reviews.createQueryBuilder('r').orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'DESC').limit(101);
    if (status) qb.andWhere('r.status = :status', { status });
    if (cursor) {
      const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
      if (!at || !id) throw new BadRequestException({ statusCode: 400, message: 'Invalid cursor' });
      qb.andWhere(`(date_trunc('milliseconds', r.created_at), r.id) < (:at, :id)`, { at, id });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, 100);
    const last = rows.length > 100 ? items[items.length - 1] : null;
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
      const [review] = await m.query(`SELECT id, run_id, flow_id, node_id, status FROM reviews WHERE id = $1 FOR UPDATE`, [id]);
      if (!review) throw new NotFoundException({ statusCode: 404, message: `Review ${id} not found` });
      if (review.status !== 'pending') throw new ConflictException({ statusCode: 409, message: `This review is already ${review.status}` });
      const [step] = await m.query(`SELECT id, status FROM steps WHERE run_id = $1 AND node_id = $2 FOR UPDATE`, [review.run_id, review.node_id]);
      if (!step || step.status !== 'waiting') throw new ConflictException({ statusCode: 409, message: 'The run is no longer waiting for this review' });
      await m.query(`UPDATE reviews SET status = $2, decision = $3, note = $4, decided_by = $5, decided_at = now() WHERE id = $1`, [
        id,
        decision === 'approve' ? 'approved' : 'rejected',
        decision,
        note,
        actor.email,
      ]);
      await removeJob(m, timerKey(step.id));
      await addJob(m, 'run_step', { runId: review.run_id, nodeId: review.node_id, resume: 'review', resumeRef: id }, { maxAttempts: 3 });
      await notifyRun(m, { runId: review.run_id, flowId: review.flow_id, nodeId: review.node_id, stepStatus: 'waiting' });
      await this.audit.record(actor, 'review.decide', 'review', id, { decision, note, runId: review.run_id }, m);
    });
    return this.get(id);
  }
}
