import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth.decorators';
import { maskIntakeLinks, seesIntakeLinks } from '../common/mask-intake-links';
import { enqueueOutbox } from '../outbox/outbox.enqueue';
import type { OutboxChannel } from '@handoff/nodes';
import type { IntakeFieldDef, IntakeStatus } from './intake.entity';
import { LatestMessage, resendBlocker } from './intake-resend';

export const INTAKE_STATUSES: IntakeStatus[] = ['sent', 'opened', 'submitted', 'expired'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A passed deadline reads as expired even before anything wrote it down. */
export const EFFECTIVE_STATUS = `CASE WHEN i.status IN ('sent','opened') AND i.expires_at <= now() THEN 'expired' ELSE i.status END`;

interface StaffRow {
  id: string;
  status: IntakeStatus;
  email: string | null;
  name: string | null;
  contact_id: string | null;
  deal_id: string | null;
  deal_title: string | null;
  run_id: string | null;
  node_id: string | null;
  /** Created by a test run of a draft. */
  test: boolean;
  flow_id: string | null;
  flow_name: string | null;
  url: string | null;
  fields: IntakeFieldDef[];
  answers: Record<string, string> | null;
  expires_at: Date;
  created_at: Date;
  opened_at: Date | null;
  submitted_at: Date | null;
  cursor_at: string;
  latest: (LatestMessage & { id: string; channel: OutboxChannel; recipient: string | null; subject: string | null; body: string; sent_at: Date | null }) | null;
  messages: number;
}

// The link's token is stored only as a hash; the link itself is the intake step's output.
const FROM = `intakes i
  LEFT JOIN runs r ON r.id = i.run_id
  LEFT JOIN flows f ON f.id = r.flow_id
  LEFT JOIN crm_deals d ON d.id = i.deal_id
  LEFT JOIN LATERAL (SELECT s.output ->> 'url' AS url FROM steps s WHERE s.run_id = i.run_id AND s.node_id = i.node_id AND s.output ? 'url' LIMIT 1) st ON true
  LEFT JOIN LATERAL (
    SELECT to_jsonb(o) AS latest, count(*) OVER () AS messages FROM (
      SELECT id, status, credential_id, node_id, channel, recipient, subject, body, sent_at, seq FROM outbox_messages WHERE payload ->> 'intakeId' = i.id::text
    ) o ORDER BY o.seq DESC LIMIT 1
  ) om ON true`;
const COLUMNS = `i.id, ${EFFECTIVE_STATUS} AS status, i.email, i.name, i.contact_id, i.deal_id, coalesce(d.title, d.product) AS deal_title, i.run_id, i.node_id, coalesce(r.test, false) AS test,
  r.flow_id, f.name AS flow_name, st.url, i.fields, i.answers, i.expires_at, i.created_at, i.opened_at, i.submitted_at, om.latest, coalesce(om.messages, 0)::int AS messages,
  to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at`;

export interface IntakeFilter {
  status?: unknown;
  flowId?: unknown;
  q?: unknown;
  cursor?: unknown;
}

const bad = (message: string) => new BadRequestException({ statusCode: 400, message });

/** The staff's side of intakes: the list, one intake with its questions and answers, and sending the link again. */
@Injectable()
export class IntakesStaffService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Newest first, keyset-paginated on (created_at, id); q finds an e-mail, a name or a deal. */
  async list(f: IntakeFilter, reader: AuthUser) {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    if (f.status !== undefined) {
      if (typeof f.status !== 'string' || !INTAKE_STATUSES.includes(f.status as IntakeStatus)) throw bad(`status must be one of ${INTAKE_STATUSES.join(', ')}`);
      where.push(`${EFFECTIVE_STATUS} = ${param(f.status)}`);
    }
    if (f.flowId !== undefined) {
      if (typeof f.flowId !== 'string' || !UUID.test(f.flowId)) throw bad('flowId must be a UUID');
      where.push(`r.flow_id = ${param(f.flowId)}::uuid`);
    }
    if (f.q !== undefined && f.q !== '') {
      if (typeof f.q !== 'string' || f.q.length > 200) throw bad('q must be text of at most 200 characters');
      const like = param(`%${f.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(i.email ILIKE ${like} OR i.name ILIKE ${like} OR d.title ILIKE ${like} OR d.product ILIKE ${like})`);
    }
    if (f.cursor !== undefined && f.cursor !== '') {
      const [at, id] = typeof f.cursor === 'string' ? Buffer.from(f.cursor, 'base64url').toString('utf8').split('|') : [];
      if (!at || !id || !UUID.test(id) || Number.isNaN(Date.parse(at))) throw bad('Invalid cursor');
      where.push(`(i.created_at, i.id) < (${param(at)}::timestamptz, ${param(id)}::uuid)`);
    }
    const rows: StaffRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM ${FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.created_at DESC, i.id DESC LIMIT 51`,
      params,
    );
    const items = rows.slice(0, 50);
    const last = rows.length > 50 ? items[items.length - 1] : null;
    return {
      items: items.map((r) => this.view(r, reader)),
      nextCursor: last ? Buffer.from(`${last.cursor_at}|${last.id}`).toString('base64url') : null,
    };
  }

  async get(id: string, reader: AuthUser) {
    return this.view(await this.find(this.db, id), reader);
  }

  /**
   * Sends the intake's last message again through the outbox, same link, same credential: the
   * form keeps one link, so a client who finds the first e-mail later still lands on it.
   */
  async resend(actor: AuthUser, id: string) {
    await this.db.transaction(async (m) => {
      await m.query(`SELECT id FROM intakes WHERE id = $1 FOR UPDATE`, [id]);
      const row = await this.find(m, id);
      const why = resendBlocker(row.status, row.latest);
      if (why || !row.latest) throw new ConflictException({ statusCode: 409, message: why });
      const { latest } = row;
      const sent = await enqueueOutbox(
        m,
        { runId: row.run_id, nodeId: row.node_id },
        {
          channel: latest.channel,
          credential: latest.credential_id ?? undefined,
          recipient: latest.recipient ?? undefined,
          subject: latest.subject ?? undefined,
          body: latest.body,
          payload: { intakeId: id, resendOf: latest.id },
        },
      );
      await this.audit.record(actor, 'intake.resend', 'intake', id, { messageId: sent.id }, m);
    });
    return this.get(id, actor);
  }

  private async find(m: Pick<DataSource, 'query'>, id: string): Promise<StaffRow> {
    const [row]: StaffRow[] = await m.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE i.id = $1`, [id]);
    if (!row) throw new NotFoundException({ statusCode: 404, message: `Intake ${id} not found` });
    return row;
  }

  private view(r: StaffRow, reader: AuthUser) {
    const why = resendBlocker(r.status, r.latest);
    const item = {
      id: r.id,
      status: r.status,
      email: r.email,
      name: r.name,
      contactId: r.contact_id,
      deal: r.deal_id ? { id: r.deal_id, title: r.deal_title } : null,
      dealId: r.deal_id,
      runId: r.run_id,
      test: r.test,
      flow: r.flow_id ? { id: r.flow_id, name: r.flow_name } : null,
      url: r.url,
      fields: r.fields,
      answers: r.answers,
      expiresAt: r.expires_at,
      createdAt: r.created_at,
      openedAt: r.opened_at,
      submittedAt: r.submitted_at,
      message: r.latest ? { id: r.latest.id, status: r.latest.status, sentAt: r.latest.sent_at, count: r.messages } : null,
      canResend: why === null,
      resendBlockedBecause: why,
    };
    return seesIntakeLinks(reader.role) ? item : maskIntakeLinks(item);
  }
}
