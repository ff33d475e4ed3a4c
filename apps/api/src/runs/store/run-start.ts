import type { EntityManager } from 'typeorm';
import { FlowDocument, getNodeType, triggerNode } from '@handoff/nodes';
import { RUNS_CHANNEL } from '../../engine/notify';
import { maxAttemptsFor } from '../../engine/retry-policy';
import { jobInsert } from '../../engine/queue';
import { JOBS_CHANNEL, type AfterCommitNotify } from '../../database/after-commit-notify';
import { Params, Statement } from './sql';
import { PLAN_EACH_CALL } from '../../database/prepared-client';

/**
 * Every run starts here (docs/architecture.md "Starting a run"): a trigger event row whose
 * unique (flow_id, trigger_key) is the dedupe, then the run, its trigger step and the job for
 * that step, all in ONE statement built from the fragments below, with its live notification
 * and the workers' wake-up either in it or sent after its commit.
 * Webhooks, schedule ticks, CRM changes, test runs and held events released on resume all
 * compose the same fragments; none of them writes these rows another way.
 */

export interface RunSpec {
  runId: string;
  flowId: string;
  /** 0 for a test run of the draft, which keeps its own copy of the document. */
  version: number;
  document: FlowDocument;
  /** What expressions see as `trigger`. */
  trigger: unknown;
  /** The event type shown in run lists (a Stripe event type, `deal.created`, `schedule`...). */
  triggerType: string | null;
  test?: boolean;
  /** Search keys (clamped by searchKey). */
  eventId?: string | null;
  customerId?: string | null;
  email?: string | null;
  /** CRM-triggered runs in this chain (loop guard). */
  depth?: number;
  /** Start the run already failed with this reason, without running anything (a refused chain). */
  refuse?: string;
}

export interface TriggerEventSpec {
  flowId: string;
  /** The trigger node type that received it. */
  source: string;
  /** The dedupe key: unique per flow. */
  key: string;
  type: string;
  payload: unknown;
  /** The payload as JSON text already (a verified webhook body): stored as sent, not re-serialized. */
  payloadJson?: string;
  livemode?: boolean;
  /** False: stored as `ignored` (e.g. a Stripe event type the flow does not subscribe to). */
  subscribed: boolean;
  /** True: a paused flow stores the event as `held` and runs it on resume. False for test runs. */
  holdWhenPaused: boolean;
  /** How it reached us (default `hook`); a reconciled event that was there already is not a repeat delivery. */
  via?: 'hook' | 'reconcile' | 'test';
}

export type TriggerEventStatus = 'ran' | 'ignored' | 'held';

export interface IngestResult {
  /** The trigger event row. */
  eventRowId: string;
  status: TriggerEventStatus;
  /** False when this key was seen before (a counted duplicate: nothing started). */
  inserted: boolean;
  /** Set when this call started a run. */
  runId: string | null;
}

/**
 * Event id, customer id and e-mail are indexed search keys on runs; a value too long for a
 * btree entry (only forged or hand-written input has one) is left out rather than failing the insert.
 */
export function searchKey(value: string | null | undefined): string | null {
  return value && value.length <= 320 ? value : null;
}

/** The step every run begins with: its trigger node, and the attempts its job gets. */
export function firstStep(document: FlowDocument): { nodeId: string; nodeType: string; maxAttempts: number } {
  const trigger = triggerNode(document);
  if (!trigger) throw new Error('This flow version has no trigger node');
  return { nodeId: trigger.id, nodeType: trigger.type, maxAttempts: maxAttemptsFor(getNodeType(trigger.type), trigger.config) };
}

/**
 * A statement's CTE names. Several deliveries' CTEs go into one statement (ingestBatchStatement),
 * each set under its own prefix; a single one keeps the plain names.
 */
export type Names = (name: string) => string;
const plain: Names = (name) => name;

/**
 * The CTEs that create a run, its trigger step and the step's job, once for each row `gate`
 * yields (a FROM clause: zero rows, nothing starts). Their names are n(run/step/job); `effects`
 * must be selected by the statement so Postgres runs them, and counts the jobs made.
 */
export function runCtes(p: Params, spec: RunSpec, gate: string, n: Names = plain): { ctes: string[]; effects: string } {
  const first = firstStep(spec.document);
  const runId = p.add(spec.runId);
  const flowId = p.add(spec.flowId);
  const refused = spec.refuse !== undefined;
  const nodeId = p.add(first.nodeId);
  const attempts = p.add(first.maxAttempts);
  const ctes = [
    `${n('run')} AS (
       INSERT INTO runs (id, flow_id, version, status, test, trigger, trigger_type, event_id, customer_id, email, document, depth, error, finished_at)
       SELECT ${runId}::uuid, ${flowId}::uuid, ${p.add(spec.version)}::int, ${refused ? `'failed'` : `'queued'`}, ${p.add(spec.test ?? false)}::boolean, ${p.add(JSON.stringify(spec.trigger ?? null))}::jsonb,
              ${p.add(spec.triggerType)}::text, ${p.add(searchKey(spec.eventId))}::text, ${p.add(searchKey(spec.customerId))}::text, ${p.add(searchKey(spec.email))}::text,
              ${p.add(spec.version === 0 ? JSON.stringify(spec.document) : null)}::jsonb, ${p.add(spec.depth ?? 0)}::int, ${p.add(spec.refuse ?? null)}::text,
              ${refused ? 'now()' : 'NULL'}
       ${gate}
       RETURNING id, flow_id, status)`,
    `${n('step')} AS (
       INSERT INTO steps (run_id, node_id, node_type, status, max_attempts)
       SELECT id, ${nodeId}::text, ${p.add(first.nodeType)}::text, 'queued', ${attempts}::int FROM ${n('run')} WHERE status = 'queued' RETURNING run_id)`,
    `${n('job')} AS (${jobInsert('run_step', `SELECT json_build_object('runId', run_id, 'nodeId', ${nodeId}::text) AS payload, ${attempts}::int AS max_attempts FROM ${n('step')}`)})`,
  ];
  return { ctes, effects: `(SELECT count(*) FROM ${n('job')})` };
}

/**
 * The NOTIFYs of a statement that started runs (read from `runs`, a FROM source, when there are any) and made
 * `jobs` jobs, for statements inside a caller's transaction. Statements that commit on their
 * own leave them to AfterCommitNotify instead (see ingest).
 */
function notifyCte(p: Params, runs: string | null, jobs: string): string {
  const runNote = runs ? `SELECT pg_notify(${p.add(RUNS_CHANNEL)}, json_build_object('runId', id, 'flowId', flow_id, 'runStatus', status)::text) FROM ${runs} UNION ALL ` : '';
  return `note AS (${runNote}SELECT pg_notify(${p.add(JOBS_CHANNEL)}, json_build_object('r', random(), 'count', c.n)::text) FROM (SELECT ${jobs} AS n) c WHERE c.n > 0)`;
}

/** CTEs a trigger adds to its deliveries' statement (Stripe's wait matcher). */
export interface IngestExtra {
  ctes: string[];
  /** Counts the jobs the extra CTEs made (they are woken like the run's). */
  effects: string;
  /**
   * A condition on the flow's row (`fl`): when false nothing is written and no row comes back,
   * as for an unknown flow. How a caller that cached what it knows of the flow (version,
   * credential) makes sure it is still true in the statement that uses it.
   */
  flowGuard?: string;
}

/** More CTEs for one delivery's statement; they read the event row as `n('ins')` and name their own CTEs with `n`. */
export type IngestExtraFn = (p: Params, n: Names) => IngestExtra;

/** One delivery: what ingest and ingestBatchStatement take. */
export interface IngestItem {
  event: TriggerEventSpec;
  run: RunSpec | null;
  extra?: IngestExtraFn;
}

const noExtra: IngestExtraFn = () => ({ ctes: [], effects: '0' });

/**
 * One delivery's CTEs (under names `n`) and the select of its answer row. `notify`:
 * 'statement' NOTIFYs in the statement itself (inside a caller's transaction); 'after' leaves
 * it to the caller once the statement has committed, from the answer's run_status and jobs
 * (the webhook path: see AfterCommitNotify).
 */
function ingestParts(p: Params, item: IngestItem, notify: 'statement' | 'after', n: Names, index = 0): { ctes: string[]; select: string } {
  const { event, run } = item;
  const more = (item.extra ?? noExtra)(p, n);
  const flowId = p.add(event.flowId);
  const runId = p.add(run?.runId ?? null);
  const via = p.add(event.via ?? 'hook');
  const status = `CASE WHEN NOT ${p.add(event.subscribed)}::boolean OR ${runId}::uuid IS NULL THEN 'ignored'
                       WHEN f.status = 'paused' AND ${p.add(event.holdWhenPaused)}::boolean THEN 'held' ELSE 'ran' END`;
  const ins = n('ins');
  const ctes = [
    `${n('f')} AS (SELECT fl.status FROM flows fl WHERE fl.id = ${flowId}::uuid AND (${more.flowGuard ?? 'true'}) FOR SHARE)`,
    `${ins} AS (
       INSERT INTO trigger_events (flow_id, source, trigger_key, type, livemode, status, payload, run_id, via)
       SELECT ${flowId}::uuid, ${p.add(event.source)}::text, ${p.add(event.key)}::text, ${p.add(event.type)}::text, ${p.add(event.livemode ?? false)}::boolean, s.status, ${p.add(event.payloadJson ?? JSON.stringify(event.payload ?? null))}::jsonb,
              CASE WHEN s.status = 'ran' THEN ${runId}::uuid END, ${via}::text
       FROM ${n('f')} f, LATERAL (SELECT ${status} AS status) s
       ON CONFLICT (flow_id, trigger_key) DO UPDATE SET duplicate_count = trigger_events.duplicate_count + CASE WHEN ${via}::text = 'reconcile' THEN 0 ELSE 1 END,
         last_seen_at = CASE WHEN ${via}::text = 'reconcile' THEN trigger_events.last_seen_at ELSE now() END
       RETURNING id, status, (xmax = 0) AS inserted)`,
  ];
  let jobs = more.effects;
  if (run) {
    const started = runCtes(p, run, `FROM ${ins} WHERE ${ins}.inserted AND ${ins}.status = 'ran'`, n);
    ctes.push(...started.ctes);
    jobs = `${started.effects} + ${more.effects}`;
  }
  ctes.push(...more.ctes);
  if (notify === 'statement') ctes.push(notifyCte(p, run ? n('run') : null, jobs));
  // Side-effect CTEs run only when read: selecting their counts makes sure they are.
  const select = `SELECT ${index} AS i, ${ins}.id, ${ins}.status, ${ins}.inserted, (${jobs})::int AS jobs, ${run ? `(SELECT status FROM ${n('run')})` : 'NULL::text'} AS run_status,
                 ${notify === 'statement' ? '(SELECT count(*) FROM note)' : '0'} AS notes
          FROM ${ins}`;
  return { ctes, select };
}

/**
 * Stores a trigger event and, when it is new, subscribed and its flow is not paused, starts
 * its run: one statement, no explicit transaction needed. FOR SHARE on the flow orders this
 * against pause/resume (which update the row): an event is either held before a resume
 * starts releasing, or sees the flow already active. Foreign keys are checked at the end of
 * the statement, so the event row may name its run first.
 */
export function ingestStatement(event: TriggerEventSpec, run: RunSpec | null, extra: IngestExtraFn = noExtra): Statement {
  const p = new Params();
  const { ctes, select } = ingestParts(p, { event, run, extra }, 'statement', plain);
  return { sql: `WITH ${ctes.join(',\n')}\n${select}`, params: p.values };
}

/**
 * Several deliveries in one statement, so one commit: each its own CTEs under the prefix
 * `d<i>_`, and an answer row with its index `i` (none for a delivery whose flow is gone). The
 * caller keeps two deliveries with the same (flow, key) out of one batch, and sends the
 * NOTIFYs after commit.
 */
export function ingestBatchStatement(items: IngestItem[]): Statement {
  const p = new Params();
  const ctes: string[] = [];
  const selects: string[] = [];
  items.forEach((item, i) => {
    const parts = ingestParts(p, item, 'after', items.length === 1 ? plain : (name) => `d${i}_${name}`, i);
    ctes.push(...parts.ctes);
    selects.push(parts.select);
  });
  return { sql: `WITH ${ctes.join(',\n')}\n${selects.join('\nUNION ALL\n')}`, params: p.values };
}

/** An event stored earlier (held while its flow was paused) and the run it starts. */
export interface HeldRelease {
  eventRowId: string;
  run: RunSpec;
}

/** Held events released by one statement: a resume with thousands of them is a few statements, not one each. */
export const RELEASE_BATCH = 50;

/**
 * Starts the runs of held events and marks each event as run: each item's CTEs under the
 * prefix `h<i>_`, their NOTIFYs (inside the resume's transaction) in one CTE. Planned per call:
 * its text differs with the number of items, and a resume is rare.
 */
export function releaseStatement(items: readonly HeldRelease[]): Statement {
  const p = new Params();
  const ctes: string[] = [];
  const jobs: string[] = [];
  const runs: string[] = [];
  const released: string[] = [];
  items.forEach(({ eventRowId, run }, i) => {
    const n: Names = (name) => `h${i}_${name}`;
    const started = runCtes(p, run, 'FROM (VALUES (1)) g', n);
    ctes.push(...started.ctes, `${n('ev')} AS (UPDATE trigger_events SET status = 'ran', run_id = ${p.add(run.runId)}::uuid WHERE id = ${p.add(eventRowId)}::uuid AND status = 'held' RETURNING id)`);
    jobs.push(started.effects);
    runs.push(`SELECT id, flow_id, status FROM ${n('run')}`);
    released.push(`(SELECT count(*) FROM ${n('ev')})`);
  });
  const note = notifyCte(p, `(${runs.join(' UNION ALL ')}) r`, jobs.join(' + '));
  return { sql: `${PLAN_EACH_CALL}WITH ${[...ctes, note].join(',\n')} SELECT ${released.join(' + ')} AS released, (SELECT count(*) FROM note) AS effects`, params: p.values };
}

export interface IngestRow {
  id: string;
  status: TriggerEventStatus;
  inserted: boolean;
  jobs: number;
  run_status: string | null;
}

/** What a delivery's answer row means. */
export function ingestResult(row: IngestRow, run: RunSpec | null): IngestResult {
  return { eventRowId: row.id, status: row.status, inserted: row.inserted, runId: row.inserted && row.status === 'ran' && run ? run.runId : null };
}

/** The NOTIFYs of an ingestBatchStatement answer row, once its statement has committed. */
export function notifyIngested(row: IngestRow, run: RunSpec | null, after: AfterCommitNotify): void {
  if (row.run_status && run) after.notify(RUNS_CHANNEL, JSON.stringify({ runId: run.runId, flowId: run.flowId, runStatus: row.run_status }));
  after.jobsAdded(row.jobs);
}

/** Runs `ingestStatement` on a connection or transaction (it NOTIFYs on its commit); null when the flow does not exist. */
export async function ingest(m: Pick<EntityManager, 'query'>, event: TriggerEventSpec, run: RunSpec | null, extra?: IngestExtraFn): Promise<IngestResult | null> {
  const { sql, params } = ingestStatement(event, run, extra);
  const [row]: IngestRow[] = await m.query(sql, params);
  return row ? ingestResult(row, run) : null;
}

/** Runs `releaseStatement` for `items`, RELEASE_BATCH at a time, on the resume's transaction; returns how many were released. */
export async function release(m: EntityManager, items: readonly HeldRelease[]): Promise<number> {
  let released = 0;
  for (let i = 0; i < items.length; i += RELEASE_BATCH) {
    const { sql, params } = releaseStatement(items.slice(i, i + RELEASE_BATCH));
    const [row]: Array<{ released: string }> = await m.query(sql, params);
    released += Number(row.released);
  }
  return released;
}
