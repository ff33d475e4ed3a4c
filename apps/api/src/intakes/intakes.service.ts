import { BadRequestException, ConflictException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { moveDealStage, stageOf } from '../crm/crm.store';
import { checkAnswers } from './intake-answers';
import { hashIntakeToken, INTAKE_TOKEN } from './intakes.create';
import type { IntakeFieldDef, IntakeStatus } from './intake.entity';
import { EFFECTIVE_STATUS } from './intakes-staff.service';

interface IntakeRow {
  id: string;
  status: IntakeStatus;
  email: string | null;
  name: string | null;
  contact_id: string | null;
  deal_id: string | null;
  run_id: string | null;
  fields: IntakeFieldDef[];
  answers: Record<string, string> | null;
  expires_at: Date;
  created_at: Date;
  opened_at: Date | null;
  submitted_at: Date | null;
}

const COLUMNS = `i.id, ${EFFECTIVE_STATUS} AS status, i.email, i.name, i.contact_id, i.deal_id, i.run_id, i.fields, i.answers, i.expires_at, i.created_at, i.opened_at, i.submitted_at`;

/** `reason` lets the form tell a client who already sent it from one whose link ran out. */
const gone = (why: string, reason: 'submitted' | 'expired') => new GoneException({ statusCode: 410, message: why, reason });
const unknown = () => new NotFoundException({ statusCode: 404, message: 'This form link is not valid' });

/** The public onboarding form: the token is the key. */
@Injectable()
export class IntakesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The form for the client; the first look marks it opened. */
  async openForm(token: string) {
    return this.db.transaction(async (m) => {
      const intake = await this.lockByToken(m, token);
      if (intake.status === 'submitted') throw gone('This form has already been sent. Thank you!', 'submitted');
      if (intake.status === 'expired') throw gone('This form link has expired; ask your contact for a new one', 'expired');
      if (intake.status === 'sent') await m.query(`UPDATE intakes SET status = 'opened', opened_at = now() WHERE id = $1`, [intake.id]);
      return { fields: intake.fields, status: 'opened' as const, contact: { name: intake.name, email: intake.email }, expiresAt: intake.expires_at };
    });
  }

  /**
   * One submission per form. The answers, the deal's move to onboarding and its history
   * entry (by the client) commit together.
   */
  async submit(token: string, body: unknown) {
    return this.db.transaction(async (m) => {
      const intake = await this.lockByToken(m, token);
      if (intake.status === 'submitted') throw new ConflictException({ statusCode: 409, message: 'This form has already been sent; it can be sent only once' });
      if (intake.status === 'expired') throw gone('This form link has expired; ask your contact for a new one', 'expired');
      const raw = typeof body === 'object' && body !== null ? (body as { answers?: unknown }).answers : undefined;
      const checked = checkAnswers(intake.fields, raw);
      if (!checked.ok) {
        throw new BadRequestException({ statusCode: 400, message: `Some answers need another look: ${checked.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems: checked.problems });
      }
      const [row] = await m.query(
        `WITH u AS (UPDATE intakes SET status = 'submitted', answers = $2, submitted_at = now() WHERE id = $1 RETURNING submitted_at) SELECT * FROM u`,
        [intake.id, JSON.stringify(checked.answers)],
      );
      if (intake.deal_id) await this.advanceDeal(m, intake.deal_id, intake.id);
      return { status: 'submitted' as const, submittedAt: row.submitted_at };
    });
  }

  /** Moves the deal on to onboarding, never backwards and never out of a closed stage. */
  private async advanceDeal(m: EntityManager, dealId: string, intakeId: string): Promise<void> {
    const [deal] = await m.query(`SELECT d.stage, s.position, s.closed FROM crm_deals d JOIN crm_stages s ON s.key = d.stage WHERE d.id = $1 FOR UPDATE OF d`, [dealId]);
    const onboarding = await stageOf(m, 'onboarding');
    if (!deal || deal.closed || deal.position >= onboarding.position) return;
    await moveDealStage(m, dealId, onboarding.key, { type: 'client', id: intakeId });
  }

  private async lockByToken(m: EntityManager, token: string): Promise<IntakeRow> {
    if (!INTAKE_TOKEN.test(token)) throw unknown();
    const [row]: IntakeRow[] = await m.query(`SELECT ${COLUMNS} FROM intakes i WHERE i.token_hash = $1 FOR UPDATE`, [hashIntakeToken(token)]);
    if (!row) throw unknown();
    // An expired form answers 410 from its deadline on; nothing needs writing for that.
    return row;
  }
}
