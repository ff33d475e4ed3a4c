// `npm run bench`: Stripe webhook ingest against a plain Postgres insert, on this machine.
//
// Starts the built app (dist/api/main.js) on a fresh embedded PostgreSQL in a temp data dir,
// then measures in one run:
//   (a) baseline: INSERT ... ON CONFLICT DO NOTHING of the same ~3 KB event JSON as jsonb,
//       straight through `pg`, at the same concurrency
//   (b) ingest: signed checkout.session.completed events (unique ids) through
//       POST /hooks/stripe/:flowId (verify, store, create run + first job, answer)
//   (c) duplicate storm: each event id delivered 20 times at once
// plus two reference lines: the HTTP floor (GET /healthz through the same Nest stack, the
// most any endpoint can do here) and ingest at a low concurrency (ack latency unsaturated);
// and prints req/s, p50/p99 acknowledgement latency, the ratio b/a, and checks in the
// database that every event id has exactly one run.
//
// Env: BENCH_CONCURRENCY (16), BENCH_LOW_CONCURRENCY (4), BENCH_EVENTS (3000), BENCH_STORM_IDS (150),
// HANDOFF_ROLE (all: the worker executes the runs in the same process while ingest is measured).
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir, cpus } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import pg from 'pg';
import Stripe from 'stripe';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const MAIN = join(ROOT, 'dist/api/main.js');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const LOW_CONCURRENCY = Number(process.env.BENCH_LOW_CONCURRENCY ?? 4);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000);
const STORM_IDS = Number(process.env.BENCH_STORM_IDS ?? 150);
const STORM_COPIES = 20;
const WARMUP = 300;
const ADMIN = { email: 'bench@example.com', password: 'bench-password-123' };
const SECRET = 'whsec_benchSigningSecret0000000000';

const say = (line = '') => process.stdout.write(line + '\n');

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** sampleEvent from libs/nodes, bundled on the fly (TypeScript + JSON fixtures) with the installed esbuild. */
async function loadSamples(dir) {
  const out = join(dir, 'samples.mjs');
  await build({ entryPoints: [join(ROOT, 'libs/nodes/src/stripe/samples.ts')], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'silent' });
  return import(pathToFileURL(out).href);
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `jobs` (async thunks) with `concurrency` in flight; returns wall time and per-call latencies. */
async function drive(jobs, concurrency) {
  const latencies = new Array(jobs.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        const t0 = performance.now();
        await jobs[i]();
        latencies[i] = performance.now() - t0;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: jobs.length, seconds, rps: jobs.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

function main() {
  return run().catch((e) => {
    process.stderr.write(`bench failed: ${e.stack ?? e}\n`);
    process.exitCode = 1;
  });
}

let cleanup = async () => undefined;

async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-bench-'));
  // As root, the embedded Postgres runs as `postgres`, which must be able to reach its data dir.
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const { sampleEvent } = await loadSamples(dir);
  const [port, dbPort] = [await freePort(), await freePort()];
  const role = process.env.HANDOFF_ROLE ?? 'all';
  const logFile = join(dir, 'app.log');
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      HANDOFF_DATA_DIR: dir,
      HANDOFF_DB_PORT: String(dbPort),
      PORT: String(port),
      HOST: '127.0.0.1',
      HANDOFF_ROLE: role,
      HANDOFF_ADMIN_EMAIL: ADMIN.email,
      HANDOFF_ADMIN_PASSWORD: ADMIN.password,
      HANDOFF_WEB_DIR: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let pool = null;
  cleanup = async () => {
    await pool?.end().catch(() => undefined);
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}); see its log:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    if (await fetch(`${base}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error('the app did not become ready within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }

  const password = readFileSync(join(dir, 'pg-password'), 'utf8').trim();
  const dbUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${dbPort}/handoff`;
  pool = new pg.Pool({ connectionString: dbUrl, max: CONCURRENCY });
  // An idle connection dropped by the server must not crash the bench; say so instead.
  pool.on('error', (e) => say(`(pg pool: ${e.message})`));

  // ---- setup through the API, as a user would --------------------------------------------
  // A fresh keep-alive pool per phase: a socket left idle past the server's keep-alive
  // timeout (5 s) could be closed just as the next phase reuses it.
  let agent = new Agent({ keepAlive: true, maxSockets: Math.max(CONCURRENCY, STORM_COPIES * 2) + 4 });
  const freshAgent = () => {
    agent.destroy();
    agent = new Agent({ keepAlive: true, maxSockets: Math.max(CONCURRENCY, STORM_COPIES * 2) + 4 });
  };
  let cookie = '';
  const call = (method, path, body, headers = {}) =>
    new Promise((res, rej) => {
      const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = request(
        base + path,
        { method, agent, headers: { 'content-type': 'application/json', ...(cookie ? { cookie, 'x-handoff-csrf': '1' } : {}), ...(data ? { 'content-length': Buffer.byteLength(data) } : {}), ...headers } },
        (r) => {
          const chunks = [];
          r.on('data', (c) => chunks.push(c));
          r.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (r.headers['set-cookie']) cookie = r.headers['set-cookie'][0].split(';')[0];
            res({ status: r.statusCode, body: text ? JSON.parse(text) : null });
          });
        },
      );
      req.on('error', rej);
      if (data) req.write(data);
      req.end();
    });
  const must = async (p, status, what) => {
    const r = await p;
    if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await must(call('POST', '/api/auth/login', ADMIN), 200, 'login');
  const cred = await must(call('POST', '/api/credentials', { type: 'stripe.signingSecret', name: 'bench', secret: SECRET }), 201, 'create credential');
  const flow = await must(
    call('POST', '/api/flows', {
      schema: 'handoff.flow/1',
      name: 'Bench: payment to onboarding',
      nodes: [
        { id: 'paid', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: { events: ['checkout.session.completed'], signingSecret: { credential: cred.id } } },
        { id: 'cleared', type: 'branch', position: { x: 260, y: 0 }, config: { condition: "trigger.payment.status = 'cleared'" } },
      ],
      edges: [{ id: 'e1', source: 'paid', sourcePort: 'out', target: 'cleared' }],
    }),
    201,
    'create flow',
  );
  await must(call('POST', `/api/flows/${flow.id}/publish`, {}), 200, 'publish');
  cookie = '';

  // ---- payloads: realistic, unique, signed just before sending ----------------------------
  const events = (n) => Array.from({ length: n }, () => JSON.stringify(sampleEvent('checkout_paid')));
  const hook = (payload) => {
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    return call('POST', `/hooks/stripe/${flow.id}`, payload, { 'stripe-signature': header });
  };
  const outcomes = {};
  const hookJob = (payload) => async () => {
    const r = await hook(payload);
    const key = r.status !== 200 ? `http_${r.status}` : r.body.duplicate ? 'duplicate' : r.body.runId ? 'accepted' : 'other';
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  };
  const sample = events(1)[0];

  say(`Handoff webhook ingest bench  (${cpus().length} CPUs, concurrency ${CONCURRENCY}, role ${role}, payload ${(Buffer.byteLength(sample) / 1024).toFixed(1)} KB)`);

  // ---- (a) baseline -----------------------------------------------------------------------
  await pool.query(`CREATE TABLE bench_baseline (flow_id uuid NOT NULL, event_id text NOT NULL, payload jsonb NOT NULL, PRIMARY KEY (flow_id, event_id))`);
  const insert = (payload) => () =>
    pool.query(`INSERT INTO bench_baseline (flow_id, event_id, payload) VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING`, [flow.id, JSON.parse(payload).id, payload]);
  await drive(events(WARMUP).map(insert), CONCURRENCY);
  const baseline = await drive(events(EVENTS).map(insert), CONCURRENCY);

  // ---- HTTP floor: the cheapest route through the same stack --------------------------------
  freshAgent();
  const floor = await drive(Array.from({ length: EVENTS }, () => () => call('GET', '/healthz')), CONCURRENCY);

  // ---- (b) ingest -------------------------------------------------------------------------
  freshAgent();
  const warmupPayloads = events(WARMUP);
  await drive(warmupPayloads.map(hookJob), CONCURRENCY);
  for (const k of Object.keys(outcomes)) delete outcomes[k];
  // low concurrency first: with HANDOFF_ROLE=all the worker is still executing earlier runs later on
  const lowPayloads = events(Math.round(EVENTS / 3));
  const ingestLow = await drive(lowPayloads.map(hookJob), LOW_CONCURRENCY);
  const ingestPayloads = events(EVENTS);
  const ingest = await drive(ingestPayloads.map(hookJob), CONCURRENCY);
  const ingestOutcomes = { ...outcomes };

  // ---- (c) duplicate storm: 20 copies of each id in flight together ------------------------
  for (const k of Object.keys(outcomes)) delete outcomes[k];
  freshAgent();
  const stormIds = events(STORM_IDS);
  const stormJobs = stormIds.flatMap((p) => Array.from({ length: STORM_COPIES }, () => hookJob(p)));
  const storm = await drive(stormJobs, Math.max(CONCURRENCY, STORM_COPIES * 2));
  const stormOutcomes = { ...outcomes };

  // ---- checks in the database ---------------------------------------------------------------
  const ids = [...warmupPayloads, ...ingestPayloads, ...lowPayloads, ...stormIds].map((p) => JSON.parse(p).id);
  const { rows: [check] } = await pool.query(
    `WITH sent AS (SELECT unnest($2::text[]) AS event_id),
          per AS (SELECT s.event_id, (SELECT count(*) FROM runs r WHERE r.flow_id = $1 AND r.event_id = s.event_id) AS runs FROM sent s)
     SELECT count(*)::int AS ids, count(*) FILTER (WHERE runs = 1)::int AS exactly_one, min(runs)::int AS min, max(runs)::int AS max FROM per`,
    [flow.id, ids],
  );
  const { rows: [dups] } = await pool.query(`SELECT coalesce(sum(duplicate_count), 0)::int AS n FROM stripe_events WHERE flow_id = $1 AND event_id = ANY($2)`, [
    flow.id,
    stormIds.map((p) => JSON.parse(p).id),
  ]);

  // ---- report -------------------------------------------------------------------------------
  const row = (name, r) => `${name.padEnd(34)} ${String(r.count).padStart(6)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)}`;
  say();
  say(`${'phase'.padEnd(34)} ${'reqs'.padStart(6)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
  say(row('(a) baseline pg INSERT jsonb', baseline));
  say(row('    HTTP floor: GET /healthz', floor));
  say(row('(b) signed webhook ingest', ingest));
  say(row(`    ingest at concurrency ${LOW_CONCURRENCY}`, ingestLow));
  say(row(`(c) duplicate storm (${STORM_IDS} ids x ${STORM_COPIES})`, storm));
  say();
  const ratio = ingest.rps / baseline.rps;
  say(`ratio b/a: ${(ratio * 100).toFixed(0)}% of the baseline's req/s   (target >= 50%: ${ratio >= 0.5 ? 'met' : 'NOT met'})`);
  say(`HTTP floor / baseline: ${((floor.rps / baseline.rps) * 100).toFixed(0)}% (no endpoint through this stack can do better)`);
  say(`ingest p99 ack: ${ingest.p99.toFixed(1)} ms at concurrency ${CONCURRENCY}, ${ingestLow.p99.toFixed(1)} ms at ${LOW_CONCURRENCY}   (target < 50 ms: ${ingest.p99 < 50 ? 'met' : 'NOT met'} at ${CONCURRENCY})`);
  say(`outcomes: ingest ${JSON.stringify(ingestOutcomes)}  storm ${JSON.stringify(stormOutcomes)}`);
  say(`runs per event id (checked in the database): ${check.exactly_one}/${check.ids} ids have exactly 1 run (min ${check.min}, max ${check.max}); storm duplicates counted: ${dups.n} (expected ${STORM_IDS * (STORM_COPIES - 1)})`);
  const ok = check.exactly_one === check.ids && dups.n === STORM_IDS * (STORM_COPIES - 1) && stormOutcomes.accepted === STORM_IDS && ingestOutcomes.accepted === EVENTS + lowPayloads.length;
  if (!ok) {
    say('FAILED: exactly-once does not hold');
    process.exitCode = 1;
  }
  agent.destroy();
}

await main();
await cleanup();
