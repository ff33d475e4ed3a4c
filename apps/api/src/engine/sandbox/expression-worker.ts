// The child-process side of the expression sandbox (expression-sandbox.ts). Bundled on its own
// as dist/api/expression-worker.js: JSONata runs here, in a process with a small heap, and the
// pool kills it when it overruns its time, so a runaway expression never touches the process
// that serves webhooks and runs other steps.
import workerpool from 'workerpool';
import { evaluateExpression, renderConfig, renderTemplate } from '@handoff/nodes';

export type SandboxTask =
  | { op: 'evaluate'; expression: string; scope: unknown }
  | { op: 'renderTemplate'; template: string; scope: unknown }
  | { op: 'renderConfig'; config: unknown; scope: unknown; expressionFields: string[] };

/** What crosses back: a value, or the error's name and message (errors do not survive structured clone as classes). */
export type SandboxAnswer = { ok: true; value: unknown } | { ok: false; name: string; message: string };

async function run(task: SandboxTask): Promise<SandboxAnswer> {
  try {
    const value =
      task.op === 'evaluate'
        ? await evaluateExpression(task.expression, task.scope)
        : task.op === 'renderTemplate'
          ? await renderTemplate(task.template, task.scope)
          : await renderConfig(task.config, task.scope, task.expressionFields);
    // JSONata can hand back functions (a lambda as a value): they cannot cross, and mean nothing here.
    return { ok: true, value: JSON.parse(JSON.stringify(value ?? null)) };
  } catch (e) {
    return { ok: false, name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) };
  }
}

// Only when started by the pool: the engine imports this file for its types alone.
if (!workerpool.isMainThread) workerpool.worker({ run });
