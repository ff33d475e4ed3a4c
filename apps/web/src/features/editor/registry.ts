import { defaultConfig, getNodeType, paletteGroups, validateFlow, type NodeDefinition } from '@handoff/nodes';
import { z } from 'zod';
import { dataWarnings } from './lib/dataScope';
import { formFields, type FieldSpec, type JsonSchema } from './lib/schemaFields';
import type { RegistryPort } from './store/types';

/** The editor's view of the shared node registry (`@handoff/nodes`); no switch over types anywhere. */
export function definitionOf(type: string): NodeDefinition | undefined {
  return getNodeType(type);
}

const schemaCache = new Map<string, JsonSchema>();
const fieldsCache = new Map<string, FieldSpec[]>();

export function configSchemaOf(type: string): JsonSchema | undefined {
  const def = definitionOf(type);
  if (!def) return undefined;
  let s = schemaCache.get(type);
  if (!s) {
    try {
      s = z.toJSONSchema(def.config, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    } catch {
      s = { type: 'object', properties: {} };
    }
    schemaCache.set(type, s);
  }
  return s;
}

/** Form fields for a node type's config, from `z.toJSONSchema(def.config)`. */
export function formFieldsOf(type: string): FieldSpec[] {
  let f = fieldsCache.get(type);
  if (!f) {
    const schema = configSchemaOf(type);
    f = schema ? formFields(schema, { expressionFields: definitionOf(type)?.expressionFields }) : [];
    fieldsCache.set(type, f);
  }
  return f;
}

export const registryPort: RegistryPort = {
  kindOf: (type) => definitionOf(type)?.kind,
  portsOf: (type) => definitionOf(type)?.ports,
  defaultsOf: (type) => structuredClone(defaultConfig(type)),
  validate: (doc) => validateFlow(doc).problems,
  dataWarnings,
};

export interface PaletteSection {
  id: string;
  label: string;
  types: NodeDefinition[];
}

export function paletteSections(): PaletteSection[] {
  return paletteGroups
    .map((g) => ({ id: g.id, label: g.label, types: g.types.map(definitionOf).filter((d): d is NodeDefinition => !!d) }))
    .filter((g) => g.types.length > 0);
}
