import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ReviewStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';

@Entity('reviews')
export class Review {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'run_id' }) runId: string;
  @Column('uuid', { name: 'flow_id' }) flowId: string;
  @Column('text', { name: 'node_id' }) nodeId: string;
  @Column('text') status: ReviewStatus;
  @Column('text') reason: string;
  @Column('text') owner: string;
  @Column('jsonb') facts: Record<string, unknown>;
  @Column('timestamptz', { nullable: true }) deadline: Date | null;
  @Column('text', { nullable: true }) decision: string | null;
  @Column('text', { nullable: true }) note: string | null;
  @Column('text', { name: 'decided_by', nullable: true }) decidedBy: string | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt: Date | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
