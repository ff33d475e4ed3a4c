import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { CrmStage } from './crm-stage.entity';
import { createDeal, CrmInputError, DealPatch, moveDealStage, NewDeal, patchDeal } from './crm.store';
import { DealStageHistory } from './deal-stage-history.entity';
import { buildTimeline, timelineParts } from './deal-timeline';

export interface DealFilters {
  /** One stage, or several separated by commas (a team's view). */
  stage?: string;
  recordType?: string;
  /** The Stripe payment status flows wrote (paid, failed, open...), comma-separated. */
  paymentStatus?: string;
  /** Deals made by test runs are left out unless asked for. */
  includeTest?: boolean;
  q?: string;
  cursor?: string;
  limit?: number;
}

interface DealListRow {
  id: string;
  contact_id: string;
  stage: string;
  amount: string | null;
  currency: string | null;
  product: string | null;
  fields: Record<string, string>;
  title: string | null;
  record_type: string | null;
  stripe: Record<string, unknown>;
  test: boolean;
  run_id: string | null;
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
  contact_name: string | null;
  contact_email: string | null;
  stripe_customer_id: string | null;
  intake_id: string | null;
  intake_status: string | null;
}

interface ContactListRow {
  id: string;
  name: string | null;
  email: string | null;
  stripe_customer_id: string | null;
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
  open_deals: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Keyset cursors over (updated_at, id), with the timestamp at full microsecond precision so
// rows touched within the same millisecond are neither skipped nor repeated.
const CURSOR_AT = `to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const encode = (at: string, id: string) => Buffer.from(`${at}|${id}`).toString('base64url');

function decode(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || !UUID.test(id) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(at)) {
    throw new BadRequestException({ statusCode: 400, message: 'Invalid cursor' });
  }
  return { at, id };
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The intake a deal's card shows: its latest, with a passed deadline shown as expired. */
const LATEST_INTAKE = `LEFT JOIN LATERAL (
    SELECT id, CASE WHEN status IN ('sent','opened') AND expires_at <= now() THEN 'expired' ELSE status END AS status
    FROM intakes WHERE deal_id = d.id ORDER BY created_at DESC, id DESC LIMIT 1) i ON true`;

const DEAL_COLUMNS = `d.id, d.contact_id, d.stage, d.amount, d.currency, d.product, d.fields, d.title, d.record_type, d.stripe, d.test, d.run_id, d.created_at, d.updated_at,
  ${CURSOR_AT.replace('%s', 'd.updated_at')} AS cursor_at,
  c.name AS contact_name, c.email AS contact_email, c.stripe_customer_id, i.id AS intake_id, i.status AS intake_status`;

function dealView(r: DealListRow) {
  return {
    id: r.id,
    title: r.title,
    contactId: r.contact_id,
    contact: { name: r.contact_name, email: r.contact_email, stripeCustomerId: r.stripe_customer_id },
    stage: r.stage,
    amount: r.amount === null ? null : Number(r.amount),
    currency: r.currency,
    product: r.product,
    recordType: r.record_type,
    fields: r.fields,
    stripe: { customerId: null, invoiceId: null, invoiceUrl: null, paymentStatus: null, ...r.stripe },
    test: r.test,
    runId: r.run_id,
    intake: r.intake_id ? { id: r.intake_id, status: r.intake_status as string } : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function historyView(h: DealStageHistory) {
  return { from: h.fromStage, to: h.toStage, at: h.at, byType: h.byType, by: h.by };
}

/** The built-in CRM as the board and the API see it. Writes from runs go through crm.store on the step's transaction. */
@Injectable()
export class CrmService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(CrmStage) private readonly stages: Repository<CrmStage>,
    @InjectRepository(DealStageHistory) private readonly history: Repository<DealStageHistory>,
    private readonly audit: AuditService,
  ) {}

  async listStages() {
    const rows = await this.stages.find({ order: { position: 'ASC' } });
    return { items: rows.map(({ key, label }) => ({ key, label })), nextCursor: null };
  }

  /** Deals, most recently touched first, keyset-paginated on (updated_at, id). */
  async listDeals(f: DealFilters) {
    const limit = Math.min(Math.max(f.limit ?? 100, 1), 200);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    if (f.stage) {
      const wanted = f.stage.split(',').map((s) => s.trim()).filter(Boolean);
      const known = new Set((await this.stages.find()).map((s) => s.key));
      const unknown = wanted.filter((s) => !known.has(s));
      if (unknown.length) throw new BadRequestException({ statusCode: 400, message: `${unknown.map((s) => `"${s}"`).join(', ')} ${unknown.length === 1 ? 'is not a CRM stage' : 'are not CRM stages'}` });
      where.push(`d.stage = ANY(${param(wanted)})`);
    }
    if (f.recordType) {
      if (f.recordType !== 'profit' && f.recordType !== 'nonprofit') throw new BadRequestException({ statusCode: 400, message: 'recordType must be profit or nonprofit' });
      where.push(`d.record_type = ${param(f.recordType)}`);
    }
    if (!f.includeTest) where.push('NOT d.test');
    if (f.paymentStatus) where.push(`d.stripe ->> 'paymentStatus' = ANY(${param(f.paymentStatus.split(',').map((s) => s.trim()))})`);
    const q = f.q?.trim();
    if (q) {
      const exact = param(q);
      const like = param(likePattern(q));
      where.push(`(c.stripe_customer_id = ${exact} OR d.id::text = ${exact} OR c.email ILIKE ${like} OR c.name ILIKE ${like} OR d.product ILIKE ${like})`);
    }
    const cursor = decode(f.cursor);
    if (cursor) where.push(`(d.updated_at, d.id) < (${param(cursor.at)}::timestamptz, ${param(cursor.id)}::uuid)`);
    const rows: DealListRow[] = await this.db.query(
      `SELECT ${DEAL_COLUMNS} FROM crm_deals d JOIN crm_contacts c ON c.id = d.contact_id ${LATEST_INTAKE}
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY d.updated_at DESC, d.id DESC LIMIT ${limit + 1}`,
      params,
    );
    const items = rows.slice(0, limit);
    const last = rows.length > limit ? items[items.length - 1] : null;
    return { items: items.map(dealView), nextCursor: last ? encode(last.cursor_at, last.id) : null };
  }

  async getDeal(id: string) {
    const [row]: DealListRow[] = UUID.test(id)
      ? await this.db.query(`SELECT ${DEAL_COLUMNS} FROM crm_deals d JOIN crm_contacts c ON c.id = d.contact_id ${LATEST_INTAKE} WHERE d.id = $1`, [id])
      : [];
    if (!row) throw new NotFoundException({ statusCode: 404, message: `Deal ${id} not found` });
    const [history, parts] = await Promise.all([this.history.find({ where: { dealId: id }, order: { id: 'ASC' } }), timelineParts(this.db, id)]);
    return { ...dealView(row), history: history.map(historyView), timeline: buildTimeline(parts) };
  }

  async listContacts(f: { q?: string; cursor?: string; limit?: number }) {
    const limit = Math.min(Math.max(f.limit ?? 100, 1), 200);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    const q = f.q?.trim();
    if (q) {
      const exact = param(q);
      const like = param(likePattern(q));
      where.push(`(c.stripe_customer_id = ${exact} OR c.email ILIKE ${like} OR c.name ILIKE ${like})`);
    }
    const cursor = decode(f.cursor);
    if (cursor) where.push(`(c.updated_at, c.id) < (${param(cursor.at)}::timestamptz, ${param(cursor.id)}::uuid)`);
    const rows: ContactListRow[] = await this.db.query(
      `SELECT c.id, c.name, c.email, c.stripe_customer_id, c.created_at, c.updated_at, ${CURSOR_AT.replace('%s', 'c.updated_at')} AS cursor_at,
              (SELECT count(*)::int FROM crm_deals d WHERE d.contact_id = c.id AND NOT d.closed) AS open_deals
       FROM crm_contacts c ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY c.updated_at DESC, c.id DESC LIMIT ${limit + 1}`,
      params,
    );
    const items = rows.slice(0, limit);
    const last = rows.length > limit ? items[items.length - 1] : null;
    return {
      items: items.map((c) => ({ id: c.id, name: c.name, email: c.email, stripeCustomerId: c.stripe_customer_id, openDeals: c.open_deals, createdAt: c.created_at, updatedAt: c.updated_at })),
      nextCursor: last ? encode(last.cursor_at, last.id) : null,
    };
  }

  async getContact(id: string) {
    const [c] = UUID.test(id) ? await this.db.query(`SELECT id, name, email, stripe_customer_id, properties, created_at, updated_at FROM crm_contacts WHERE id = $1`, [id]) : [];
    if (!c) throw new NotFoundException({ statusCode: 404, message: `Contact ${id} not found` });
    const deals: DealListRow[] = await this.db.query(
      `SELECT ${DEAL_COLUMNS} FROM crm_deals d JOIN crm_contacts c ON c.id = d.contact_id ${LATEST_INTAKE} WHERE d.contact_id = $1 ORDER BY d.updated_at DESC LIMIT 200`,
      [id],
    );
    return { id: c.id, name: c.name, email: c.email, stripeCustomerId: c.stripe_customer_id, properties: c.properties, createdAt: c.created_at, updatedAt: c.updated_at, deals: deals.map(dealView) };
  }

  /** A person moves a deal on the board: recorded in its history with their e-mail, and audited. */
  async moveStage(actor: AuthUser, id: string, stage: string) {
    if (!UUID.test(id)) throw new NotFoundException({ statusCode: 404, message: `Deal ${id} not found` });
    await this.write(async (m) => {
      const moved = await moveDealStage(m, id, stage, { type: 'user', id: actor.email });
      if (moved.changed) await this.audit.record(actor, 'deal.stage', 'deal', id, { from: moved.from, to: moved.to }, m);
    });
    return this.getDeal(id);
  }

  /** A deal created through the API or the board; its crm.trigger flows start in the same transaction. */
  async createDeal(actor: AuthUser, input: NewDeal) {
    const id = await this.write(async (m) => {
      const dealId = await createDeal(m, input, { type: 'user', id: actor.email });
      await this.audit.record(actor, 'deal.create', 'deal', dealId, { stage: input.stage }, m);
      return dealId;
    });
    return this.getDeal(id);
  }

  async updateDeal(actor: AuthUser, id: string, patch: DealPatch) {
    if (!UUID.test(id)) throw new NotFoundException({ statusCode: 404, message: `Deal ${id} not found` });
    await this.write(async (m) => {
      await patchDeal(m, id, patch, { type: 'user', id: actor.email });
      await this.audit.record(actor, 'deal.update', 'deal', id, { fields: Object.keys(patch) }, m);
    });
    return this.getDeal(id);
  }

  /** A CRM write in one transaction, its input errors as 4xx answers. */
  private async write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(work);
    } catch (e) {
      if (!(e instanceof CrmInputError)) throw e;
      if (e.kind === 'not_found') throw new NotFoundException({ statusCode: 404, message: e.message });
      if (e.kind === 'conflict') throw new ConflictException({ statusCode: 409, message: e.message });
      throw new BadRequestException({ statusCode: 400, message: e.message });
    }
  }
}
