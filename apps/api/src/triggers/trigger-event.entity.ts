import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TriggerEventStatus } from '../runs/store/run-start';

/** One firing of a flow's trigger (a Stripe event, a webhook delivery, a tick, a CRM change); written by raw SQL (ON CONFLICT), read through this entity. */
@Entity('trigger_events')
export class TriggerEvent {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'flow_id' }) flowId: string;
  @Column('text') source: string;
  @Column('text') via: 'hook' | 'reconcile' | 'test';
  @Column('text', { name: 'trigger_key' }) triggerKey: string;
  @Column('text') type: string;
  @Column('boolean') livemode: boolean;
  @Column('text') status: TriggerEventStatus;
  @Column('uuid', { name: 'run_id', nullable: true }) runId: string | null;
  @Column('jsonb', { select: false }) payload: Record<string, unknown>;
  @Column('integer', { name: 'duplicate_count' }) duplicateCount: number;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  @Column('timestamptz', { name: 'last_seen_at' }) lastSeenAt: Date;
}
