import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('crm_contacts')
export class CrmContact {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { name: 'stripe_customer_id', nullable: true }) stripeCustomerId: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) name: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}
