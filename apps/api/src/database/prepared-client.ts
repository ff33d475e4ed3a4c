import { createHash } from 'node:crypto';
import pg from 'pg';
import { counter } from '../metrics/metrics';

/** The name a statement is prepared under: the same text, the same name, on every connection. */
export function statementName(text: string): string {
  return 'h' + createHash('sha1').update(text).digest('hex').slice(0, 30);
}

type QueryFn = (...args: unknown[]) => unknown;

/**
 * Starts a statement that must be planned on each call, with its parameters: one whose best plan
 * changes as the tables grow. A prepared statement's generic plan is made once, and one made
 * while a table was nearly empty (a fresh install, the first minutes) keeps scanning it whole
 * until autovacuum next analyzes it.
 */
export const PLAN_EACH_CALL = '/* plan each call */ ';

/** Every statement the app's pool sends (BEGIN and COMMIT included): what a step or a delivery costs in round trips. */
const statements = counter('handoff_db_statements_total', 'Statements sent to PostgreSQL by the app pool (each one round trip), BEGIN and COMMIT included');

/**
 * A pg client that prepares each parameterized statement once per connection and afterwards
 * only binds and runs it. Postgres then skips parsing and analysing the text, which for the
 * engine's and the ingest's long CTE statements costs about as much as running them. Used
 * as the pool's client class (TypeORM passes `extra.Client` to pg.Pool).
 */
export class PreparingClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // A connection Postgres drops (a restart: 57P01) emits 'error' on its client. The pool and
    // TypeORM listen while they hold it, but a client between the two had no listener, and an
    // 'error' without one ends the process: seen once in webhook-db-restart.int.spec.ts under
    // a loaded full run. A dead client is noticed anyway: its next query fails and the pool
    // drops it on release (it is no longer queryable).
    this.on('error', () => undefined);
    const query = this.query.bind(this) as QueryFn;
    const prepared: QueryFn = (text, values, callback) => {
      statements.inc();
      if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || text.startsWith(PLAN_EACH_CALL)) return callback === undefined ? query(text, values) : query(text, values, callback);
      const config = { name: statementName(text), text, values };
      return callback === undefined ? query(config) : query(config, callback);
    };
    this.query = prepared as pg.Client['query'];
  }
}
