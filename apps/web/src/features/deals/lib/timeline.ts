import type { CrmActor, TimelineEntry } from '../../../api/types';
import { formatDateTime, formatMoney, shortId } from '../../../lib/format';

/** How an entry reads on the deal page: one title line, an optional detail, who did it and a status pill. */
export interface EntryView {
  title: string;
  detail?: string;
  actor?: CrmActor;
  status?: string;
  /** The run the entry is about, linked to its run page. */
  runId?: string;
}

type LabelOf = (stage: string) => string;

/** "by sam@example.com", "by the client", "by flow Payment to onboarding": the run link is drawn beside it. */
export function actorText(by: CrmActor): string {
  if (by.type === 'client') return 'by the client';
  if (by.type === 'run') return by.flowName ? `by flow ${by.flowName}` : 'by a flow';
  return `by ${by.id}`;
}

/** The whole line as plain text, e.g. for a tooltip: "by flow Payment to onboarding (run 3f2a9c1e…)". */
export function actorLabel(by: CrmActor): string {
  return by.type === 'run' ? `${actorText(by)} (run ${shortId(by.id)})` : actorText(by);
}

const fieldNames: Record<string, string> = {
  recordType: 'record type',
  stripe: 'Stripe invoice',
  fields: 'custom fields',
};

/** "amount", "amount and product", "title, amount and record type". */
export function changedList(changed: readonly string[]): string {
  const names = changed.map((f) => fieldNames[f] ?? humanize(f).toLowerCase());
  if (names.length <= 1) return names[0] ?? 'nothing';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const channels: Record<string, string> = { email: 'E-mail', slack: 'Slack message', sms: 'SMS' };

const intakeTitles: Record<string, string> = {
  submitted: 'The client answered the intake form',
  opened: 'The client opened the intake form',
  sent: 'Intake form sent to the client',
  expired: 'The intake form expired unanswered',
};

export function describeEntry(e: TimelineEntry, labelOf: LabelOf): EntryView {
  switch (e.kind) {
    case 'created':
      return { title: `Created in ${labelOf(e.stage)}`, actor: e.by };
    case 'stage':
      return { title: e.from ? `Moved ${labelOf(e.from)} → ${labelOf(e.to)}` : `Moved to ${labelOf(e.to)}`, actor: e.by };
    case 'updated':
      return { title: `Changed ${changedList(e.changed)}`, actor: e.by };
    case 'run':
      return { title: `Flow ${e.flowName ?? '(deleted)'} ran`, detail: e.trigger ? `on ${e.trigger}` : undefined, status: e.status, runId: e.runId };
    case 'payment':
      return {
        title: e.amount === null ? 'Payment event' : `Payment of ${formatMoney(e.amount, e.currency)}`,
        detail: e.type ?? undefined,
        status: e.status ?? undefined,
        runId: e.runId,
      };
    case 'message':
      return {
        title: `${channels[e.channel] ?? humanize(e.channel)}${e.recipient ? ` to ${e.recipient}` : ''}`,
        detail: e.subject ?? undefined,
        status: e.status,
        runId: e.runId ?? undefined,
      };
    case 'intake':
      return { title: intakeTitles[e.status] ?? `Intake form ${e.status}`, status: e.status };
    case 'task':
      return { title: `Task for ${e.assignee}: ${e.title}`, detail: e.dueAt ? `due ${formatDateTime(e.dueAt)}` : undefined, actor: e.by, status: e.status };
  }
}

/** "primaryContact" → "Primary contact", "kickoff_date" → "Kickoff date". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : key;
}

/**
 * The client's answers as question → answer lines, empty ones left out. With the form's
 * questions: their wording and order. Without (the stored answers lose their order): short
 * answers first, long or multi-line ones (notes) last, each labelled from its key.
 */
export function intakeAnswers(
  answers: Record<string, unknown> | null | undefined,
  fields?: ReadonlyArray<{ name: string; label: string }>,
): Array<{ key: string; label: string; value: string }> {
  if (!answers) return [];
  const lines = Object.entries(answers)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([key, v]) => ({ key, label: fields?.find((f) => f.name === key)?.label ?? humanize(key), value: typeof v === 'string' ? v : JSON.stringify(v) }));
  if (fields?.length) {
    const at = (key: string) => {
      const i = fields.findIndex((f) => f.name === key);
      return i < 0 ? fields.length : i;
    };
    return lines.sort((a, b) => at(a.key) - at(b.key));
  }
  const long = (v: string) => v.includes('\n') || v.length > 80;
  return lines.sort((a, b) => Number(long(a.value)) - Number(long(b.value)));
}

// Several things often happen in one transaction (a move and the run it starts, the client's
// answers and the move to onboarding they make); at the same instant the cause is listed
// below its effects, newest first as everywhere else.
const causalRank: Record<TimelineEntry['kind'], number> = { created: 0, intake: 1, stage: 2, updated: 3, run: 4, payment: 5, task: 6, message: 7 };

/** Newest first; entries of the same instant in causal order (the deal's creation at the bottom). */
export function orderTimeline(entries: readonly TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort((a, b) => {
    const ta = Date.parse(a.at);
    const tb = Date.parse(b.at);
    if (ta !== tb) return tb - ta;
    return causalRank[b.kind] - causalRank[a.kind];
  });
}

/** A run of this deal is still going: the page refreshes until it settles (run progress is not on the CRM stream). */
export function hasActiveRun(timeline: readonly TimelineEntry[] | undefined): boolean {
  return !!timeline?.some((e) => e.kind === 'run' && (e.status === 'queued' || e.status === 'running'));
}
