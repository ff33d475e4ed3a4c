import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FlowDocument } from '@handoff/nodes';

/** Immutable: a run is pinned to one of these, so publishing never changes a running run. */
@Entity('flow_versions')
export class FlowVersion {
  @PrimaryColumn('uuid', { name: 'flow_id' }) flowId: string;
  @PrimaryColumn('integer') version: number;
  @Column('jsonb') document: FlowDocument;
  @Column('text', { nullable: true }) note: string | null;
  @Column('uuid', { name: 'published_by', nullable: true }) publishedBy: string | null;
  @Column('timestamptz', { name: 'published_at', default: () => 'now()' }) publishedAt: Date;
}
