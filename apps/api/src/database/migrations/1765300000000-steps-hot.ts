import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A step's row is updated once or twice after its insert (claimed, then done). With
 * `steps_inline_open_idx`, whose predicate reads `status`, no such update could be HOT: each one
 * wrote a new entry into every index of steps. The stranded-inline sweep now starts from the
 * live runs instead (adoptStrandedInline), and pages keep room for the updated row (fillfactor).
 */
export class StepsHot1765300000000 implements MigrationInterface {
  name = 'StepsHot1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS steps_inline_open_idx`);
    await q.query(`ALTER TABLE steps SET (fillfactor = 80)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE steps RESET (fillfactor)`);
    await q.query(`CREATE INDEX steps_inline_open_idx ON steps (created_at) WHERE inline AND status IN ('queued','running')`);
  }
}
