import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultsFor, formFields, humanize, setField, type FieldSpec, type JsonSchema } from './schemaFields';

const toSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
const byKey = (fields: FieldSpec[]) => Object.fromEntries(fields.map((f) => [f.key, f]));

describe('formFields', () => {
  const config = z.object({
    events: z.array(z.enum(['checkout.session.completed', 'invoice.paid'])).min(1).default(['checkout.session.completed']),
    condition: z.string().min(1).describe('JSONata expression'),
    channel: z.enum(['slack', 'email']),
    recipients: z.array(z.string()).optional(),
    retries: z.number().int().min(0).max(10).default(3),
    amount: z.number().nullable().optional(),
    notifyOwner: z.boolean().default(true),
    signingSecret: z.object({ credential: z.string().min(1) }),
    connection: z.union([z.literal('builtin'), z.literal('hubspot')]).default('builtin'),
    fields: z.array(z.object({ name: z.string(), label: z.string(), required: z.boolean().default(false) })).default([]),
    extra: z.record(z.string(), z.string()).optional(),
    nested: z.object({ owner: z.string(), minutes: z.number() }).optional(),
    blob: z.array(z.array(z.number())).optional(),
  });
  const fields = byKey(formFields(toSchema(config), { expressionFields: ['condition'] }));

  it('maps strings, marking expression fields as multi-line code', () => {
    expect(fields.condition).toMatchObject({ kind: 'string', required: true, expression: true, multiline: true, description: 'JSONata expression' });
  });

  it('maps enums and literal unions to selects, arrays of enums to checkboxes', () => {
    expect(fields.channel).toMatchObject({ kind: 'enum', options: [{ value: 'slack' }, { value: 'email' }] });
    expect(fields.connection).toMatchObject({ kind: 'enum', required: false, default: 'builtin' });
    expect(fields.events).toMatchObject({ kind: 'multiEnum', required: false });
  });

  it('maps numbers with bounds, nullables as optional, and booleans', () => {
    expect(fields.retries).toMatchObject({ kind: 'number', integer: true, min: 0, max: 10, default: 3 });
    expect(fields.amount).toMatchObject({ kind: 'number', required: false });
    expect(fields.notifyOwner).toMatchObject({ kind: 'boolean' });
  });

  it('maps arrays of strings, credential refs, records and object lists', () => {
    expect(fields.recipients).toMatchObject({ kind: 'stringList', required: false });
    expect(fields.signingSecret).toMatchObject({ kind: 'credential', required: true, credentialTypes: ['stripe.signingSecret'], label: 'Signing secret' });
    expect(fields.extra).toMatchObject({ kind: 'keyValue' });
    expect(fields.fields).toMatchObject({ kind: 'objectList' });
    expect((fields.fields as Extract<FieldSpec, { kind: 'objectList' }>).itemFields.map((f) => f.key)).toEqual(['name', 'label', 'required']);
    expect(fields.nested).toMatchObject({ kind: 'object' });
  });

  it('falls back to a JSON editor for shapes it cannot draw', () => {
    expect(fields.blob).toMatchObject({ kind: 'json' });
  });

  it('turns a discriminated union at the root into one variant field', () => {
    const notify = z.discriminatedUnion('channel', [
      z.object({ channel: z.literal('slack'), webhook: z.object({ credential: z.string() }), text: z.string() }),
      z.object({ channel: z.literal('email'), to: z.string(), subject: z.string() }),
    ]);
    const [variant] = formFields(toSchema(notify));
    expect(variant).toMatchObject({ key: '', kind: 'variant', discriminator: 'channel' });
    const v = variant as Extract<FieldSpec, { kind: 'variant' }>;
    expect(v.variants.map((x) => x.value)).toEqual(['slack', 'email']);
    expect(v.variants[0].fields.map((f) => [f.key, f.kind])).toEqual([
      ['webhook', 'credential'],
      ['text', 'string'],
    ]);
    expect(v.variants[0].fields[1]).toMatchObject({ multiline: true });
  });

  it('reads the accepted credential types from schema metadata', () => {
    const ref = z.object({ credential: z.string().min(1) }).strict();
    const s = z.object({ conn: ref.meta({ description: 'Send with', credentialTypes: ['slack.webhook', 'smtp'] }).optional() });
    expect(byKey(formFields(toSchema(s))).conn).toMatchObject({ kind: 'credential', required: false, credentialTypes: ['slack.webhook', 'smtp'], description: 'Send with' });
  });
});

describe('defaultsFor', () => {
  it('collects declared defaults without inventing values', () => {
    const s = z.object({
      events: z.array(z.string()).default(['a']),
      retries: z.number().default(3),
      condition: z.string(),
      mode: z.literal('x'),
      opts: z.object({ dry: z.boolean().default(false) }),
    });
    expect(defaultsFor(toSchema(s))).toEqual({ events: ['a'], retries: 3, mode: 'x', opts: { dry: false } });
  });

  it('picks the first variant of a discriminated union', () => {
    const s = z.discriminatedUnion('channel', [
      z.object({ channel: z.literal('slack'), text: z.string().default('hi') }),
      z.object({ channel: z.literal('email') }),
    ]);
    expect(defaultsFor(toSchema(s))).toEqual({ channel: 'slack', text: 'hi' });
  });
});

describe('helpers', () => {
  it('humanizes keys', () => {
    expect(humanize('signingSecret')).toBe('Signing secret');
    expect(humanize('webhook_url')).toBe('Webhook URL');
    expect(humanize('customerId')).toBe('Customer ID');
  });

  it('removes emptied optional values', () => {
    expect(setField({ a: 'x', b: 1 }, 'a', '')).toEqual({ b: 1 });
    expect(setField({ b: 1 }, 'a', 'y')).toEqual({ a: 'y', b: 1 });
    expect(setField({ b: 1 }, 'b', undefined)).toEqual({});
  });
});
