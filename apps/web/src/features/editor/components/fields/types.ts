import type { FieldSpec } from '../../lib/schemaFields';
import type { Problem } from '../../store/types';

export interface FieldProps<K extends FieldSpec['kind'] = FieldSpec['kind']> {
  field: Extract<FieldSpec, { kind: K }>;
  value: unknown;
  /** `coalesce` groups keystrokes in one field into one undo step. */
  onChange: (value: unknown, coalesce?: boolean) => void;
  /** Dotted path used for test ids and undo grouping, e.g. `fields.0.name`. */
  path: string;
  /** The object this field lives in (for hints such as which credential type a channel needs). */
  parent: Record<string, unknown>;
  errors: string[];
  /** All of the node's problems, for fields that render nested fields. */
  problems: readonly Problem[];
  readOnly: boolean;
}

export const testIdFor = (path: string) => `config-${path.replace(/\./g, '-')}`;

export function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Joins a parent path and a key; the root variant has key ''. */
export const join = (path: string, key: string | number) => (path === '' ? String(key) : key === '' ? path : `${path}.${key}`);
