import { MigrationInterface, QueryRunner } from 'typeorm';

export class RunIndexes1764400000000 implements MigrationInterface {
  name = 'RunIndexes1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // The unique constraint on seq already has a btree that every "newest first" plan uses
    // (scanned backwards); this copy only cost each webhook's run insert another index write.
    await q.query(`DROP INDEX IF EXISTS runs_seq_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX runs_seq_idx ON runs (seq DESC)`);
  }
}
