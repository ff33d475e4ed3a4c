import { logFormatFrom, type LogFormat } from '../common/logging';
import { resolve } from 'node:path';

/** Defaults of the expression sandbox's limits (engine/sandbox). */
export const SANDBOX_TIMEOUT_MS = 3_000;
export const SANDBOX_HEAP_MB = 96;

export type Role = 'all' | 'api' | 'worker';

export interface AppConfig {
  port: number;
  host: string;
  role: Role;
  /** Set when an external Postgres is used; otherwise the embedded one is started. */
  databaseUrl: string | null;
  dataDir: string;
  dbPort: number;
  secretKey: string | null;
  adminEmail: string | null;
  adminPassword: string | null;
  /** Where the built web app lives; null disables static serving (tests of the API alone). */
  webDir: string | null;
  publicUrl: string | null;
  sessionTtlHours: number;
  logLevel: string;
  /** Short lines for a terminal, JSON for everything else (LOG_FORMAT). */
  logFormat: LogFormat;
  workerConcurrency: number;
  heartbeatSeconds: number;
  /** A worker silent this long is presumed dead and its jobs are released. */
  workerStaleSeconds: number;
  /** Steps and connectors may call private, loopback and link-local addresses (HANDOFF_ALLOW_PRIVATE_NETWORKS=true). */
  allowPrivateNetworks: boolean;
  /** Host names, IPs or CIDRs steps and connectors may call even when private (HANDOFF_ALLOWED_HOSTS, comma-separated). */
  allowedHosts: string;
  /** Proxies whose X-Forwarded-For is believed (HANDOFF_TRUSTED_PROXIES: names/CIDRs as Express takes them); default none. */
  trustedProxies: string;
  /** When set, /metrics answers only `Authorization: Bearer <this>` (HANDOFF_METRICS_TOKEN). */
  metricsToken: string | null;
  /** /api/docs (the OpenAPI UI and document) only for logged-in users (HANDOFF_API_DOCS_LOGIN=true). */
  apiDocsLogin: boolean;
  /** Wall-clock limit of one expression evaluation (HANDOFF_EXPRESSION_TIMEOUT_MS, default 3000). */
  expressionTimeoutMs: number;
  /** Heap of a sandbox process that evaluates expressions (HANDOFF_EXPRESSION_MEMORY_MB, default 96). */
  expressionMemoryMb: number;
  /**
   * How long one job may go on running a run's next steps itself (HANDOFF_INLINE_SLICE_MS,
   * default 1000); after that the next step gets a job of its own, so a long run cannot hold a
   * worker slot. 0 gives every step its own job.
   */
  inlineSliceMs: number;
}

const roles: Role[] = ['all', 'api', 'worker'];

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be an integer port or number, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, stdoutIsTty = process.stdout.isTTY === true): AppConfig {
  const role = (env.HANDOFF_ROLE ?? 'all') as Role;
  if (!roles.includes(role)) throw new Error(`HANDOFF_ROLE must be one of ${roles.join(', ')}, got "${env.HANDOFF_ROLE}"`);
  return {
    port: intFrom(env, 'PORT', 3000),
    host: env.HOST ?? '0.0.0.0',
    role,
    databaseUrl: env.DATABASE_URL || null,
    dataDir: resolve(env.HANDOFF_DATA_DIR || '.data'),
    dbPort: intFrom(env, 'HANDOFF_DB_PORT', 54329),
    secretKey: env.HANDOFF_SECRET_KEY || null,
    adminEmail: env.HANDOFF_ADMIN_EMAIL || null,
    adminPassword: env.HANDOFF_ADMIN_PASSWORD || null,
    webDir: env.HANDOFF_WEB_DIR === '' ? null : resolve(env.HANDOFF_WEB_DIR || 'dist/web'),
    publicUrl: env.HANDOFF_PUBLIC_URL || null,
    sessionTtlHours: intFrom(env, 'HANDOFF_SESSION_TTL_HOURS', 12),
    logLevel: env.LOG_LEVEL || 'info',
    logFormat: logFormatFrom(env.LOG_FORMAT, stdoutIsTty),
    workerConcurrency: intFrom(env, 'HANDOFF_WORKER_CONCURRENCY', 4),
    heartbeatSeconds: intFrom(env, 'HANDOFF_HEARTBEAT_SECONDS', 5),
    workerStaleSeconds: intFrom(env, 'HANDOFF_WORKER_STALE_SECONDS', 30),
    allowPrivateNetworks: env.HANDOFF_ALLOW_PRIVATE_NETWORKS === 'true',
    allowedHosts: env.HANDOFF_ALLOWED_HOSTS ?? '',
    trustedProxies: env.HANDOFF_TRUSTED_PROXIES ?? '',
    metricsToken: env.HANDOFF_METRICS_TOKEN || null,
    apiDocsLogin: env.HANDOFF_API_DOCS_LOGIN === 'true',
    expressionTimeoutMs: intFrom(env, 'HANDOFF_EXPRESSION_TIMEOUT_MS', SANDBOX_TIMEOUT_MS),
    expressionMemoryMb: intFrom(env, 'HANDOFF_EXPRESSION_MEMORY_MB', SANDBOX_HEAP_MB),
    inlineSliceMs: intFrom(env, 'HANDOFF_INLINE_SLICE_MS', 1000),
  };
}
