import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';

@Entity('runs')
export class Run {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column('uuid', { name: 'flow_id' }) flowId: string;
  @Column('integer') version: number;
  @Column('text') status: RunStatus;
  @Column('boolean') test: boolean;
  @Column('jsonb') trigger: Record<string, unknown>;
  @Column('text', { name: 'trigger_type', nullable: true }) triggerType: string | null;
  @Column('text', { name: 'event_id', nullable: true }) eventId: string | null;
  @Column('text', { name: 'customer_id', nullable: true }) customerId: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) error: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}
