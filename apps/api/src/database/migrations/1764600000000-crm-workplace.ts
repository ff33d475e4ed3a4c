import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tasks for the team and contact properties (docs/crm.md "Tasks", "Contacts"). */
export class CrmWorkplace1764600000000 implements MigrationInterface {
  name = 'CrmWorkplace1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE crm_tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL UNIQUE,
        deal_id uuid REFERENCES crm_deals(id) ON DELETE CASCADE,
        contact_id uuid REFERENCES crm_contacts(id) ON DELETE SET NULL,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
        assignee text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
        due_at timestamptz,
        -- Who made it: a person (by = e-mail) or a run (by = run id, node_id the step).
        by_type text NOT NULL CHECK (by_type IN ('run','user')),
        by text NOT NULL,
        run_id uuid REFERENCES runs(id) ON DELETE SET NULL,
        node_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        completed_by text
      )`);
    // "My tasks": open first by due date; and a deal's tasks on its page.
    await q.query(`CREATE INDEX crm_tasks_assignee_idx ON crm_tasks (lower(assignee), status, due_at NULLS LAST, seq)`);
    await q.query(`CREATE INDEX crm_tasks_deal_idx ON crm_tasks (deal_id, seq)`);
    await q.query(`ALTER TABLE crm_contacts ADD COLUMN properties jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE crm_contacts DROP COLUMN properties`);
    await q.query(`DROP TABLE IF EXISTS crm_tasks`);
  }
}
