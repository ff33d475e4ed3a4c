import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'retrying' | 'dead' | 'held';

export interface DeliveryAttempt {
  at: string;
  ok: boolean;
  error?: string;
}

@Entity('outbox_messages')
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'run_id', nullable: true }) runId: string | null;
  @Column('text', { name: 'node_id', nullable: true }) nodeId: string | null;
  @Column('text') channel: string;
  @Column('uuid', { name: 'credential_id', nullable: true }) credentialId: string | null;
  @Column('text', { nullable: true }) recipient: string | null;
  @Column('text', { nullable: true }) subject: string | null;
  @Column('text') body: string;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('text') status: OutboxStatus;
  @Column('integer') attempts: number;
  @Column('integer', { name: 'max_attempts' }) maxAttempts: number;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('jsonb') history: DeliveryAttempt[];
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt: Date | null;
}
