import type { Deal } from '../../../api/types';

/**
 * The board as each team works it. A view is one or more deal queries (their results are
 * merged): finance wants the deals in payment review *and* any deal whose invoice is open or
 * failed, wherever it stands, which the API's AND-ed filters answer in two requests.
 */
export type TeamView = 'all' | 'sales' | 'finance' | 'delivery';

export interface TeamViewDef {
  key: TeamView;
  label: string;
  hint: string;
  /** Columns shown even when empty; other stages appear only when they hold a deal of the view. */
  stages: string[] | null;
  queries: Array<{ stage?: string; paymentStatus?: string }>;
}

export const teamViews: readonly TeamViewDef[] = [
  { key: 'all', label: 'All deals', hint: 'Every stage of the pipeline', stages: null, queries: [{}] },
  { key: 'sales', label: 'Sales', hint: 'Leads, proposals and won deals', stages: ['lead', 'proposal', 'paid_won'], queries: [{ stage: 'lead,proposal,paid_won' }] },
  {
    key: 'finance',
    label: 'Finance',
    hint: 'Payments in review, and invoices open or failed',
    stages: ['payment_review'],
    queries: [{ stage: 'payment_review' }, { paymentStatus: 'failed,open' }],
  },
  { key: 'delivery', label: 'Delivery', hint: 'Clients onboarding and active', stages: ['onboarding', 'active'], queries: [{ stage: 'onboarding,active' }] },
];

export function teamViewOf(key: string | null | undefined): TeamViewDef {
  return teamViews.find((v) => v.key === key) ?? teamViews[0];
}

export interface BoardFilters {
  view: TeamView;
  recordType?: string;
  q?: string;
  /** Also deals made by test runs (hidden by default). */
  includeTest?: boolean;
}

/** Query strings for `GET /api/crm/deals`, one per request the view needs. */
export function dealQueries(f: BoardFilters, limit = 200): Array<Record<string, string>> {
  const recordType = f.recordType === 'profit' || f.recordType === 'nonprofit' ? f.recordType : undefined;
  const q = f.q?.trim() || undefined;
  return teamViewOf(f.view).queries.map((query) => {
    const params: Record<string, string> = { ...query, limit: String(limit) };
    if (recordType) params.recordType = recordType;
    if (q) params.q = q;
    if (f.includeTest) params.includeTest = 'true';
    return params;
  });
}

/** Several pages of deals as one list: each deal once, most recently touched first. */
export function mergeDeals(pages: ReadonlyArray<readonly Deal[]>): Deal[] {
  const byId = new Map<string, Deal>();
  for (const page of pages) for (const d of page) if (!byId.has(d.id)) byId.set(d.id, d);
  return [...byId.values()].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
}

/**
 * The board's columns, in pipeline order: the view's own stages (all of them for "All deals"),
 * then any other stage one of its deals is in, then stages the pipeline no longer lists.
 */
export function boardColumns(stages: ReadonlyArray<{ key: string; label: string }>, view: TeamViewDef, deals: readonly Deal[]): Array<{ key: string; label: string }> {
  const used = new Set(deals.map((d) => d.stage));
  const wanted = view.stages ? new Set(view.stages) : null;
  const columns = stages.filter((s) => !wanted || wanted.has(s.key) || used.has(s.key));
  const known = new Set(stages.map((s) => s.key));
  for (const key of used) if (!known.has(key)) columns.push({ key, label: key });
  return columns;
}
