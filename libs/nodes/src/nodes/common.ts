import { z } from 'zod';
import { addDuration, approximateSeconds, parseDuration } from '../duration';

/** Key template an effect node uses unless its config sets `idempotencyKey`. */
export const EFFECT = { defaultKey: '{{run.id}}:{{node.id}}' } as const;

const TEN_YEARS = 10 * 365 * 86_400;

/** Fields every effect node's config carries (DESIGN.md "Exactly-once"). */
export const effectFields = {
  idempotencyKey: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Template of the key that makes this step act once. Default {{run.id}}:{{node.id}}; ' +
        'use e.g. {{ trigger.payment.objectId }}:kickoff so a second event for the same checkout is a recorded skip.',
    ),
  retry: z
    .object({ attempts: z.number().int().min(1).max(10).describe('Attempts including the first') })
    .strict()
    .optional()
    .describe('Override how often a failing step is tried'),
};

/** A config object for an effect node: its own fields plus `idempotencyKey` and `retry`. */
export function effectConfig<S extends z.ZodRawShape>(shape: S) {
  return z.object({ ...shape, ...effectFields }).strict();
}

/** ISO-8601 duration such as P30D or PT5S, at most about ten years. */
export function durationField(defaultValue: string, description: string) {
  return z
    .string()
    .refine((v) => parseDuration(v) !== null, 'must be an ISO-8601 duration such as P30D (30 days), PT12H or PT5S')
    .refine((v) => {
      const d = parseDuration(v);
      return d === null || approximateSeconds(d) <= TEN_YEARS;
    }, 'must be at most 10 years')
    .default(defaultValue)
    .describe(description);
}

/** `now + duration` as an ISO timestamp; config validation makes a bad duration a bug, hence the throw. */
export function deadline(now: Date, duration: string): string {
  const d = parseDuration(duration);
  if (!d) throw new Error(`"${duration}" is not an ISO-8601 duration such as P30D`);
  return addDuration(now, d).toISOString();
}

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

/** Allows a literal e-mail address or a `{{ }}` template that renders to one at run time. */
export function isEmailOrTemplate(value: string): boolean {
  return value.includes('{{') || isEmail(value.trim());
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The unique value a task or ticket is upserted by in an outside CRM. The engine records a step's
 * idempotency key per flow and node, so the CRM key carries both: two flows keying their steps
 * alike (e.g. by the paid object) still make two records, and a retry or repeat makes none.
 */
export function crmRecordKey(ctx: { scope: { flow: { id: string } }; node: { id: string }; idempotencyKey?: string }): string {
  // The engine gives every effect step its key; without one the record could not be found again.
  if (!ctx.idempotencyKey) throw new Error('This step has no idempotency key to upsert its CRM record by');
  return `${ctx.scope.flow.id}:${ctx.node.id}:${ctx.idempotencyKey}`;
}
