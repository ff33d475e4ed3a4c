import { MigrationInterface, QueryRunner } from 'typeorm';

/** API tokens get a role (at most their owner's) and an expiry (docs/security.md "Accounts and access"). */
export class AuthLifecycle1764700000000 implements MigrationInterface {
  name = 'AuthLifecycle1764700000000';

  async up(q: QueryRunner): Promise<void> {
    // Existing tokens keep their owner's role (null) and expire a year after they were made.
    await q.query(`ALTER TABLE api_tokens ADD COLUMN role text CHECK (role IN ('viewer','reviewer','editor','admin'))`);
    await q.query(`ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz`);
    await q.query(`UPDATE api_tokens SET expires_at = created_at + interval '365 days'`);
    await q.query(`ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL`);
    await q.query(`CREATE INDEX login_failures_pair_idx ON login_failures (lower(email), ip, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS login_failures_pair_idx`);
    await q.query(`ALTER TABLE api_tokens DROP COLUMN expires_at, DROP COLUMN role`);
  }
}
