import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('crm_deals')
export class CrmDeal {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'contact_id' }) contactId: string;
  @Column('text') stage: string;
  @Column('boolean') closed: boolean;
  /** Minor units (cents); bigint, so TypeORM hands it over as a string. */
  @Column('bigint', { nullable: true }) amount: string | null;
  @Column('text', { nullable: true }) currency: string | null;
  @Column('text', { nullable: true }) product: string | null;
  @Column('jsonb') fields: Record<string, string>;
  @Column('uuid', { name: 'run_id', nullable: true }) runId: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}
