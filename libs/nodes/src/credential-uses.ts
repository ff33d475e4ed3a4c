import { isCredentialRef, type FlowDocument } from './flow-document';
import { configJsonSchema } from './registry';

export interface CredentialUse {
  nodeId: string;
  /** Config path of the field, e.g. `config.credential`. */
  path: string;
  /** The credential id the field points at. */
  id: string;
  /** The credential types the field takes (from its schema); empty when the schema does not say. */
  types: string[];
}

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  credentialTypes?: string[];
  anyOf?: SchemaNode[];
}

/** A field's own schema, looking through optional/nullable wrappers (anyOf). */
function unwrap(s: SchemaNode | undefined): SchemaNode | undefined {
  if (!s) return undefined;
  if (s.properties || s.credentialTypes) return s;
  return s.anyOf?.find((x) => x.properties || x.credentialTypes) ?? s;
}

/**
 * Every credential a flow's nodes point at, with the types each field takes: the API checks
 * them at publish and before a test run, so a node can only use a credential of the type it
 * declares (a Slack step handed a Stripe secret would otherwise post it into an error message).
 */
export function credentialUses(doc: FlowDocument): CredentialUse[] {
  const uses: CredentialUse[] = [];
  const walk = (nodeId: string, value: unknown, schema: SchemaNode | undefined, path: string) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return;
    const s = unwrap(schema);
    if (isCredentialRef(value)) {
      uses.push({ nodeId, path, id: value.credential, types: s?.credentialTypes ?? [] });
      return;
    }
    for (const [key, child] of Object.entries(value)) walk(nodeId, child, s?.properties?.[key], `${path}.${key}`);
  };
  for (const node of doc.nodes) walk(node.id, node.config, (configJsonSchema(node.type) ?? undefined) as SchemaNode | undefined, 'config');
  return uses;
}
