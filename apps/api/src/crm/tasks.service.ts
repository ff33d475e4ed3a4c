import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { CrmInputError } from './crm.store';
import { createTask, lockTask, NewTask, TaskPatch, TaskRow, updateTask } from './tasks.store';

export interface TaskFilters {
  assignee?: string;
  status?: string;
  dealId?: string;
  cursor?: string;
  limit?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function taskView(t: TaskRow & { deal_title?: string | null; contact_email?: string | null }, now = new Date()) {
  return {
    id: t.id,
    dealId: t.deal_id,
    deal: t.deal_id ? { id: t.deal_id, title: t.deal_title ?? null, contactEmail: t.contact_email ?? null } : null,
    title: t.title,
    assignee: t.assignee,
    status: t.status,
    dueAt: t.due_at,
    overdue: t.status === 'open' && t.due_at !== null && t.due_at.getTime() < now.getTime(),
    createdBy: { type: t.by_type, id: t.by },
    runId: t.run_id,
    createdAt: t.created_at,
    completedAt: t.completed_at,
    completedBy: t.completed_by,
  };
}

/** Tasks for the team (DESIGN.md "Tasks"): "My tasks", a deal's tasks, done or open. */
@Injectable()
export class TasksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(actor: AuthUser, f: TaskFilters) {
    const limit = Math.min(Math.max(f.limit ?? 100, 1), 200);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    if (f.assignee) where.push(`lower(t.assignee) = lower(${param(f.assignee === 'me' ? actor.email : f.assignee)})`);
    if (f.status) {
      if (f.status !== 'open' && f.status !== 'done') throw new BadRequestException({ statusCode: 400, message: 'status must be open or done' });
      where.push(`t.status = ${param(f.status)}`);
    }
    if (f.dealId) {
      if (!UUID.test(f.dealId)) throw new BadRequestException({ statusCode: 400, message: 'dealId must be a UUID' });
      where.push(`t.deal_id = ${param(f.dealId)}`);
    }
    if (f.cursor) {
      if (!/^\d{1,18}$/.test(f.cursor)) throw new BadRequestException({ statusCode: 400, message: 'Invalid cursor' });
      where.push(`t.seq < ${param(f.cursor)}`);
    }
    // Newest first by creation (seq) for a stable cursor; the web sorts a page by due date.
    const rows: Array<TaskRow & { deal_title: string | null; contact_email: string | null }> = await this.db.query(
      `SELECT t.*, d.title AS deal_title, c.email AS contact_email FROM crm_tasks t
       LEFT JOIN crm_deals d ON d.id = t.deal_id LEFT JOIN crm_contacts c ON c.id = t.contact_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.seq DESC LIMIT ${limit + 1}`,
      params,
    );
    const items = rows.slice(0, limit);
    return { items: items.map((t) => taskView(t)), nextCursor: rows.length > limit ? items[items.length - 1].seq : null };
  }

  async create(actor: AuthUser, input: NewTask) {
    const row = await this.write(async (m) => {
      const task = await createTask(m, input, { type: 'user', id: actor.email });
      await this.audit.record(actor, 'task.create', 'task', task.id, { dealId: task.deal_id, assignee: task.assignee }, m);
      return task;
    });
    return taskView(row);
  }

  /** Editors change any task; anyone may work through the tasks assigned to them. */
  async update(actor: AuthUser, id: string, patch: TaskPatch) {
    const row = await this.write(async (m) => {
      const task = await lockTask(m, id);
      if (!task) throw new NotFoundException({ statusCode: 404, message: `Task ${id} not found` });
      const own = task.assignee.toLowerCase() === actor.email.toLowerCase();
      if (!own && (actor.role === 'viewer' || actor.role === 'reviewer')) throw new ForbiddenException({ statusCode: 403, message: 'Only editors, or the person the task is assigned to, can change it' });
      const updated = await updateTask(m, task, patch, actor.email);
      await this.audit.record(actor, 'task.update', 'task', id, { fields: Object.keys(patch) }, m);
      return updated;
    });
    return taskView(row);
  }

  private async write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(work);
    } catch (e) {
      if (e instanceof CrmInputError) {
        if (e.kind === 'not_found') throw new NotFoundException({ statusCode: 404, message: e.message });
        throw new BadRequestException({ statusCode: 400, message: e.message });
      }
      throw e;
    }
  }
}
