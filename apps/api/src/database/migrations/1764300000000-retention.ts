import { MigrationInterface, QueryRunner } from 'typeorm';

export class Retention1764300000000 implements MigrationInterface {
  name = 'Retention1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE steps ADD COLUMN pruned_at timestamptz`);
    await q.query(`CREATE INDEX runs_finished_idx ON runs (finished_at) WHERE finished_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX runs_finished_idx`);
    await q.query(`ALTER TABLE steps DROP COLUMN pruned_at`);
  }
}
