import { Global, Inject, Injectable, Logger, MessageEvent, Module, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { filter, interval, map, merge, Observable, Subject, takeUntil } from 'rxjs';
import { DATABASE_URL } from '../database/database-url';
import { REVIEWS_CHANNEL, RUNS_CHANNEL } from '../engine/notify';

/** Built-in CRM changes (deals, tasks) for live boards: `{ dealId?, taskId?, kind }`. */
export const CRM_CHANNEL = 'handoff_crm';

const CHANNELS = [RUNS_CHANNEL, CRM_CHANNEL, REVIEWS_CHANNEL] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * One LISTEN connection per api process, shared by every SSE client of that process.
 * Writers NOTIFY on commit, so a browser sees what any worker or api process did anywhere.
 */
@Injectable()
export class NotificationStreamService implements OnModuleDestroy {
  private readonly logger = new Logger('NotificationStream');
  private readonly events = new Subject<{ channel: string; payload: unknown }>();
  /** Emits when the app shuts down: every SSE response ends on it (sse). */
  private readonly shutdown = new Subject<void>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(@Inject(DATABASE_URL) private readonly databaseUrl: string) {}

  stream<T>(channel: Channel): Observable<T> {
    void this.ensureListening();
    return this.events.pipe(
      filter((e) => e.channel === channel),
      map((e) => e.payload as T),
    );
  }

  /**
   * An SSE response: `sources`, and a ping every 15 s that keeps proxies from closing an idle
   * stream, until `until` emits (the session it was opened with ends) or the app stops. An open
   * stream would otherwise keep the HTTP server, and the shutdown behind it, from finishing.
   */
  sse(until: Observable<unknown>, ...sources: Array<Observable<MessageEvent>>): Observable<MessageEvent> {
    const ping = interval(15_000).pipe(map(() => ({ type: 'ping', data: {} }) as MessageEvent));
    return merge(...sources, ping).pipe(takeUntil(merge(until, this.shutdown)));
  }

  /** Resolves once this process listens: nothing committed after that is missed by a stream opened before. */
  whenListening(): Promise<void> {
    return this.ensureListening();
  }

  private ensureListening(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = new Client({ connectionString: this.databaseUrl });
      client.on('notification', (msg) => {
        if (!msg.payload) return;
        try {
          // A transaction may announce several changes in one notification (a JSON array).
          const parsed: unknown = JSON.parse(msg.payload);
          for (const payload of Array.isArray(parsed) ? parsed : [parsed]) this.events.next({ channel: msg.channel, payload });
        } catch {
          // a malformed payload is not ours; ignore it
        }
      });
      client.on('error', (e) => {
        this.logger.warn(`listen connection lost: ${e.message}; reconnecting`);
        this.client = null;
        setTimeout(() => void this.ensureListening(), 1000).unref();
      });
      await client.connect();
      for (const channel of CHANNELS) await client.query(`LISTEN ${channel}`);
      this.client = client;
    })()
      .catch((e: Error) => {
        this.logger.warn(`cannot listen for notifications: ${e.message}`);
        setTimeout(() => void this.ensureListening(), 2000).unref();
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.shutdown.next();
    this.shutdown.complete();
    this.events.complete();
    await this.client?.end().catch(() => undefined);
  }
}

@Global()
@Module({ providers: [NotificationStreamService], exports: [NotificationStreamService] })
export class NotificationsModule {}
