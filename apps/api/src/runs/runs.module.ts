import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { FlowDataController } from './flow-data.controller';
import { FlowDataService } from './flow-data.service';
import { Run } from './run.entity';
import { RunsController } from './runs.controller';
import { RunsService } from './runs.service';
import { Step } from './step.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Run, Step]), AuthModule],
  controllers: [RunsController, FlowDataController],
  providers: [RunsService, FlowDataService],
})
export class RunsModule {}
