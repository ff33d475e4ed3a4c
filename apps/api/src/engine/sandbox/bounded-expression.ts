import jsonata from 'jsonata';

/**
 * Expressions that cannot run away: paths without filters, literals, comparisons, arithmetic,
 * string joins, `? :`, and a few functions whose work and result grow only with their input
 * (no ranges, regexes, loops, lambdas, variables bound, or $pad-like functions that build
 * values from a number). The engine evaluates them in-process instead of paying a round trip
 * to a sandbox process: most branch conditions and message templates are like this. Anything
 * else goes to the sandbox.
 *
 * "Linear in the data" is not enough on its own: a value can be as large as a delivery (1 MB),
 * and an expression that joins one path to itself sixty times and measures the result made a
 * 54-million-character string and a 2.5 GB array in the app process (a probe, session 10).
 * So an in-process expression reads at most MAX_PATHS paths (its values are at most that many
 * times the data), and leaves out $length and $substring, which JSONata runs by splitting a
 * string into an array of its characters (~50 bytes each).
 */

const OPERATORS = new Set(['=', '!=', '<', '<=', '>', '>=', 'and', 'or', '+', '-', '*', '/', '%', '&']);
const FUNCTIONS = new Set([
  'string', 'number', 'boolean', 'not', 'exists', 'uppercase', 'lowercase', 'trim',
  'substringBefore', 'substringAfter', 'round', 'floor', 'ceil', 'abs', 'now', 'millis',
]);
const MAX_PATHS = 8;

interface Node {
  type: string;
  value?: unknown;
  steps?: Node[];
  stages?: unknown[];
  predicate?: unknown[];
  group?: unknown;
  focus?: unknown;
  index?: unknown;
  tuple?: unknown;
  lhs?: Node;
  rhs?: Node;
  expression?: Node;
  arguments?: Node[];
  procedure?: Node;
  condition?: Node;
  then?: Node;
  else?: Node;
  expressions?: Node[];
}

function bounded(n: Node | undefined, paths: { count: number }): boolean {
  if (!n) return true;
  // Filters, grouping and focus/index bindings are loops over data: the sandbox's.
  if (n.stages?.length || n.predicate?.length || n.group || n.focus || n.index || n.tuple) return false;
  switch (n.type) {
    case 'string':
    case 'number':
    case 'value':
    case 'name':
      return true;
    case 'path':
      return ++paths.count <= MAX_PATHS && (n.steps ?? []).every((s) => s.type === 'name' && bounded(s, paths));
    case 'binary':
      return OPERATORS.has(String(n.value)) && bounded(n.lhs, paths) && bounded(n.rhs, paths);
    case 'unary':
      return n.value === '-' && bounded(n.expression, paths);
    case 'condition':
      return bounded(n.condition, paths) && bounded(n.then, paths) && bounded(n.else, paths);
    case 'block':
      return (n.expressions ?? []).length === 1 && bounded(n.expressions?.[0], paths);
    case 'function':
      return n.procedure?.type === 'variable' && FUNCTIONS.has(String(n.procedure.value)) && (n.arguments ?? []).every((a) => bounded(a, paths));
    default:
      return false;
  }
}

const decided = new Map<string, boolean>();
const DECIDED_MAX = 5_000;

/** Whether `expression` is one of the bounded kind above; false for anything that does not parse. */
export function isBoundedExpression(expression: string): boolean {
  const known = decided.get(expression);
  if (known !== undefined) return known;
  let answer: boolean;
  try {
    answer = expression.length <= 2_000 && bounded(jsonata(expression).ast() as Node, { count: 0 });
  } catch {
    answer = false; // a syntax error is reported by the sandbox, with its position
  }
  if (decided.size >= DECIDED_MAX) decided.delete(decided.keys().next().value as string);
  decided.set(expression, answer);
  return answer;
}
