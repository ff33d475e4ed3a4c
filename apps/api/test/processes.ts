import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** The built server, as production runs it (`npm run build` comes before the integration tests). */
export const MAIN = resolve(__dirname, '../../../dist/api/main.js');

export function assertBuilt(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` before the integration tests (npm test does)`);
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

/**
 * `main.js migrate` as a user runs it, in embedded mode unless `env` sets DATABASE_URL, in its
 * own process: the embedded server's exit hooks then belong to that process, not to the test runner.
 */
export function migrateCli(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return runMain(['migrate'], env);
}

/** `main.js <args>` until it exits by itself (or is killed after 60 s): for starts that must fail. */
export function runMain(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  assertBuilt();
  return new Promise((done) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d));
    child.stderr?.on('data', (d: Buffer) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

export interface AppProcess {
  name: string;
  child: ChildProcess;
  url: string;
  /** Everything the process wrote so far (pino JSON lines on stdout, anything else on stderr). */
  output(): string;
  /** Parsed JSON log lines written so far. */
  logLines(): Array<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface ProcessOptions {
  databaseUrl: string;
  secretKey: string;
  role: 'all' | 'api' | 'worker';
  env?: Record<string, string>;
}

/**
 * One Handoff process (`node dist/api/main.js`) on a shared database, ready when /readyz
 * answers. DEBUG_PROCESSES=1 echoes its output, prefixed with its name.
 */
export async function startProcess(name: string, opts: ProcessOptions): Promise<AppProcess> {
  assertBuilt();
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      HANDOFF_SECRET_KEY: opts.secretKey,
      HANDOFF_ROLE: opts.role,
      PORT: String(port),
      HOST: '127.0.0.1',
      HANDOFF_WEB_DIR: '',
      LOG_LEVEL: 'warn',
      HANDOFF_ALLOWED_HOSTS: '127.0.0.1,localhost',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (process.env.DEBUG_PROCESSES) process.stdout.write(d.toString().replace(/^/gm, `[${name}] `));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const proc: AppProcess = {
    name,
    child,
    url,
    output: () => out,
    logLines: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${out.slice(-3000)}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return proc;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready within 60 s:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
