import { FlowDocument, getNodeType, stripeTrigger, triggerNode } from '@handoff/nodes';

/** A flow's Stripe trigger settings, schema defaults applied; null when its trigger is another type. */
export function stripeTriggerOf(doc: FlowDocument): { nodeId: string; events: string[]; apiKey: string | null; signingSecret: string | null } | null {
  const node = triggerNode(doc);
  if (node?.type !== 'stripe.trigger') return null;
  const raw = node.config as { events?: unknown; apiKey?: { credential?: string }; signingSecret?: { credential?: string } };
  // The events field alone, so a draft without its signing secret yet still reads its (default) events.
  const events = stripeTrigger.config.shape.events.safeParse(raw.events);
  return {
    nodeId: node.id,
    events: events.success ? events.data : [],
    apiKey: raw.apiKey?.credential ?? null,
    signingSecret: raw.signingSecret?.credential ?? null,
  };
}

/**
 * Every event type the flow needs from Stripe: its trigger's, and those its steps wait for
 * (NodeDefinition.stripeEvents: a reminder flow waits for invoice.paid without starting on it, a
 * review may end on the payment's later event). `*` stands for all.
 */
export function eventTypesOf(doc: FlowDocument): string[] {
  const trigger = stripeTriggerOf(doc);
  const types = new Set(trigger?.events ?? []);
  for (const n of doc.nodes) {
    const def = getNodeType(n.type);
    if (!def?.stripeEvents) continue;
    const parsed = def.config.safeParse(n.config);
    if (parsed.success) for (const t of def.stripeEvents(parsed.data)) types.add(t);
  }
  return types.has('*') ? ['*'] : [...types].sort();
}
