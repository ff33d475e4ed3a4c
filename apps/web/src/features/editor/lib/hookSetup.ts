import { isCredentialRef, type NodeDefinition } from '@handoff/nodes';

/** Answer of `POST /api/flows/:id/<hook>/endpoint`. */
export interface EndpointResult {
  endpointId: string;
  url: string;
  events: string[];
  /** False when the provider had an endpoint for this URL already (its events were brought up to date). */
  created: boolean;
  signingSecret: { credential: string };
}

/** Answer of `POST /api/flows/:id/<hook>/reconcile`. */
export interface ReconcileResult {
  checked: number;
  ingested: number;
  eventIds: string[];
}

export interface HookSetup {
  /** Who the endpoint is created at, for the button labels: "Stripe". */
  provider: string;
  endpointPath: string;
  reconcilePath: string;
}

/**
 * What the editor can set up at the sender for a trigger that declares `trigger.setup` and holds
 * an API key in that field: create its endpoint there, and look there for events that never arrived.
 */
export function hookSetupOf(def: NodeDefinition | undefined, config: Record<string, unknown>, flowId: string): HookSetup | null {
  const setup = def?.trigger?.setup;
  if (!setup || !isCredentialRef(config[setup.credentialKey])) return null;
  const base = `/api/flows/${encodeURIComponent(flowId)}/${encodeURIComponent(setup.path)}`;
  return { provider: setup.provider, endpointPath: `${base}/endpoint`, reconcilePath: `${base}/reconcile` };
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function endpointMessage(r: EndpointResult): string {
  return r.created
    ? `Created endpoint ${r.endpointId} for ${count(r.events.length, 'event')}; its signing secret is now on this trigger. Publish to go live.`
    : `Endpoint ${r.endpointId} was already there; events brought up to date.`;
}

export function reconcileMessage(r: ReconcileResult): string {
  return `Checked ${count(r.checked, 'event')}, ingested ${r.ingested}.`;
}
