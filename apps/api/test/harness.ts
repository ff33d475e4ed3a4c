import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { inject } from 'vitest';
import { startHandoff, Handoff } from '../src/bootstrap';
import { AppConfig, loadConfig } from '../src/config/config';
import { SecretBox } from '../src/credentials/secret-box';
import { TEMPLATE_DB, withDatabase } from './global-setup';

/** A fresh database for one test file, cloned from the migrated template. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  await admin.end();
  return withDatabase(adminUrl, name);
}

export const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' };

export interface TestApp {
  handoff: Handoff;
  url: string;
  databaseUrl: string;
  secretKey: string;
  close(): Promise<void>;
}

export async function startTestApp(overrides: Partial<AppConfig> = {}, databaseUrl?: string): Promise<TestApp> {
  const dbUrl = databaseUrl ?? (await createTestDatabase());
  const secretKey = SecretBox.generateKey();
  const config: AppConfig = {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    databaseUrl: dbUrl,
    secretKey,
    adminEmail: ADMIN.email,
    adminPassword: ADMIN.password,
    webDir: null,
    logLevel: process.env.LOG_LEVEL ?? 'silent',
    // The tests' fakes (HTTP, Stripe, SMTP) listen on loopback: allow exactly that.
    allowedHosts: '127.0.0.1,localhost',
    ...overrides,
  };
  const handoff = await startHandoff(config, dbUrl, secretKey);
  return { handoff, url: handoff.url, databaseUrl: dbUrl, secretKey, close: () => handoff.close() };
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A user-agent with a cookie jar: talks to the app over real HTTP, like the browser does. */
export class HttpClient {
  cookie: string | null = null;
  bearer: string | null = null;

  constructor(private readonly base: string) {}

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
    if (this.cookie) {
      h.cookie = this.cookie;
      h['x-handoff-csrf'] ??= '1';
    }
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    const res = await fetch(this.base + path, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  put<T = unknown>(path: string, body: unknown) {
    return this.request<T>('PUT', path, body);
  }
  patch<T = unknown>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = unknown>(path: string) {
    return this.request<T>('DELETE', path);
  }

  async login(email = ADMIN.email, password = ADMIN.password): Promise<this> {
    const res = await this.post('/api/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this;
  }
}

