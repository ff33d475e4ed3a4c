import type { Problem } from '../store/types';
import { humanize } from './schemaFields';

/** `['nodes', 2, 'config', 'fields', 0, 'name']` or `'config.fields.0.name'` → `'fields.0.name'`; null when not about config. */
export function configPath(p: Problem): string | null {
  if (p.path === undefined || p.path === null) return null;
  // Arrays as given; strings as `validateFlow` formats them: `config.fields[0].name`.
  const parts = Array.isArray(p.path) ? p.path.map(String) : String(p.path).replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
  const at = parts.indexOf('config');
  if (at >= 0) return parts.slice(at + 1).join('.');
  // A path without a `config` segment is taken as already relative to the config, unless it names another part of the node.
  if (['position', 'type', 'id', 'edges', 'nodes'].includes(parts[0] ?? '')) return null;
  return parts.join('.');
}

/** Messages that belong exactly at `path`, or under it when the field draws no inputs of its own children. */
export function errorsAt(problems: readonly Problem[], path: string, includeNested: boolean): string[] {
  return problems
    .filter((p) => {
      const cp = configPath(p);
      if (cp === null) return false;
      return cp === path || (includeNested && cp.startsWith(`${path}.`));
    })
    .map((p) => withinField(p.message, path));
}

/** Node problems no field will show (shown at the top of the panel instead). */
export function unplacedProblems(problems: readonly Problem[], fieldKeys: readonly string[]): Problem[] {
  return problems.filter((p) => {
    const cp = configPath(p);
    if (cp === null || cp === '') return true;
    if (fieldKeys.includes('')) return false;
    return !fieldKeys.includes(cp.split('.')[0]);
  });
}

/** Drops the `Step "crm_1" (Update CRM deal): ` prefix where the step is already evident. */
export function withinStep(message: string, path?: Problem['path']): string {
  let rest = message.replace(/^Step "[^"]*" (\([^)]*\): )?/, '');
  if (rest === message) return message;
  // `signingSecret is required` → `Signing secret is required`
  const key = path === undefined ? null : configPath({ message, path });
  if (key && /^\w+$/.test(key) && rest.startsWith(`${key} `)) rest = `${humanize(key)}${rest.slice(key.length)}`;
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/** A message shown under its own field: `fields[0].name must be…` → `Must be…`. */
export function withinField(message: string, path: string): string {
  const m = message.replace(/^Step "[^"]*" (\([^)]*\): )?/, '');
  const formatted = path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
  for (const prefix of [formatted, path, path.split('.').at(-1) ?? '']) {
    if (prefix && m.startsWith(`${prefix} `)) {
      const rest = m.slice(prefix.length + 1);
      return rest.charAt(0).toUpperCase() + rest.slice(1);
    }
  }
  return m;
}
