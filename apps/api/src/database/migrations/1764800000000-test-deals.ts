import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deals made by test runs are marked and kept apart: hidden from the board by default, and never
 * the "open deal" a real payment updates (the upsert key gains the flag).
 */
export class TestDeals1764800000000 implements MigrationInterface {
  name = 'TestDeals1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE crm_deals ADD COLUMN test boolean NOT NULL DEFAULT false`);
    await q.query(`DROP INDEX crm_deals_open_key`);
    await q.query(`CREATE UNIQUE INDEX crm_deals_open_key ON crm_deals (contact_id, coalesce(product, ''), test) WHERE NOT closed`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX crm_deals_open_key`);
    await q.query(`DELETE FROM crm_deals WHERE test`);
    await q.query(`CREATE UNIQUE INDEX crm_deals_open_key ON crm_deals (contact_id, coalesce(product, '')) WHERE NOT closed`);
    await q.query(`ALTER TABLE crm_deals DROP COLUMN test`);
  }
}
