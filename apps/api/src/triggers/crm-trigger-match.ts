import type { crmTrigger } from '@handoff/nodes';
import type { z } from 'zod';

export type CrmTriggerConfig = z.infer<typeof crmTrigger.config>;

/** A deal as flows see it (`trigger.deal`, `trigger.previous`). */
export interface DealSnapshot {
  id: string;
  title: string | null;
  stage: string;
  amount: number | null;
  currency: string | null;
  product: string | null;
  recordType: 'profit' | 'nonprofit' | null;
  fields: Record<string, unknown>;
  contact: { id: string; email: string | null; name: string | null; stripeCustomerId: string | null };
  stripe: Record<string, unknown>;
}

export interface DealChange {
  seq: string;
  kind: 'deal.created' | 'deal.updated';
  /** Top-level deal fields that differ from `previous` (empty for a creation). */
  changed: string[];
  deal: DealSnapshot;
  previous: DealSnapshot | null;
  by: { type: 'run' | 'user' | 'client'; id: string };
}

/** Which snapshot fields differ; `contact` and nested objects compare as a whole. */
export function changedFields(previous: DealSnapshot | null, deal: DealSnapshot): string[] {
  if (!previous) return [];
  return (Object.keys(deal) as Array<keyof DealSnapshot>).filter((k) => k !== 'id' && JSON.stringify(previous[k]) !== JSON.stringify(deal[k]));
}

/**
 * Whether a change starts a flow with this `crm.trigger` config. A creation never starts an
 * "updated" flow and an update never a "created" one: one flow for both is how duplicate
 * invoices happen.
 */
export function crmTriggerMatches(config: CrmTriggerConfig, change: Pick<DealChange, 'kind' | 'changed' | 'deal'>): boolean {
  const inStage = !config.stage || change.deal.stage === config.stage;
  switch (config.on) {
    case 'deal.created':
      return change.kind === 'deal.created' && inStage;
    case 'deal.updated':
      return change.kind === 'deal.updated' && change.changed.length > 0 && (!config.fields?.length || config.fields.some((f) => change.changed.includes(f)));
    case 'deal.stage_changed':
      return change.kind === 'deal.updated' && change.changed.includes('stage') && inStage;
  }
}
