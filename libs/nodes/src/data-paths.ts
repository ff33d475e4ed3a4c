import jsonata from 'jsonata';
import type { NodeDefinition } from './define';
import { hasTemplate, templateExpressions } from './expression';
import { isCredentialRef } from './flow-document';

/**
 * The data paths a config reads (`trigger.payment.status`, `steps.crm_1.dealId`) and whether a
 * sample of the run's data has them: what the editor's field picker offers and its unknown-path
 * warning checks (docs/editor.md "Data fields").
 */

/** The names expressions start from (ExprScope). A path from anywhere else (a variable, `event` in a wait's match) is not checked. */
export const SCOPE_ROOTS = ['trigger', 'steps', 'run', 'flow', 'node'] as const;

interface AstNode {
  type?: string;
  value?: unknown;
  steps?: AstNode[];
  stages?: AstNode[];
  [key: string]: unknown;
}

/**
 * Paths from the scope in one JSONata expression, in order, each once: every path whose steps
 * are plain names from a scope root, cut at the first step that is not a name (a function call,
 * wildcard or object constructor). A filter (`lines.data[0]`) keeps the path going, since a path
 * through an array reads every item. An expression that does not parse has no paths (its syntax
 * error is reported by validation).
 */
export function expressionPaths(expression: string): string[] {
  const hit = pathsCache.get(expression);
  if (hit) return [...hit];
  let found: string[] = [];
  try {
    const ast = jsonata(expression).ast() as AstNode;
    walk(ast, (p) => {
      if (!found.includes(p)) found.push(p);
    });
  } catch {
    found = [];
  }
  // The editor checks every step on each keystroke: parse each expression once.
  if (pathsCache.size >= 1000) pathsCache.delete(pathsCache.keys().next().value as string);
  pathsCache.set(expression, found);
  return [...found];
}

const pathsCache = new Map<string, string[]>();

function walk(node: unknown, add: (p: string) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, add);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as AstNode;
  if (n.type === 'path' && Array.isArray(n.steps)) {
    const names: string[] = [];
    let open = true;
    for (const step of n.steps) {
      if (open && step.type === 'name' && typeof step.value === 'string') names.push(step.value);
      else open = false;
      // Inside a step (filters, arguments, constructors) paths are relative or new: walk them on their own.
      for (const [k, v] of Object.entries(step)) if (k !== 'value' && k !== 'type') walk(v, add);
    }
    if (names.length && isRoot(names[0])) add(joinPath(names));
    return;
  }
  if (n.type === 'name' && typeof n.value === 'string') {
    if (isRoot(n.value)) add(n.value);
    return;
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'value') walk(v, add);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Path segments as written in JSONata: a key that is not a plain name is quoted in backticks (`` headers.`content-type` ``). */
export function joinPath(segments: readonly string[]): string {
  return segments.map((s) => (IDENTIFIER.test(s) ? s : `\`${s}\``)).join('.');
}

/** The segments of a path written by `joinPath` (dots inside backticks belong to the key). */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of path) {
    if (ch === '`') quoted = !quoted;
    else if (ch === '.' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (path !== '') out.push(cur);
  return out;
}

const isRoot = (name: string) => (SCOPE_ROOTS as readonly string[]).includes(name);

/** Paths read by a `{{ }}` template, in order, each once. */
export function templatePaths(template: string): string[] {
  return [...new Set(templateExpressions(template).flatMap(expressionPaths))];
}

/** One path read by a node's config: where (`message`, `fields.0.label`) and what. */
export interface ConfigPathRef {
  field: string;
  path: string;
}

/**
 * Every path a node's config reads: its expression fields (JSONata) and the `{{ }}` templates in
 * any other string, nested or not, as the engine renders them (expression.ts `renderConfig`).
 */
export function configPaths(def: Pick<NodeDefinition, 'expressionFields'> | undefined, config: Record<string, unknown>): ConfigPathRef[] {
  const expressionFields = def?.expressionFields ?? [];
  const refs: ConfigPathRef[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (expressionFields.includes(key)) {
      if (typeof value === 'string') for (const path of expressionPaths(value)) refs.push({ field: key, path });
      continue;
    }
    collectTemplates(value, key, refs);
  }
  return refs;
}

function collectTemplates(value: unknown, field: string, refs: ConfigPathRef[]): void {
  if (typeof value === 'string') {
    if (hasTemplate(value)) for (const path of templatePaths(value)) refs.push({ field, path });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => collectTemplates(v, `${field}.${i}`, refs));
  } else if (typeof value === 'object' && value !== null && !isCredentialRef(value)) {
    for (const [k, v] of Object.entries(value)) collectTemplates(v, `${field}.${k}`, refs);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The values at `key` under `values`, reading through arrays as JSONata does (`items.name` is every item's name). */
function step(values: unknown[], key: string): unknown[] {
  const out: unknown[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v) && Object.hasOwn(v, key)) out.push(v[key]);
  };
  values.forEach(visit);
  return out;
}

/** The keys found one level under `values` (through arrays), in first-seen order. */
function keysUnder(values: unknown[]): string[] {
  const keys = new Set<string>();
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v)) Object.keys(v).forEach((k) => keys.add(k));
  };
  values.forEach(visit);
  return [...keys];
}

/** The keys under a dotted path in `data` (through arrays, as JSONata reads), or its top-level keys for ''. */
export function childKeys(data: unknown, path: string): string[] {
  let values = [data];
  for (const key of splitPath(path)) {
    values = step(values, key);
    if (!values.length) return [];
  }
  return keysUnder(values);
}

/** The first value at a dotted path in `data` (through arrays), or undefined when there is none. */
export function valueAtPath(data: unknown, path: string): unknown {
  let values = [data];
  for (const key of splitPath(path)) {
    values = step(values, key);
    if (!values.length) return undefined;
  }
  return values.length === 1 ? values[0] : values;
}

/** Whether the dotted path leads to something (null counts: the key is there) in `data`. */
export function pathExists(data: unknown, path: string): boolean {
  let values = [data];
  for (const key of splitPath(path)) {
    values = step(values, key);
    if (!values.length) return false;
  }
  return true;
}

/** Edit distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

function closest(key: string, candidates: string[]): string | null {
  const limit = Math.max(2, Math.floor(key.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(key, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= limit ? best : null;
}

/**
 * A path that exists in `data` and reads like `path`, fixing one segment at a time
 * (`trigger.paymnt.status` → `trigger.payment.status`); null when nothing is close.
 */
export function suggestPath(data: unknown, path: string): string | null {
  const keys = splitPath(path);
  const fixed: string[] = [];
  let values = [data];
  for (const key of keys) {
    let next = step(values, key);
    let used = key;
    if (!next.length) {
      const near = closest(key, keysUnder(values));
      if (!near) return null;
      used = near;
      next = step(values, near);
    }
    fixed.push(used);
    values = next;
  }
  const suggestion = joinPath(fixed);
  return suggestion === path ? null : suggestion;
}

/** A path a config reads that the sample does not have. */
export interface MissingPath extends ConfigPathRef {
  suggestion: string | null;
  message: string;
}

/**
 * The paths in `refs` that `scope` lacks. `steps.<id>` of a step that is not before this one is
 * always missing (it never ran when this step runs); a step before this one with no sample yet
 * (`knownSteps` lacks it) is not judged, since nothing says what it outputs.
 */
export function missingPaths(
  refs: readonly ConfigPathRef[],
  scope: { trigger?: unknown; steps?: Record<string, unknown>; [root: string]: unknown },
  opts: { upstream: readonly string[]; knownSteps: readonly string[] },
): MissingPath[] {
  const out: MissingPath[] = [];
  for (const ref of refs) {
    const [root, stepId, ...rest] = splitPath(ref.path);
    if (root === 'steps' && stepId !== undefined) {
      if (!opts.upstream.includes(stepId)) {
        const near = closest(stepId, [...opts.upstream]);
        const suggestion = near ? joinPath(['steps', near, ...rest]) : null;
        out.push({ ...ref, suggestion, message: `${ref.path} reads step "${stepId}", which does not run before this step${suggestion ? ` (did you mean ${suggestion}?)` : ''}` });
        continue;
      }
      if (!opts.knownSteps.includes(stepId)) continue;
    }
    if (pathExists(scope, ref.path)) continue;
    const suggestion = suggestPath(scope, ref.path);
    out.push({ ...ref, suggestion, message: `${ref.path} is not in the sample data${suggestion ? ` (did you mean ${suggestion}?)` : ''}` });
  }
  return out;
}

/**
 * What `trigger` looks like for a trigger node with this config, from its declaration
 * (`trigger.output`, else the test `sample`); undefined when the type declares neither.
 */
export function declaredTriggerData(def: Pick<NodeDefinition, 'config' | 'trigger'> | undefined, config: unknown): unknown {
  const info = def?.trigger;
  const make = info?.output ?? info?.sample;
  if (!def || !make) return undefined;
  const parsed = def.config.safeParse(config ?? {});
  try {
    return make(parsed.success ? parsed.data : config);
  } catch {
    // A sample that cannot read a half-filled config: no sample rather than a broken panel.
    return undefined;
  }
}

/** A step's declared output sample (`outputSample`) for this config; undefined when the type declares none. */
export function declaredStepOutput(def: Pick<NodeDefinition, 'config' | 'outputSample'> | undefined, config: unknown): unknown {
  if (!def?.outputSample) return undefined;
  const parsed = def.config.safeParse(config ?? {});
  try {
    return def.outputSample(parsed.success ? parsed.data : config);
  } catch {
    return undefined;
  }
}
