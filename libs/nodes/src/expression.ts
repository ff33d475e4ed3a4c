import jsonata from 'jsonata';
import { isCredentialRef } from './flow-document';

/** A JSONata expression that cannot be read or failed while evaluating; the message names both. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    message: string,
    readonly expression: string,
    readonly position: number | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

// Expressions come from flow authors: bound their runtime and recursion so a mistake
// like a self-calling lambda fails the step instead of pinning a worker.
const LIMITS = { timeout: 2_000, stack: 500 };
// Compiled expressions are cached per process. Concurrent evaluations of one cached
// expression share JSONata's `$now()` timestamp (milliseconds apart at most): acceptable.
const CACHE_SIZE = 1_000;
const compiled = new Map<string, jsonata.Expression>();

interface JsonataFailure {
  message: string;
  position: number | null;
  code: string | null;
}

// JSONata throws plain objects `{ code, position, token, message }`, not Error instances.
function failureOf(err: unknown): JsonataFailure {
  if (typeof err === 'object' && err !== null) {
    const e = err as { message?: unknown; position?: unknown; code?: unknown };
    return {
      message: typeof e.message === 'string' ? e.message : String(err),
      position: typeof e.position === 'number' ? e.position : null,
      code: typeof e.code === 'string' ? e.code : null,
    };
  }
  return { message: String(err), position: null, code: null };
}

function describe(expression: string, failure: JsonataFailure, phase: 'parse' | 'evaluate'): string {
  const shown = expression.length > 120 ? `${expression.slice(0, 117)}...` : expression;
  const where = failure.position === null ? '' : ` at position ${failure.position}`;
  const what = phase === 'parse' ? 'cannot be read' : 'failed';
  return `Expression "${shown}" ${what}${where}: ${failure.message}`;
}

function compile(expression: string): jsonata.Expression {
  const hit = compiled.get(expression);
  if (hit) return hit;
  if (expression.trim() === '') throw new ExpressionError('Expression is empty', expression);
  let expr: jsonata.Expression;
  try {
    expr = jsonata(expression, LIMITS);
  } catch (err) {
    const f = failureOf(err);
    throw new ExpressionError(describe(expression, f, 'parse'), expression, f.position, f.code);
  }
  if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value as string);
  compiled.set(expression, expr);
  return expr;
}

/** Syntax check only: the error message, or null when the expression parses. */
export function checkExpression(expression: string): string | null {
  try {
    compile(expression);
    return null;
  } catch (err) {
    return err instanceof ExpressionError ? err.message : String(err);
  }
}

/** Evaluates JSONata over `scope`; every failure becomes an ExpressionError. */
export async function evaluateExpression(expression: string, scope: unknown): Promise<unknown> {
  const expr = compile(expression);
  let value: unknown;
  try {
    value = await expr.evaluate(scope);
  } catch (err) {
    const f = failureOf(err);
    throw new ExpressionError(describe(expression, f, 'evaluate'), expression, f.position, f.code);
  }
  // JSONata marks result sequences with an extra `sequence` property; hand out a plain array.
  return Array.isArray(value) ? [...value] : value;
}

/** JSONata's `$boolean` casting, so `branch` agrees with conditions written inside expressions. */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(isTruthy);
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'function') return false;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

export type TemplatePart = { text: string } | { expression: string; start: number };

/**
 * Splits `Hello {{ trigger.payment.name }}` into text and expressions. The closing `}}` is
 * found outside string literals and object braces, so `{{ {"a": {"b": 1}} }}` works.
 */
export function parseTemplate(template: string): { parts: TemplatePart[]; error: string | null } {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) break;
    if (open > i) parts.push({ text: template.slice(i, open) });
    const close = findClose(template, open + 2);
    if (close < 0) return { parts, error: `"{{" at position ${open + 1} has no closing "}}"` };
    parts.push({ expression: template.slice(open + 2, close).trim(), start: open });
    i = close + 2;
  }
  if (i < template.length) parts.push({ text: template.slice(i) });
  return { parts, error: null };
}

function findClose(s: string, from: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let j = from; j < s.length; j++) {
    const ch = s[j];
    if (quote) {
      if (ch === '\\') j++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth > 0) depth--;
      else if (s[j + 1] === '}') return j;
    }
  }
  return -1;
}

/** The expressions inside a template's `{{ }}` markers, in order. */
export function templateExpressions(template: string): string[] {
  return parseTemplate(template).parts.flatMap((p) => ('expression' in p ? [p.expression] : []));
}

export function hasTemplate(value: string): boolean {
  return value.includes('{{');
}

/** Syntax check of a template: the first problem found, or null. */
export function checkTemplate(template: string): string | null {
  const { parts, error } = parseTemplate(template);
  if (error) return error;
  for (const p of parts) {
    if ('expression' in p) {
      const problem = checkExpression(p.expression);
      if (problem) return problem;
    }
  }
  return null;
}

/** How a value reads inside text: objects as JSON, nothing as nothing. */
export function stringifyValue(value: unknown): string {
  if (value === null || value === undefined || typeof value === 'function') return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function partsOrThrow(template: string): TemplatePart[] {
  const { parts, error } = parseTemplate(template);
  if (error) throw new ExpressionError(`Template "${template}" is broken: ${error}`, template);
  return parts;
}

export async function renderTemplate(template: string, scope: unknown): Promise<string> {
  let out = '';
  for (const p of partsOrThrow(template)) {
    out += 'text' in p ? p.text : stringifyValue(await evaluateExpression(p.expression, scope));
  }
  return out;
}

/**
 * Like renderTemplate, but a string that is one `{{ expr }}` and nothing else keeps the
 * value's type, so `{{ trigger.payment.amount }}` gives a number and a missing value gives null.
 */
export async function renderValue(template: string, scope: unknown): Promise<unknown> {
  const parts = partsOrThrow(template).filter((p) => !('text' in p) || p.text.trim() !== '');
  const only = parts[0];
  if (parts.length === 1 && only && 'expression' in only) {
    const value = await evaluateExpression(only.expression, scope);
    return value === undefined ? null : value;
  }
  return renderTemplate(template, scope);
}

/**
 * Renders every string leaf of a node config. Top-level `expressionFields` are left alone
 * (the node evaluates them itself) and so are credential references. A leaf that is a single
 * `{{ expr }}` may come back as a number, object or null, so nodes coerce what they read.
 */
export async function renderConfig<T>(config: T, scope: unknown, expressionFields: readonly string[] = []): Promise<T> {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    return (await renderDeep(config, scope)) as T;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    out[key] = expressionFields.includes(key) ? value : await renderDeep(value, scope);
  }
  return out as T;
}

async function renderDeep(value: unknown, scope: unknown): Promise<unknown> {
  if (typeof value === 'string') return hasTemplate(value) ? renderValue(value, scope) : value;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) items.push(await renderDeep(item, scope));
    return items;
  }
  if (typeof value === 'object' && value !== null && !isCredentialRef(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await renderDeep(v, scope);
    return out;
  }
  return value;
}
