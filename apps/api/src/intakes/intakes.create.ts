import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EffectPorts, IntakeInput } from '@handoff/nodes';
import { contactAndOpenDeal } from '../crm/crm.store';

interface IntakeOrigin {
  runId: string;
  nodeId: string;
}

/** 32 random bytes, base64url (43 characters): the link is the only key to the form. */
export function newIntakeToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashIntakeToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export const INTAKE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The link to the public form; the web app serves /intake/:token. */
export function intakeUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/intake/${token}`;
}

/**
 * Creates the intake on the step's transaction, linked to the client's contact and open deal
 * when the built-in CRM knows them, and queues the e-mail with the link in the outbox (held
 * there, readable, when no SMTP credential is set). Only the token's hash is stored.
 */
export async function startIntake(
  m: EntityManager,
  origin: IntakeOrigin,
  input: IntakeInput,
  publicUrl: string,
  outbox: EffectPorts['outbox'],
): Promise<{ id: string; token: string; url: string }> {
  const email = input.email?.trim() || null;
  if (!email) throw new IntakeWithoutEmailError();
  const client = contactAndOpenDeal({ customerId: input.customerId, email });
  const token = newIntakeToken();
  const [row] = await m.query(
    `WITH ${client.ctes}
     INSERT INTO intakes (token_hash, contact_id, deal_id, run_id, node_id, email, name, fields, expires_at)
     VALUES ($3, (SELECT id FROM contact), (SELECT id FROM open_deal), $4, $5, $6, $7, $8, now() + make_interval(days => $9)) RETURNING id, expires_at`,
    [...client.params, hashIntakeToken(token), origin.runId, origin.nodeId, email, input.name ?? null, JSON.stringify(input.fields), input.expiresInDays],
  );
  const url = intakeUrl(publicUrl, token);
  const until = (row.expires_at as Date).toISOString().slice(0, 10);
  await outbox.enqueue({
    channel: 'email',
    credential: input.credential,
    recipient: email,
    subject: 'Your onboarding form',
    body: `Hello${input.name ? ` ${input.name}` : ''},\n\nThank you for your payment. A few questions so we can start your onboarding (about two minutes):\n\n${url}\n\nThe link is personal and works until ${until}.`,
    payload: { intakeId: row.id },
  });
  return { id: row.id, token, url };
}

export class IntakeWithoutEmailError extends Error {
  constructor() {
    super('Cannot send the intake form: the e-mail is empty for this run (set "email" on the intake step)');
  }
}
