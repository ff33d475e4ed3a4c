import type { Writable } from 'node:stream';

/** Never written to any log, whichever format: the session, API tokens and Stripe's signature. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'res.headers["set-cookie"]',
];

export type LogFormat = 'pretty' | 'json';

/**
 * LOG_FORMAT=pretty|json; unset, a terminal gets short readable lines and anything else (a file,
 * a pipe, a log collector) JSON, one object per line.
 */
export function logFormatFrom(value: string | undefined, stdoutIsTty: boolean): LogFormat {
  if (!value) return stdoutIsTty ? 'pretty' : 'json';
  if (value === 'pretty' || value === 'json') return value;
  throw new Error(`LOG_FORMAT must be pretty or json, got "${value}"`);
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
// Nest's start-up chatter: one line per module and per route. Useful in JSON for a collector, noise in a terminal.
const STARTUP_NOISE = new Set(['RoutesResolver', 'RouterExplorer', 'InstanceLoader', 'NestFactory', 'NestApplication', 'LoggerModule']);
const OWN_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'context', 'msg', 'role', 'req', 'res', 'responseTime', 'err']);

interface Record_ {
  level?: number;
  time?: number;
  context?: string;
  msg?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: unknown;
  [key: string]: unknown;
}

const clip = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const show = (v: unknown) => clip(typeof v === 'string' ? v : JSON.stringify(v));

/**
 * One pino record as one short line: time, level, where, message, then its fields as key=value.
 * Start-up chatter at info and below, and requests that went well, print nothing.
 */
export function prettyLine(r: Record_): string | null {
  const level = r.level ?? 30;
  if (level <= 30 && r.context && STARTUP_NOISE.has(r.context)) return null;
  const time = new Date(r.time ?? Date.now()).toISOString().slice(11, 19);
  const head = `${time} ${LEVELS[level] ?? level}`;
  if (r.req && r.res) {
    const status = r.res.statusCode ?? 0;
    if (status < 400 && level < 40) return null;
    return `${head} ${r.req.method ?? ''} ${r.req.url ?? ''} → ${status}${r.responseTime !== undefined ? ` (${r.responseTime} ms)` : ''}`;
  }
  const fields = Object.entries(r)
    .filter(([k, v]) => !OWN_KEYS.has(k) && v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${show(v)}`);
  if (r.req) fields.unshift(`req=${r.req.method ?? ''} ${r.req.url ?? ''}`);
  if (r.err !== undefined) fields.push(`err=${show(typeof r.err === 'object' && r.err && 'message' in r.err ? (r.err as { message: unknown }).message : r.err)}`);
  return `${head} ${r.context ? `[${r.context}] ` : ''}${r.msg ?? ''}${fields.length ? `  ${fields.join(' ')}` : ''}`;
}

/**
 * A pino destination that prints `prettyLine`s. Pino has redacted and serialized each record
 * before it gets here, so what is hidden in JSON is hidden here too.
 */
export function prettyStream(out: Pick<Writable, 'write'>): { write(chunk: string): void } {
  return {
    write(chunk: string) {
      for (const raw of chunk.split('\n')) {
        if (!raw) continue;
        let line: string | null;
        try {
          line = prettyLine(JSON.parse(raw) as Record_);
        } catch {
          line = raw;
        }
        if (line !== null) out.write(`${line}\n`);
      }
    },
  };
}
