import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type StepStatus = 'queued' | 'running' | 'retrying' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

@Entity('steps')
export class Step {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'run_id' }) runId: string;
  @Column('text', { name: 'node_id' }) nodeId: string;
  @Column('text', { name: 'node_type' }) nodeType: string;
  @Column('text') status: StepStatus;
  @Column('integer') attempt: number;
  @Column('integer', { name: 'max_attempts' }) maxAttempts: number;
  @Column('text', { nullable: true }) port: string | null;
  @Column('jsonb', { nullable: true }) input: unknown;
  /** Where the input came from instead of a copy of it (runs/store/run-rules.ts stepInput). */
  @Column('text', { name: 'input_from', nullable: true }) inputFrom: string | null;
  @Column('jsonb', { nullable: true }) output: unknown;
  @Column('text', { nullable: true }) error: string | null;
  @Column('text', { name: 'idempotency_key', nullable: true }) idempotencyKey: string | null;
  @Column('uuid', { name: 'skipped_of_run', nullable: true }) skippedOfRun: string | null;
  @Column('timestamptz', { name: 'wait_until', nullable: true }) waitUntil: Date | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
  @Column('timestamptz', { name: 'pruned_at', nullable: true }) prunedAt: Date | null;
}
