import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** `['nodes', 2, 'config', 'to']` → `nodes[2].config.to`, the way people read paths. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/**
 * Rewrites zod's default wording ("Invalid input: expected string, received undefined") into
 * what an ops person can act on ("is required"). Custom messages from our schemas pass through.
 */
export function describeIssue(issue: Issue, root: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(root, issue.path) === undefined ? 'is required' : `should be ${article(issue.expected)}`;
    case 'invalid_value':
      return `should be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `has ${issue.keys.length === 1 ? 'a setting' : 'settings'} Handoff does not know: ${issue.keys.join(', ')}`;
    case 'too_small':
    case 'too_big':
      return isZodDefault(issue.message) ? sizeMessage(issue) : issue.message;
    default:
      return issue.message;
  }
}

// Our schemas give their own wording; only zod's stock "Too small: ..." text is rewritten.
function isZodDefault(message: string): boolean {
  return message.startsWith('Too small') || message.startsWith('Too big');
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  if (issue.origin === 'string') {
    if (small && limit === 1) return 'cannot be empty';
    return `must be ${small ? 'at least' : 'at most'} ${limit} characters long`;
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    return small ? `needs at least ${limit} item${limit === 1 ? '' : 's'}` : `can have at most ${limit} items`;
  }
  if (small) return inclusive ? `must be at least ${limit}` : `must be more than ${limit}`;
  return inclusive ? `must be at most ${limit}` : `must be less than ${limit}`;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
