import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('credentials')
export class Credential {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') type: string;
  @Column('text') name: string;
  @Column('bytea', { select: false }) ciphertext: Buffer;
  @Column('bytea', { select: false }) iv: Buffer;
  @Column('bytea', { name: 'auth_tag', select: false }) authTag: Buffer;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
