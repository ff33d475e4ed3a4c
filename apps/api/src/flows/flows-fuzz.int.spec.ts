import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, startTestApp, TestApp } from '../../test/harness';
import { prng } from '../../test/prng';


const valid = () => ({
  schema: 'handoff.flow/1',
  name: 'fuzz',
  nodes: [
    { id: 'start', type: 'manual.trigger', position: { x: 0, y: 0 }, config: {} },
    { id: 'check', type: 'branch', position: { x: 200, y: 0 }, config: { condition: 'trigger.n > 1' } },
    { id: 'wait', type: 'delay', position: { x: 400, y: 0 }, config: { duration: 'PT5S' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'out', target: 'check' },
    { id: 'e2', source: 'check', sourcePort: 'true', target: 'wait' },
  ],
});

const junk: unknown[] = [null, 0, -1, 1e308, '', 'x'.repeat(5000), true, [], {}, [[]], { $ref: '#' }, '__proto__', 'constructor', '{{', '{{ $notAFunction("1") }}', '\u0000', NaN];

function mutate(doc: unknown, rnd: () => number, depth = 0): unknown {
  if (depth > 4 || doc === null || typeof doc !== 'object') return rnd() < 0.5 ? junk[Math.floor(rnd() * junk.length)] : doc;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(doc) ? [...doc] : { ...(doc as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const action = rnd();
  if (action < 0.2 && keys.length) delete (copy as Record<string, unknown>)[keys[Math.floor(rnd() * keys.length)]];
  else if (action < 0.35) (copy as Record<string, unknown>)[['id', 'type', 'source', 'target', 'sourcePort', 'extra', '__proto__'][Math.floor(rnd() * 7)]] = junk[Math.floor(rnd() * junk.length)];
  else if (keys.length) {
    const k = keys[Math.floor(rnd() * keys.length)];
    (copy as Record<string, unknown>)[k] = mutate((copy as Record<string, unknown>)[k], rnd, depth + 1);
  }
  return copy;
}

describe('flow documents under fuzzing', () => {
  let app: TestApp;
  let api: HttpClient;
  let db: Client;

  beforeAll(async () => {
    app = await startTestApp();
    api = await new HttpClient(app.url).login();
    db = new Client({ connectionString: app.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('answers 2000 malformed documents with 4xx (never 5xx), stores only the valid ones, and stays up', async () => {
    const rnd = prng(20261122);
    let created = 0;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      let body: unknown = valid();
      const rounds = 1 + Math.floor(rnd() * 3);
      for (let r = 0; r < rounds; r++) body = mutate(body, rnd);
      const raw = rnd() < 0.05 ? JSON.stringify(body).slice(0, Math.floor(rnd() * 40)) : JSON.stringify(body) ?? 'null';
      const res = await api.request('POST', '/api/flows', raw, { 'content-type': 'application/json' });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, `case ${i}: ${raw.slice(0, 300)}`).toBeLessThan(500);
      expect([201, 400], `case ${i}: ${raw.slice(0, 300)}`).toContain(res.status);
      if (res.status === 201) created++;
    }
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM flows`);
    expect(rows[0].n).toBe(created);
    expect(statuses.get(400)).toBeGreaterThan(1000);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  }, 120_000);
});
