import type { EntityManager } from 'typeorm';
import { changedFields, DealChange, DealSnapshot } from '../triggers/crm-trigger-match';
import { CRM_SUBSCRIBERS, CrmSubscriber, startCrmRuns } from '../triggers/crm.trigger';
import { CRM_CHANNEL } from '../notifications/notification-stream.service';
import { crmEvent } from './crm-notify';
import type { StageChangeBy } from './deal-stage-history.entity';

/**
 * The built-in CRM's writes, on the caller's transaction: a run's deal update commits with
 * its step, a client's intake submission with its answers. Rules (docs/crm.md):
 * - a contact is found by Stripe customer id first, then by e-mail; both are stored;
 * - one open deal per contact and product is the upsert key; a closed stage (lost) ends it;
 * - a run never moves a deal backwards in the pipeline (Stripe events arrive out of order);
 *   people can move it anywhere;
 * - every change is recorded in crm_deal_changes and starts the matching `crm.trigger` flows
 *   on the same transaction (recordChange), so a run exists if and only if its change commits.
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
  /** Written by a test run: a test deal, apart from the real ones (the upsert key includes it). */
  test?: boolean;
  stage: string;
  amount?: number | null;
  currency?: string | null;
  product?: string | null;
  fields?: Record<string, string>;
  /** Stripe ids written on the deal (merged; empty ones left out); a `paymentIntentId` also finds the deal that recorded it. */
  stripe?: Record<string, string | null>;
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
async function lockKeys(m: EntityManager, keys: Array<string | null>, also?: { sql: string; params: unknown[] }): Promise<unknown> {
  // A transaction's advisory locks last until it ends: keys it holds already (an earlier step of
  // the same batch) are not asked for again. Only inside a transaction: autocommit drops them.
  const inTransaction = m.queryRunner?.isTransactionActive === true;
  const mine = (inTransaction && held.get(m)) || new Set<string>();
  const sorted = [...new Set(keys.filter((k): k is string => k !== null))].filter((k) => !mine.has(k)).sort();
  if (!sorted.length && !also) return undefined;
  // One round trip: unnest yields the keys in array order, and they are locked in that order.
  // `also` (a scalar select on $2...) rides on the same statement.
  const lock = `(SELECT count(pg_advisory_xact_lock(hashtextextended(k, 727))) FROM unnest($1::text[]) AS k)`;
  const [row]: Array<{ value?: unknown }> = await m.query(also ? `SELECT ${lock} AS locked, (${also.sql}) AS value` : `SELECT ${lock} AS locked`, [sorted, ...(also?.params ?? [])]);
  if (inTransaction) {
    for (const k of sorted) mine.add(k);
    held.set(m, mine);
  }
  return row?.value;
}

/** The advisory-lock keys of a contact key (findOrCreateContact). */
function contactKeys(key: ContactKey): Array<string | null> {
  const customerId = clean(key.customerId);
  const email = clean(key.email);
  return [customerId && `crm:customer:${customerId}`, email && `crm:email:${email.toLowerCase()}`];
}

/** The keys each open transaction (its EntityManager) has locked. */
const held = new WeakMap<EntityManager, Set<string>>();

/** How long a process keeps the pipeline it read: stages change only by SQL (docs/crm.md), and every deal write needs them. */
const STAGES_TTL_MS = 10_000;
let stagesRead: { at: number; stages: StageRow[] } | null = null;

/** The pipeline in order, as read at most STAGES_TTL_MS ago (`fresh`: read now). */
export async function stagesOf(m: EntityManager, fresh = false): Promise<StageRow[]> {
  if (!fresh && stagesRead && Date.now() - stagesRead.at < STAGES_TTL_MS) return stagesRead.stages;
  const stages: StageRow[] = await m.query(`SELECT key, label, position, closed FROM crm_stages ORDER BY position`);
  stagesRead = { at: Date.now(), stages };
  return stages;
}

/** A stage by key; one the kept pipeline does not know is looked up again before it is refused (a stage just added). */
export async function stageOf(m: EntityManager, key: string): Promise<StageRow> {
  let stages = await stagesOf(m);
  let stage = stages.find((s) => s.key === key);
  if (!stage) {
    stages = await stagesOf(m, true);
    stage = stages.find((s) => s.key === key);
  }
  if (!stage) throw new CrmInputError(`"${key}" is not a CRM stage; the stages are ${stages.map((s) => s.key).join(', ')}`);
  return stage;
}

/**
 * The contact row that `$1` (customer id) and `$2` (e-mail) point at: by customer id first;
 * else a known e-mail without a customer id yet is the same person (one with another customer
 * id is another billing entity). Without a customer id: the e-mail's latest contact.
 */
function contactLookup(byCustomerId: boolean): string {
  return byCustomerId
    ? `SELECT id, stripe_customer_id, email, name FROM (
         SELECT 1 AS rank, id, stripe_customer_id, email, name FROM crm_contacts WHERE stripe_customer_id = $1
         UNION ALL
         SELECT 2, id, stripe_customer_id, email, name FROM crm_contacts WHERE $2::text IS NOT NULL AND lower(email) = lower($2) AND stripe_customer_id IS NULL
       ) c ORDER BY rank LIMIT 1`
    : // $1 (null here) is named so that the lookup has the same parameters either way.
      `SELECT id, stripe_customer_id, email, name FROM crm_contacts WHERE $1::text IS NULL AND lower(email) = lower($2) ORDER BY updated_at DESC, id LIMIT 1`;
}

/**
 * The CTEs `d` (a deal for each contact `from` yields; parameters from `$first`: stage, closed,
 * amount, currency, product, fields, run id, test, by type, by id, stripe) and `h` (its first stage in
 * the history). `d` returns what dealSnapshot reads, so the change is recorded without reading
 * the deal again.
 */
function newDealCtes(from: string, first: number): string {
  const $ = (i: number) => `$${first + i}`;
  return `d AS (
         INSERT INTO crm_deals (contact_id, stage, closed, amount, currency, product, fields, run_id, test, stripe)
         SELECT c.id, ${$(0)}, ${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)}, ${$(6)}, ${$(7)}, ${$(10)}::jsonb FROM ${from} c
         RETURNING id, contact_id, stage, closed, amount, currency, product, fields, title, record_type, stripe),
       h AS (INSERT INTO deal_stage_history (deal_id, from_stage, to_stage, by_type, by) SELECT id, NULL, stage, ${$(8)}, ${$(9)} FROM d)`;
}

const newDealParams = (f: FirstDeal) => [f.stage.key, f.stage.closed, f.amount, f.currency, f.product, JSON.stringify(f.fields), f.runId, f.test, f.by.type, f.by.id, JSON.stringify(f.stripe)];

/**
 * Finds the contact (customer id first, then e-mail) and brings it up to date, or creates it;
 * `properties` are merged into its own (an empty value removes one). Returns it with them all.
 */
export async function upsertContact(m: EntityManager, key: ContactKey, properties: Record<string, string> = {}): Promise<ContactRow & { properties: Record<string, string> }> {
  return (await findOrCreateContact(m, key, properties)).contact;
}

/** A new contact's first deal, written by the statement that creates the contact (upsertDeal). */
interface FirstDeal {
  stage: StageRow;
  amount: number | null;
  currency: string | null;
  product: string | null;
  fields: Record<string, string>;
  stripe: Record<string, string>;
  runId: string | null;
  test: boolean;
  by: StageActor;
}

type NewDealRow = DealRow & Omit<SnapshotRow, 'email' | 'name' | 'stripe_customer_id'>;

/** Records a deal just inserted (its own snapshot: `d` returns what dealSnapshot reads) as created. */
async function recordCreated(m: EntityManager, row: NewDealRow, contact: ContactRow, by: StageActor): Promise<DealResult> {
  await recordChange(m, row.id, null, by, toSnapshot({ ...row, email: contact.email, name: contact.name, stripe_customer_id: contact.stripe_customer_id }));
  return result(row, true, null);
}

/**
 * upsertContact, saying whether the contact was created (nobody else can see it before commit).
 * After the lock, one statement finds the contact and updates it, or creates it; with
 * `firstDeal`, a contact it creates gets that deal and its first history row in the same
 * statement (a new contact has no deal to look for). #17: a paid checkout from a new client
 * was five round trips to the database, now three.
 */
async function findOrCreateContact(
  m: EntityManager,
  key: ContactKey,
  properties: Record<string, string> = {},
  firstDeal?: FirstDeal,
): Promise<{ contact: ContactRow & { properties: Record<string, string> }; created: boolean; deal: NewDealRow | null }> {
  const set = JSON.stringify(Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== '')));
  const removed = Object.keys(properties).filter((k) => properties[k] === '');
  const customerId = clean(key.customerId);
  const email = clean(key.email);
  const name = clean(key.name);
  if (!customerId && !email) throw new CrmInputError('A contact needs a Stripe customer id or an e-mail');
  await lockKeys(m, contactKeys(key));
  const deal = firstDeal ? `, ${newDealCtes('i', 6)}` : '';
  const dealParams = firstDeal ? newDealParams(firstDeal) : [];
  const [row]: Array<ContactRow & { properties: Record<string, string>; created: boolean; deal: NewDealRow | null }> = await m.query(
    `WITH found AS (${contactLookup(customerId !== null)}),
     u AS (
       UPDATE crm_contacts c SET stripe_customer_id = coalesce(c.stripe_customer_id, $1), email = coalesce($2, c.email), name = coalesce($3, c.name),
         properties = (c.properties || $4::jsonb) - $5::text[], updated_at = now()
       FROM found WHERE c.id = found.id RETURNING c.id, c.stripe_customer_id, c.email, c.name, c.properties),
     i AS (
       INSERT INTO crm_contacts (stripe_customer_id, email, name, properties) SELECT $1, $2, $3, $4::jsonb WHERE NOT EXISTS (SELECT 1 FROM found)
       RETURNING id, stripe_customer_id, email, name, properties)${deal}
     SELECT u.*, false AS created, NULL::json AS deal FROM u
     UNION ALL
     SELECT i.*, true, ${firstDeal ? '(SELECT row_to_json(d) FROM d)' : 'NULL::json'} FROM i`,
    [customerId, email, name, set, removed, ...dealParams],
  );
  const { created, deal: inserted, ...contact } = row;
  return { contact, created, deal: inserted };
}

async function recordStage(m: EntityManager, dealId: string, from: string | null, to: string, by: StageActor): Promise<void> {
  await m.query(`INSERT INTO deal_stage_history (deal_id, from_stage, to_stage, by_type, by) VALUES ($1, $2, $3, $4, $5)`, [dealId, from, to, by.type, by.id]);
}

const toNumber = (v: string | null): number | null => (v === null ? null : Number(v));

/**
 * Creates or updates the contact's open deal for the product and sets its stage, amount
 * and fields (merged into the existing ones). Returns what was written.
 *
 * A deal that records the Stripe payment (`stripe.paymentIntentId`) comes first, whatever its
 * contact and product: a refund's charge carries no product and may name the client another
 * way, and must still tag the deal its payment made rather than open one of its own.
 */
export async function upsertDeal(m: EntityManager, input: DealInput, by: StageActor, runId: string | null): Promise<DealResult> {
  const target = await stageOf(m, input.stage);
  const product = clean(input.product);
  const test = input.test ?? false;
  const fields = input.fields ?? {};
  const stripe = Object.fromEntries(Object.entries(input.stripe ?? {}).filter((e): e is [string, string] => clean(e[1]) !== null));
  const currency = clean(input.currency)?.toLowerCase() ?? null;
  const paymentIntent = clean(stripe.paymentIntentId);
  let deal: DealRow | undefined;
  if (paymentIntent) {
    // In the statement that takes the contact's locks (findOrCreateContact then asks for none):
    // a deal found is locked by the select; none found, the contact's locks order the writers.
    const found = await lockKeys(m, contactKeys(input), {
      sql: `SELECT row_to_json(d) FROM (SELECT id, contact_id, stage, closed, amount::text, currency, product, fields FROM crm_deals
              WHERE stripe ? 'paymentIntentId' AND stripe ->> 'paymentIntentId' = $2 AND test = $3 ORDER BY updated_at DESC, id DESC LIMIT 1 FOR UPDATE) d`,
      params: [paymentIntent, test],
    });
    deal = (found as DealRow | null) ?? undefined;
  }
  if (!deal) {
    const firstDeal: FirstDeal = { stage: target, amount: input.amount ?? null, currency, product, fields, stripe, runId, test, by };
    const { contact, deal: inserted } = await findOrCreateContact(m, input, {}, firstDeal);
    // A new contact: its deal and first history row came with it.
    if (inserted) return recordCreated(m, inserted, contact, by);
    deal = await dealOfContact(m, contact.id, product, test, target.closed);
    if (!deal) {
      const [row]: NewDealRow[] = await m.query(`WITH ${newDealCtes('(SELECT $1::uuid AS id)', 2)} SELECT * FROM d`, [contact.id, ...newDealParams(firstDeal)]);
      return recordCreated(m, row, contact, by);
    }
  }
  const previous = await dealSnapshot(m, deal.id);

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
         fields = fields || $6::jsonb, stripe = stripe || $8::jsonb, run_id = coalesce($7, run_id), updated_at = now()
       WHERE id = $1 RETURNING id, contact_id, stage, closed, amount, currency, product, fields)
     SELECT * FROM u`,
    [deal.id, stage.key, stage.closed, input.amount ?? null, currency, JSON.stringify(fields), runId, JSON.stringify(stripe)],
  );
  if (deal.stage !== stage.key) await recordStage(m, deal.id, deal.stage, stage.key, by);
  await recordChange(m, deal.id, previous, by);
  return { ...result(row, false, deal.stage), ...(stageKept ? { stageKept } : {}) };
}

/** The contact's open deal for the product; when closing, else the one closed last (a repeated refund). Locked. */
async function dealOfContact(m: EntityManager, contactId: string, product: string | null, test: boolean, closing: boolean): Promise<DealRow | undefined> {
  await lockKeys(m, [`crm:contact:${contactId}`]);
  let [deal]: Array<DealRow | undefined> = await m.query(
    `SELECT id, contact_id, stage, closed, amount, currency, product, fields FROM crm_deals
     WHERE contact_id = $1 AND coalesce(product, '') = coalesce($2, '') AND test = $3 AND NOT closed FOR UPDATE`,
    [contactId, product, test],
  );
  if (!deal && closing) {
    // Closing again (a repeated refund) touches the deal that was closed, rather than opening and closing a new one.
    [deal] = await m.query(
      `SELECT id, contact_id, stage, closed, amount, currency, product, fields FROM crm_deals
       WHERE contact_id = $1 AND coalesce(product, '') = coalesce($2, '') AND test = $3 ORDER BY updated_at DESC, id DESC LIMIT 1 FOR UPDATE`,
      [contactId, product, test],
    );
  }
  return deal;
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
  const previous = await dealSnapshot(m, dealId);
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
  await recordChange(m, dealId, previous, by);
  return { from: deal.stage, to: target.key, changed: true };
}

/**
 * CTEs for a statement that links a row to the client (an intake): `contact`, the contact the
 * key points at (contactLookup), and `open_deal`, its open deal touched last, on parameters
 * $1 and $2 (`params`). Either is empty when the CRM does not know it.
 */
export function contactAndOpenDeal(key: ContactKey): { ctes: string; params: [string | null, string | null] } {
  const customerId = clean(key.customerId);
  const email = clean(key.email);
  return {
    ctes: `contact AS (${contactLookup(customerId !== null)}),
     open_deal AS (SELECT id FROM crm_deals WHERE contact_id = (SELECT id FROM contact) AND NOT closed ORDER BY updated_at DESC, id DESC LIMIT 1)`,
    params: [customerId, email],
  };
}

interface SnapshotRow {
  id: string;
  title: string | null;
  stage: string;
  amount: string | null;
  currency: string | null;
  product: string | null;
  record_type: 'profit' | 'nonprofit' | null;
  fields: Record<string, unknown>;
  stripe: Record<string, unknown>;
  contact_id: string;
  email: string | null;
  name: string | null;
  stripe_customer_id: string | null;
}

/** The deal as flows see it in `trigger.deal`. */
export async function dealSnapshot(m: EntityManager, dealId: string): Promise<DealSnapshot | null> {
  const [r]: SnapshotRow[] = await m.query(
    `SELECT d.id, d.title, d.stage, d.amount, d.currency, d.product, d.record_type, d.fields, d.stripe, d.contact_id, c.email, c.name, c.stripe_customer_id
     FROM crm_deals d JOIN crm_contacts c ON c.id = d.contact_id WHERE d.id = $1`,
    [dealId],
  );
  return r ? toSnapshot(r) : null;
}

function toSnapshot(r: SnapshotRow): DealSnapshot {
  return {
    id: r.id,
    title: r.title,
    stage: r.stage,
    amount: toNumber(r.amount),
    currency: r.currency,
    product: r.product,
    recordType: r.record_type,
    fields: r.fields,
    contact: { id: r.contact_id, email: r.email, name: r.name, stripeCustomerId: r.stripe_customer_id },
    stripe: r.stripe,
  };
}

/**
 * Records what a write did to a deal (nothing, if it changed nothing) and starts the
 * `crm.trigger` flows it matches, on the caller's transaction. `written`: the deal as the write
 * returned it, when the caller has it (else it is read).
 */
export async function recordChange(m: EntityManager, dealId: string, previous: DealSnapshot | null, by: StageActor, written?: DealSnapshot): Promise<DealChange | null> {
  const deal = written ?? (await dealSnapshot(m, dealId));
  if (!deal) return null;
  const changed = changedFields(previous, deal);
  if (previous && !changed.length) return null;
  const kind: DealChange['kind'] = previous ? 'deal.updated' : 'deal.created';
  // The change row, the boards' notification (delivered on commit) and the flows a change may start, in one statement.
  const [row]: Array<{ seq: string; subscribed: CrmSubscriber[] }> = await m.query(
    `WITH c AS (
       INSERT INTO crm_deal_changes (deal_id, kind, changed, previous, deal, by_type, by, run_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq),
     n AS (SELECT pg_notify($9, $10) FROM c),
     t AS (${CRM_SUBSCRIBERS})
     SELECT c.seq, (SELECT count(*) FROM n)::int AS notified, coalesce((SELECT json_agg(t ORDER BY t.flow_id) FROM t), '[]') AS subscribed FROM c`,
    [dealId, kind, changed, previous ? JSON.stringify(previous) : null, JSON.stringify(deal), by.type, by.id, by.type === 'run' ? by.id : null, CRM_CHANNEL, crmEvent({ kind: 'deal', dealId })],
  );
  const change: DealChange = { seq: String(row.seq), kind, changed, deal, previous, by: { type: by.type, id: by.id } };
  await startCrmRuns(m, change, row.subscribed);
  return change;
}

export interface NewDeal {
  title?: string | null;
  contact: { email: string; name?: string | null; stripeCustomerId?: string | null };
  stage: string;
  amount: number;
  currency: string;
  product?: string | null;
  recordType?: 'profit' | 'nonprofit' | null;
  fields?: Record<string, unknown>;
}

export type DealPatch = Partial<Omit<NewDeal, 'contact'>> & { contact?: NewDeal['contact']; stripe?: Record<string, unknown> };

async function openDealFor(m: EntityManager, contactId: string, product: string | null, except: string | null): Promise<{ id: string } | null> {
  const [open] = await m.query(
    `SELECT id FROM crm_deals WHERE contact_id = $1 AND coalesce(product, '') = coalesce($2, '') AND NOT closed AND NOT test AND id IS DISTINCT FROM $3`,
    [contactId, product, except],
  );
  return open ?? null;
}

const openConflict = (product: string | null, id: string) =>
  new CrmInputError(`This contact already has an open deal for ${product ?? 'no product'} (${id}); update that one, or close it first`, 'conflict');

/** A deal created by a person or a script: one open deal per contact and product, as everywhere. */
export async function createDeal(m: EntityManager, input: NewDeal, by: StageActor): Promise<string> {
  const stage = await stageOf(m, input.stage);
  const contact = await upsertContact(m, { customerId: input.contact.stripeCustomerId, email: input.contact.email, name: input.contact.name });
  const product = clean(input.product);
  await lockKeys(m, [`crm:contact:${contact.id}`]);
  if (!stage.closed) {
    const open = await openDealFor(m, contact.id, product, null);
    if (open) throw openConflict(product, open.id);
  }
  const [row]: Array<{ id: string }> = await m.query(
    `INSERT INTO crm_deals (contact_id, stage, closed, amount, currency, product, title, record_type, fields) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [contact.id, stage.key, stage.closed, input.amount, input.currency.toLowerCase(), product, clean(input.title), input.recordType ?? null, JSON.stringify(input.fields ?? {})],
  );
  await recordStage(m, row.id, null, stage.key, by);
  await recordChange(m, row.id, null, by);
  return row.id;
}

/** Changes the fields given (fields and stripe are merged into what is there); a stage move is recorded in the history. */
export async function patchDeal(m: EntityManager, dealId: string, patch: DealPatch, by: StageActor): Promise<void> {
  const [deal]: DealRow[] = await m.query(`SELECT id, contact_id, stage, closed, amount, currency, product, fields FROM crm_deals WHERE id = $1 FOR UPDATE`, [dealId]);
  if (!deal) throw new CrmInputError(`Deal ${dealId} not found`, 'not_found');
  const previous = await dealSnapshot(m, dealId);
  const current = await stageOf(m, deal.stage);
  let stage = patch.stage !== undefined ? await stageOf(m, patch.stage) : current;
  // As in upsertDeal: a run never moves a deal backwards (events arrive out of order); people can.
  if (by.type === 'run' && !stage.closed && !current.closed && current.position > stage.position) stage = current;
  const contactId = patch.contact
    ? (await upsertContact(m, { customerId: patch.contact.stripeCustomerId, email: patch.contact.email, name: patch.contact.name })).id
    : deal.contact_id;
  const product = patch.product !== undefined ? clean(patch.product) : deal.product;
  await lockKeys(m, [`crm:contact:${contactId}`]);
  if (!stage.closed) {
    const open = await openDealFor(m, contactId, product, dealId);
    if (open) throw openConflict(product, open.id);
  }
  const sets: string[] = ['updated_at = now()'];
  const params: unknown[] = [dealId];
  const set = (column: string, value: unknown, cast = '') => sets.push(`${column} = $${params.push(value)}${cast}`);
  set('stage', stage.key);
  set('closed', stage.closed);
  set('contact_id', contactId);
  set('product', product);
  if (patch.title !== undefined) set('title', clean(patch.title));
  if (patch.amount !== undefined) set('amount', patch.amount);
  if (patch.currency !== undefined) set('currency', patch.currency.toLowerCase());
  if (patch.recordType !== undefined) set('record_type', patch.recordType);
  if (patch.fields !== undefined) sets.push(`fields = fields || $${params.push(JSON.stringify(patch.fields))}::jsonb`);
  if (patch.stripe !== undefined) sets.push(`stripe = stripe || $${params.push(JSON.stringify(patch.stripe))}::jsonb`);
  await m.query(`UPDATE crm_deals SET ${sets.join(', ')} WHERE id = $1`, params);
  if (stage.key !== deal.stage) await recordStage(m, dealId, deal.stage, stage.key, by);
  await recordChange(m, dealId, previous, by);
}
