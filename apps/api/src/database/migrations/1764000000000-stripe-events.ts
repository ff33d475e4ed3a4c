import { MigrationInterface, QueryRunner } from 'typeorm';

export class StripeEvents1764000000000 implements MigrationInterface {
  name = 'StripeEvents1764000000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per (flow, Stripe event id): the unique key is what makes a repeat delivery,
    // even a concurrent one on another api process, a counted duplicate instead of a second run.
    await q.query(`
      CREATE TABLE stripe_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL UNIQUE,
        flow_id uuid NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
        event_id text NOT NULL,
        type text NOT NULL,
        livemode boolean NOT NULL DEFAULT false,
        status text NOT NULL CHECK (status IN ('ran','ignored','held')),
        run_id uuid REFERENCES runs(id) ON DELETE SET NULL,
        payload jsonb NOT NULL,
        duplicate_count integer NOT NULL DEFAULT 0,
        received_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT stripe_events_flow_event_key UNIQUE (flow_id, event_id)
      )`);
    // Keyset pagination of one flow's events; the unfiltered list uses the seq key.
    await q.query(`CREATE INDEX stripe_events_flow_seq_idx ON stripe_events (flow_id, seq DESC)`);
    // Resuming a paused flow finds its held events without scanning the rest.
    await q.query(`CREATE INDEX stripe_events_held_idx ON stripe_events (flow_id, seq) WHERE status = 'held'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS stripe_events`);
  }
}
