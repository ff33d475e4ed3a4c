import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';

const NO_REVIEW = '00000000-0000-4000-8000-000000000000';
const emptyFlow = { schema: 'handoff.flow/1', name: 'x', nodes: [], edges: [] };

/** What each role may do; 403 = refused by role, anything else = let through to the handler. */
const matrix: Array<{ what: string; call: (c: HttpClient) => Promise<{ status: number }>; minRole: 'viewer' | 'reviewer' | 'editor' | 'admin' }> = [
  { what: 'list flows', call: (c) => c.get('/api/flows'), minRole: 'viewer' },
  { what: 'list runs', call: (c) => c.get('/api/runs'), minRole: 'viewer' },
  { what: 'decide a review', call: (c) => c.post(`/api/reviews/${NO_REVIEW}/decision`, { decision: 'approve' }), minRole: 'reviewer' },
  { what: 'create a flow', call: (c) => c.post('/api/flows', emptyFlow), minRole: 'editor' },
  { what: 'create a credential', call: (c) => c.post('/api/credentials', { type: 'slack.webhook', name: 's', secret: 'https://hooks.example.com/x' }), minRole: 'editor' },
  { what: 'retry a run', call: (c) => c.post(`/api/runs/${NO_REVIEW}/retry`), minRole: 'editor' },
  { what: 'create a user', call: (c) => c.post('/api/users', { email: 'new@example.com', password: 'long-enough-pw', role: 'viewer' }), minRole: 'admin' },
  { what: 'create an API token', call: (c) => c.post('/api/tokens', { name: 't' }), minRole: 'viewer' },
  { what: 'list everyone’s API tokens', call: (c) => c.get('/api/tokens?all=true'), minRole: 'admin' },
  { what: 'disable a user', call: (c) => c.patch(`/api/users/${NO_REVIEW}`, { disabled: true }), minRole: 'admin' },
  { what: 'read the audit log', call: (c) => c.get('/api/audit'), minRole: 'admin' },
];
const order = ['viewer', 'reviewer', 'editor', 'admin'] as const;

describe('roles', () => {
  let app: TestApp;
  const clients: Record<string, HttpClient> = {};

  beforeAll(async () => {
    app = await startTestApp();
    clients.admin = await new HttpClient(app.url).login();
    for (const role of ['viewer', 'reviewer', 'editor']) {
      await clients.admin.post('/api/users', { email: `${role}@example.com`, password: `${role}-password-1`, role });
      clients[role] = await new HttpClient(app.url).login(`${role}@example.com`, `${role}-password-1`);
    }
  });
  afterAll(() => app?.close());

  for (const role of order) {
    it(`${role === 'admin' ? 'an' : 'a'} ${role} is refused exactly what needs a higher role`, async () => {
      for (const m of matrix) {
        const allowed = order.indexOf(role) >= order.indexOf(m.minRole);
        const { status } = await m.call(clients[role]);
        if (allowed) expect(status, `${role} should be able to ${m.what}`).not.toBe(403);
        else expect(status, `${role} must not ${m.what}`).toBe(403);
      }
    });
  }
});
