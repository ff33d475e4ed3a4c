import 'reflect-metadata';
import { openDatabase, resolveSecretKey, startHandoff, migrate } from './bootstrap';
import pino from 'pino';
import { isDatabaseUnavailable } from './common/database-unavailable';
import { prettyStream } from './common/logging';
import { loadConfig } from './config/config';

/**
 * graphile-worker records a job's outcome without awaiting it; when the database is away at
 * that moment the rejection is unhandled, and Node would exit, taking the webhook endpoint
 * down with it. Such a loss is survivable (the job stays locked and the worker's sweep
 * releases it once the database is back), so the process logs it and goes on. Any other
 * unhandled rejection is a bug: log it and exit for the supervisor to restart us.
 */
function survivableRejections(log: pino.Logger): void {
  process.on('unhandledRejection', (reason) => {
    if (isDatabaseUnavailable(reason)) {
      log.warn({ err: (reason as Error).message }, 'database unavailable in a background task; it will be retried');
      return;
    }
    log.fatal({ err: reason instanceof Error ? reason.stack : String(reason) }, 'unhandled rejection; exiting');
    process.exit(1);
  });
}

/**
 * `node dist/api/main.js`          start (embedded Postgres unless DATABASE_URL)
 * `node dist/api/main.js migrate`  apply migrations and exit
 */
async function main(): Promise<void> {
  const command = process.argv[2] ?? 'serve';
  const config = loadConfig();
  survivableRejections(config.logFormat === 'pretty' ? pino({ level: config.logLevel }, prettyStream(process.stdout)) : pino({ level: config.logLevel }));
  const say = (line: string) => process.stdout.write(line + '\n');
  const db = await openDatabase(config, (line) => process.env.HANDOFF_DEBUG_DB && say(`[postgres] ${line}`));
  const stopDb = async () => db.embedded?.stop();
  try {
    const applied = await migrate(db.url);
    if (applied.length) say(`Applied migrations: ${applied.join(', ')}`);
    if (command === 'migrate') return stopDb();
    if (command !== 'serve') throw new Error(`Unknown command "${command}" (use serve or migrate)`);

    const handoff = await startHandoff(config, db.url, resolveSecretKey(config));
    say('');
    say(`Handoff is running at ${handoff.url}  (role: ${config.role}, database: ${db.embedded ? `embedded in ${config.dataDir}` : 'DATABASE_URL'})`);
    if (handoff.admin?.password) {
      say(`First start: created the admin ${handoff.admin.email} with the one-time password  ${handoff.admin.password}`);
      say('It is shown only now. Log in and create your own users; set HANDOFF_ADMIN_EMAIL/HANDOFF_ADMIN_PASSWORD to choose them instead.');
    } else if (handoff.admin) {
      say(`First start: created the admin ${handoff.admin.email} (password from HANDOFF_ADMIN_PASSWORD).`);
    } else {
      say('Log in with your existing account.');
    }
    // The app first (the worker finishes the steps in flight), then its database. A second signal ends it at once.
    let stopping = false;
    const shutdown = async () => {
      if (stopping) process.exit(1);
      stopping = true;
      await handoff.close().catch(() => undefined);
      await stopDb().catch(() => undefined);
      process.exit(process.exitCode ?? 0);
    };
    db.embedded?.ownSignals();
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown());
  } catch (e) {
    await stopDb().catch(() => undefined);
    throw e;
  }
}

main().catch((e: Error) => {
  process.stderr.write(`\nHandoff could not start: ${e.message}\n`);
  process.exit(1);
});
