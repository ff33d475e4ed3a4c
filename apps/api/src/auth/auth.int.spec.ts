import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, HttpClient, startTestApp, TestApp } from '../../test/harness';

interface Me {
  id: string;
  email: string;
  role: string;
}

describe('auth', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it('creates the admin on first start and logs in with an httpOnly SameSite session cookie', async () => {
    const client = new HttpClient(app.url);
    const res = await client.post<{ user: Me }>('/api/auth/login', ADMIN);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: ADMIN.email, role: 'admin' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^handoff_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await client.get<Me>('/api/auth/me')).body.email).toBe(ADMIN.email);
  });

  it('refuses a wrong password with 401 and no cookie', async () => {
    const client = new HttpClient(app.url);
    const res = await client.post<{ message: string }>('/api/auth/login', { email: ADMIN.email, password: 'wrong' });
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Wrong email or password');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('answers 401 without a session and 400 for a login body without a password', async () => {
    expect((await new HttpClient(app.url).get('/api/flows')).status).toBe(401);
    const res = await new HttpClient(app.url).post<{ message: string }>('/api/auth/login', { email: ADMIN.email });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/password/);
  });

  it('ends the session on logout', async () => {
    const client = await new HttpClient(app.url).login();
    const cookie = client.cookie;
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    client.cookie = cookie;
    expect((await client.get('/api/auth/me')).status).toBe(401);
  });

  it('refuses cookie-authenticated changes without the CSRF header', async () => {
    const client = await new HttpClient(app.url).login();
    const res = await client.request<{ message: string }>('POST', '/api/flows', { schema: 'handoff.flow/1', name: 'x', nodes: [], edges: [] }, { 'x-handoff-csrf': '' });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/x-handoff-csrf/);
  });

  it('issues bearer API tokens shown once, usable by scripts, and revocable', async () => {
    const admin = await new HttpClient(app.url).login();
    const created = await admin.post<{ id: string; token: string }>('/api/tokens', { name: 'ci script' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^hnd_/);
    const listed = await admin.get<{ items: Array<Record<string, unknown>> }>('/api/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);

    const script = new HttpClient(app.url);
    script.bearer = created.body.token;
    expect((await script.get<Me>('/api/auth/me')).body.email).toBe(ADMIN.email);
    // bearer requests need no CSRF header
    expect((await script.post('/api/flows', { schema: 'handoff.flow/1', name: 'from script', nodes: [], edges: [] })).status).toBe(201);

    expect((await admin.delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
    expect((await script.get('/api/auth/me')).status).toBe(401);
  });

  it('lets an admin create users with roles, and a viewer may read but not edit', async () => {
    const admin = await new HttpClient(app.url).login();
    const res = await admin.post<Me>('/api/users', { email: 'viewer@example.com', password: 'viewer-password', role: 'viewer' });
    expect(res.status).toBe(201);
    expect(res.body.role).toBe('viewer');
    expect((await admin.post('/api/users', { email: 'VIEWER@example.com', password: 'viewer-password', role: 'viewer' })).status).toBe(409);
    expect((await admin.post('/api/users', { email: 'x@example.com', password: 'short', role: 'viewer' })).status).toBe(400);

    const viewer = await new HttpClient(app.url).login('viewer@example.com', 'viewer-password');
    expect((await viewer.get('/api/flows')).status).toBe(200);
    const refused = await viewer.post<{ message: string }>('/api/flows', { schema: 'handoff.flow/1', name: 'x', nodes: [], edges: [] });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/editor/);
    expect((await viewer.post('/api/users', { email: 'y@example.com', password: 'long-enough-pw', role: 'admin' })).status).toBe(403);
  });

  it('records logins in the audit log', async () => {
    const admin = await new HttpClient(app.url).login();
    const audit = await admin.get<{ items: Array<{ action: string }> }>('/api/audit');
    expect(audit.body.items.map((a) => a.action)).toContain('auth.login');
    expect(audit.body.items.map((a) => a.action)).toContain('auth.login_failed');
  });

  it('answers healthz and readyz', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ database: 'ok', migrations: 'applied' });
  });
});

describe('first start without a configured admin password', () => {
  it('generates a one-time password that works and is only returned once', async () => {
    const app = await startTestApp({ adminEmail: 'owner@example.com', adminPassword: null });
    try {
      expect(app.handoff.admin?.email).toBe('owner@example.com');
      const password = app.handoff.admin?.password;
      expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
      await new HttpClient(app.url).login('owner@example.com', password!);
    } finally {
      await app.close();
    }
    const again = await startTestApp({ adminEmail: 'owner@example.com', adminPassword: null }, app.databaseUrl);
    try {
      expect(again.handoff.admin).toBeNull();
    } finally {
      await again.close();
    }
  });
});

describe('login rate limit', () => {
  it('answers 429 after 10 failed logins for one account, even with the right password, and other accounts still work', async () => {
    const app = await startTestApp();
    try {
      const admin = await new HttpClient(app.url).login();
      await admin.post('/api/users', { email: 'target@example.com', password: 'target-password', role: 'viewer' });
      const client = new HttpClient(app.url);
      for (let i = 0; i < 10; i++) expect((await client.post('/api/auth/login', { email: 'target@example.com', password: `guess-${i}` })).status).toBe(401);
      const blocked = await client.post<{ message: string }>('/api/auth/login', { email: 'target@example.com', password: 'target-password' });
      expect(blocked.status).toBe(429);
      expect(blocked.body.message).toMatch(/Too many failed logins/);
      expect((await new HttpClient(app.url).post('/api/auth/login', ADMIN)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
