import { DataSource, DataSourceOptions } from 'typeorm';
import { Logger as GraphileLogger, runMigrations as runQueueMigrations } from 'graphile-worker';
import { ApiToken } from '../auth/api-token.entity';
import { Session } from '../auth/session.entity';
import { User } from '../auth/user.entity';
import { AuditEntry } from '../audit/audit.entity';
import { Credential } from '../credentials/credential.entity';
import { CrmContact } from '../crm/crm-contact.entity';
import { CrmDeal } from '../crm/crm-deal.entity';
import { CrmStage } from '../crm/crm-stage.entity';
import { DealStageHistory } from '../crm/deal-stage-history.entity';
import { FlowVersion } from '../flows/flow-version.entity';
import { Flow } from '../flows/flow.entity';
import { TriggerEvent } from '../triggers/trigger-event.entity';
import { Intake } from '../intakes/intake.entity';
import { migrations } from './migrations';
import { PreparingClient } from './prepared-client';
import { ensureTasks } from '../engine/queue';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { Review } from '../reviews/review.entity';
import { Run } from '../runs/run.entity';
import { Step } from '../runs/step.entity';

export const entities = [User, Session, ApiToken, Flow, FlowVersion, Credential, AuditEntry, Run, Step, Review, OutboxMessage, TriggerEvent, CrmStage, CrmContact, CrmDeal, DealStageHistory, Intake];

/** One data source definition for the app, the CLI (`main.js migrate`) and the tests. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'all',
    // pg reads a unix socket's directory from the URL's `host` parameter (the embedded
    // database's URL has one); TypeORM reads only the URL's host name, so it is passed on here.
    extra: { max: poolSize, Client: PreparingClient, ...socketOf(url) },
  };
}

function socketOf(url: string): { host?: string } {
  const host = URL.canParse(url) ? new URL(url).searchParams.get('host') : null;
  return host?.startsWith('/') ? { host } : {};
}

const silentLogger = new GraphileLogger(() => () => undefined);

// Any constant works; it only has to be the same in every Handoff process.
const MIGRATION_LOCK = 727_001;

/** Runs pending migrations; an advisory lock lets many processes start at once on one database. */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, 2));
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const done = await ds.runMigrations({ transaction: 'all' });
    // The queue's own schema (graphile_worker), versioned by graphile-worker itself.
    await runQueueMigrations({ connectionString: url, logger: silentLogger });
    await ensureTasks(runner);
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
    await ds.destroy();
  }
}
