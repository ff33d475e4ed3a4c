import { BeforeApplicationShutdown, Global, Injectable, Logger, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** graphile-worker's wake-up channel: `count` workers look for jobs at once instead of at their next poll. */
export const JOBS_CHANNEL = 'jobs:insert';

/**
 * NOTIFYs sent in their own statement once the data they announce has committed.
 *
 * Why not in the writing statement: Postgres serializes the commits of transactions that
 * NOTIFY (a database-wide lock held from pre-commit until after the commit's WAL flush), so
 * a NOTIFY inside every webhook's insert made each delivery wait for the previous one's fsync
 * and cut the insert rate by more than half (docs/performance.md, session 6). A transaction
 * that only NOTIFYs writes no WAL before its commit record and does not wait for a flush.
 *
 * What is pending when a statement is sent goes in it: under load one statement carries many
 * notifications, and wake-ups for jobs are summed into one. Best effort by design: a process
 * that dies between a commit and this statement loses the wake-up, not the work (workers poll
 * every second; a live view refetches when its stream reconnects).
 */
@Injectable()
export class AfterCommitNotify implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AfterCommitNotify.name);
  private channels: string[] = [];
  private payloads: string[] = [];
  private jobs = 0;
  private sending: Promise<void> | null = null;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  notify(channel: string, payload: string): void {
    this.channels.push(channel);
    this.payloads.push(payload);
    this.kick();
  }

  /** `count` jobs were committed: wake that many workers. */
  jobsAdded(count: number): void {
    if (count <= 0) return;
    this.jobs += count;
    this.kick();
  }

  /** Resolves when everything queued so far has been sent (or given up on). */
  async flushed(): Promise<void> {
    while (this.sending) await this.sending;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flushed();
  }

  private kick(): void {
    this.sending ??= this.drain().finally(() => {
      this.sending = null;
    });
  }

  private async drain(): Promise<void> {
    // Requests answered in the same turn of the event loop share the first statement.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.channels.length > 0 || this.jobs > 0) {
      const { channels, payloads } = packed(this.channels, this.payloads);
      // A random part keeps Postgres from folding two wake-ups with the same text into one.
      if (this.jobs > 0) {
        channels.push(JOBS_CHANNEL);
        payloads.push(JSON.stringify({ r: Math.random(), count: this.jobs }));
      }
      this.channels = [];
      this.payloads = [];
      this.jobs = 0;
      try {
        await this.db.query('SELECT pg_notify(n.channel, n.payload) FROM unnest($1::text[], $2::text[]) AS n(channel, payload)', [channels, payloads]);
      } catch (e) {
        this.logger.warn({ err: (e as Error).message, notifications: channels.length }, 'notifications after commit not sent; workers pick the jobs up at their next poll');
      }
    }
  }
}

/** Below Postgres's 8,000-byte payload limit. */
const MAX_PAYLOAD = 7_500;

/**
 * One notification per channel carries many events as a JSON array (as one transaction's
 * changes do; NotificationStreamService reads both forms), in order: under load a listener is
 * woken once per statement, not once per delivery.
 */
export function packed(channels: readonly string[], payloads: readonly string[]): { channels: string[]; payloads: string[] } {
  const open = new Map<string, { parts: string[]; size: number }>();
  const out: { channels: string[]; payloads: string[] } = { channels: [], payloads: [] };
  const flush = (channel: string, group: { parts: string[]; size: number }) => {
    out.channels.push(channel);
    out.payloads.push(group.parts.length === 1 ? group.parts[0] : `[${group.parts.join(',')}]`);
  };
  channels.forEach((channel, i) => {
    let group = open.get(channel);
    if (group && group.size + payloads[i].length + 1 > MAX_PAYLOAD) {
      flush(channel, group);
      group = undefined;
    }
    if (!group) open.set(channel, (group = { parts: [], size: 2 }));
    group.parts.push(payloads[i]);
    group.size += payloads[i].length + 1;
  });
  for (const [channel, group] of open) flush(channel, group);
  return out;
}

@Global()
@Module({ providers: [AfterCommitNotify], exports: [AfterCommitNotify] })
export class AfterCommitNotifyModule {}
