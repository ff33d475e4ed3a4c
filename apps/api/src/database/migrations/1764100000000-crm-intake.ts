import { MigrationInterface, QueryRunner } from 'typeorm';

/** The built-in CRM (contacts, deals, stage pipeline and its history) and onboarding intakes. See docs/crm.md. */
export class CrmIntake1764100000000 implements MigrationInterface {
  name = 'CrmIntake1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // The pipeline is data: reorder, relabel or add stages with SQL, no deploy needed.
    // A closed stage ends a deal: the next payment for the same contact and product opens a new one.
    await q.query(`
      CREATE TABLE crm_stages (
        key text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,63}$'),
        label text NOT NULL,
        position integer NOT NULL UNIQUE,
        closed boolean NOT NULL DEFAULT false
      )`);
    await q.query(`
      INSERT INTO crm_stages (key, label, position, closed) VALUES
        ('lead', 'Lead', 10, false),
        ('proposal', 'Proposal', 20, false),
        ('payment_review', 'Payment review', 30, false),
        ('paid_won', 'Paid / won', 40, false),
        ('onboarding', 'Onboarding', 50, false),
        ('active', 'Active', 60, false),
        ('lost', 'Lost', 70, true)`);

    // Keyed by Stripe customer id, falling back to e-mail; both are stored, so an e-mail
    // change on a known customer id updates the contact instead of splitting it.
    await q.query(`
      CREATE TABLE crm_contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stripe_customer_id text UNIQUE,
        email text,
        name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (stripe_customer_id IS NOT NULL OR email IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX crm_contacts_email_idx ON crm_contacts (lower(email))`);
    // Without a customer id the e-mail is the key: one such contact per address.
    await q.query(`CREATE UNIQUE INDEX crm_contacts_email_only_key ON crm_contacts (lower(email)) WHERE stripe_customer_id IS NULL`);

    await q.query(`
      CREATE TABLE crm_deals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contact_id uuid NOT NULL REFERENCES crm_contacts(id) ON DELETE CASCADE,
        stage text NOT NULL REFERENCES crm_stages(key) ON UPDATE CASCADE,
        -- Copied from crm_stages.closed whenever the stage changes, for the unique index below.
        closed boolean NOT NULL DEFAULT false,
        amount bigint,
        currency text,
        product text,
        fields jsonb NOT NULL DEFAULT '{}',
        run_id uuid REFERENCES runs(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The upsert key: one open deal per contact and product (no product counts as one product).
    await q.query(`CREATE UNIQUE INDEX crm_deals_open_key ON crm_deals (contact_id, coalesce(product, '')) WHERE NOT closed`);
    // Keyset pagination, newest activity first, optionally per stage.
    await q.query(`CREATE INDEX crm_deals_updated_idx ON crm_deals (updated_at DESC, id DESC)`);
    await q.query(`CREATE INDEX crm_deals_stage_updated_idx ON crm_deals (stage, updated_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE deal_stage_history (
        id bigserial PRIMARY KEY,
        deal_id uuid NOT NULL REFERENCES crm_deals(id) ON DELETE CASCADE,
        from_stage text,
        to_stage text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        -- Who moved it: a run (by = run id), a user (by = e-mail) or the client's intake (by = intake id).
        by_type text NOT NULL CHECK (by_type IN ('run','user','client')),
        by text NOT NULL
      )`);
    await q.query(`CREATE INDEX deal_stage_history_deal_idx ON deal_stage_history (deal_id, id)`);

    // The public form is found by the SHA-256 of its token; the token itself is not stored here.
    await q.query(`
      CREATE TABLE intakes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL UNIQUE,
        contact_id uuid REFERENCES crm_contacts(id) ON DELETE SET NULL,
        deal_id uuid REFERENCES crm_deals(id) ON DELETE SET NULL,
        run_id uuid REFERENCES runs(id) ON DELETE SET NULL,
        node_id text,
        email text,
        name text,
        status text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent','opened','submitted','expired')),
        fields jsonb NOT NULL,
        answers jsonb,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        opened_at timestamptz,
        submitted_at timestamptz
      )`);
    await q.query(`CREATE INDEX intakes_created_idx ON intakes (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX intakes_deal_idx ON intakes (deal_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['intakes', 'deal_stage_history', 'crm_deals', 'crm_contacts', 'crm_stages']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
