import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A succeeded step records where its input came from (the run's trigger: '', or the node whose
 * output it is) instead of a copy of it: the copies were half the JSON the steps wrote (#17).
 * NULL: the input column holds the step's own copy (failed and waiting steps, older rows).
 */
export class StepInputFrom1765200000000 implements MigrationInterface {
  name = 'StepInputFrom1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE steps ADD COLUMN input_from text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE steps s SET input = CASE WHEN s.input_from = '' THEN r.trigger ELSE (SELECT f.output FROM steps f WHERE f.run_id = s.run_id AND f.node_id = s.input_from) END
                   FROM runs r WHERE r.id = s.run_id AND s.input_from IS NOT NULL AND s.pruned_at IS NULL`);
    await q.query(`ALTER TABLE steps DROP COLUMN input_from`);
  }
}
