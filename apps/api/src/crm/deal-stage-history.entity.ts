import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type StageChangeBy = 'run' | 'user' | 'client';

@Entity('deal_stage_history')
export class DealStageHistory {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'deal_id' }) dealId: string;
  @Column('text', { name: 'from_stage', nullable: true }) fromStage: string | null;
  @Column('text', { name: 'to_stage' }) toStage: string;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
  @Column('text', { name: 'by_type' }) byType: StageChangeBy;
  /** The run id, the user's e-mail, or the intake id. */
  @Column('text') by: string;
}
