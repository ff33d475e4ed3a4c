import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type StripeEventStatus = 'ran' | 'ignored' | 'held';

/** A verified Stripe event received on a flow's webhook; written by raw SQL (ON CONFLICT), read through this entity. */
@Entity('stripe_events')
export class StripeEvent {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'flow_id' }) flowId: string;
  @Column('text', { name: 'event_id' }) eventId: string;
  @Column('text') type: string;
  @Column('boolean') livemode: boolean;
  @Column('text') status: StripeEventStatus;
  @Column('uuid', { name: 'run_id', nullable: true }) runId: string | null;
  @Column('jsonb', { select: false }) payload: Record<string, unknown>;
  @Column('integer', { name: 'duplicate_count' }) duplicateCount: number;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  @Column('timestamptz', { name: 'last_seen_at' }) lastSeenAt: Date;
}
