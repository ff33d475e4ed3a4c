import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Triggers as first-class adapters (docs/architecture.md "Triggers"):
 * - stripe_events becomes trigger_events, the inbox of every trigger type: unique
 *   (flow_id, trigger_key) is the dedupe for Stripe event ids, webhook ids, schedule ticks,
 *   CRM changes, and test runs alike;
 * - flow_triggers holds each published flow's trigger (written on publish, pause, resume),
 *   so a CRM change finds the flows it fires without scanning documents;
 * - runs.depth counts CRM-triggered runs in a chain, for the loop limit;
 * - crm_deals gains the M2 fields and crm_deal_changes records every change with a sequence
 *   (the CRM trigger's dedupe key and the deal's timeline).
 */
export class Triggers1764500000000 implements MigrationInterface {
  name = 'Triggers1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stripe_events RENAME TO trigger_events`);
    await q.query(`ALTER TABLE trigger_events RENAME COLUMN event_id TO trigger_key`);
    await q.query(`ALTER TABLE trigger_events RENAME CONSTRAINT stripe_events_flow_event_key TO trigger_events_flow_key`);
    await q.query(`ALTER INDEX stripe_events_flow_seq_idx RENAME TO trigger_events_flow_seq_idx`);
    await q.query(`ALTER INDEX stripe_events_held_idx RENAME TO trigger_events_held_idx`);
    await q.query(`ALTER TABLE trigger_events ADD COLUMN source text NOT NULL DEFAULT 'stripe.trigger'`);
    await q.query(`ALTER TABLE trigger_events ALTER COLUMN source DROP DEFAULT`);
    // How it reached us: the trigger's own route or schedule ('hook'), or Stripe reconciliation ('reconcile').
    await q.query(`ALTER TABLE trigger_events ADD COLUMN via text NOT NULL DEFAULT 'hook' CHECK (via IN ('hook','reconcile','test'))`);

    await q.query(`ALTER TABLE runs ADD COLUMN depth integer NOT NULL DEFAULT 0`);

    await q.query(`
      CREATE TABLE flow_triggers (
        flow_id uuid PRIMARY KEY REFERENCES flows(id) ON DELETE CASCADE,
        type text NOT NULL,
        version integer NOT NULL,
        config jsonb NOT NULL,
        -- What an adapter keeps between firings (a schedule's last tick).
        state jsonb NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX flow_triggers_type_idx ON flow_triggers (type)`);

    await q.query(`ALTER TABLE crm_deals ADD COLUMN title text`);
    await q.query(`ALTER TABLE crm_deals ADD COLUMN record_type text CHECK (record_type IN ('profit','nonprofit'))`);
    await q.query(`ALTER TABLE crm_deals ADD COLUMN stripe jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`
      CREATE TABLE crm_deal_changes (
        seq bigserial PRIMARY KEY,
        deal_id uuid NOT NULL REFERENCES crm_deals(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('deal.created','deal.updated')),
        changed text[] NOT NULL,
        previous jsonb,
        deal jsonb NOT NULL,
        by_type text NOT NULL CHECK (by_type IN ('run','user','client')),
        by text NOT NULL,
        run_id uuid REFERENCES runs(id) ON DELETE SET NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX crm_deal_changes_deal_idx ON crm_deal_changes (deal_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS crm_deal_changes`);
    await q.query(`ALTER TABLE crm_deals DROP COLUMN stripe, DROP COLUMN record_type, DROP COLUMN title`);
    await q.query(`DROP TABLE IF EXISTS flow_triggers`);
    await q.query(`ALTER TABLE runs DROP COLUMN depth`);
    await q.query(`DELETE FROM trigger_events WHERE source <> 'stripe.trigger'`);
    await q.query(`ALTER TABLE trigger_events DROP COLUMN source, DROP COLUMN via`);
    await q.query(`ALTER INDEX trigger_events_held_idx RENAME TO stripe_events_held_idx`);
    await q.query(`ALTER INDEX trigger_events_flow_seq_idx RENAME TO stripe_events_flow_seq_idx`);
    await q.query(`ALTER TABLE trigger_events RENAME CONSTRAINT trigger_events_flow_key TO stripe_events_flow_event_key`);
    await q.query(`ALTER TABLE trigger_events RENAME COLUMN trigger_key TO event_id`);
    await q.query(`ALTER TABLE trigger_events RENAME TO stripe_events`);
  }
}
