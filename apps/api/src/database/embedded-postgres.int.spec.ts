import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded-postgres';

function listen(port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}

describe('embedded PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-embedded-'));
  chmodSync(dir, 0o755);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its data across a restart', async () => {
    const probe = await listen();
    const port = (probe.address() as { port: number }).port;
    probe.close();

    const first = await startEmbeddedPostgres({ dataDir: dir, port });
    const c1 = new Client({ connectionString: first.url });
    await c1.connect();
    await c1.query('CREATE TABLE kept (v text)');
    await c1.query("INSERT INTO kept VALUES ('still here')");
    await c1.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir: dir, port });
    const c2 = new Client({ connectionString: second.url });
    await c2.connect();
    const { rows } = await c2.query('SELECT v FROM kept');
    await c2.end();
    await second.stop();
    expect(rows).toEqual([{ v: 'still here' }]);
  });

  it('explains a port that is already taken', async () => {
    const busy = await listen();
    const port = (busy.address() as { port: number }).port;
    try {
      await expect(startEmbeddedPostgres({ dataDir: dir, port })).rejects.toThrow(/Port \d+ .*already in use.*HANDOFF_DB_PORT/);
    } finally {
      busy.close();
    }
  });

  it('explains a data directory it cannot create', async () => {
    await expect(startEmbeddedPostgres({ dataDir: '/proc/handoff-cannot-exist', port: 1 })).rejects.toThrow(/Cannot create the data directory.*HANDOFF_DATA_DIR/);
  });
});
