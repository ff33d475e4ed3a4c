import type { Run, RunStep, RunStreamMessage } from '../../../api/types';

export const TERMINAL_RUN_STATUSES = new Set(['succeeded', 'failed', 'cancelled', 'canceled', 'completed', 'skipped']);

export function isTerminal(status: string | null | undefined): boolean {
  return !!status && TERMINAL_RUN_STATUSES.has(status);
}

/** The latest attempt per node (steps come in execution order; a retry adds a later attempt). */
export function latestSteps(steps: readonly RunStep[]): Record<string, RunStep> {
  const out: Record<string, RunStep> = {};
  for (const s of steps) {
    const prev = out[s.nodeId];
    if (!prev || (s.attempt ?? 0) >= (prev.attempt ?? 0)) out[s.nodeId] = s;
  }
  return out;
}

/** Node id → { status, port } for colouring the canvas. */
export function overlayFromSteps(steps: readonly RunStep[]): Record<string, { status: string; port: string | null }> {
  return Object.fromEntries(Object.entries(latestSteps(steps)).map(([id, s]) => [id, { status: s.status, port: s.port ?? null }]));
}

/**
 * Folds one SSE message into the cached run so the canvas reacts at once; the full
 * step (input, output, timing) arrives with the refetch that follows.
 */
export function applyStreamMessage(run: Run, msg: RunStreamMessage): Run {
  if (msg.runId !== run.id) return run;
  const runStatus = msg.runStatus ?? (msg.nodeId ? undefined : msg.status);
  const stepStatus = msg.stepStatus ?? (msg.nodeId ? msg.status : undefined);
  let next = runStatus ? { ...run, status: runStatus } : run;
  if (msg.nodeId && stepStatus) next = applyStep(next, { ...msg, nodeId: msg.nodeId, status: stepStatus });
  return next;
}

/**
 * The API keeps one row per step (a retry bumps its attempt in place), so a message updates
 * that row: status, port, and the attempt a running step is on. A step seen for the first
 * time is added; its input, output and timing come with the refetch.
 */
function applyStep(run: Run, msg: RunStreamMessage & { nodeId: string; status: string }): Run {
  const port = typeof msg.port === 'string' ? msg.port : null;
  const attempt = typeof msg.attempt === 'number' ? msg.attempt : undefined;
  const idx = run.steps.findLastIndex((s) => s.nodeId === msg.nodeId);
  const steps = [...run.steps];
  if (idx >= 0) {
    const prev = steps[idx];
    // A new attempt starts clean: the last attempt's error and finish time are no longer true.
    const restarted = msg.status === 'running' && prev.status !== 'running';
    steps[idx] = {
      ...prev,
      status: msg.status,
      port: port ?? prev.port,
      attempt: attempt ?? prev.attempt,
      ...(restarted ? { error: null, finishedAt: null } : {}),
    };
  } else {
    steps.push({
      nodeId: msg.nodeId,
      status: msg.status,
      port,
      attempt: attempt ?? 1,
      input: null,
      output: null,
      error: null,
      startedAt: (msg.at as string | undefined) ?? new Date().toISOString(),
      finishedAt: null,
    });
  }
  return { ...run, status: run.status === 'queued' ? 'running' : run.status, steps };
}
