import type { EntityManager } from 'typeorm';
import type { FlowDocument } from '@handoff/nodes';
import { RUNS_CHANNEL, RunEvent } from '../../engine/notify';
import { claimFrom, type FinishedStep, type StepInput } from './run-rules';
import { publishedDocument } from './flow-documents';
import { PLAN_EACH_CALL } from '../../database/prepared-client';

/**
 * The executor's hot path: the fewest statements per step. A step is claimed and run in one
 * transaction (claim, the node's own statements, complete); the run is read once per job.
 * Every statement here is one round trip; notifications ride along in the statement that
 * commits the change they announce.
 */

type Query = Pick<EntityManager, 'query'>;

/** A run as a job reads it once: its document, trigger and the steps finished so far. */
export interface RunSnapshot {
  id: string;
  flow_id: string;
  flow_name: string;
  version: number;
  test: boolean;
  trigger: Record<string, unknown>;
  event_id: string | null;
  started_at: Date | null;
  /** When the run's trigger event arrived (for the kickoff metric); null without one. */
  received_at: Date | null;
  document: FlowDocument;
  /** succeeded, skipped and waiting steps: outputs for `steps.<id>`, ports and order for inputs. */
  steps: FinishedStep[];
  /** Every node with a step row, in any status: a step folded into the one before it must have none yet. */
  step_nodes: string[];
}

const OUTPUT_STATUSES = `('succeeded','skipped','waiting')`;
/** The run `$1`, locked, if it is not finished: one step of a run at a time (its status follows from all of them). */
const LIVE_RUN = `r AS (SELECT id, version FROM runs WHERE id = $1 AND status NOT IN ('succeeded','failed','cancelled') FOR UPDATE)`;
/** How many steps of run `$1` have an output: what a job's snapshot of the run is checked against. */
const WITH_OUTPUT = `(SELECT count(*) FROM steps x WHERE x.run_id = $1 AND x.status IN ${OUTPUT_STATUSES})`;

/** The run's document: a test run's own copy, else its published version's (kept per process: flow-documents.ts). */
export async function loadRun(m: Query, runId: string): Promise<RunSnapshot | null> {
  const rows: Array<Omit<RunSnapshot, 'document'> & { document: FlowDocument | null }> = await m.query(
    `${PLAN_EACH_CALL}SELECT r.id, r.flow_id, f.name AS flow_name, r.version, r.test, r.trigger, r.event_id, r.started_at,
            (SELECT e.received_at FROM trigger_events e WHERE e.flow_id = r.flow_id AND e.trigger_key = r.event_id) AS received_at,
            r.document, st.steps, st.step_nodes
     FROM runs r JOIN flows f ON f.id = r.flow_id
     CROSS JOIN LATERAL (
       SELECT coalesce(json_agg(json_build_object('node_id', s.node_id, 'status', s.status, 'port', s.port, 'output', s.output) ORDER BY s.finished_at NULLS LAST, s.created_at)
                         FILTER (WHERE s.status IN ${OUTPUT_STATUSES}), '[]') AS steps,
              coalesce(array_agg(s.node_id), '{}') AS step_nodes
       FROM steps s WHERE s.run_id = r.id) st
     WHERE r.id = $1`,
    [runId],
  );
  const row = rows[0];
  if (!row) return null;
  const document = row.document ?? (await publishedDocument(m, row.flow_id, row.version));
  if (!document) throw new Error(`run ${runId}: flow version ${row.version} is gone`);
  return { ...row, document };
}

export interface ClaimedStep {
  id: string;
  node_id: string;
  node_type: string;
  attempt: number;
  max_attempts: number;
  output: unknown;
  /** The run's version now: a snapshot of another version is stale. */
  version: number;
  /** How many steps of the run have an output now: more than the snapshot knows means another branch moved on. */
  with_output: number;
}

/**
 * Locks the run (one step of a run at a time: the run's status follows from all of them),
 * then marks the step running if the run is live and the step is in one of `from`. Null:
 * nothing to do (run finished or cancelled, step already done or taken).
 */
export async function claimStep(m: Query, runId: string, nodeId: string, from: readonly string[], markRun = true): Promise<ClaimedStep | null> {
  const rows: ClaimedStep[] = await m.query(
    `WITH ${LIVE_RUN},
          s AS (UPDATE steps SET status = 'running', attempt = attempt + 1, started_at = coalesce(started_at, clock_timestamp()), error = NULL
                WHERE run_id = $1 AND node_id = $2 AND status = ANY($3) AND EXISTS (SELECT 1 FROM r)
                RETURNING id, node_id, node_type, attempt, max_attempts, output),
          u AS (UPDATE runs SET status = 'running', started_at = coalesce(started_at, now())
                WHERE id = $1 AND status <> 'running' AND $5 AND EXISTS (SELECT 1 FROM s) RETURNING id, flow_id),
          e AS (SELECT pg_notify($4, json_build_object('runId', u.id, 'flowId', u.flow_id, 'runStatus', 'running')::text) FROM u),
          -- Seen only if this claim commits on its own (a step with effects); otherwise its outcome follows in the same commit.
          n AS (SELECT pg_notify($4, json_build_object('runId', $1::text, 'flowId', rf.flow_id, 'nodeId', s.node_id, 'stepStatus', 'running', 'attempt', s.attempt)::text)
                FROM s, (SELECT flow_id FROM runs WHERE id = $1) rf)
     SELECT s.*, r.version, (SELECT count(*) FROM e)::int + (SELECT count(*) FROM n)::int AS notified,
            ${WITH_OUTPUT}::int AS with_output
     FROM s, r`,
    [runId, nodeId, from, RUNS_CHANNEL, markRun],
  );
  return rows[0] ?? null;
}

/**
 * The second transaction of a step whose claim was committed on its own: locks the run, and
 * the step if it is still running this attempt (a crash recovery may have claimed it again).
 */
export async function holdClaim(m: Query, runId: string, nodeId: string, attempt: number): Promise<ClaimedStep | null> {
  const rows: ClaimedStep[] = await m.query(
    `WITH ${LIVE_RUN}
     SELECT s.id, s.node_id, s.node_type, s.attempt, s.max_attempts, s.output, r.version,
            ${WITH_OUTPUT}::int AS with_output
     FROM steps s, r WHERE s.run_id = $1 AND s.node_id = $2 AND s.status = 'running' AND s.attempt = $3
     FOR UPDATE OF s`,
    [runId, nodeId, attempt],
  );
  return rows[0] ?? null;
}

export interface NextStep {
  node_id: string;
  node_type: string;
  max_attempts: number;
  /** No job: the worker finishing this step runs it next. */
  inline: boolean;
  /**
   * Created already claimed (running, attempt 1): the batch that creates it runs it before it
   * commits, so no claim statement is needed. Never committed unrun.
   */
  claimed?: boolean;
}

/**
 * A pure step run in memory right after the step before it and recorded, succeeded, by that
 * step's completion statement (StepExecutor.foldPure): no claim, no statement of its own.
 */
export interface FoldedStep {
  node_id: string;
  node_type: string;
  max_attempts: number;
  port: string;
  output: unknown;
  input: StepInput;
}

/** A next step as created: with its row id. */
export type CreatedStep = NextStep & { id: string };

export interface Completion {
  port: string;
  output: unknown;
  /** Recorded by where it came from; a copy only when nothing fed the step. */
  input: StepInput;
  idempotencyKey?: string;
  /** Claim `idempotencyKey` for the run now (its effects are done, on the same transaction). */
  claimKey?: boolean;
}

/**
 * The next steps' rows (once per run: a join runs on its first arrival), jobs for those not run
 * inline, and one notification for all of it plus `$4`'s events. Parameters: $1 run id, $2 flow
 * id, $3 channel, $4 events (jsonb array), $5 next steps (jsonb). `after` gates the insert on an
 * earlier CTE (the step's own update); `columns` are selected before the created steps.
 * `created_at` is the clock's, not the transaction's: steps are listed in that order, and one
 * transaction may create several.
 */
const createNext = (after: 's,' | '', columns = '', folded = '') => `
  ${
    folded
      ? // No ON CONFLICT: a folded step has no row yet (the snapshot's step_nodes); one that had would be a bug to surface, not to skip.
        `f AS (INSERT INTO steps (run_id, node_id, node_type, status, max_attempts, inline, attempt, port, output, input, input_from, created_at, started_at, finished_at)
        SELECT $1, x.node_id, x.node_type, 'succeeded', x.max_attempts, true, 1, x.port, coalesce(x.output, 'null'::jsonb), x.input, x.input_from,
               clock_timestamp(), clock_timestamp(), clock_timestamp()
        FROM ${after} jsonb_to_recordset(${folded}::jsonb) AS x(node_id text, node_type text, max_attempts int, port text, output jsonb, input jsonb, input_from text)
        RETURNING id),`
      : ''
  }
  n AS (INSERT INTO steps (run_id, node_id, node_type, status, max_attempts, inline, created_at, attempt, started_at)
        SELECT $1, x.node_id, x.node_type, CASE WHEN x.claimed THEN 'running' ELSE 'queued' END, x.max_attempts, x.inline, clock_timestamp(),
               CASE WHEN x.claimed THEN 1 ELSE 0 END, CASE WHEN x.claimed THEN clock_timestamp() END
        -- After the folded steps (the count makes f run first): the next steps come after them in time.
        FROM ${after} ${folded ? '(SELECT count(*) FROM f) AS fx,' : ''} jsonb_to_recordset($5::jsonb) AS x(node_id text, node_type text, max_attempts int, inline boolean, claimed boolean)
        ON CONFLICT (run_id, node_id) DO NOTHING
        RETURNING id, node_id, node_type, max_attempts, inline, status = 'running' AS claimed),
  j AS (SELECT graphile_worker.add_job('run_step', json_build_object('runId', $1::text, 'nodeId', n.node_id), max_attempts => n.max_attempts)
        FROM n WHERE NOT n.inline),
  e AS (SELECT pg_notify($3, ($4::jsonb || coalesce((SELECT jsonb_agg(jsonb_build_object('runId', $1::text, 'flowId', $2::text, 'nodeId', n.node_id,
                 'stepStatus', CASE WHEN n.claimed THEN 'running' ELSE 'queued' END)) FROM n), '[]'::jsonb))::text)
        ${after ? 'WHERE EXISTS (SELECT 1 FROM s)' : ''})
SELECT ${columns}(SELECT json_agg(n) FROM n) AS created, (SELECT count(*) FROM j) AS jobs, (SELECT count(*) FROM e) AS notified`;

/** The input column: no copy when its source is recorded instead. */
const inputCopy = ({ input }: Pick<Completion, 'input'>): string | null => (input.from === null ? JSON.stringify(input.value ?? null) : null);

/** A step's success with the steps folded into it: the folded rows to insert and the events of its one notification. */
function successOf(run: { id: string; flow_id: string }, nodeId: string, port: string, folded: FoldedStep[]): { events: string; folded: string } {
  const rows = folded.map((f) => ({ node_id: f.node_id, node_type: f.node_type, max_attempts: f.max_attempts, port: f.port, output: f.output ?? null, input: inputCopy(f) === null ? null : (f.input.value ?? null), input_from: f.input.from }));
  const events: RunEvent[] = [nodeId, ...folded.map((f) => f.node_id)].map((id, i) => ({ runId: run.id, flowId: run.flow_id, nodeId: id, stepStatus: 'succeeded', port: i ? folded[i - 1].port : port }));
  return { events: JSON.stringify(events), folded: JSON.stringify(rows) };
}

/**
 * Commits a step's success with its output and input, creates its next steps with jobs for
 * those not run inline, and announces it all in one notification. Returns the next steps
 * this call created; with `claimKey`, null when another run holds the key (then the caller
 * must roll back: the effects were a repeat).
 */
export async function completeStep(
  m: Query,
  run: { id: string; flow_id: string },
  stepId: string,
  nodeId: string,
  done: Completion,
  next: NextStep[],
  folded: FoldedStep[] = [],
): Promise<CreatedStep[] | null> {
  const ok = successOf(run, nodeId, done.port, folded);
  const [row]: Array<{ created: CreatedStep[] | null; key_ok: boolean }> = await m.query(
    `WITH s AS (UPDATE steps SET status = 'succeeded', port = $7, output = $8, input = $9, input_from = $13, idempotency_key = coalesce($10, idempotency_key),
                       finished_at = clock_timestamp(), wait_until = NULL
                WHERE id = $6 RETURNING id),
     k AS (INSERT INTO idempotency_keys (flow_id, node_id, key, run_id) SELECT $2::uuid, $11, $10, $1::uuid WHERE $12 ON CONFLICT DO NOTHING RETURNING run_id),
     ${createNext(
       's,',
       // A key already there is ours only if this run claimed it before (a retried step).
       `(NOT $12 OR EXISTS (SELECT 1 FROM k) OR (SELECT run_id FROM idempotency_keys WHERE flow_id = $2::uuid AND node_id = $11 AND key = $10) = $1::uuid) AS key_ok, `,
       '$14',
     )}`,
    [
      run.id,
      run.flow_id,
      RUNS_CHANNEL,
      ok.events,
      JSON.stringify(next),
      stepId,
      done.port,
      JSON.stringify(done.output ?? null),
      inputCopy(done),
      done.idempotencyKey ?? null,
      nodeId,
      Boolean(done.claimKey && done.idempotencyKey),
      done.input.from,
      ok.folded,
    ],
  );
  if (row && !row.key_ok) return null;
  return row?.created ?? [];
}

/**
 * A pure step's whole attempt in one statement (autocommit): the run locked, the step claimed
 * from queued or retrying and recorded succeeded with its outcome, the run marked running, the
 * next steps created, all announced. Only if the run's steps with an output are still
 * `withOutput` (what the outcome was computed from); null when nothing was written.
 */
export async function claimAndComplete(
  m: Query,
  run: { id: string; flow_id: string },
  nodeId: string,
  withOutput: number,
  done: Completion,
  next: NextStep[],
  folded: FoldedStep[] = [],
  markRun = true,
): Promise<CreatedStep[] | null> {
  const ok = successOf(run, nodeId, done.port, folded);
  const [row]: Array<{ claimed: number; created: CreatedStep[] | null }> = await m.query(
    `WITH ${LIVE_RUN},
          s AS (UPDATE steps SET status = 'succeeded', attempt = attempt + 1, started_at = coalesce(started_at, clock_timestamp()), error = NULL,
                       port = $7, output = $8, input = $9, input_from = $11, finished_at = clock_timestamp(), wait_until = NULL
                WHERE run_id = $1 AND node_id = $6 AND status IN ('queued','retrying') AND EXISTS (SELECT 1 FROM r)
                  AND ${WITH_OUTPUT} = $10
                RETURNING id),
          u AS (UPDATE runs SET status = 'running', started_at = coalesce(started_at, now())
                WHERE id = $1 AND status <> 'running' AND $13 AND EXISTS (SELECT 1 FROM s) RETURNING id),
          eu AS (SELECT pg_notify($3, json_build_object('runId', u.id, 'flowId', $2::text, 'runStatus', 'running')::text) FROM u),
     ${createNext('s,', '(SELECT count(*) FROM s)::int AS claimed, (SELECT count(*) FROM eu) AS started, ', '$12')}`,
    [run.id, run.flow_id, RUNS_CHANNEL, ok.events, JSON.stringify(next), nodeId, done.port, JSON.stringify(done.output ?? null), inputCopy(done), withOutput, done.input.from, ok.folded, markRun],
  );
  return row && row.claimed > 0 ? (row.created ?? []) : null;
}

/** Creates next steps after a step already recorded (a skipped repeat); returns those created. */
export async function createSteps(m: Query, run: { id: string; flow_id: string }, next: NextStep[]): Promise<CreatedStep[]> {
  if (!next.length) return [];
  const [row]: Array<{ created: CreatedStep[] | null }> = await m.query(`WITH ${createNext('')}`, [run.id, run.flow_id, RUNS_CHANNEL, '[]', JSON.stringify(next)]);
  return row?.created ?? [];
}

/**
 * Inline steps of a run not done: left by a worker that stopped in the middle of a chain (queued,
 * or running when it had committed the claim of a step with effects).
 */
export async function inlineQueued(m: Query, runId: string): Promise<string[]> {
  const rows: Array<{ node_id: string }> = await m.query(`SELECT node_id FROM steps WHERE run_id = $1 AND inline AND status IN ('queued','running') ORDER BY created_at`, [runId]);
  return rows.map((r) => r.node_id);
}

export interface FailedAttempt {
  status: 'retrying' | 'failed' | 'waiting';
  attempt: number;
  max_attempts: number;
}

/**
 * Records a failed attempt (the attempt's own transaction rolled back): retrying or failed for
 * good. `final` null lets the step's own counters decide (an inline step has no job whose
 * attempts count). A woken step that fails stays waiting until its last attempt, so the
 * retried wake-up job can claim it again.
 */
export async function failAttempt(
  m: Query,
  run: { id: string; flow_id: string },
  nodeId: string,
  failure: { message: string; input: unknown; final: boolean | null; resume: boolean; claimCommitted: boolean },
): Promise<FailedAttempt | null> {
  // A committed claim already counted the attempt and left the step running.
  const inc = failure.claimCommitted ? 0 : 1;
  const [row]: FailedAttempt[] = await m.query(
    `WITH u AS (
       UPDATE steps SET attempt = attempt + $8, error = $3, input = coalesce($4, input), inline = false,
              status = CASE WHEN coalesce($5, attempt + $8 >= max_attempts) THEN 'failed' WHEN $6 THEN 'waiting' ELSE 'retrying' END,
              started_at = coalesce(started_at, clock_timestamp()),
              finished_at = CASE WHEN coalesce($5, attempt + $8 >= max_attempts) THEN clock_timestamp() END
       WHERE run_id = $1 AND node_id = $2 AND status = ANY($7)
       RETURNING status, attempt, max_attempts)
     SELECT * FROM u`,
    [run.id, nodeId, failure.message, failure.input === undefined ? null : JSON.stringify(failure.input), failure.final, failure.resume, failure.claimCommitted ? ['running'] : claimFrom(failure.resume), inc],
  );
  return row ?? null;
}

/** The next attempt of a retried inline step, as graphile-worker would back off its own job. */
export async function scheduleRetry(m: Query, runId: string, nodeId: string, attempt: number, maxAttempts: number): Promise<void> {
  const delay = Math.exp(Math.min(attempt, 10)) * 1000;
  await m.query(`SELECT graphile_worker.add_job('run_step', $1::json, run_at => now() + $2 * interval '1 millisecond', max_attempts => $3)`, [
    JSON.stringify({ runId, nodeId }),
    delay,
    Math.max(1, maxAttempts - attempt),
  ]);
}

/**
 * Inline steps whose worker is long gone and whose job was not taken over (e.g. it used up its
 * attempts): each gets a job of its own. Safe while the step is in flight: a claim locks the
 * step's row, so the job waits and then finds it done.
 *
 * Found from the runs in progress (runs_status_seq_idx), then their steps: a run with a queued
 * or running step is itself queued or running (created queued; a claim, the end of a batch or a
 * settle makes it running, and runStatusFrom keeps it so while a step is open). An
 * index on open inline steps would read `status` and make every step update a non-HOT one.
 */
export async function adoptStrandedInline(m: Query, olderThanSeconds: number): Promise<number> {
  const rows: Array<{ n: number }> = await m.query(
    `WITH u AS (
       UPDATE steps s SET inline = false FROM runs r
       WHERE r.status IN ('queued','running') AND s.run_id = r.id
         AND s.inline AND s.status IN ('queued','running') AND s.created_at < now() - $1 * interval '1 second'
       RETURNING s.run_id, s.node_id, s.max_attempts),
     j AS (SELECT graphile_worker.add_job('run_step', json_build_object('runId', u.run_id::text, 'nodeId', u.node_id), max_attempts => u.max_attempts) FROM u)
     SELECT count(*)::int AS n FROM j`,
    [olderThanSeconds],
  );
  return rows[0]?.n ?? 0;
}
