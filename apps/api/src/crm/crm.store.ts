import type { EntityManager } from 'typeorm';
import type { StageChangeBy } from './deal-stage-history.entity';

/**
 * The built-in CRM's writes, on the caller's transaction: a run's deal update commits with
 * its step, a client's intake submission with its answers. Rules (docs/crm.md):
 * - a contact is found by Stripe customer id first, then by e-mail; both are stored;
 * - one open deal per contact and product is the upsert key; a closed stage (lost) ends it;
 * - a run never moves a deal backwards in the pipeline (Stripe events arrive out of order);
 *   people can move it anywhere.
 */

/** Bad input the caller can fix (unknown stage, no key): a 4xx for the API, a permanent step failure for the engine. */
export class CrmInputError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'conflict' | 'not_found' = 'invalid',
  ) {
    super(message);
  }
}

export interface StageActor {
  type: StageChangeBy;
  /** Run id, user e-mail or intake id. */
  id: string;
}

export interface ContactKey {
  customerId?: string | null;
  email?: string | null;
  name?: string | null;
}

export interface ContactRow {
  id: string;
  stripe_customer_id: string | null;
  email: string | null;
  name: string | null;
}

export interface StageRow {
  key: string;
  label: string;
  position: number;
  closed: boolean;
}

interface DealRow {
  id: string;
  contact_id: string;
  stage: string;
  closed: boolean;
  amount: string | null;
  currency: string | null;
  product: string | null;
  fields: Record<string, string>;
}

export interface DealInput extends ContactKey {
  stage: string;
  amount?: number | null;
  currency?: string | null;
  product?: string | null;
  fields?: Record<string, string>;
}

export interface DealResult {
  dealId: string;
  contactId: string;
  created: boolean;
  stage: string;
  previousStage: string | null;
  /** Set when a run asked for an earlier stage than the deal is in: the stage was left as it was. */
  stageKept?: { requested: string; reason: string };
  amount: number | null;
  currency: string | null;
  product: string | null;
  fields: Record<string, string>;
}

const clean = (s: string | null | undefined): string | null => {
  const t = s?.trim();
  return t ? t : null;
};

/**
 * Serialises writers of the same contact across processes until the transaction ends.
 * Keys are taken in sorted order so two writers never wait on each other in a circle.
 */
async function lockKeys(m: EntityManager, keys: Array<string | null>): Promise<void> {
  for (const key of [...new Set(keys.filter((k): k is string => k !== null))].sort()) {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 727))`, [key]);
  }
}

export async function stagesOf(m: EntityManager): Promise<StageRow[]> {
  return m.query(`SELECT key, label, position, closed FROM crm_stages ORDER BY position`);
}

export async function stageOf(m: EntityManager, key: string): Promise<StageRow> {
  const stages = await stagesOf(m);
  const stage = stages.find((s) => s.key === key);
  if (!stage) throw new CrmInputError(`"${key}" is not a CRM stage; the stages are ${stages.map((s) => s.key).join(', ')}`);
  return stage;
}

/** The contact a customer id or e-mail points at, without creating one. */
export async function findContact(m: EntityManager, key: ContactKey): Promise<ContactRow | null> {
  const customerId = clean(key.customerId);
  const email = clean(key.email);
  if (customerId) {
    const [byId] = await m.query(`SELECT id, stripe_customer_id, email, name FROM crm_contacts WHERE stripe_customer_id = $1`, [customerId]);
    if (byId) return byId;
    if (!email) return null;
    // A known e-mail without a customer id yet is the same person; one with another customer id is another billing entity.
    const [byEmail] = await m.query(
      `SELECT id, stripe_customer_id, email, name FROM crm_contacts WHERE lower(email) = lower($1) AND stripe_customer_id IS NULL`,
      [email],
    );
    return byEmail ?? null;
  }
  if (!email) return null;
  const [byEmail] = await m.query(
    `SELECT id, stripe_customer_id, email, name FROM crm_contacts WHERE lower(email) = lower($1) ORDER BY updated_at DESC, id LIMIT 1`,
    [email],
  );
  return byEmail ?? null;
}

/** Finds the contact (customer id first, then e-mail) and brings it up to date, or creates it. */
export async function upsertContact(m: EntityManager, key: ContactKey): Promise<ContactRow> {
  const customerId = clean(key.customerId);
  const email = clean(key.email);
  const name = clean(key.name);
  if (!customerId && !email) throw new CrmInputError('A contact needs a Stripe customer id or an e-mail');
  await lockKeys(m, [customerId && `crm:customer:${customerId}`, email && `crm:email:${email.toLowerCase()}`]);
  const found = await findContact(m, { customerId, email });
  if (found) {
    // Wrapped in a CTE: TypeORM returns [rows, count] for a bare UPDATE ... RETURNING.
    const [row] = await m.query(
      `WITH u AS (
         UPDATE crm_contacts SET stripe_customer_id = coalesce(stripe_customer_id, $2), email = coalesce($3, email), name = coalesce($4, name), updated_at = now()
         WHERE id = $1 RETURNING id, stripe_customer_id, email, name)
       SELECT * FROM u`,
      [found.id, customerId, email, name],
    );
    return row;
  }
  const [row] = await m.query(`INSERT INTO crm_contacts (stripe_customer_id, email, name) VALUES ($1, $2, $3) RETURNING id, stripe_customer_id, email, name`, [
    customerId,
    email,
    name,
  ]);
  return row;
}

async function recordStage(m: EntityManager, dealId: string, from: string | null, to: string, by: StageActor): Promise<void> {
  await m.query(`INSERT INTO deal_stage_history (deal_id, from_stage, to_stage, by_type, by) VALUES ($1, $2, $3, $4, $5)`, [dealId, from, to, by.type, by.id]);
}

const toNumber = (v: string | null): number | null => (v === null ? null : Number(v));

/**
 * Creates or updates the contact's open deal for the product and sets its stage, amount
 * and fields (merged into the existing ones). Returns what was written.
 */
export async function upsertDeal(m: EntityManager, input: DealInput, by: StageActor, runId: string | null): Promise<DealResult> {
  const target = await stageOf(m, input.stage);
  const contact = await upsertContact(m, input);
  const product = clean(input.product);
  await lockKeys(m, [`crm:contact:${contact.id}`]);
  let [deal]: DealRow[] = await m.query(
    `SELECT id, contact_id, stage, closed, amount, currency, product, fields FROM crm_deals
     WHERE contact_id = $1 AND coalesce(product, '') = coalesce($2, '') AND NOT closed FOR UPDATE`,
    [contact.id, product],
  );
  if (!deal && target.closed) {
    // Closing again (a repeated refund) touches the deal that was closed, rather than opening and closing a new one.
    [deal] = await m.query(
      `SELECT id, contact_id, stage, closed, amount, currency, product, fields FROM crm_deals
       WHERE contact_id = $1 AND coalesce(product, '') = coalesce($2, '') ORDER BY updated_at DESC, id DESC LIMIT 1 FOR UPDATE`,
      [contact.id, product],
    );
  }
  const fields = input.fields ?? {};
  const currency = clean(input.currency)?.toLowerCase() ?? null;

  if (!deal) {
    const [row]: DealRow[] = await m.query(
      `INSERT INTO crm_deals (contact_id, stage, closed, amount, currency, product, fields, run_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING id, contact_id, stage, closed, amount, currency, product, fields`,
      [contact.id, target.key, target.closed, input.amount ?? null, currency, product, JSON.stringify(fields), runId],
    );
    await recordStage(m, row.id, null, target.key, by);
    return result(row, true, null);
  }

  let stage = target;
  let stageKept: DealResult['stageKept'];
  if (by.type === 'run' && deal.stage !== target.key && !target.closed) {
    const current = await stageOf(m, deal.stage);
    if (!current.closed && current.position > target.position) {
      stage = current;
      stageKept = { requested: target.key, reason: `the deal is already at ${current.key}, which comes after ${target.key}` };
    }
  }
  const [row]: DealRow[] = await m.query(
    `WITH u AS (
       UPDATE crm_deals SET stage = $2, closed = $3, amount = coalesce($4, amount), currency = coalesce($5, currency),
         fields = fields || $6::jsonb, run_id = coalesce($7, run_id), updated_at = now()
       WHERE id = $1 RETURNING id, contact_id, stage, closed, amount, currency, product, fields)
     SELECT * FROM u`,
    [deal.id, stage.key, stage.closed, input.amount ?? null, currency, JSON.stringify(fields), runId],
  );
  if (deal.stage !== stage.key) await recordStage(m, deal.id, deal.stage, stage.key, by);
  return { ...result(row, false, deal.stage), ...(stageKept ? { stageKept } : {}) };
}

function result(row: DealRow, created: boolean, previousStage: string | null): DealResult {
  return {
    dealId: row.id,
    contactId: row.contact_id,
    created,
    stage: row.stage,
    previousStage,
    amount: toNumber(row.amount),
    currency: row.currency,
    product: row.product,
    fields: row.fields,
  };
}

/**
 * Moves a deal to a stage (a person on the board, or the client's intake submission).
 * Reopening a closed deal while the contact has another open deal for the product is a conflict.
 */
export async function moveDealStage(m: EntityManager, dealId: string, to: string, by: StageActor): Promise<{ from: string; to: string; changed: boolean }> {
  const target = await stageOf(m, to);
  const [deal]: DealRow[] = await m.query(`SELECT id, contact_id, stage, closed, product FROM crm_deals WHERE id = $1 FOR UPDATE`, [dealId]);
  if (!deal) throw new CrmInputError(`Deal ${dealId} not found`, 'not_found');
  if (deal.stage === target.key) return { from: deal.stage, to: deal.stage, changed: false };
  if (deal.closed && !target.closed) {
    await lockKeys(m, [`crm:contact:${deal.contact_id}`]);
    const [open] = await m.query(`SELECT id FROM crm_deals WHERE contact_id = $1 AND coalesce(product, '') = coalesce($2, '') AND NOT closed AND id <> $3`, [
      deal.contact_id,
      deal.product,
      dealId,
    ]);
    if (open) throw new CrmInputError(`This contact already has an open deal for ${deal.product ?? 'this product'} (${open.id}); reopening this one would make two`, 'conflict');
  }
  await m.query(`UPDATE crm_deals SET stage = $2, closed = $3, updated_at = now() WHERE id = $1`, [dealId, target.key, target.closed]);
  await recordStage(m, dealId, deal.stage, target.key, by);
  return { from: deal.stage, to: target.key, changed: true };
}

/** The contact's open deal touched last, for an intake that is not told which deal it belongs to. */
export async function latestOpenDeal(m: EntityManager, contactId: string): Promise<{ id: string } | null> {
  const [row] = await m.query(`SELECT id FROM crm_deals WHERE contact_id = $1 AND NOT closed ORDER BY updated_at DESC, id DESC LIMIT 1`, [contactId]);
  return row ?? null;
}
