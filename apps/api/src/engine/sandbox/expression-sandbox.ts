import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { evaluateExpression, ExpressionError, renderConfig, renderTemplate, templateExpressions } from '@handoff/nodes';
import workerpool from 'workerpool';
import type { SandboxAnswer, SandboxTask } from './expression-worker';
import { isBoundedExpression } from './bounded-expression';

// The limits: wall-clock time of one evaluation (a whole config's templates included; JSONata's own
// 2 s check only runs between its steps), and the heap of one sandbox process (an expression that
// builds a huge value fails there, not here). Settings: HANDOFF_EXPRESSION_TIMEOUT_MS / _MEMORY_MB.
export { SANDBOX_HEAP_MB, SANDBOX_TIMEOUT_MS } from '../../config/config';

/**
 * The built worker: next to the bundle in production (dist/api), and the same file from the
 * sources when tests run the app in-process after `npm run build`.
 */
function workerFile(): string {
  const candidates = [join(__dirname, 'expression-worker.js'), resolve(__dirname, '../../../../../dist/api/expression-worker.js')];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`The expression sandbox worker is not built (looked for ${candidates.join(', ')}): run npm run build`);
  return found;
}

/** The `{{ }}` strings a config holds outside its expression fields: nothing to render means no trip to the sandbox. */
function templatesIn(config: unknown, expressionFields: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (v: unknown, top: boolean) => {
    if (typeof v === 'string') {
      if (v.includes('{{')) found.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, false));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (!(top && expressionFields.includes(k))) walk(x, false);
  };
  walk(config, true);
  return found;
}

// `trigger.payment.email`, `steps.won.dealId`, `run.id`: a plain path walks data it is given and
// cannot run away, so it is evaluated here, without the round trip to a sandbox process; so is
// any expression of the bounded kind (comparisons, arithmetic, a few linear functions).
const PLAIN_PATH = /^\s*[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\s*$/;
export const isPlainPath = (expression: string): boolean => PLAIN_PATH.test(expression);
const inProcess = (expression: string): boolean => isPlainPath(expression) || isBoundedExpression(expression);
const plainTemplate = (template: string): boolean => templateExpressions(template).every(inProcess);

const shorten = (s: string) => (s.length > 120 ? `${s.slice(0, 117)}...` : s);

/**
 * An expression that overran the time limit gets a quarter of it for a while. A flow with a
 * runaway expression and a stream of events would otherwise hold a job slot for the whole limit
 * on every run, and with every slot held, other flows' runs wait (a probe held them for over a
 * minute with four such runs). An expression that is only sometimes slow still gets a quarter.
 */
const SUSPECT_FOR_MS = 10 * 60_000;
const SUSPECTS_MAX = 1_000;

/**
 * Where the engine evaluates flow authors' expressions and templates: a small pool of child
 * processes with a capped heap, each evaluation under a hard time limit. A runaway expression
 * (a huge string, a cross product of ranges, catastrophic regex backtracking) gets its process
 * killed and fails its step with a clear error; this process, its webhooks and every other run
 * go on. Child processes, not worker threads: a thread that runs out of heap takes the whole
 * process down with it (seen with Node 20), a child process only itself.
 */
@Injectable()
export class ExpressionSandbox implements OnModuleDestroy {
  private pool: ReturnType<typeof workerpool.pool> | null = null;
  private readonly timeoutMs: number;
  private readonly heapMb: number;
  /** Expression (or template) → until when it gets the shorter limit. */
  private readonly suspects = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.timeoutMs = config.expressionTimeoutMs;
    this.heapMb = config.expressionMemoryMb;
  }

  private get workers() {
    this.pool ??= workerpool.pool(workerFile(), {
      workerType: 'process',
      minWorkers: 1,
      maxWorkers: Math.max(2, Math.min(4, availableParallelism())),
      forkOpts: { execArgv: [`--max-old-space-size=${this.heapMb}`, '--stack-size=984'], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] },
      workerTerminateTimeout: 1_000,
    });
    return this.pool;
  }

  /**
   * Starts the pool's first process and waits for its answer. A worker calls this at start: the
   * first templated step must not wait for a process to spawn (on a busy 2-core box that cold
   * start put the first few payments' kickoff past a second).
   */
  async warm(): Promise<void> {
    await this.run({ op: 'evaluate', expression: '1 + 1', scope: {} }, 'warm-up');
  }

  evaluate(expression: string, scope: unknown): Promise<unknown> {
    if (inProcess(expression)) return evaluateExpression(expression, scope);
    return this.run({ op: 'evaluate', expression, scope }, expression);
  }

  async renderTemplate(template: string, scope: unknown): Promise<string> {
    if (plainTemplate(template)) return renderTemplate(template, scope);
    return (await this.run({ op: 'renderTemplate', template, scope }, template)) as string;
  }

  renderConfig<T>(config: T, scope: unknown, expressionFields: readonly string[]): Promise<T> {
    const templates = templatesIn(config, expressionFields);
    if (templates.every(plainTemplate)) return renderConfig(config, scope, expressionFields);
    // A runaway is named by the template that ran it, or the first of several.
    const what = templates.length === 1 ? templates[0] : `${templates[0]} (or one of ${templates.length - 1} more templates of the step)`;
    return this.run({ op: 'renderConfig', config, scope, expressionFields: [...expressionFields] }, what) as Promise<T>;
  }

  private limitFor(what: string): { ms: number; suspect: boolean } {
    const until = this.suspects.get(what);
    if (until !== undefined && until > Date.now()) return { ms: Math.ceil(this.timeoutMs / 4), suspect: true };
    if (until !== undefined) this.suspects.delete(what);
    return { ms: this.timeoutMs, suspect: false };
  }

  private suspect(what: string): void {
    this.suspects.delete(what);
    if (this.suspects.size >= SUSPECTS_MAX) this.suspects.delete(this.suspects.keys().next().value as string);
    this.suspects.set(what, Date.now() + SUSPECT_FOR_MS);
  }

  private async run(task: SandboxTask, what: string): Promise<unknown> {
    let answer: SandboxAnswer;
    const limit = this.limitFor(what);
    try {
      answer = (await this.workers.exec('run', [task]).timeout(limit.ms)) as SandboxAnswer;
    } catch (e) {
      const err = e as Error;
      if (err.name === 'TimeoutError') {
        const why = limit.suspect ? `: it overran the ${this.timeoutMs / 1000} s limit recently, so for ${SUSPECT_FOR_MS / 60_000} minutes it gets a quarter of it` : '';
        const message = `Expression "${shorten(what)}" ran longer than ${limit.ms / 1000} s and was stopped${why}`;
        this.suspect(what);
        throw new ExpressionError(message, what);
      }
      // The process died under it: the heap cap (or a crash) ended it, and the pool starts another.
      if (/Workerpool Worker terminated|exitCode|signal/i.test(err.message)) {
        throw new ExpressionError(`Expression "${shorten(what)}" used more than ${this.heapMb} MB (or crashed its sandbox) and was stopped`, what);
      }
      throw err;
    }
    if (answer.ok) return answer.value;
    // Broken expressions are the flow author's to fix: a permanent step error, as before.
    throw new ExpressionError(answer.message, what);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.terminate(true);
  }
}
