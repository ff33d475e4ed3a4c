import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('audit_log')
export class AuditEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text', { name: 'actor_email', nullable: true }) actorEmail: string | null;
  @Column('text') action: string;
  @Column('text', { name: 'target_type', nullable: true }) targetType: string | null;
  @Column('text', { name: 'target_id', nullable: true }) targetId: string | null;
  @Column('jsonb') detail: Record<string, unknown>;
}
