import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One column of the pipeline; seeded by the migration, ordered by `position`. */
@Entity('crm_stages')
export class CrmStage {
  @PrimaryColumn('text') key: string;
  @Column('text') label: string;
  @Column('integer') position: number;
  /** A closed stage (lost) ends the deal: the next payment for the same contact and product opens a new one. */
  @Column('boolean') closed: boolean;
}
