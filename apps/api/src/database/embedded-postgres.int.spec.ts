import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../credentials/secret-box';
import { assertBuilt, freePort, migrateCli, startProcess } from '../../test/processes';

function listen(port = 0): Promise<Server> {
  return new Promise((done) => {
    const srv = createServer();
    srv.listen(port, '127.0.0.1', () => done(srv));
  });
}

describe('embedded PostgreSQL (no DATABASE_URL)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-embedded-'));
  chmodSync(dir, 0o755);
  let port = 0;

  beforeAll(async () => {
    assertBuilt();
    port = await freePort();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates its data directory, migrates, and keeps the data for the next start', async () => {
    const env = { HANDOFF_DATA_DIR: join(dir, 'data'), HANDOFF_DB_PORT: String(port) };
    const first = await migrateCli(env);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/Applied migrations: Init/);
    expect(existsSync(join(dir, 'data', 'pg', 'PG_VERSION'))).toBe(true);
    const second = await migrateCli(env);
    expect(second.code, second.out).toBe(0);
    // nothing to apply: the schema from the first start is still there
    expect(second.out).not.toMatch(/Applied migrations/);
  }, 120_000);

  it('comes back by itself after being killed: the PostgreSQL its dead predecessor left running is stopped and taken over', async () => {
    const env = { HANDOFF_DATA_DIR: join(dir, 'crash'), HANDOFF_DB_PORT: String(await freePort()) };
    const opts = { databaseUrl: '', secretKey: SecretBox.generateKey(), role: 'all' as const, env };
    const first = await startProcess('first', opts);
    await first.stop('SIGKILL');
    // The embedded server outlived it: its pid file is there and it still serves the port.
    expect(existsSync(join(dir, 'crash', 'pg', 'postmaster.pid'))).toBe(true);
    const second = await startProcess('second', opts);
    try {
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
      expect(second.output()).not.toMatch(/seems to be running already/);
    } finally {
      await second.stop('SIGTERM');
    }
  }, 120_000);

  it('explains a port that is already taken', async () => {
    const busy = await listen();
    try {
      const res = await migrateCli({ HANDOFF_DATA_DIR: join(dir, 'data'), HANDOFF_DB_PORT: String((busy.address() as { port: number }).port) });
      expect(res.code).toBe(1);
      expect(res.out).toMatch(/already in use.*HANDOFF_DB_PORT/);
    } finally {
      busy.close();
    }
  }, 60_000);

  it('explains a data directory it cannot create', async () => {
    const res = await migrateCli({ HANDOFF_DATA_DIR: '/etc/passwd/not-a-directory', HANDOFF_DB_PORT: String(port) });
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/Cannot create the data directory.*HANDOFF_DATA_DIR/);
  }, 60_000);
});
