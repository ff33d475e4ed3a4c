import type { EntityManager } from 'typeorm';
import { notifyCrm } from './crm-notify';
import { CrmInputError } from './crm.store';

export interface TaskRow {
  id: string;
  seq: string;
  deal_id: string | null;
  contact_id: string | null;
  title: string;
  assignee: string;
  status: 'open' | 'done';
  due_at: Date | null;
  by_type: 'run' | 'user';
  by: string;
  run_id: string | null;
  created_at: Date;
  completed_at: Date | null;
  completed_by: string | null;
}

export interface NewTask {
  dealId?: string | null;
  title: string;
  assignee: string;
  dueAt?: string | null;
}

export interface TaskPatch {
  status?: 'open' | 'done';
  title?: string;
  assignee?: string;
  dueAt?: string | null;
}

const COLUMNS = 'id, seq, deal_id, contact_id, title, assignee, status, due_at, by_type, by, run_id, created_at, completed_at, completed_by';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A task, on the caller's transaction (a person's request, or a run's step with its other effects). */
export async function createTask(m: EntityManager, input: NewTask, by: { type: 'run' | 'user'; id: string }, step?: { runId: string; nodeId: string }): Promise<TaskRow> {
  let contactId: string | null = null;
  if (input.dealId) {
    const [deal] = UUID.test(input.dealId) ? await m.query(`SELECT contact_id FROM crm_deals WHERE id = $1`, [input.dealId]) : [];
    if (!deal) throw new CrmInputError(`Deal ${input.dealId} not found`, 'not_found');
    contactId = deal.contact_id;
  }
  const [row]: TaskRow[] = await m.query(
    `INSERT INTO crm_tasks (deal_id, contact_id, title, assignee, due_at, by_type, by, run_id, node_id) VALUES ($1, $2, $3, lower($4), $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [input.dealId ?? null, contactId, input.title, input.assignee, input.dueAt ?? null, by.type, by.id, step?.runId ?? null, step?.nodeId ?? null],
  );
  await notifyCrm(m, { kind: 'task', taskId: row.id, dealId: row.deal_id });
  return row;
}

export async function lockTask(m: EntityManager, id: string): Promise<TaskRow | null> {
  if (!UUID.test(id)) return null;
  const [row]: TaskRow[] = await m.query(`SELECT ${COLUMNS} FROM crm_tasks WHERE id = $1 FOR UPDATE`, [id]);
  return row ?? null;
}

/** Changes a locked task: the fields given, and who completed it when it becomes done. */
export async function updateTask(m: EntityManager, current: TaskRow, patch: TaskPatch, actorEmail: string): Promise<TaskRow> {
  const next = { title: current.title, assignee: current.assignee, dueAt: current.due_at?.toISOString() ?? null, status: current.status, ...patch };
  const [row]: TaskRow[] = await m.query(
    `WITH u AS (
       UPDATE crm_tasks SET title = $2, assignee = lower($3), due_at = $4, status = $5,
         completed_at = CASE WHEN $5 = 'done' THEN coalesce(completed_at, now()) END,
         completed_by = CASE WHEN $5 = 'done' THEN coalesce(completed_by, $6) END
       WHERE id = $1 RETURNING ${COLUMNS})
     SELECT * FROM u`,
    [current.id, next.title, next.assignee, next.dueAt, next.status, actorEmail],
  );
  await notifyCrm(m, { kind: 'task', taskId: row.id, dealId: row.deal_id });
  return row;
}
