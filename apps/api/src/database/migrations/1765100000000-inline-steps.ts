import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A step queued for inline continuation has no job of its own: the worker that committed the
 * step before it runs it next, in the same job. If that worker dies, its job is taken over and
 * finds such steps by this flag (and a sweep gives any left over a job of their own).
 */
export class InlineSteps1765100000000 implements MigrationInterface {
  name = 'InlineSteps1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE steps ADD COLUMN inline boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX steps_inline_open_idx ON steps (created_at) WHERE inline AND status IN ('queued','running')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX steps_inline_open_idx`);
    await q.query(`ALTER TABLE steps DROP COLUMN inline`);
  }
}
