import { MigrationInterface, QueryRunner } from 'typeorm';

/** Failed logins, for rate limiting that holds across every api process. */
export class LoginFailures1764200000000 implements MigrationInterface {
  name = 'LoginFailures1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_failures (
        id bigserial PRIMARY KEY,
        email text NOT NULL,
        ip text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_failures_email_idx ON login_failures (lower(email), at DESC)`);
    await q.query(`CREATE INDEX login_failures_ip_idx ON login_failures (ip, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_failures`);
  }
}
