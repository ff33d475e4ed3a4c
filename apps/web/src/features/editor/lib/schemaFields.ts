import { STRIPE_EVENT_CATALOGUE } from '@handoff/nodes';

/**
 * Maps the JSON Schema that `z.toJSONSchema(def.config, { io: 'input' })` produces
 * onto form fields the config panel knows how to draw. The zod schema stays the
 * single source of truth; this only decides which input to show.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  description?: string;
  title?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  additionalProperties?: boolean | JsonSchema;
  [extra: string]: unknown;
}

export interface Option {
  value: string | number | boolean;
  label: string;
}

interface Base {
  /** Property name inside its parent object; '' for a variant at the root. */
  key: string;
  label: string;
  description?: string;
  required: boolean;
  default?: unknown;
  placeholder?: string;
}

export type FieldSpec =
  | (Base & { kind: 'string'; multiline: boolean; expression: boolean; format?: string; secret?: boolean })
  | (Base & { kind: 'number'; integer: boolean; min?: number; max?: number })
  | (Base & { kind: 'boolean' })
  | (Base & { kind: 'enum'; options: Option[] })
  | (Base & { kind: 'multiEnum'; options: Option[] })
  | (Base & { kind: 'stringList' })
  /** A list of Stripe event types: picked from the catalogue, or typed. `wildcard` allows `*`. */
  | (Base & { kind: 'eventTypes'; wildcard: boolean })
  | (Base & { kind: 'credential'; credentialTypes?: string[] })
  | (Base & { kind: 'object'; fields: FieldSpec[] })
  | (Base & { kind: 'objectList'; itemFields: FieldSpec[] })
  | (Base & { kind: 'keyValue' })
  | (Base & { kind: 'variant'; discriminator: string; variants: Array<{ value: string; label: string; fields: FieldSpec[] }> })
  | (Base & { kind: 'json' });

export interface FieldOptions {
  /** Config keys holding JSONata expressions (from the node definition). */
  expressionFields?: readonly string[];
}

const MULTILINE_KEYS = /^(body|text|message|template|condition|match|note|description|html|content|reason)$/i;

/** "signingSecret" → "Signing secret", "idempotency_key" → "Idempotency key". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .trim()
    .toLowerCase();
  const fixed = words.replace(/\b(url|id|http|smtp|crm|api|cc|bcc)\b/g, (w) => w.toUpperCase());
  return fixed.charAt(0).toUpperCase() + fixed.slice(1);
}

function typesOf(s: JsonSchema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (s.type) return [s.type];
  if (s.const !== undefined) return [typeof s.const];
  if (s.enum) return [...new Set(s.enum.map((v) => (v === null ? 'null' : typeof v)))];
  return [];
}

/** Drops a `null` alternative (`.nullable()`), returning the rest and whether null was allowed. */
export function unwrapNullable(s: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const alts = s.anyOf ?? s.oneOf;
  if (alts) {
    const nonNull = alts.filter((a) => !(a.type === 'null' || (a.const === null && !a.type)));
    if (nonNull.length === 1 && nonNull.length < alts.length) {
      const inner = unwrapNullable(nonNull[0]);
      return { schema: { ...inner.schema, description: s.description ?? inner.schema.description, default: s.default ?? inner.schema.default, title: s.title ?? inner.schema.title }, nullable: true };
    }
  }
  if (Array.isArray(s.type) && s.type.includes('null')) {
    const rest = s.type.filter((t) => t !== 'null');
    return { schema: { ...s, type: rest.length === 1 ? rest[0] : rest }, nullable: true };
  }
  if (s.allOf?.length === 1 && !s.type) return unwrapNullable({ ...s.allOf[0], ...s, allOf: undefined });
  return { schema: s, nullable: false };
}

/** Enum options from `enum` or an `anyOf` of `const`s (zod literal unions). */
export function enumOptions(s: JsonSchema): Option[] | null {
  const labelOf = (v: unknown) => (typeof v === 'string' ? v : String(v));
  if (s.enum && s.enum.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
    return s.enum.map((v) => ({ value: v as Option['value'], label: labelOf(v) }));
  }
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length && alts.every((a) => a.const !== undefined && ['string', 'number', 'boolean'].includes(typeof a.const))) {
    return alts.map((a) => ({ value: a.const as Option['value'], label: a.title ?? a.description ?? labelOf(a.const) }));
  }
  return null;
}

/** A credential reference is an object whose only required property is `credential: string`. */
export function isCredentialRef(s: JsonSchema): boolean {
  if (!s.properties || !('credential' in s.properties)) return false;
  const keys = Object.keys(s.properties);
  return keys.length === 1 && typesOf(s.properties.credential).includes('string');
}

const CREDENTIAL_HINTS: Array<[RegExp, string]> = [
  [/signing|stripe/i, 'stripe.signingSecret'],
  [/slack|webhook/i, 'slack.webhook'],
  [/smtp|mail/i, 'smtp'],
  [/hubspot/i, 'hubspot'],
  [/salesforce/i, 'salesforce'],
];

/** The credential types a ref accepts, from schema metadata (`credentialTypes`, set by `credentialField`), else guessed from the field name. */
export function credentialTypesOf(s: JsonSchema, key: string): string[] | undefined {
  for (const src of [s, s.properties?.credential ?? {}]) {
    for (const k of ['credentialTypes', 'credentialType', 'x-credential-types', 'x-credential-type']) {
      const v = src[k];
      if (typeof v === 'string') return [v];
      if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string')) return v as string[];
    }
  }
  const guess = CREDENTIAL_HINTS.find(([re]) => re.test(key))?.[1];
  return guess ? [guess] : undefined;
}

function discriminatorOf(alts: JsonSchema[]): string | null {
  if (alts.length < 2 || !alts.every((a) => a.properties)) return null;
  const candidates = Object.keys(alts[0].properties!).filter((k) => alts.every((a) => a.properties![k]?.const !== undefined));
  return candidates.find((k) => new Set(alts.map((a) => a.properties![k].const)).size === alts.length) ?? null;
}

function base(key: string, s: JsonSchema, required: boolean): Base {
  const out: Base = { key, label: s.title ?? humanize(key), required };
  if (s.description) out.description = s.description;
  if (s.default !== undefined) out.default = s.default;
  if (typeof s.examples === 'object' && Array.isArray(s.examples) && s.examples.length) out.placeholder = String(s.examples[0]);
  return out;
}

/** One form field for one property schema. */
export function fieldFor(key: string, raw: JsonSchema, required: boolean, opts: FieldOptions = {}): FieldSpec {
  const { schema: s, nullable } = unwrapNullable(raw);
  const req = required && !nullable;
  const b = base(key, { ...s, description: raw.description ?? s.description, default: raw.default ?? s.default, title: raw.title ?? s.title }, req);
  const types = typesOf(s);

  const options = enumOptions(s);
  if (options) return { ...b, kind: 'enum', options };

  const alts = s.anyOf ?? s.oneOf;
  if (alts && !s.properties) {
    const disc = discriminatorOf(alts);
    if (disc) return { ...b, kind: 'variant', discriminator: disc, variants: variantsOf(alts, disc, opts) };
    return { ...b, kind: 'json' };
  }

  if (types.includes('string')) {
    const expression = opts.expressionFields?.includes(key) ?? false;
    const multiline = expression || MULTILINE_KEYS.test(key) || (s.maxLength ?? 0) > 200 || s.format === 'textarea';
    const f: FieldSpec = { ...b, kind: 'string', multiline, expression };
    if (s.format) f.format = s.format;
    if (s.writeOnly === true || /^pass$|password|secret|token/i.test(key)) f.secret = true;
    return f;
  }
  if (types.includes('integer') || types.includes('number')) {
    const f: FieldSpec = { ...b, kind: 'number', integer: types.includes('integer') };
    const min = s.minimum ?? s.exclusiveMinimum;
    const max = s.maximum ?? s.exclusiveMaximum;
    if (min !== undefined && Math.abs(min) < Number.MAX_SAFE_INTEGER) f.min = min;
    if (max !== undefined && Math.abs(max) < Number.MAX_SAFE_INTEGER) f.max = max;
    return f;
  }
  if (types.includes('boolean')) return { ...b, kind: 'boolean' };

  if (types.includes('array')) {
    const item = Array.isArray(s.items) ? undefined : s.items;
    if (!item) return { ...b, kind: 'json' };
    const itemOptions = enumOptions(unwrapNullable(item).schema);
    if (itemOptions) return { ...b, kind: 'multiEnum', options: itemOptions };
    const itemTypes = typesOf(item);
    if (itemTypes.includes('string') && s.catalogue === STRIPE_EVENT_CATALOGUE) return { ...b, kind: 'eventTypes', wildcard: s.wildcard === true };
    if (itemTypes.includes('string')) return { ...b, kind: 'stringList' };
    if (itemTypes.includes('object') && item.properties) {
      const itemFields = objectFields(item, opts);
      if (itemFields.every((f) => ['string', 'number', 'boolean', 'enum'].includes(f.kind))) return { ...b, kind: 'objectList', itemFields };
    }
    return { ...b, kind: 'json' };
  }

  if (types.includes('object') || s.properties) {
    if (isCredentialRef(s)) {
      const f: FieldSpec = { ...b, kind: 'credential' };
      const t = credentialTypesOf({ ...raw, ...s }, key);
      if (t) f.credentialTypes = t;
      return f;
    }
    if (s.properties && Object.keys(s.properties).length) return { ...b, kind: 'object', fields: objectFields(s, opts) };
    const ap = s.additionalProperties;
    if (ap && typeof ap === 'object' && typesOf(ap).includes('string')) return { ...b, kind: 'keyValue' };
    return { ...b, kind: 'json' };
  }
  return { ...b, kind: 'json' };
}

function variantsOf(alts: JsonSchema[], disc: string, opts: FieldOptions) {
  return alts.map((a) => {
    const value = String(a.properties![disc].const);
    return {
      value,
      label: a.title ?? a.properties![disc].title ?? humanize(value),
      fields: objectFields(a, opts).filter((f) => f.key !== disc),
    };
  });
}

export function objectFields(s: JsonSchema, opts: FieldOptions = {}): FieldSpec[] {
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).map(([k, v]) => fieldFor(k, v, required.has(k), opts));
}

/** The fields for a node's whole config; a discriminated union at the root becomes one variant field with key ''. */
export function formFields(schema: JsonSchema, opts: FieldOptions = {}): FieldSpec[] {
  const { schema: s } = unwrapNullable(schema);
  const alts = s.anyOf ?? s.oneOf;
  if (alts && !s.properties) {
    const disc = discriminatorOf(alts);
    if (disc) return [{ key: '', label: humanize(disc), required: true, kind: 'variant', discriminator: disc, variants: variantsOf(alts, disc, opts) }];
  }
  return objectFields(s, opts);
}

/** Initial config for a new node: every default the schema declares, recursively; nothing invented. */
export function defaultsFor(schema: JsonSchema): Record<string, unknown> {
  const { schema: s } = unwrapNullable(schema);
  if (s.default !== undefined && typeof s.default === 'object' && s.default !== null && !Array.isArray(s.default)) {
    return { ...(s.default as Record<string, unknown>) };
  }
  const alts = s.anyOf ?? s.oneOf;
  if (alts && !s.properties) {
    const disc = discriminatorOf(alts);
    return disc ? { ...defaultsFor(alts[0]), [disc]: alts[0].properties![disc].const } : {};
  }
  const out: Record<string, unknown> = {};
  const required = new Set(s.required ?? []);
  for (const [k, raw] of Object.entries(s.properties ?? {})) {
    const v = unwrapNullable(raw).schema;
    if (raw.default !== undefined || v.default !== undefined) out[k] = structuredClone(raw.default ?? v.default);
    else if (v.const !== undefined && required.has(k)) out[k] = v.const;
    else if (required.has(k) && typesOf(v).includes('object') && v.properties && !isCredentialRef(v)) {
      const nested = defaultsFor(v);
      if (Object.keys(nested).length) out[k] = nested;
    }
  }
  return out;
}

/** Writes `value` under `key`, removing the key for empty values so optional fields stay optional. */
export function setField(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const next = { ...obj };
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0 && !(key in obj))) delete next[key];
  else next[key] = value;
  return next;
}
