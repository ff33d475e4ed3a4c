import { Module } from '@nestjs/common';
import { TriggersModule } from '../triggers/triggers.module';
import { StripeModule } from '../stripe/stripe.module';
import { EventMatcher } from './event-matcher.service';
import { ExpressionSandbox } from './sandbox/expression-sandbox';
import { OutboxModule } from '../outbox/outbox.module';
import { EffectsFactory } from './effects/effects.factory';
import { RetentionService } from './retention.service';
import { StepExecutor } from './step-executor.service';
import { WorkerService } from './worker.service';

@Module({
  imports: [OutboxModule, TriggersModule, StripeModule],
  providers: [ExpressionSandbox, EventMatcher, StepExecutor, EffectsFactory, WorkerService, RetentionService],
})
export class EngineModule {}
