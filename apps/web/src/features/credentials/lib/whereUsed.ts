import { credentialUses, type FlowDocument } from '@handoff/nodes';

export interface CredentialUsage {
  flowId: string;
  flowName: string;
  nodeId: string;
}

/**
 * Which flow drafts point at which credential, by credential id. Drafts only: the API has no
 * "where used" yet, and published versions are not read here.
 */
export function credentialUsage(flows: ReadonlyArray<{ id: string; name: string; draft: FlowDocument | null | undefined }>): Map<string, CredentialUsage[]> {
  const byCredential = new Map<string, CredentialUsage[]>();
  for (const flow of flows) {
    if (!flow.draft) continue;
    for (const use of credentialUses(flow.draft)) {
      const list = byCredential.get(use.id) ?? [];
      if (!list.some((u) => u.flowId === flow.id && u.nodeId === use.nodeId)) list.push({ flowId: flow.id, flowName: flow.name, nodeId: use.nodeId });
      byCredential.set(use.id, list);
    }
  }
  return byCredential;
}
