import type { IntakeFieldDef } from '../intakes/intake.entity';
import type { EntityManager } from 'typeorm';

/**
 * One deal's history for the deal page (DESIGN.md "GET /api/crm/deals/:id adds timeline"):
 * what happened to it, when, and who or what did it. The queries gather the parts; the
 * pure `buildTimeline` orders and shapes them (spec beside it).
 */

export type Actor = { type: 'user' | 'client'; id: string } | { type: 'run'; id: string; flowName: string | null };

export type TimelineEntry =
  | { at: string; kind: 'created'; stage: string; by: Actor }
  | { at: string; kind: 'stage'; from: string | null; to: string; by: Actor }
  | { at: string; kind: 'updated'; changed: string[]; by: Actor }
  | { at: string; kind: 'run'; runId: string; flowId: string; flowName: string | null; status: string; trigger: string | null }
  | { at: string; kind: 'payment'; runId: string; eventId: string | null; type: string | null; amount: number | null; currency: string | null; status: string | null }
  | { at: string; kind: 'message'; id: string; runId: string | null; channel: string; recipient: string | null; subject: string | null; status: string }
  | { at: string; kind: 'intake'; id: string; status: string; openedAt: string | null; submittedAt: string | null; fields: IntakeFieldDef[]; answers: Record<string, unknown> | null }
  | { at: string; kind: 'task'; id: string; title: string; assignee: string; status: string; dueAt: string | null; by: Actor };

export interface TimelineParts {
  changes: Array<{ kind: string; changed: string[]; by_type: string; by: string; at: Date }>;
  stages: Array<{ from_stage: string | null; to_stage: string; by_type: string; by: string; at: Date }>;
  runs: Array<{ id: string; flow_id: string; flow_name: string | null; status: string; trigger_type: string | null; event_id: string | null; payment: { amount?: number; currency?: string; status?: string } | null; created_at: Date }>;
  messages: Array<{ id: string; run_id: string | null; channel: string; recipient: string | null; subject: string | null; status: string; created_at: Date }>;
  intakes: Array<{ id: string; status: string; fields: IntakeFieldDef[]; answers: Record<string, unknown> | null; created_at: Date; opened_at: Date | null; submitted_at: Date | null }>;
  tasks: Array<{ id: string; title: string; assignee: string; status: string; due_at: Date | null; by_type: string; by: string; created_at: Date }>;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Newest first. Stage moves come from the stage history; other changes from the change log. */
export function buildTimeline(p: TimelineParts): TimelineEntry[] {
  const flowOf = new Map(p.runs.map((r) => [r.id, r.flow_name]));
  const actor = (type: string, id: string): Actor => (type === 'run' ? { type: 'run', id, flowName: flowOf.get(id) ?? null } : { type: type === 'client' ? 'client' : 'user', id });
  const entries: TimelineEntry[] = [];
  for (const s of p.stages) {
    if (s.from_stage === null) entries.push({ at: s.at.toISOString(), kind: 'created', stage: s.to_stage, by: actor(s.by_type, s.by) });
    else entries.push({ at: s.at.toISOString(), kind: 'stage', from: s.from_stage, to: s.to_stage, by: actor(s.by_type, s.by) });
  }
  for (const c of p.changes) {
    const changed = c.changed.filter((f) => f !== 'stage');
    if (c.kind === 'deal.updated' && changed.length) entries.push({ at: c.at.toISOString(), kind: 'updated', changed, by: actor(c.by_type, c.by) });
  }
  for (const r of p.runs) {
    entries.push({ at: r.created_at.toISOString(), kind: 'run', runId: r.id, flowId: r.flow_id, flowName: r.flow_name, status: r.status, trigger: r.trigger_type });
    if (r.payment) {
      entries.push({ at: r.created_at.toISOString(), kind: 'payment', runId: r.id, eventId: r.event_id, type: r.trigger_type, amount: r.payment.amount ?? null, currency: r.payment.currency ?? null, status: r.payment.status ?? null });
    }
  }
  for (const m of p.messages) entries.push({ at: m.created_at.toISOString(), kind: 'message', id: m.id, runId: m.run_id, channel: m.channel, recipient: m.recipient, subject: m.subject, status: m.status });
  for (const i of p.intakes) entries.push({ at: (i.submitted_at ?? i.created_at).toISOString(), kind: 'intake', id: i.id, status: i.status, openedAt: iso(i.opened_at), submittedAt: iso(i.submitted_at), fields: i.fields, answers: i.answers });
  for (const t of p.tasks) entries.push({ at: t.created_at.toISOString(), kind: 'task', id: t.id, title: t.title, assignee: t.assignee, status: t.status, dueAt: iso(t.due_at), by: actor(t.by_type, t.by) });
  return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

export async function timelineParts(m: Pick<EntityManager, 'query'>, dealId: string): Promise<TimelineParts> {
  const [changes, stages, runs, intakes, tasks] = await Promise.all([
    m.query(`SELECT kind, changed, by_type, by, at FROM crm_deal_changes WHERE deal_id = $1 ORDER BY seq`, [dealId]),
    m.query(`SELECT from_stage, to_stage, by_type, by, at FROM deal_stage_history WHERE deal_id = $1 ORDER BY id`, [dealId]),
    // Runs that changed the deal, that it started, that made its intake or tasks, or that made it.
    m.query(
      `WITH ids AS (
         SELECT run_id AS id FROM crm_deal_changes WHERE deal_id = $1 AND run_id IS NOT NULL
         UNION SELECT run_id FROM trigger_events WHERE source = 'crm.trigger' AND trigger_key LIKE $1 || ':%' AND run_id IS NOT NULL
         UNION SELECT run_id FROM crm_deals WHERE id = $1 AND run_id IS NOT NULL
         UNION SELECT run_id FROM intakes WHERE deal_id = $1 AND run_id IS NOT NULL
         UNION SELECT run_id FROM crm_tasks WHERE deal_id = $1 AND run_id IS NOT NULL)
       SELECT r.id, r.flow_id, f.name AS flow_name, r.status, r.trigger_type, r.event_id, r.created_at,
              CASE WHEN jsonb_typeof(r.trigger -> 'payment') = 'object' THEN r.trigger -> 'payment' END AS payment
       FROM runs r JOIN ids ON ids.id = r.id LEFT JOIN flows f ON f.id = r.flow_id
       ORDER BY r.seq DESC LIMIT 200`,
      [dealId],
    ),
    m.query(`SELECT id, status, fields, answers, created_at, opened_at, submitted_at FROM intakes WHERE deal_id = $1 ORDER BY created_at`, [dealId]),
    m.query(`SELECT id, title, assignee, status, due_at, by_type, by, created_at FROM crm_tasks WHERE deal_id = $1 ORDER BY seq`, [dealId]),
  ]);
  const runIds = (runs as Array<{ id: string }>).map((r) => r.id);
  const messages = runIds.length
    ? await m.query(`SELECT id, run_id, channel, recipient, subject, status, created_at FROM outbox_messages WHERE run_id = ANY($1) ORDER BY seq DESC LIMIT 200`, [runIds])
    : [];
  return { changes, stages, runs, messages, intakes, tasks };
}
