import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { Observable, Subject } from 'rxjs';
import { DATABASE_URL } from '../database/database-url';
import { RUNS_CHANNEL, RunEvent } from '../engine/notify';

/**
 * One LISTEN connection per api process, shared by every SSE client of that process.
 * Workers NOTIFY on commit, so a browser sees steps finished by any worker anywhere.
 */
@Injectable()
export class RunStreamService implements OnModuleDestroy {
  private readonly logger = new Logger('RunStream');
  private readonly events = new Subject<RunEvent>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(@Inject(DATABASE_URL) private readonly databaseUrl: string) {}

  stream(): Observable<RunEvent> {
    void this.ensureListening();
    return this.events.asObservable();
  }

  private ensureListening(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = new Client({ connectionString: this.databaseUrl });
      client.on('notification', (msg) => {
        if (msg.channel !== RUNS_CHANNEL || !msg.payload) return;
        try {
          this.events.next(JSON.parse(msg.payload) as RunEvent);
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
      await client.query(`LISTEN ${RUNS_CHANNEL}`);
      this.client = client;
    })()
      .catch((e: Error) => {
        this.logger.warn(`cannot listen for run events: ${e.message}`);
        setTimeout(() => void this.ensureListening(), 2000).unref();
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.events.complete();
    await this.client?.end().catch(() => undefined);
  }
}
