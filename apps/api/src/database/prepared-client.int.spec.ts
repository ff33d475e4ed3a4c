import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/harness';
import { PLAN_EACH_CALL, PreparingClient, statementName } from './prepared-client';

const prepared = async (c: Client) => (await c.query(`SELECT name, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name`)).rows as Array<{ name: string; generic_plans: string; custom_plans: string }>;

describe('PreparingClient', () => {
  let url: string;
  let c: PreparingClient;

  beforeAll(async () => {
    url = await createTestDatabase();
    c = new PreparingClient({ connectionString: url });
    await c.connect();
    await c.query(`CREATE TABLE pc_runs (id int PRIMARY KEY)`);
    await c.query(`CREATE TABLE pc_steps (run_id int NOT NULL, node text NOT NULL, pad text NOT NULL, UNIQUE (run_id, node))`);
  });
  afterAll(async () => {
    await c?.end();
  });

  it('prepares a parameterized statement once per connection and then only binds it', async () => {
    const text = `SELECT $1::int + 1 AS n`;
    expect((await c.query(text, [1])).rows).toEqual([{ n: 2 }]);
    expect((await c.query(text, [2])).rows).toEqual([{ n: 3 }]);
    const mine = (await prepared(c)).filter((p) => p.name === statementName(text));
    expect(mine).toHaveLength(1);
  });

  it('sends a statement marked PLAN_EACH_CALL unnamed: planned with its parameters on every call, never cached', async () => {
    // Why (measured in the bench, pg_stat_statements): loadRun prepared on a fresh database kept a
    // plan that read ~2,100 pages per call as the tables grew; planned per call it read 16.
    const text = `${PLAN_EACH_CALL}SELECT count(*)::int AS n FROM pc_runs r JOIN pc_steps s ON s.run_id = r.id WHERE r.id = $1`;
    await c.query(`INSERT INTO pc_runs SELECT g FROM generate_series(1, 200) g`);
    await c.query(`INSERT INTO pc_steps SELECT g, 'n' || k, repeat('x', 200) FROM generate_series(1, 200) g, generate_series(1, 3) k`);
    for (let i = 0; i < 8; i++) expect((await c.query(text, [1 + i])).rows).toEqual([{ n: 3 }]);
    const names = (await prepared(c)).map((p) => p.name);
    expect(names).not.toContain(statementName(text));
    expect(names).toContain(statementName(`SELECT $1::int + 1 AS n`));
  });
});
