import { createHmac, timingSafeEqual } from 'node:crypto';

/** Seconds a signature stays valid either side of now: a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; message: string };

/** `v1` of a body: hex HMAC-SHA256 of `<t>.<raw body>` under the shared secret (what senders compute). */
export function signWebhook(secret: string, rawBody: Buffer | string, timestamp: number): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * Checks `x-handoff-signature: t=<unix seconds>,v1=<hex>` (several v1 values are allowed while
 * a secret is being rotated). Constant-time compare; the reason on failure names what is
 * wrong, never the expected value.
 */
export function verifyWebhookSignature(header: string | undefined, rawBody: Buffer, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): SignatureCheck {
  if (!header) return { ok: false, message: 'Missing x-handoff-signature header (t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">)' };
  let timestamp: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value.toLowerCase());
  }
  if (timestamp === null) return { ok: false, message: 'The x-handoff-signature header has no timestamp (t=<unix seconds>)' };
  if (!candidates.length) return { ok: false, message: 'The x-handoff-signature header has no v1 signature (64 hex characters)' };
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, message: `The signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s away from now: sign each request when you send it` };
  }
  const expected = Buffer.from(signWebhook(secret, rawBody, timestamp).split('v1=')[1], 'hex');
  const match = candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
  return match ? { ok: true } : { ok: false, message: 'The signature does not match the body: sign the exact bytes you send, with the secret of this flow’s credential' };
}

/** The delivery id: the body's `idField` (dots for nested fields), else the Idempotency-Key header. */
export function deliveryId(body: unknown, idField: string, idempotencyKey: string | undefined): string | null {
  let value: unknown = body;
  for (const part of idField.split('.')) {
    value = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, part) ? (value as Record<string, unknown>)[part] : undefined;
  }
  if (typeof value === 'string' && value.trim()) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const header = idempotencyKey?.trim();
  return header ? header : null;
}
