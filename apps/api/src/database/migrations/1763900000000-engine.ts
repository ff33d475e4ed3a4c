import { MigrationInterface, QueryRunner } from 'typeorm';

export class Engine1763900000000 implements MigrationInterface {
  name = 'Engine1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL UNIQUE,
        flow_id uuid NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
        version integer NOT NULL,
        status text NOT NULL CHECK (status IN ('queued','running','waiting','succeeded','failed','cancelled')),
        test boolean NOT NULL DEFAULT false,
        trigger jsonb NOT NULL,
        trigger_type text,
        event_id text,
        customer_id text,
        email text,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        -- Test runs of a draft carry their own snapshot (version 0); published runs use flow_versions.
        document jsonb,
        CHECK ((version = 0) = (document IS NOT NULL))
      )`);
    // Keyset pagination: every list filter has an index ending in seq.
    await q.query(`CREATE INDEX runs_seq_idx ON runs (seq DESC)`);
    await q.query(`CREATE INDEX runs_flow_seq_idx ON runs (flow_id, seq DESC)`);
    await q.query(`CREATE INDEX runs_status_seq_idx ON runs (status, seq DESC)`);
    await q.query(`CREATE INDEX runs_event_idx ON runs (event_id)`);
    await q.query(`CREATE INDEX runs_customer_idx ON runs (customer_id)`);
    await q.query(`CREATE INDEX runs_email_idx ON runs (lower(email))`);

    await q.query(`
      CREATE TABLE steps (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        node_id text NOT NULL,
        node_type text NOT NULL,
        status text NOT NULL CHECK (status IN ('queued','running','retrying','waiting','succeeded','failed','skipped','cancelled')),
        attempt integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL DEFAULT 1,
        port text,
        input jsonb,
        output jsonb,
        error text,
        idempotency_key text,
        skipped_of_run uuid,
        wait_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        UNIQUE (run_id, node_id)
      )`);

    // An effect happens once per (flow, node, key): a repeat is a recorded skip.
    await q.query(`
      CREATE TABLE idempotency_keys (
        flow_id uuid NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
        node_id text NOT NULL,
        key text NOT NULL,
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (flow_id, node_id, key)
      )`);

    await q.query(`
      CREATE TABLE event_waits (
        step_id uuid PRIMARY KEY REFERENCES steps(id) ON DELETE CASCADE,
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        flow_id uuid NOT NULL,
        types text[] NOT NULL,
        match text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX event_waits_flow_idx ON event_waits (flow_id)`);

    await q.query(`
      CREATE TABLE reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        flow_id uuid NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
        node_id text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','expired','cancelled')),
        reason text NOT NULL,
        owner text NOT NULL,
        facts jsonb NOT NULL DEFAULT '{}',
        deadline timestamptz,
        decision text,
        note text,
        decided_by text,
        decided_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX reviews_status_idx ON reviews (status, created_at DESC)`);

    await q.query(`
      CREATE TABLE outbox_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL UNIQUE,
        run_id uuid REFERENCES runs(id) ON DELETE SET NULL,
        node_id text,
        channel text NOT NULL,
        credential_id uuid,
        recipient text,
        subject text,
        body text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sending','sent','retrying','dead','held')),
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL DEFAULT 8,
        last_error text,
        history jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_status_idx ON outbox_messages (status, seq DESC)`);

    await q.query(`
      CREATE TABLE worker_heartbeats (
        worker_id text PRIMARY KEY,
        process_id text NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['worker_heartbeats', 'outbox_messages', 'reviews', 'event_waits', 'idempotency_keys', 'steps', 'runs']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
