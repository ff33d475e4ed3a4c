import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import type { Options as PinoHttpOptions, ReqId } from 'pino-http';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { HttpErrorFilter } from './common/http-exception.filter';
import { prettyStream, redactPaths } from './common/logging';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { CredentialsModule } from './credentials/credentials.module';
import { CrmModule } from './crm/crm.module';
import { dataSourceOptions } from './database/data-source';
import { EngineModule } from './engine/engine.module';
import { FlowsModule } from './flows/flows.module';
import { IntakesModule } from './intakes/intakes.module';
import { TriggersModule } from './triggers/triggers.module';
import { StripeModule } from './stripe/stripe.module';
import { NotificationsModule } from './notifications/notification-stream.service';
import { MetricsModule } from './metrics/metrics.module';
import { AfterCommitNotifyModule } from './database/after-commit-notify';
import { OutboxModule } from './outbox/outbox.module';
import { LiveModule } from './live/live.module';
import { ReviewsModule } from './reviews/reviews.module';
import { RunsModule } from './runs/runs.module';
import { TemplatesModule } from './templates/templates.module';
import { DatabaseUrlModule } from './database/database-url.module';
import { HealthController } from './health/health.controller';

let lastRequestId = 0;
/**
 * pino-http's default request ids, from one counter per process rather than one per pino-http
 * instance: webhook deliveries are logged by a second instance (hooks-in-front.ts), and ids
 * must not repeat between the two.
 */
const nextRequestId = (req: IncomingMessage): ReqId => req.id || (lastRequestId = (lastRequestId + 1) & 0x7fffffff);

/** The access log's options: Nest's request logging and the webhook path in front of Nest use the same. */
export function httpLogOptions(config: AppConfig): PinoHttpOptions {
  return {
    level: config.logLevel,
    genReqId: nextRequestId,
    redact: { paths: redactPaths, censor: '[redacted]' },
    // An intake link's token is the key to a client's form: keep it out of access logs.
    serializers: { req: (req: { url?: string }) => ({ ...req, url: req.url?.replace(/^\/intake-api\/[^/?#]+/, '/intake-api/[token]') }) },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    // An accepted webhook delivery already has its own line (flow, event, outcome, run):
    // an access line too would double the log volume of the busiest route. Refusals keep theirs.
    customLogLevel: (req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode < 400 && req.url?.startsWith('/hooks/') ? 'silent' : 'info'),
    customProps: (req) => ({ role: config.role, ...((req as { logContext?: object }).logContext ?? {}) }),
  };
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, secretKey: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({ pinoHttp: config.logFormat === 'pretty' ? [httpLogOptions(config), prettyStream(process.stdout)] : httpLogOptions(config) }),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl)),
        AuditModule,
        AuthModule,
        CredentialsModule.forRoot(secretKey),
        DatabaseUrlModule.forRoot(databaseUrl),
        AfterCommitNotifyModule,
        FlowsModule,
        RunsModule,
        ReviewsModule,
        LiveModule,
        OutboxModule,
        EngineModule,
        MetricsModule,
        NotificationsModule,
        TriggersModule,
        StripeModule,
        CrmModule,
        IntakesModule,
        TemplatesModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
