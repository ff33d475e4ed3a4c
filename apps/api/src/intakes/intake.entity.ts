import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type IntakeStatus = 'sent' | 'opened' | 'submitted' | 'expired';

export interface IntakeFieldDef {
  name: string;
  label: string;
  required: boolean;
}

@Entity('intakes')
export class Intake {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** SHA-256 of the link token; the token itself is only in the link. */
  @Column('bytea', { name: 'token_hash', select: false }) tokenHash: Buffer;
  @Column('uuid', { name: 'contact_id', nullable: true }) contactId: string | null;
  @Column('uuid', { name: 'deal_id', nullable: true }) dealId: string | null;
  @Column('uuid', { name: 'run_id', nullable: true }) runId: string | null;
  @Column('text', { name: 'node_id', nullable: true }) nodeId: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) name: string | null;
  @Column('text') status: IntakeStatus;
  @Column('jsonb') fields: IntakeFieldDef[];
  @Column('jsonb', { nullable: true }) answers: Record<string, string> | null;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'opened_at', nullable: true }) openedAt: Date | null;
  @Column('timestamptz', { name: 'submitted_at', nullable: true }) submittedAt: Date | null;
}
