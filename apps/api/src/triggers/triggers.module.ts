import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsController, HooksController } from './hooks.controller';
import { TRIGGER_ADAPTERS, TriggerAdapter } from './trigger-adapter';
import { TriggerEvent } from './trigger-event.entity';
import { triggerAdapters } from './triggers.registry';
import { TriggersService } from './triggers.service';
import { IngestBatcher } from './ingest-batcher';
import { ScheduleTrigger } from './schedule.trigger';
import { StripeTrigger } from './stripe.trigger';

@Module({
  imports: [TypeOrmModule.forFeature([TriggerEvent])],
  controllers: [HooksController, EventsController],
  providers: [
    ...triggerAdapters,
    { provide: TRIGGER_ADAPTERS, useFactory: (...adapters: TriggerAdapter[]) => adapters, inject: [...triggerAdapters] },
    TriggersService,
    IngestBatcher,
  ],
  exports: [TriggersService, ScheduleTrigger, StripeTrigger],
})
export class TriggersModule {}
