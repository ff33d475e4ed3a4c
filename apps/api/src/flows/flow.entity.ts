import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { FlowDocument } from '@handoff/nodes';

export type FlowStatus = 'draft' | 'active' | 'paused';

@Entity('flows')
export class Flow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('jsonb') draft: FlowDocument;
  @Column('text') status: FlowStatus;
  @Column('integer', { name: 'published_version', nullable: true }) publishedVersion: number | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
