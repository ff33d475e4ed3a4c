import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../credentials/secret-box';
import { startEmbeddedPostgres } from './embedded-postgres';
import { assertBuilt, freePort, migrateCli, runMain, startProcess } from '../../test/processes';
import { eventually, FakeHttp } from '../../test/fake-http';
import { edge, node } from '../../test/flow-helpers';
import { ADMIN, HttpClient } from '../../test/harness';

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

  it('SIGTERM lets the step in flight finish before the embedded database stops: the call is made once, nothing is logged as an error', async () => {
    const ext = new FakeHttp();
    await ext.start();
    // The first call to /drain is answered 2 s after it arrives: the app is told to stop meanwhile.
    ext.respond(async (req, res) => {
      if (req.path === '/drain') await new Promise((r) => setTimeout(r, 2_000));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const env = { HANDOFF_DATA_DIR: join(dir, 'drain'), HANDOFF_DB_PORT: String(await freePort()), HANDOFF_ADMIN_EMAIL: ADMIN.email, HANDOFF_ADMIN_PASSWORD: ADMIN.password };
    const opts = { databaseUrl: '', secretKey: SecretBox.generateKey(), role: 'all' as const, env };
    const first = await startProcess('first', opts);
    let second: Awaited<ReturnType<typeof startProcess>> | null = null;
    try {
      const api = await new HttpClient(first.url).login();
      const doc = {
        schema: 'handoff.flow/1',
        name: 'drain on stop',
        nodes: [
          node('start', 'manual.trigger'),
          node('slow', 'http.request', { url: `${ext.url}/drain`, body: '{{ trigger }}' }),
          // A function of its own: rendered in the expression sandbox, which must outlive the drain.
          node('after', 'http.request', { url: `${ext.url}/after`, body: '{{ $map([trigger.n], function($v) { $v * 2 }) }}' }),
        ],
        edges: [edge('start', 'slow'), edge('slow', 'after')],
      };
      const flowId = (await api.post<{ id: string }>('/api/flows', doc)).body.id;
      const { runId } = (await api.post<{ runId: string }>(`/api/flows/${flowId}/test-run`, { payload: { n: 1 } })).body;
      await eventually(async () => ext.to('/drain').length === 1, 30_000, 'the slow call to start');
      await first.stop('SIGTERM');

      expect(first.child.exitCode, first.output().slice(-3000)).toBe(0);
      // Nothing at error level: the worker's connections were not cut under it.
      expect(first.logLines().filter((l) => Number(l.level) >= 50), first.output().slice(-3000)).toEqual([]);
      expect(existsSync(join(dir, 'drain', 'pg', 'postmaster.pid'))).toBe(false);

      second = await startProcess('second', opts);
      const again = await new HttpClient(second.url).login();
      const run = async () => (await again.get<{ status: string; steps: Array<{ nodeId: string; status: string; attempt: number }> }>(`/api/runs/${runId}`)).body;
      await eventually(async () => (await run()).status === 'succeeded', 30_000, 'the run to succeed');
      const steps = (await run()).steps.map((s) => [s.nodeId, s.status, s.attempt]);
      expect(steps).toEqual([
        ['start', 'succeeded', 1],
        ['slow', 'succeeded', 1],
        ['after', 'succeeded', 1],
      ]);
      expect(ext.to('/drain')).toHaveLength(1);
      expect(ext.to('/after')).toHaveLength(1);
      expect(ext.to('/after')[0].body).toBe('2');
    } finally {
      await first.stop('SIGKILL');
      await second?.stop('SIGTERM');
      await ext.stop();
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

  it('explains an HTTP port that is already taken, and stops its database before it exits', async () => {
    const busy = await listen();
    try {
      const data = join(dir, 'http-busy');
      const res = await runMain([], { HANDOFF_DATA_DIR: data, HANDOFF_DB_PORT: String(await freePort()), PORT: String((busy.address() as { port: number }).port), HOST: '127.0.0.1', HANDOFF_WEB_DIR: '' });
      expect(res.code, res.out).toBe(1);
      expect(res.out).toMatch(/Port \d+ is already in use\. Set PORT to a free port\./);
      expect(res.out).not.toMatch(/"level":50/);
      expect(existsSync(join(data, 'pg', 'postmaster.pid'))).toBe(false);
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
