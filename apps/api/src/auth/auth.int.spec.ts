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
    const created = await admin.post<{ id: string; token: string; role: string; expiresAt: string }>('/api/tokens', { name: 'ci script' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^hnd_/);
    expect(created.body.role).toBe('admin');
    const days = (Date.parse(created.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThanOrEqual(90);
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

describe('accounts over their lifetime', () => {
  let app: TestApp;
  let admin: HttpClient;
  const newUser = async (email: string, role: string) => (await admin.post<Me>('/api/users', { email, password: `${role}-password-1`, role })).body;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await new HttpClient(app.url).login();
  });
  afterAll(() => app?.close());

  it('disabling a user ends their sessions and stops their tokens at once; enabling lets them log in again', async () => {
    const u = await newUser('leaver@example.com', 'editor');
    const session = await new HttpClient(app.url).login('leaver@example.com', 'editor-password-1');
    const made = await session.post<{ token: string }>('/api/tokens', { name: 'laptop' });
    const script = new HttpClient(app.url);
    script.bearer = made.body.token;
    expect((await script.get('/api/flows')).status).toBe(200);
    expect((await admin.patch(`/api/users/${u.id}`, { disabled: true })).status).toBe(200);
    expect((await session.get('/api/auth/me')).status).toBe(401);
    expect((await script.get('/api/flows')).status).toBe(401);
    expect((await new HttpClient(app.url).post('/api/auth/login', { email: 'leaver@example.com', password: 'editor-password-1' })).status).toBe(401);
    expect((await admin.patch(`/api/users/${u.id}`, { disabled: false })).status).toBe(200);
    await new HttpClient(app.url).login('leaver@example.com', 'editor-password-1');
  });

  it('changes roles, resets and changes passwords, deletes users, and never loses the last admin', async () => {
    const u = await newUser('mover@example.com', 'viewer');
    expect((await admin.patch<Me>(`/api/users/${u.id}`, { role: 'editor' })).body.role).toBe('editor');
    const mover = await new HttpClient(app.url).login('mover@example.com', 'viewer-password-1');
    expect((await mover.post('/api/flows', { schema: 'handoff.flow/1', name: 'x', nodes: [], edges: [] })).status).toBe(201);

    expect((await admin.post(`/api/users/${u.id}/password`, { password: 'a-new-password-1' })).status).toBe(204);
    expect((await mover.get('/api/auth/me')).status).toBe(401);
    const again = await new HttpClient(app.url).login('mover@example.com', 'a-new-password-1');
    expect((await again.post<{ message: string }>('/api/auth/password', { currentPassword: 'wrong', newPassword: 'another-password-2' })).status).toBe(400);
    expect((await again.post('/api/auth/password', { currentPassword: 'a-new-password-1', newPassword: 'another-password-2' })).status).toBe(204);
    expect((await again.get('/api/auth/me')).status).toBe(200); // this session stays
    await new HttpClient(app.url).login('mover@example.com', 'another-password-2');

    const me = (await admin.get<Me>('/api/auth/me')).body;
    const last = await admin.patch<{ message: string }>(`/api/users/${me.id}`, { role: 'viewer' });
    expect(last.status).toBe(409);
    expect(last.body.message).toMatch(/last active admin/);
    expect((await admin.delete(`/api/users/${me.id}`)).status).toBe(409);
    expect((await admin.delete(`/api/users/${u.id}`)).status).toBe(204);
    expect((await admin.get<{ items: Me[] }>('/api/users')).body.items.map((x) => x.email)).not.toContain('mover@example.com');
  });

  it('gives tokens at most their owner’s role and an expiry; admins see and revoke everyone’s', async () => {
    await newUser('scripter@example.com', 'editor');
    const editor = await new HttpClient(app.url).login('scripter@example.com', 'editor-password-1');
    expect((await editor.post('/api/tokens', { name: 'too much', role: 'admin' })).status).toBe(403);
    const readOnly = await editor.post<{ id: string; token: string; role: string }>('/api/tokens', { name: 'dashboard', role: 'viewer', expiresInDays: 1 });
    expect(readOnly.body.role).toBe('viewer');
    const script = new HttpClient(app.url);
    script.bearer = readOnly.body.token;
    expect((await script.get<Me>('/api/auth/me')).body.role).toBe('viewer');
    expect((await script.post('/api/flows', { schema: 'handoff.flow/1', name: 'x', nodes: [], edges: [] })).status).toBe(403);
    expect((await editor.get('/api/tokens?all=true')).status).toBe(403);
    const all = await admin.get<{ items: Array<{ id: string; owner: { email: string } }> }>('/api/tokens?all=true');
    expect(all.body.items.find((t) => t.id === readOnly.body.id)?.owner.email).toBe('scripter@example.com');
    expect((await admin.delete(`/api/tokens/${readOnly.body.id}`)).status).toBe(204);
    expect((await script.get('/api/auth/me')).status).toBe(401);
    expect((await editor.post('/api/tokens', { name: 'forever', expiresInDays: 3650 })).status).toBe(400);
  });
});

describe('login limits that hold under attack', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Loopback is not a trusted proxy here, so the tests' X-Forwarded-For is an attacker's.
    app = await startTestApp({ trustedProxies: '10.255.255.0/24' });
    const admin = await new HttpClient(app.url).login();
    await admin.post('/api/users', { email: 'victim@example.com', password: 'victim-password', role: 'viewer' });
  });
  afterAll(() => app?.close());

  const attempt = (email: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email, password }) }).then((r) => r.status);

  it('checks at most 10 of 60 parallel guesses against one account; the rest are refused before any check', async () => {
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) => attempt('victim@example.com', `guess-${i}`)));
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(50);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  });

  it('does not let a client pick its own address with X-Forwarded-For', async () => {
    for (let i = 0; i < 3; i++) expect(await attempt('victim@example.com', 'still-guessing', { 'x-forwarded-for': `203.0.113.${i}` })).toBe(429);
    const db = new (await import('pg')).Client({ connectionString: app.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT DISTINCT ip FROM login_failures`);
      expect(rows.map((r) => r.ip).filter((ip: string) => ip.startsWith('203.0.113'))).toEqual([]);
    } finally {
      await db.end();
    }
  });
});

describe('login lockout', () => {
  it('an attacker failing from one address does not lock the account for its owner at another', async () => {
    // Loopback is a trusted proxy here (as for nginx on the same host), so X-Forwarded-For stands for distinct clients.
    const app = await startTestApp({ trustedProxies: 'loopback' });
    try {
      const admin = await new HttpClient(app.url).login();
      await admin.post('/api/users', { email: 'owner2@example.com', password: 'owner-password', role: 'viewer' });
      const attempt = (password: string, ip: string) =>
        fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ email: 'owner2@example.com', password }) }).then((r) => r.status);
      for (let i = 0; i < 12; i++) await attempt(`guess-${i}`, '198.51.100.7');
      expect(await attempt('owner-password', '198.51.100.7')).toBe(429);
      expect(await attempt('owner-password', '192.0.2.44')).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('security headers', () => {
  it('sends a strict Content-Security-Policy on the app and HSTS over HTTPS', async () => {
    const app = await startTestApp({ trustedProxies: 'loopback' });
    try {
      const plain = await fetch(`${app.url}/healthz`);
      expect(plain.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
      expect(plain.headers.get('strict-transport-security')).toBeNull();
      // Behind a trusted TLS-terminating proxy the request counts as HTTPS.
      const secure = await fetch(`${app.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(secure.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    } finally {
      await app.close();
    }
  });
});
