import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../credentials/secret-box';
import { startEmbeddedPostgres } from './embedded-postgres';
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

describe('the embedded database connection', () => {
  const made: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const undo of made) await undo();
  });

  async function start(parent: string) {
    const dir = mkdtempSync(join(parent, 'handoff-socket-'));
    chmodSync(dir, 0o755);
    if (process.getuid?.() === 0) {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
      chownSync(dir, id('-u'), id('-g'));
    }
    const db = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
    made.push(async () => {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ addr: string | null }>('SELECT inet_server_addr()::text AS addr');
      return { url: db.url, addr: rows[0].addr };
    } finally {
      await client.end();
    }
  }

  it('goes over the unix socket in the data dir, and over TCP when that path would be too long for the kernel', async () => {
    const short = await start(tmpdir());
    expect(new URL(short.url).searchParams.get('host')).toMatch(/handoff-socket-.*\/socket$/);
    // A unix-socket session has no server address.
    expect(short.addr).toBeNull();

    const deep = join(tmpdir(), 'handoff-a-long-directory-name-to-pass-the-socket-path-limit-'.padEnd(90, 'x'));
    mkdirSync(deep, { recursive: true, mode: 0o755 });
    made.push(async () => rmSync(deep, { recursive: true, force: true }));
    const long = await start(deep);
    expect(new URL(long.url).searchParams.get('host')).toBeNull();
    expect(long.addr).toBe('127.0.0.1/32');
  }, 120_000);
});
