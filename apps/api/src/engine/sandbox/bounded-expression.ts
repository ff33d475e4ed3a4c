import jsonata from 'jsonata';

/**
 * Expressions that cannot run away: paths without filters, literals, comparisons, arithmetic,
 * string joins, `? :`, and a few functions whose work and result grow only with their input
 * (no ranges, regexes, loops, lambdas, variables bound, or $pad-like functions that build
 * values from a number). Their cost is linear in the expression and the data it reads, so the
 * engine evaluates them in-process instead of paying a round trip to a sandbox process: most
 * branch conditions and message templates are like this. Anything else goes to the sandbox.
 */

const OPERATORS = new Set(['=', '!=', '<', '<=', '>', '>=', 'and', 'or', '+', '-', '*', '/', '%', '&']);
const FUNCTIONS = new Set([
  'string', 'number', 'boolean', 'not', 'exists', 'length', 'uppercase', 'lowercase', 'trim',
  'substring', 'substringBefore', 'substringAfter', 'round', 'floor', 'ceil', 'abs', 'now', 'millis',
]);

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

function bounded(n: Node | undefined): boolean {
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
      return (n.steps ?? []).every((s) => s.type === 'name' && bounded(s));
    case 'binary':
      return OPERATORS.has(String(n.value)) && bounded(n.lhs) && bounded(n.rhs);
    case 'unary':
      return n.value === '-' && bounded(n.expression);
    case 'condition':
      return bounded(n.condition) && bounded(n.then) && bounded(n.else);
    case 'block':
      return (n.expressions ?? []).length === 1 && bounded(n.expressions?.[0]);
    case 'function':
      return n.procedure?.type === 'variable' && FUNCTIONS.has(String(n.procedure.value)) && (n.arguments ?? []).every(bounded);
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
    answer = expression.length <= 2_000 && bounded(jsonata(expression).ast() as Node);
  } catch {
    answer = false; // a syntax error is reported by the sandbox, with its position
  }
  if (decided.size >= DECIDED_MAX) decided.delete(decided.keys().next().value as string);
  decided.set(expression, answer);
  return answer;
}
