import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Credential } from '../credentials/credential.entity';
import { TriggersModule } from '../triggers/triggers.module';
import { FlowVersion } from './flow-version.entity';
import { Flow } from './flow.entity';
import { FlowsController } from './flows.controller';
import { FlowsService } from './flows.service';
import { TestRunsController } from './test-runs.controller';
import { TestRunsService } from './test-runs.service';

@Module({
  imports: [TypeOrmModule.forFeature([Flow, FlowVersion, Credential]), TriggersModule],
  controllers: [FlowsController, TestRunsController],
  providers: [FlowsService, TestRunsService],
  exports: [FlowsService],
})
export class FlowsModule {}
