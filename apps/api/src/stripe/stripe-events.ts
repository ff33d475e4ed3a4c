import { FlowDocument, review, stripeTrigger, triggerNode, waitEvent } from '@handoff/nodes';

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
 * Every event type the flow needs from Stripe: its trigger's, its wait.event steps' (a
 * reminder flow waits for invoice.paid without starting on it) and those that end its reviews.
 * `*` stands for all.
 */
export function eventTypesOf(doc: FlowDocument): string[] {
  const trigger = stripeTriggerOf(doc);
  const types = new Set(trigger?.events ?? []);
  for (const n of doc.nodes) {
    if (n.type === waitEvent.type) {
      const parsed = waitEvent.config.safeParse(n.config);
      for (const t of parsed.success ? parsed.data.types : []) types.add(t);
    } else if (n.type === review.type) {
      const parsed = review.config.safeParse(n.config);
      for (const t of parsed.success ? parsed.data.resolveOn : []) types.add(t);
    }
  }
  return types.has('*') ? ['*'] : [...types].sort();
}
