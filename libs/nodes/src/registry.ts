import { z } from 'zod';
import type { NodeDefinition, NodeKind } from './define';
import { branch } from './nodes/branch';
import { crmCreateTask } from './nodes/crm-create-task';
import { crmCreateTicket } from './nodes/crm-create-ticket';
import { crmUpdateContact } from './nodes/crm-update-contact';
import { crmTrigger } from './nodes/crm-trigger';
import { crmUpdateDeal } from './nodes/crm-update-deal';
import { delay } from './nodes/delay';
import { httpRequest } from './nodes/http-request';
import { intakeStart } from './nodes/intake-start';
import { manualTrigger } from './nodes/manual-trigger';
import { notify } from './nodes/notify';
import { review } from './nodes/review';
import { scheduleTrigger } from './nodes/schedule-trigger';
import { stripeCustomer } from './nodes/stripe-customer';
import { stripeInvoice } from './nodes/stripe-invoice';
import { stripeRefund } from './nodes/stripe-refund';
import { stripeTrigger } from './nodes/stripe-trigger';
import { waitEvent } from './nodes/wait-event';
import { webhookTrigger } from './nodes/webhook-trigger';

/** Every node type, by type name. Adding a node type means adding it here and nowhere else. */
export const nodeTypes: Readonly<Record<string, NodeDefinition>> = {
  [stripeTrigger.type]: stripeTrigger,
  [manualTrigger.type]: manualTrigger,
  [scheduleTrigger.type]: scheduleTrigger,
  [webhookTrigger.type]: webhookTrigger,
  [crmTrigger.type]: crmTrigger,
  [branch.type]: branch,
  [delay.type]: delay,
  [waitEvent.type]: waitEvent,
  [crmUpdateDeal.type]: crmUpdateDeal,
  [crmUpdateContact.type]: crmUpdateContact,
  [crmCreateTask.type]: crmCreateTask,
  [crmCreateTicket.type]: crmCreateTicket,
  [stripeCustomer.type]: stripeCustomer,
  [stripeInvoice.type]: stripeInvoice,
  [stripeRefund.type]: stripeRefund,
  [notify.type]: notify,
  [httpRequest.type]: httpRequest,
  [intakeStart.type]: intakeStart,
  [review.type]: review,
};

export function getNodeType(type: string): NodeDefinition | undefined {
  return Object.hasOwn(nodeTypes, type) ? nodeTypes[type] : undefined;
}

export function isTrigger(type: string): boolean {
  return getNodeType(type)?.kind === 'trigger';
}

export interface PaletteGroup {
  id: string;
  label: string;
  /** Node types in palette order. */
  types: string[];
}

// Palette order follows the flagship flow: start, decide, record, tell, onboard, escalate.
const GROUPS: ReadonlyArray<{ id: string; label: string; kinds: readonly NodeKind[] }> = [
  { id: 'triggers', label: 'Triggers', kinds: ['trigger'] },
  { id: 'logic', label: 'Logic', kinds: ['logic'] },
  { id: 'crm', label: 'CRM', kinds: ['crm'] },
  { id: 'stripe', label: 'Stripe', kinds: ['payment'] },
  { id: 'notify', label: 'Notify & call APIs', kinds: ['notify', 'action'] },
  { id: 'intake', label: 'Onboarding intake', kinds: ['intake'] },
  { id: 'human', label: 'Human review', kinds: ['human'] },
];

export const paletteGroups: readonly PaletteGroup[] = GROUPS.map((g) => ({
  id: g.id,
  label: g.label,
  types: Object.values(nodeTypes)
    .filter((n) => g.kinds.includes(n.kind))
    .map((n) => n.type),
}));

/**
 * The config a freshly dropped node starts with: every field's default. Required fields
 * without a default (a credential, a URL) are left out for the person to fill in.
 */
export function defaultConfig(type: string): Record<string, unknown> {
  const schema = getNodeType(type)?.config;
  if (!(schema instanceof z.ZodObject)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const parsed = field.safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out;
}

/** JSON Schema of a node's config (zod's input side, so defaults show), for generated forms. */
export function configJsonSchema(type: string): Record<string, unknown> | null {
  const schema = getNodeType(type)?.config;
  return schema ? (z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>) : null;
}
