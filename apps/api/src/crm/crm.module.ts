import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { CrmContact } from './crm-contact.entity';
import { CrmDeal } from './crm-deal.entity';
import { CrmStage } from './crm-stage.entity';
import { CrmController } from './crm.controller';
import { CrmService } from './crm.service';
import { DealStageHistory } from './deal-stage-history.entity';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

@Module({
  imports: [TypeOrmModule.forFeature([CrmStage, CrmContact, CrmDeal, DealStageHistory]), AuthModule],
  controllers: [CrmController, TasksController],
  providers: [CrmService, TasksService],
})
export class CrmModule {}
