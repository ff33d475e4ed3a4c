import { Module } from '@nestjs/common';
import { StripeHooksModule } from '../hooks/stripe/stripe-hooks.module';
import { OutboxModule } from '../outbox/outbox.module';
import { EffectsFactory } from './effects/effects.factory';
import { RetentionService } from './retention.service';
import { StepExecutor } from './step-executor.service';
import { WorkerService } from './worker.service';

@Module({
  imports: [OutboxModule, StripeHooksModule],
  providers: [StepExecutor, EffectsFactory, WorkerService, RetentionService],
})
export class EngineModule {}
