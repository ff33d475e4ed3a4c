import { childKeys, joinPath, parseTemplate, SCOPE_ROOTS, splitPath, stringifyValue, valueAtPath } from '@handoff/nodes';

/** How a string field reads data: `{{ }}` templates (any config string) or a whole JSONata expression (`condition`, `match`). */
export type FieldMode = 'template' | 'expression';

/** True when the caret sits inside an open `{{ … }}` (or anywhere in an expression). */
export function insideExpression(text: string, caret: number, mode: FieldMode): boolean {
  if (mode === 'expression') return true;
  const before = text.slice(0, caret);
  return before.lastIndexOf('{{') > before.lastIndexOf('}}');
}

/**
 * What inserting `path` at the selection gives: the bare path inside an expression, else a
 * `{{ path }}` template. The caret lands after the inserted text.
 */
export function insertPath(text: string, start: number, end: number, path: string, mode: FieldMode): { text: string; caret: number } {
  const snippet = insideExpression(text, start, mode) ? path : `{{ ${path} }}`;
  return { text: text.slice(0, start) + snippet + text.slice(end), caret: start + snippet.length };
}

export interface Completion {
  /** The whole path, e.g. `trigger.payment.status`. */
  path: string;
  /** The key offered, e.g. `status`. */
  key: string;
  /** What accepting it types: the key, in backticks when it is not a plain name (`` `content-type` ``). */
  insert: string;
  /** A short look at the sample value. */
  detail: string;
}

export interface CompletionList {
  /** The typed part of the key being completed: replaced by the chosen key. */
  from: number;
  to: number;
  items: Completion[];
}

const TOKEN = /(^|[^\w$.`'"])([A-Za-z_][\w]*(?:\.[\w-]*)*)$/;
const LIMIT = 12;

/**
 * The keys that can follow what is typed before the caret inside `{{ }}` (or an expression):
 * after `trigger.pay` it offers `payment`; after `trigger.payment.` every key of the payment.
 * Only scope paths are completed; null when there is nothing to offer.
 */
export function completionsAt(text: string, caret: number, mode: FieldMode, scope: Record<string, unknown>): CompletionList | null {
  if (!insideExpression(text, caret, mode)) return null;
  const before = text.slice(0, caret);
  // Not inside a string literal of the expression.
  const exprStart = mode === 'template' ? before.lastIndexOf('{{') + 2 : 0;
  if ((before.slice(exprStart).match(/["']/g)?.length ?? 0) % 2 === 1) return null;
  const m = TOKEN.exec(before);
  if (!m) return null;
  const token = m[2];
  const dot = token.lastIndexOf('.');
  const parent = dot < 0 ? '' : token.slice(0, dot);
  const partial = token.slice(dot + 1);
  if (parent && !(SCOPE_ROOTS as readonly string[]).includes(splitPath(parent)[0])) return null;
  const keys = parent ? childKeys(scope, parent) : SCOPE_ROOTS.filter((r) => scope[r] !== undefined);
  const p = partial.toLowerCase();
  const starts = keys.filter((k) => k.toLowerCase().startsWith(p));
  const contains = p ? keys.filter((k) => !k.toLowerCase().startsWith(p) && k.toLowerCase().includes(p)) : [];
  const items = [...starts, ...contains].slice(0, LIMIT).map((key) => {
    const path = joinPath([...splitPath(parent), key]);
    return { path, key, insert: joinPath([key]), detail: shortValue(valueAtPath(scope, path)) };
  });
  if (!items.length || (items.length === 1 && items[0].key === partial)) return null;
  return { from: caret - partial.length, to: caret, items };
}

/** A value as one short line: `"cleared"`, `250000`, `{ 12 keys }`, `[ 3 items ]`. */
export function shortValue(v: unknown, max = 40): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[ ${v.length} item${v.length === 1 ? '' : 's'} ]`;
  if (typeof v === 'object') {
    const n = Object.keys(v).length;
    return `{ ${n} key${n === 1 ? '' : 's'} }`;
  }
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * A plain path (`trigger.payment.email`): previewed by reading the sample, no JSONata needed.
 * Only plain names: `steps.crm-1` is a subtraction to JSONata, so it goes to the evaluator.
 */
export function isPlainPath(expression: string): boolean {
  return /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(expression.trim());
}

/** The rendered value when every expression is a plain path: read straight from the sample. */
export function plainPreview(text: string, mode: FieldMode, scope: unknown): { value: unknown } | null {
  if (mode === 'expression') return isPlainPath(text) ? { value: valueAtPath(scope, text.trim()) } : null;
  const { parts, error } = parseTemplate(text);
  if (error || !parts.every((p) => 'text' in p || isPlainPath(p.expression))) return null;
  const exprs = parts.filter((p) => 'expression' in p);
  const visible = parts.filter((p) => !('text' in p) || p.text.trim() !== '');
  // One `{{ path }}` alone keeps its type, as the engine's renderValue does.
  if (visible.length === 1 && exprs.length === 1) return { value: valueAtPath(scope, exprs[0].expression) ?? null };
  return { value: parts.map((p) => ('text' in p ? p.text : stringifyValue(valueAtPath(scope, p.expression)))).join('') };
}

