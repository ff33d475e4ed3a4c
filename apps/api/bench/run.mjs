// `npm run bench`: Handoff under load on this machine, in one run of the built app.
//
// Starts the built app (dist/api/main.js) on a fresh embedded PostgreSQL in a temp data dir,
// then measures, in this order:
//   (a) baseline: INSERT ... ON CONFLICT DO NOTHING of the same ~3 KB event JSON as jsonb,
//       straight through `pg`, at the same concurrency
//   (b) ingest: signed checkout.session.completed events (unique ids) through
//       POST /hooks/stripe/:flowId (verify, store, create run + first job, answer), at
//       BENCH_CONCURRENCY (16), BENCH_LOW_CONCURRENCY (4) and BENCH_HIGH_CONCURRENCY (64)
//   (c) duplicate storm: each event id delivered 20 times at once
//   plus two reference lines: the HTTP floor (GET /healthz through the same Nest stack, the
//   most any endpoint can do here) and ingest at a low concurrency (ack latency unsaturated);
//   (d) payment -> kickoff: the "Payment to onboarding" template, imported and published through
//       the API, receives paid checkouts from distinct clients once the worker has drained the
//       backlog of (b) and (c), at a steady rate; latency from each POST to the finished_at of the run's CRM
//       paid/won step and of its intake.start step (the onboarding kickoff)
//   (w) worker: a six-step flow (Stripe trigger, branch, CRM deal, CRM contact, branch, branch) is
//       paused, receives BENCH_WORKER_EVENTS (2000) paid checkouts (held), and is resumed: steps/s
//       and runs/s from the resume to the last run's end, with nothing else going on
//   (d) also a burst: BENCH_BURST (300) paid checkouts sent at once; how long until all are kicked off
//   (e) run list at 1M runs: rows seeded straight into `runs` (INSERT ... SELECT generate_series,
//       four flows, 90 days), then GET /api/runs as the web app calls it (first page, page 50
//       by cursor, by flow, by status, both, `q` search), each repeated
//   (f) app memory: VmRSS of the app process every 200 ms; idle after startup, peak per phase, end
// and checks in the database that every event id has exactly one run, that the storm's
// duplicates were all counted, and that every kickoff run succeeded with exactly one intake.start
// step and one intake. Exits non-zero when a check fails.
//
// Env: BENCH_CONCURRENCY (16), BENCH_LOW_CONCURRENCY (4), BENCH_EVENTS (3000), BENCH_STORM_IDS (150),
// BENCH_KICKOFF_EVENTS (300), BENCH_KICKOFF_RATE (5 a second; 0: as fast as BENCH_KICKOFF_CONCURRENCY (4)
// allows, which measures the worker's queue more than its latency), BENCH_SEED_RUNS (1000000; 0 skips (e)),
// BENCH_LIST_REPEATS (20), BENCH_KEEP (1: leave the app and database up after the report, until
// Ctrl-C, to look into a slow query), HANDOFF_ROLE (all: the worker executes the runs in the same
// process while ingest is measured; api: ingest only, and (d) is skipped as nothing runs the flows).
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, createWriteStream } from 'node:fs';
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
const KICKOFF_EVENTS = Number(process.env.BENCH_KICKOFF_EVENTS ?? 300);
const KICKOFF_RATE = Number(process.env.BENCH_KICKOFF_RATE ?? 5);
const KICKOFF_CONCURRENCY = Number(process.env.BENCH_KICKOFF_CONCURRENCY ?? 4);
const BURST = Number(process.env.BENCH_BURST ?? 300);
const WORKER_EVENTS = Number(process.env.BENCH_WORKER_EVENTS ?? 2000);
const HIGH_CONCURRENCY = Number(process.env.BENCH_HIGH_CONCURRENCY ?? 64);
const SEED_RUNS = Number(process.env.BENCH_SEED_RUNS ?? 1_000_000);
const LIST_REPEATS = Number(process.env.BENCH_LIST_REPEATS ?? 20);
const STORM_COPIES = 20;
const WARMUP = 300;
// Generous: on a loaded 2-core machine the worker drains a few thousand two-step runs in about a minute.
const DRAIN_TIMEOUT_MS = 10 * 60_000;
const ADMIN = { email: 'bench@example.com', password: 'bench-password-123' };
const SECRET = 'whsec_benchSigningSecret0000000000';

const say = (line = '') => process.stdout.write(line + '\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

/** count, p50, p99 and max of a list of milliseconds. */
function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

/**
 * CPU time (ms, user + system) used so far by the app process, by Postgres (the postmaster and
 * its children: backends, WAL writer, checkpointer...) and by this bench process, from /proc
 * (Linux). What a phase costs on each side tells where a request's time goes.
 */
let cpuPids = { app: 0, pgDir: '' };
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);
function procTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields after the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return { ppid: -1, ticks: 0, children: 0 };
  }
}
function cpuNow() {
  const { app, pgDir } = cpuPids;
  let pg = 0;
  try {
    const postmaster = Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const p = Number(name);
      const t = procTicks(p);
      // A backend that exits hands its time to the postmaster's children's count (cutime/cstime).
      if (p === postmaster) pg += t.ticks + t.children;
      else if (t.ppid === postmaster) pg += t.ticks;
    }
  } catch {
    pg = NaN;
  }
  const own = process.cpuUsage();
  return { app: app ? procTicks(app).ticks * TICK_MS : NaN, pg: pg * TICK_MS, bench: (own.user + own.system) / 1000 };
}
function cpuSince(start, count) {
  const end = cpuNow();
  return Object.fromEntries(Object.keys(end).map((k) => [k, (end[k] - start[k]) / count]));
}

/** From the app's /metrics: ingest statements and deliveries (handoff_ingest_batch_size), and every statement its pool sent. */
async function appCounters(base) {
  const text = await (await fetch(`${base}/metrics`)).text();
  const value = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { sum: value('handoff_ingest_batch_size_sum'), count: value('handoff_ingest_batch_size_count'), statements: value('handoff_db_statements_total') };
}

/** WAL written and transactions committed so far in the whole cluster (every database: the queue's jobs too). */
async function dbCounters(pool) {
  const { rows: [r] } = await pool.query(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS wal, (SELECT sum(xact_commit)::float8 FROM pg_stat_database) AS commits,
            (SELECT sum(fsyncs)::float8 FROM pg_stat_io WHERE object = 'wal') AS syncs`,
  );
  return r;
}
function dbSince(a, b, count) {
  return { wal: (b.wal - a.wal) / count, commits: (b.commits - a.commits) / count, syncs: (b.syncs - a.syncs) / count };
}

/** Runs `jobs` (async thunks) with `concurrency` in flight; returns wall time, per-call latencies and CPU per call. */
async function drive(jobs, concurrency) {
  const latencies = new Array(jobs.length);
  let next = 0;
  const cpu0 = cpuNow();
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
  return { ...stats(latencies), seconds, rps: jobs.length / seconds, cpu: cpuSince(cpu0, jobs.length) };
}

/**
 * Starts job i at i / rate seconds, whatever the earlier ones are doing (open loop: payments
 * arrive at their own pace, not when the server is ready); returns the same shape as drive.
 */
async function paced(jobs, rate) {
  const started = performance.now();
  const latencies = await Promise.all(
    jobs.map(async (job, i) => {
      await sleep(started + (i * 1000) / rate - performance.now());
      const t0 = performance.now();
      await job();
      return performance.now() - t0;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...stats(latencies), seconds, rps: jobs.length / seconds };
}

/**
 * Samples the app's resident memory (VmRSS from /proc, Linux) every 200 ms and keeps the peak
 * of each phase; `phase(name)` closes the current phase with one last sample and opens the next.
 */
function rssSampler(pid) {
  const peaks = new Map();
  let current = 'startup';
  const sample = () => {
    let bytes = NaN;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) bytes = Number(m[1]) * 1024;
    } catch {
      // the process is gone or this is not Linux: the report says n/a
    }
    if (!(bytes <= peaks.get(current))) peaks.set(current, bytes);
    return bytes;
  };
  const timer = setInterval(sample, 200);
  timer.unref();
  return {
    sample,
    phase(name) {
      sample();
      current = name;
      sample();
    },
    peak: (name) => peaks.get(name),
    stop: () => clearInterval(timer),
  };
}

const mb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(0)} MB` : 'n/a');
const fmt = (v) => (Number.isFinite(v) ? v.toFixed(1) : '-');

/** Polls until every run (of `flowId`, or of all flows) is out of queued/running; returns the seconds waited. */
async function waitForRuns(pool, flowId, what) {
  const started = performance.now();
  for (;;) {
    const { rows: [r] } = await pool.query(
      `SELECT count(*) FILTER (WHERE status IN ('queued','running'))::int AS open FROM runs WHERE $1::uuid IS NULL OR flow_id = $1`,
      [flowId],
    );
    if (r.open === 0) return (performance.now() - started) / 1000;
    if (performance.now() - started > DRAIN_TIMEOUT_MS) throw new Error(`${what}: ${r.open} runs still queued or running after ${DRAIN_TIMEOUT_MS / 1000} s`);
    await sleep(250);
  }
}

/**
 * (d) payment -> kickoff. Sends paid checkouts from distinct clients (their own session and
 * customer ids, so no step is an idempotent skip of an earlier run), waits for the worker,
 * then reads each run's steps: latency = step finished_at - the moment its POST was sent.
 * finished_at is the step transaction's now() (its start), so this is a little optimistic.
 */
async function kickoffPhase({ api, hook, pool, sampleEvent, credentialId, tag = 'kickoff', events = KICKOFF_EVENTS, rate = KICKOFF_RATE, concurrency = KICKOFF_CONCURRENCY }) {
  const { items } = await api.must('GET', '/api/templates', undefined, 200, 'list templates');
  const doc = structuredClone(items.find((t) => t.id === 'payment-to-onboarding').document);
  doc.nodes.find((n) => n.type === 'stripe.trigger').config.signingSecret = { credential: credentialId };
  const flowId = await api.publishFlow(doc);
  // The kickoff is the intake.start step; "won" is the CRM step that moves the deal to paid/won.
  const intakeNode = doc.nodes.find((n) => n.type === 'intake.start').id;
  const wonNode = doc.nodes.find((n) => n.type === 'crm.updateDeal' && n.config.stage === 'paid_won').id;

  const sentAt = new Map();
  const outcomes = {};
  const jobs = Array.from({ length: events }, (_, i) => {
    const payload = JSON.stringify(
      sampleEvent('checkout_paid', {
        data: { object: { id: `cs_test_${tag}_${i}`, payment_intent: `pi_${tag}_${i}`, customer: `cus_${tag}_${i}`, customer_details: { email: `${tag}${i}@example.com`, name: `Client ${i}` } } },
      }),
    );
    const eventId = JSON.parse(payload).id;
    return async () => {
      sentAt.set(eventId, Date.now());
      const r = await hook(flowId, payload);
      const key = r.status !== 200 ? `http_${r.status}` : r.body.runId ? 'accepted' : 'other';
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    };
  });
  const firstSent = Date.now();
  const ack = rate > 0 ? await paced(jobs, rate) : await drive(jobs, concurrency);
  const waited = await waitForRuns(pool, flowId, 'payment -> kickoff');

  const { rows } = await pool.query(
    `SELECT r.event_id, r.status,
            count(*) FILTER (WHERE s.node_id = $2 AND s.status = 'succeeded')::int AS kickoff_steps,
            max(s.finished_at) FILTER (WHERE s.node_id = $2) AS kickoff_at,
            max(s.finished_at) FILTER (WHERE s.node_id = $3 AND s.status = 'succeeded') AS won_at,
            (SELECT count(*) FROM intakes i WHERE i.run_id = r.id)::int AS intakes
       FROM runs r LEFT JOIN steps s ON s.run_id = r.id
      WHERE r.flow_id = $1
      GROUP BY r.id`,
    [flowId, intakeNode, wonNode],
  );
  const runsPerEvent = new Map();
  for (const r of rows) runsPerEvent.set(r.event_id, (runsPerEvent.get(r.event_id) ?? 0) + 1);
  const good = rows.filter((r) => sentAt.has(r.event_id) && runsPerEvent.get(r.event_id) === 1 && r.status === 'succeeded' && r.kickoff_steps === 1 && r.intakes === 1);
  const latency = (column) => stats(good.filter((r) => r[column]).map((r) => r[column].getTime() - sentAt.get(r.event_id)));
  return {
    flowId,
    ack,
    waited,
    outcomes,
    won: latency('won_at'),
    kickoff: latency('kickoff_at'),
    /** From the first POST to the last kickoff: how long the whole batch took to be kicked off. */
    allKickedOffSeconds: good.length ? (Math.max(...good.map((r) => r.kickoff_at.getTime())) - firstSent) / 1000 : NaN,
    runs: rows.length,
    good: good.length,
    statuses: countBy(rows, (r) => r.status),
    ok: good.length === events && rows.length === events && outcomes.accepted === events,
  };
}

function countBy(list, key) {
  const out = {};
  for (const x of list) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

/**
 * (w) worker: a six-step flow (Stripe trigger, branch, CRM deal, CRM contact, branch, branch)
 * is paused, receives WORKER_EVENTS paid checkouts from distinct clients (held, as a paused flow
 * holds every trigger), and is resumed: the held events become runs at once and the worker
 * drains them with nothing else going on. steps/s = steps finished / seconds from the resume to
 * the last run's end.
 */
async function workerPhase({ api, hook, pool, sampleEvent, credentialId }) {
  const doc = {
    schema: 'handoff.flow/1',
    name: 'Bench: six steps',
    nodes: [
      { id: 'paid', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: { events: ['checkout.session.completed'], signingSecret: { credential: credentialId } } },
      { id: 'cleared', type: 'branch', position: { x: 260, y: 0 }, config: { condition: "trigger.payment.status = 'cleared'" } },
      { id: 'won', type: 'crm.updateDeal', position: { x: 520, y: 0 }, config: { stage: 'paid_won' } },
      { id: 'contact', type: 'crm.updateContact', position: { x: 780, y: 0 }, config: { properties: { plan: '{{ trigger.payment.metadata.product }}' } } },
      { id: 'paying', type: 'branch', position: { x: 1040, y: 0 }, config: { condition: 'trigger.payment.amount > 0' } },
      { id: 'known', type: 'branch', position: { x: 1300, y: 0 }, config: { condition: "trigger.payment.email != ''" } },
    ],
    edges: [
      { id: 'e1', source: 'paid', sourcePort: 'out', target: 'cleared' },
      { id: 'e2', source: 'cleared', sourcePort: 'true', target: 'won' },
      { id: 'e3', source: 'won', sourcePort: 'out', target: 'contact' },
      { id: 'e4', source: 'contact', sourcePort: 'out', target: 'paying' },
      { id: 'e5', source: 'paying', sourcePort: 'true', target: 'known' },
    ],
  };
  const flowId = await api.publishFlow(doc);
  await api.must('POST', `/api/flows/${flowId}/pause`, {}, 200, 'pause the six-step flow');
  const jobs = Array.from({ length: WORKER_EVENTS }, (_, i) => {
    const payload = JSON.stringify(
      sampleEvent('checkout_paid', {
        data: { object: { id: `cs_test_worker_${i}`, payment_intent: `pi_worker_${i}`, customer: `cus_worker_${i}`, customer_details: { email: `worker${i}@example.com`, name: `Worker client ${i}` } } },
      }),
    );
    return () => hook(flowId, payload);
  });
  await drive(jobs, CONCURRENCY);
  const { rows: [{ resumedAt }] } = await pool.query('SELECT clock_timestamp() AS "resumedAt"');
  const cpu0 = cpuNow();
  const db0 = await dbCounters(pool);
  const app0 = await appCounters(api.base);
  await api.must('POST', `/api/flows/${flowId}/resume`, {}, 200, 'resume the six-step flow');
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const { rows: [c] } = await pool.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE status IN ('queued','running'))::int AS open FROM runs WHERE flow_id = $1`, [flowId]);
    if (c.n === WORKER_EVENTS && c.open === 0) break;
    if (performance.now() > deadline) throw new Error(`six-step flow: ${c.n} runs, ${c.open} open after ${DRAIN_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
  const cpu = cpuSince(cpu0, WORKER_EVENTS * 6);
  // Backends report their commit counts about once a second.
  await sleep(1500);
  const db = { ...dbSince(db0, await dbCounters(pool), WORKER_EVENTS * 6), statements: ((await appCounters(api.base)).statements - app0.statements) / (WORKER_EVENTS * 6) };
  const { rows: [{ seconds }] } = await pool.query(`SELECT extract(epoch FROM max(finished_at) - $2::timestamptz)::float AS seconds FROM runs WHERE flow_id = $1`, [flowId, resumedAt]);
  const { rows: [r] } = await pool.query(
    `SELECT count(DISTINCT r.id)::int AS runs, count(DISTINCT r.id) FILTER (WHERE r.status = 'succeeded')::int AS succeeded,
            count(s.id) FILTER (WHERE s.status = 'succeeded')::int AS steps,
            count(s.id) FILTER (WHERE s.inline)::int AS inline_steps
       FROM runs r JOIN steps s ON s.run_id = r.id WHERE r.flow_id = $1`,
    [flowId],
  );
  return { ...r, seconds, cpu, db, ok: r.runs === WORKER_EVENTS && r.succeeded === WORKER_EVENTS && r.steps === WORKER_EVENTS * 6 };
}

/**
 * (e) Seeds `total` runs in batches of 250k with INSERT ... SELECT generate_series: flows in
 * a 60/25/10/5 split, statuses mostly succeeded (90 %, then failed 5, waiting 3, cancelled 1,
 * running 1, independent of the flow), created_at spread evenly over the last 90 days, and the
 * trigger jsonb of a real run with its ids rewritten, so rows and TOAST are the real size.
 * 40,000 distinct customers/e-mails: each appears in ~25 runs. The seeded rows take seq
 * numbers after the real ones (seq is a bigserial), which does not matter to the timings.
 */
async function seedRuns(pool, flowIds, total, trigger) {
  const batch = 250_000;
  for (let from = 1; from <= total; from += batch) {
    await pool.query(
      `INSERT INTO runs (flow_id, version, status, trigger, trigger_type, event_id, customer_id, email, error, created_at, started_at, finished_at)
       SELECT ($4::uuid[])[flow], 1, status,
              jsonb_set(jsonb_set($5::jsonb, '{event,id}', to_jsonb(event_id)), '{payment}',
                        ($5::jsonb -> 'payment') || jsonb_build_object('customerId', customer_id, 'email', email, 'objectId', 'cs_seed_' || g)),
              'checkout.session.completed', event_id, customer_id, email,
              CASE WHEN status = 'failed' THEN 'won: HubSpot answered 429 Too Many Requests' END,
              at, at + interval '200 ms',
              CASE WHEN status IN ('succeeded','failed','cancelled') THEN at + (1 + g % 30) * interval '1 second' END
         FROM (SELECT g,
                      CASE WHEN g % 20 < 12 THEN 1 WHEN g % 20 < 17 THEN 2 WHEN g % 20 < 19 THEN 3 ELSE 4 END AS flow,
                      CASE WHEN (g / 20) % 100 < 90 THEN 'succeeded' WHEN (g / 20) % 100 < 95 THEN 'failed'
                           WHEN (g / 20) % 100 < 98 THEN 'waiting' WHEN (g / 20) % 100 < 99 THEN 'cancelled' ELSE 'running' END AS status,
                      'evt_seed_' || g AS event_id,
                      'cus_seed_' || (g % 40000) AS customer_id,
                      'client' || (g % 40000) || '@example.com' AS email,
                      now() - interval '90 days' * (1 - g::float8 / $3) AS at
                 FROM generate_series($1::int, $2::int) g) s`,
      [from, Math.min(from + batch - 1, total), total, flowIds, trigger],
    );
  }
}

/** GET `path` `repeats` times one after another (after 2 untimed calls); returns latency stats and the page's row count. */
async function timeList(api, path, repeats) {
  let rows = 0;
  const once = async () => {
    const r = await api.call('GET', path);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    rows = r.body.items.length;
  };
  await once();
  await once();
  const timed = await drive(Array.from({ length: repeats }, () => once), 1);
  return { ...timed, rows };
}

/** The cursor of page `page` (50 runs a page), following nextCursor from the first page as the web app does; null when there are fewer pages. */
async function cursorOfPage(api, query, page) {
  let cursor = null;
  for (let i = 1; i < page; i++) {
    const r = await api.call('GET', `/api/runs?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    if (r.status !== 200) throw new Error(`GET /api/runs?${query}: ${r.status} ${JSON.stringify(r.body)}`);
    cursor = r.body.nextCursor;
    if (!cursor) return null;
  }
  return cursor;
}

/** (e) The run list as the web app asks for it (limit 50 by default), plus one API-only date window. */
async function listPhase(api, pool, flows, seeded) {
  const eventId = `evt_seed_${Math.ceil(seeded / 2)}`;
  const { rows: [sample] } = await pool.query(`SELECT id FROM runs WHERE event_id = $1`, [eventId]);
  const iso = (daysAgo) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  const deep = async (page, query) => {
    const cursor = await cursorOfPage(api, query, page);
    return cursor && `/api/runs?${query}${query ? '&' : ''}cursor=${cursor}`;
  };
  const cases = [
    ['first page', '/api/runs'],
    ['page 50 (cursor)', await deep(50, '')],
    ['flow (60 % of runs)', `/api/runs?flowId=${flows[0]}`],
    ['flow (5 % of runs)', `/api/runs?flowId=${flows[3]}`],
    ['status=failed (5 %)', '/api/runs?status=failed'],
    ['flow 5 % + status=failed', `/api/runs?flowId=${flows[3]}&status=failed`],
    ['flow 5 % + failed, page 20 (cursor)', await deep(20, `flowId=${flows[3]}&status=failed`)],
    ['q = event id', `/api/runs?q=${eventId}`],
    ['q = e-mail (~25 runs)', '/api/runs?q=client123%40example.com'],
    ['q = run id', `/api/runs?q=${sample.id}`],
    ['q = no match', '/api/runs?q=evt_nothing_like_it'],
    ['since/until 60-67 days ago (API only)', `/api/runs?since=${iso(67)}&until=${iso(60)}`],
  ];
  const results = [];
  // A deep page that does not exist with a small BENCH_SEED_RUNS is left out.
  for (const [name, path] of cases.filter(([, path]) => path)) results.push({ name, path, ...(await timeList(api, path, LIST_REPEATS)) });
  return results;
}

function main() {
  return run().catch((e) => {
    process.stderr.write(`bench failed: ${e.stack ?? e}\n`);
    // What the app said last (it may have exited or refused): the temp dir goes with cleanup.
    process.stderr.write(appLogTail());
    process.exitCode = 1;
  });
}

let cleanup = async () => undefined;
let appLogTail = () => '';

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
  appLogTail = () => {
    try {
      const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-15);
      return `app ${child.exitCode === null ? 'still running' : `exited (${child.exitCode ?? child.signalCode})`}; the last lines of its log:\n${lines.join('\n')}\n`;
    } catch {
      return '';
    }
  };
  // BENCH_APP_NODE_ARGS: extra node flags for the app process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
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
  const rss = rssSampler(child.pid);
  cpuPids = { app: child.pid, pgDir: join(dir, 'pg') };
  cleanup = async () => {
    rss.stop();
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
    await sleep(200);
  }

  const password = readFileSync(join(dir, 'pg-password'), 'utf8').trim();
  // The app reaches its embedded database over the unix socket in the data dir when there is
  // one (database/embedded-postgres.ts); the baseline goes the same way, so the ratio compares like with like.
  const socketDir = join(dir, 'socket');
  const socket = existsSync(join(socketDir, `.s.PGSQL.${dbPort}`)) ? `?host=${encodeURIComponent(socketDir)}` : '';
  const dbUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${dbPort}/handoff${socket}`;
  pool = new pg.Pool({ connectionString: dbUrl, max: CONCURRENCY });
  // An idle connection dropped by the server must not crash the bench; say so instead.
  pool.on('error', (e) => say(`(pg pool: ${e.message})`));

  // ---- HTTP: raw calls (webhooks) and calls as the logged-in admin (the API) ------------------
  // A fresh keep-alive pool per phase: a socket left idle past the server's keep-alive
  // timeout (5 s) could be closed just as the next phase reuses it.
  let agent = new Agent({ keepAlive: true, maxSockets: Math.max(CONCURRENCY, HIGH_CONCURRENCY, BURST, STORM_COPIES * 2) + 4 });
  const freshAgent = () => {
    agent.destroy();
    agent = new Agent({ keepAlive: true, maxSockets: Math.max(CONCURRENCY, HIGH_CONCURRENCY, BURST, STORM_COPIES * 2) + 4 });
  };
  const call = (method, path, body, headers = {}) =>
    new Promise((res, rej) => {
      const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = request(
        base + path,
        { method, agent, headers: { 'content-type': 'application/json', ...(data ? { 'content-length': Buffer.byteLength(data) } : {}), ...headers } },
        (r) => {
          const chunks = [];
          r.on('data', (c) => chunks.push(c));
          r.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            res({ status: r.statusCode, headers: r.headers, body: text ? JSON.parse(text) : null });
          });
        },
      );
      req.on('error', rej);
      if (data) req.write(data);
      req.end();
    });
  let cookie = '';
  const api = {
    base,
    call: (method, path, body) => call(method, path, body, cookie ? { cookie, 'x-handoff-csrf': '1' } : {}),
    async must(method, path, body, status, what) {
      const r = await api.call(method, path, body);
      if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async login() {
      const r = await call('POST', '/api/auth/login', ADMIN);
      if (r.status !== 200) throw new Error(`login: ${r.status} ${JSON.stringify(r.body)}`);
      cookie = r.headers['set-cookie'][0].split(';')[0];
    },
    /** Creates a flow from a document and publishes it; returns its id. */
    async publishFlow(doc) {
      const flow = await api.must('POST', '/api/flows', doc, 201, `create flow "${doc.name}"`);
      await api.must('POST', `/api/flows/${flow.id}/publish`, {}, 200, `publish "${doc.name}"`);
      return flow.id;
    },
  };

  // ---- setup through the API, as a user would --------------------------------------------
  await api.login();
  const cred = await api.must('POST', '/api/credentials', { type: 'stripe.signingSecret', name: 'bench', secret: SECRET }, 201, 'create credential');
  const benchDoc = (name) => ({
    schema: 'handoff.flow/1',
    name,
    nodes: [
      { id: 'paid', type: 'stripe.trigger', position: { x: 0, y: 0 }, config: { events: ['checkout.session.completed'], signingSecret: { credential: cred.id } } },
      { id: 'cleared', type: 'branch', position: { x: 260, y: 0 }, config: { condition: "trigger.payment.status = 'cleared'" } },
    ],
    edges: [{ id: 'e1', source: 'paid', sourcePort: 'out', target: 'cleared' }],
  });
  const flow = { id: await api.publishFlow(benchDoc('Bench: payment to onboarding')) };
  const idleRss = rss.sample();

  // ---- payloads: realistic, unique, signed just before sending ----------------------------
  const events = (n) => Array.from({ length: n }, () => JSON.stringify(sampleEvent('checkout_paid')));
  const hook = (flowId, payload) => {
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    return call('POST', `/hooks/stripe/${flowId}`, payload, { 'stripe-signature': header });
  };
  const outcomes = {};
  const hookJob = (payload) => async () => {
    const r = await hook(flow.id, payload);
    const key = r.status !== 200 ? `http_${r.status}` : r.body.duplicate ? 'duplicate' : r.body.runId ? 'accepted' : 'other';
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  };
  const sample = events(1)[0];

  say(`Handoff bench  (${cpus().length} CPUs, concurrency ${CONCURRENCY}, role ${role}, payload ${(Buffer.byteLength(sample) / 1024).toFixed(1)} KB)`);

  // ---- (a) baseline -----------------------------------------------------------------------
  rss.phase('baseline');
  await pool.query(`CREATE TABLE bench_baseline (flow_id uuid NOT NULL, event_id text NOT NULL, payload jsonb NOT NULL, PRIMARY KEY (flow_id, event_id))`);
  const insert = (payload) => () =>
    pool.query(`INSERT INTO bench_baseline (flow_id, event_id, payload) VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING`, [flow.id, JSON.parse(payload).id, payload]);
  await drive(events(WARMUP).map(insert), CONCURRENCY);
  const baseline = await drive(events(EVENTS).map(insert), CONCURRENCY);

  // ---- HTTP floor: the cheapest route through the same stack --------------------------------
  freshAgent();
  const floor = await drive(Array.from({ length: EVENTS }, () => () => call('GET', '/healthz')), CONCURRENCY);

  // ---- (b) ingest -------------------------------------------------------------------------
  rss.phase('ingest');
  freshAgent();
  const warmupPayloads = events(WARMUP);
  await drive(warmupPayloads.map(hookJob), CONCURRENCY);
  for (const k of Object.keys(outcomes)) delete outcomes[k];
  // low concurrency first: with HANDOFF_ROLE=all the worker is still executing earlier runs later on
  const lowPayloads = events(Math.round(EVENTS / 3));
  const ingestLow = await drive(lowPayloads.map(hookJob), LOW_CONCURRENCY);
  const ingestPayloads = events(EVENTS);
  const batches0 = await appCounters(base);
  const wal0 = await dbCounters(pool);
  const ingest = await drive(ingestPayloads.map(hookJob), CONCURRENCY);
  const ingestWal = dbSince(wal0, await dbCounters(pool), EVENTS).wal;
  const batches1 = await appCounters(base);
  const highPayloads = events(EVENTS);
  const ingestHigh = await drive(highPayloads.map(hookJob), HIGH_CONCURRENCY);
  const batches2 = await appCounters(base);
  const perStatement = (a, b) => ((b.sum - a.sum) / (b.count - a.count)).toFixed(1);
  const ingestOutcomes = { ...outcomes };

  // ---- (c) duplicate storm: 20 copies of each id in flight together ------------------------
  rss.phase('storm');
  for (const k of Object.keys(outcomes)) delete outcomes[k];
  freshAgent();
  const stormIds = events(STORM_IDS);
  const stormJobs = stormIds.flatMap((p) => Array.from({ length: STORM_COPIES }, () => hookJob(p)));
  const storm = await drive(stormJobs, Math.max(CONCURRENCY, STORM_COPIES * 2));
  const stormOutcomes = { ...outcomes };
  rss.phase('after storm');

  // ---- checks in the database ---------------------------------------------------------------
  const ids = [...warmupPayloads, ...ingestPayloads, ...lowPayloads, ...highPayloads, ...stormIds].map((p) => JSON.parse(p).id);
  const { rows: [check] } = await pool.query(
    `WITH sent AS (SELECT DISTINCT unnest($2::text[]) AS event_id),
          -- One join, not a lookup per id: with the statistics of a table that just grew, the planner scanned runs per id (17 s).
          per AS (SELECT s.event_id, count(r.id) AS runs FROM sent s LEFT JOIN runs r ON r.flow_id = $1 AND r.event_id = s.event_id GROUP BY s.event_id)
     SELECT count(*)::int AS ids, count(*) FILTER (WHERE runs = 1)::int AS exactly_one, min(runs)::int AS min, max(runs)::int AS max FROM per`,
    [flow.id, ids],
  );
  const { rows: [dups] } = await pool.query(`SELECT coalesce(sum(duplicate_count), 0)::int AS n FROM trigger_events WHERE flow_id = $1 AND trigger_key = ANY($2)`, [
    flow.id,
    stormIds.map((p) => JSON.parse(p).id),
  ]);

  // ---- report (a)-(c) -------------------------------------------------------------------------
  const cpuCols = (c) => [c.app, c.pg, c.bench].map((v) => (Number.isFinite(v) ? v.toFixed(2) : '-').padStart(6)).join(' ');
  const row = (name, r) =>
    `${name.padEnd(34)} ${String(r.count).padStart(6)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)}   ${cpuCols(r.cpu)}`;
  say();
  say(`${''.padEnd(34)} ${''.padStart(6)} ${''.padStart(8)} ${''.padStart(8)} ${''.padStart(8)} ${''.padStart(8)}   CPU ms per request`);
  say(`${'phase'.padEnd(34)} ${'reqs'.padStart(6)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}   ${'app'.padStart(6)} ${'pg'.padStart(6)} ${'bench'.padStart(6)}`);
  say(row('(a) baseline pg INSERT jsonb', baseline));
  say(row('    HTTP floor: GET /healthz', floor));
  say(row('(b) signed webhook ingest', ingest));
  say(row(`    ingest at concurrency ${LOW_CONCURRENCY}`, ingestLow));
  say(row(`    ingest at concurrency ${HIGH_CONCURRENCY}`, ingestHigh));
  say(row(`(c) duplicate storm (${STORM_IDS} ids x ${STORM_COPIES})`, storm));
  say();
  const ratio = ingest.rps / baseline.rps;
  say(`ratio b/a: ${(ratio * 100).toFixed(0)}% of the baseline's req/s   (target >= 50%: ${ratio >= 0.5 ? 'met' : 'NOT met'})`);
  say(`HTTP floor / baseline: ${((floor.rps / baseline.rps) * 100).toFixed(0)}% (no endpoint through this stack can do better)`);
  say(`ingest p99 ack: ${ingest.p99.toFixed(1)} ms at concurrency ${CONCURRENCY}, ${ingestLow.p99.toFixed(1)} ms at ${LOW_CONCURRENCY}, ${ingestHigh.p99.toFixed(1)} ms at ${HIGH_CONCURRENCY}   (target < 50 ms: ${ingest.p99 < 50 ? 'met' : 'NOT met'} at ${CONCURRENCY})`);
  say(`WAL per delivery at concurrency ${CONCURRENCY}: ${ingestWal.toFixed(0)} bytes (${role === 'all' ? 'with the worker running the runs meanwhile' : 'ingest only'})`);
  say(`deliveries per statement (group commit, handoff_ingest_batch_size): ${perStatement(batches0, batches1)} at concurrency ${CONCURRENCY}, ${perStatement(batches1, batches2)} at ${HIGH_CONCURRENCY}`);
  say(`statements sent by the app per delivery at concurrency ${CONCURRENCY}: ${((batches1.statements - batches0.statements) / EVENTS).toFixed(2)}${role === 'all' ? ' (the worker running the runs meanwhile included)' : ''}`);
  say(`outcomes: ingest ${JSON.stringify(ingestOutcomes)}  storm ${JSON.stringify(stormOutcomes)}`);
  say(`runs per event id (checked in the database): ${check.exactly_one}/${check.ids} ids have exactly 1 run (min ${check.min}, max ${check.max}); storm duplicates counted: ${dups.n} (expected ${STORM_IDS * (STORM_COPIES - 1)})`);
  const failures = [];
  const exactlyOnce = check.exactly_one === check.ids && dups.n === STORM_IDS * (STORM_COPIES - 1) && stormOutcomes.accepted === STORM_IDS && ingestOutcomes.accepted === EVENTS + lowPayloads.length + highPayloads.length;
  if (!exactlyOnce) {
    say('FAILED: exactly-once does not hold');
    failures.push('exactly-once');
  }

  // ---- (d) payment -> kickoff ---------------------------------------------------------------
  // Only after the worker has caught up on (b) and (c): otherwise the latency would be the
  // time the kickoff runs wait behind a few thousand queued runs.
  let kickoffFlow = null;
  say();
  if (role === 'api') {
    say('(d) payment -> kickoff: skipped (HANDOFF_ROLE=api: no worker runs the flows)');
  } else {
    rss.phase('drain');
    const { rows: [backlog] } = await pool.query(`SELECT count(*) FILTER (WHERE status IN ('queued','running'))::int AS open FROM runs`);
    const drained = await waitForRuns(pool, null, 'draining the ingest backlog');
    say(`worker backlog after (c): ${backlog.open} runs (2 steps each) queued or running, drained in ${drained.toFixed(1)} s (${(backlog.open / drained).toFixed(0)} runs/s)`);
    rss.phase('worker');
    freshAgent();
    await api.login();
    const w = await workerPhase({ api, hook, pool, sampleEvent, credentialId: cred.id });
    say(`(w) worker, six-step flow: ${w.runs} runs released at once by resuming the paused flow, ${w.steps} steps (${w.inline_steps} run inline) in ${w.seconds.toFixed(1)} s`);
    say(`    ${(w.steps / w.seconds).toFixed(0)} steps/s, ${(w.runs / w.seconds).toFixed(0)} runs/s end to end   (target >= 1000 steps/s: ${w.steps / w.seconds >= 1000 ? 'met' : 'NOT met'})`);
    say(`    CPU ms per step: app ${w.cpu.app.toFixed(2)}, Postgres ${w.cpu.pg.toFixed(2)} (from the resume until the bench saw every run finished)`);
    say(`    per step: ${w.db.statements.toFixed(2)} statements from the app, ${w.db.commits.toFixed(2)} commits, ${w.db.syncs.toFixed(2)} WAL flushes, ${w.db.wal.toFixed(0)} bytes of WAL (steady across runs, unlike time on this VM)`);
    if (!w.ok) {
      say(`FAILED: not every six-step run succeeded with six steps (${w.succeeded}/${WORKER_EVENTS} runs succeeded, ${w.steps} steps)`);
      failures.push('worker');
    }
    rss.phase('kickoff');
    freshAgent();
    await api.login();
    const k = await kickoffPhase({ api, hook, pool, sampleEvent, credentialId: cred.id });
    rss.phase('after kickoff');
    kickoffFlow = k.flowId;
    const pace = KICKOFF_RATE > 0 ? `arriving at ${KICKOFF_RATE}/s` : `as fast as concurrency ${KICKOFF_CONCURRENCY} allows`;
    say(`(d) payment -> kickoff: "Payment to onboarding" template, ${KICKOFF_EVENTS} paid checkouts (distinct clients) ${pace}`);
    say(`${'    measured from each POST to'.padEnd(42)} ${'runs'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
    const lat = (name, r) => say(`${name.padEnd(42)} ${String(r.count).padStart(6)} ${fmt(r.p50).padStart(8)} ${fmt(r.p99).padStart(8)} ${fmt(r.max).padStart(8)}`);
    lat('    webhook answered (ack)', k.ack);
    lat('    CRM deal -> paid/won step finished', k.won);
    lat('    intake.start (kickoff) step finished', k.kickoff);
    say(`    sent in ${k.ack.seconds.toFixed(1)} s (${k.ack.rps.toFixed(0)}/s); last run finished ${k.waited.toFixed(1)} s after the last answer; outcomes ${JSON.stringify(k.outcomes)}`);
    say(`    checks: ${k.good}/${KICKOFF_EVENTS} runs succeeded with exactly one intake.start step and one intake (runs: ${k.runs}, statuses ${JSON.stringify(k.statuses)})`);
    if (!k.ok) {
      say('FAILED: not every paid checkout reached its onboarding kickoff exactly once');
      failures.push('kickoff');
    }
    say(`    target kickoff p50 <= 25 ms at 5/s: ${k.kickoff.p50 <= 25 ? 'met' : 'NOT met'}`);
    rss.phase('burst');
    freshAgent();
    await api.login();
    const burst0 = await appCounters(api.base);
    const b = await kickoffPhase({ api, hook, pool, sampleEvent, credentialId: cred.id, tag: 'burst', events: BURST, rate: 0, concurrency: BURST });
    const burstStatements = ((await appCounters(api.base)).statements - burst0.statements) / BURST;
    say(`(d) burst: ${BURST} paid checkouts sent at once (concurrency ${BURST})`);
    lat('    webhook answered (ack)', b.ack);
    lat('    intake.start (kickoff) step finished', b.kickoff);
    say(`    all ${b.good} kicked off ${b.allKickedOffSeconds.toFixed(2)} s after the first POST   (target <= 3 s: ${b.allKickedOffSeconds <= 3 && b.ok ? 'met' : 'NOT met'})`);
    say(`    ${burstStatements.toFixed(1)} statements from the app per checkout (its delivery and its run; publishing the flow adds a few in all)`);
    if (!b.ok) {
      say(`FAILED: burst: ${b.good}/${BURST} runs kicked off exactly once (statuses ${JSON.stringify(b.statuses)}, outcomes ${JSON.stringify(b.outcomes)})`);
      failures.push('burst');
    }
  }

  // ---- (e) run list at 1M runs ----------------------------------------------------------------
  say();
  if (SEED_RUNS > 0) {
    rss.phase('seed');
    // Four flows, as a workspace with a few live automations would have: 60/25/10/5 % of the runs.
    const flows = [kickoffFlow ?? flow.id, flow.id, await api.publishFlow(benchDoc('Bench: refunds')), await api.publishFlow(benchDoc('Bench: invoices'))];
    if (!kickoffFlow) flows[1] = await api.publishFlow(benchDoc('Bench: disputes'));
    const { rows: [{ trigger }] } = await pool.query(`SELECT trigger FROM runs WHERE flow_id = $1 LIMIT 1`, [flows[0]]);
    let t0 = performance.now();
    await seedRuns(pool, flows, SEED_RUNS, trigger);
    const seedSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    // What autovacuum would have done on a table that grew over 90 days: statistics and the visibility map.
    await pool.query('VACUUM (ANALYZE) runs');
    const vacuumSeconds = (performance.now() - t0) / 1000;
    const { rows: [size] } = await pool.query(`SELECT count(*)::int AS n, pg_total_relation_size('runs') AS total, pg_indexes_size('runs') AS indexes FROM runs`);
    say(`(e) run list: seeded ${SEED_RUNS.toLocaleString('en')} runs in ${seedSeconds.toFixed(1)} s (+ VACUUM ANALYZE ${vacuumSeconds.toFixed(1)} s); runs now ${size.n.toLocaleString('en')}, ${mb(Number(size.total))} on disk (indexes ${mb(Number(size.indexes))})`);
    rss.phase('list');
    freshAgent();
    await api.login();
    const results = await listPhase(api, pool, flows, SEED_RUNS);
    rss.phase('after list');
    say(`    GET /api/runs (limit 50, as the web app), ${LIST_REPEATS} times each, one at a time; p99 of ${LIST_REPEATS} is about the max`);
    say(`${'    query'.padEnd(42)} ${'rows'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
    for (const r of results) say(`${('    ' + r.name).padEnd(42)} ${String(r.rows).padStart(6)} ${fmt(r.p50).padStart(8)} ${fmt(r.p99).padStart(8)} ${fmt(r.max).padStart(8)}`);
    const slow = results.filter((r) => r.p50 > 100);
    say(`    over 100 ms at p50: ${slow.length ? slow.map((r) => r.name).join('; ') : 'none'}`);
  } else {
    say('(e) run list at 1M runs: skipped (BENCH_SEED_RUNS=0)');
  }

  // ---- (f) memory -----------------------------------------------------------------------------
  rss.phase('end');
  const endRss = rss.sample();
  say();
  say(`(f) app RSS (VmRSS of the app process, sampled every 200 ms): idle after startup ${mb(idleRss)}`);
  say(`    peak during: ingest ${mb(rss.peak('ingest'))}, storm ${mb(rss.peak('storm'))}, drain ${mb(rss.peak('drain'))}, worker ${mb(rss.peak('worker'))}, payment -> kickoff ${mb(rss.peak('kickoff'))}, burst ${mb(rss.peak('burst'))}, seeding ${mb(rss.peak('seed'))}, run list ${mb(rss.peak('list'))}; at the end ${mb(endRss)}`);

  if (failures.length) {
    say();
    say(`FAILED checks: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
  agent.destroy();

  if (process.env.BENCH_KEEP === '1') {
    say();
    say(`BENCH_KEEP=1: app ${base} (log in as ${ADMIN.email} / ${ADMIN.password}), database ${dbUrl}, log ${logFile}. Ctrl-C to stop.`);
    await new Promise((r) => process.once('SIGINT', r));
  }
}

await main();
await cleanup();
