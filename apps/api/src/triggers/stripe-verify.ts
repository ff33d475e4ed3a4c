import Stripe from 'stripe';
import { isStripeEventLike, isThinEvent, StripeEventLike } from '@handoff/nodes';
import type { WebhookOutcome } from '../metrics/metrics';
import { mayBeUnstorable, unstorable } from './storable';

/** Stripe's default: a signature older than this is refused, so a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type Verified = { ok: true; event: StripeEventLike };
export type Refused = { ok: false; outcome: Extract<WebhookOutcome, 'bad_signature' | 'malformed'>; message: string };

const refuse = (outcome: Refused['outcome'], message: string): Refused => ({ ok: false, outcome, message });

// The SDK's messages are long and link to docs; the sender gets a short reason instead.
const MISMATCH = 'Signature does not match: wrong signing secret, or the body was altered';
const SIGNATURE_REASONS: Array<[RegExp, string]> = [
  [/No stripe-signature header/i, 'Missing Stripe-Signature header'],
  [/Unable to extract timestamp and signatures/i, 'Malformed Stripe-Signature header (needs t=<timestamp>,v1=<signature>)'],
  [/No signatures found with expected scheme/i, 'No v1 signature in the Stripe-Signature header'],
  [/No signatures found matching/i, MISMATCH],
  [/Timestamp outside the tolerance zone/i, `Signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s old (replayed or stale delivery)`],
  [/No webhook payload/i, 'Empty body'],
];

/** Maps what `constructEvent` threw to a refusal; null for anything that is not the sender's fault. */
export function refusalFor(err: unknown): Refused | null {
  const e = err as { type?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : '';
  if (e?.type === 'StripeSignatureVerificationError') {
    const reason = SIGNATURE_REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? 'Invalid Stripe signature';
    return refuse('bad_signature', reason);
  }
  if (err instanceof SyntaxError) return refuse('malformed', 'Body is not valid JSON');
  if (/thin event/i.test(message)) return refuse('malformed', thinMessage);
  return null;
}

const thinMessage = 'Thin (v2) events carry no object snapshot and are not supported: send snapshot (v1) events to this endpoint';

/** Stripe's ids and types are short; a longer one would not fit the unique index that dedupes events. */
const MAX_ID_LENGTH = 255;
/**
 * Verifies the signature over the exact bytes received (any matching v1 signature counts;
 * v0 and other schemes are ignored by the SDK), then checks the body is a v1 snapshot event.
 */
export function verifyStripeEvent(rawBody: Buffer, signature: string | undefined, secret: string, tolerance = SIGNATURE_TOLERANCE_SECONDS): Verified | Refused {
  if (!rawBody.length) return refuse('malformed', 'Empty body');
  if (!signature) return refuse('bad_signature', 'Missing Stripe-Signature header');
  // The SDK strips a byte order mark before parsing, but the raw text is what gets stored.
  if (rawBody[0] === 0xef && rawBody[1] === 0xbb && rawBody[2] === 0xbf) return refuse('malformed', 'Body starts with a byte order mark');
  let body: unknown;
  try {
    body = Stripe.webhooks.constructEvent(rawBody, signature, secret, tolerance);
  } catch (err) {
    // constructEvent only parses and compares: whatever else it throws (a signature whose bytes
    // are not hex makes its constant-time compare throw a RangeError) is still a bad signature.
    return refusalFor(err) ?? refuse('bad_signature', MISMATCH);
  }
  if (!isStripeEventLike(body)) return refuse('malformed', 'Body is not a Stripe event (needs an "id" and a "type")');
  if (isThinEvent(body)) return refuse('malformed', thinMessage);
  if (body.id.length > MAX_ID_LENGTH || body.type.length > MAX_ID_LENGTH) return refuse('malformed', `Event id and type must be at most ${MAX_ID_LENGTH} characters`);
  const problem = mayBeUnstorable(rawBody) ? unstorable(body) : null;
  if (problem) return refuse('malformed', problem);
  return { ok: true, event: body };
}

/** Whether a trigger configured with `events` starts runs for `type` (`*` takes every type). */
export function isSubscribed(events: readonly string[] | undefined, type: string): boolean {
  return Array.isArray(events) && (events.includes('*') || events.includes(type));
}
