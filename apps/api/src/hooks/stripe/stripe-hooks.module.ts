import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventMatcher } from './event-matcher.service';
import { EventsController } from './events.controller';
import { StripeEvent } from './stripe-event.entity';
import { StripeHooksController } from './stripe-hooks.controller';
import { StripeHooksService } from './stripe-hooks.service';

@Module({
  imports: [TypeOrmModule.forFeature([StripeEvent])],
  controllers: [StripeHooksController, EventsController],
  providers: [StripeHooksService, EventMatcher],
  exports: [StripeHooksService, EventMatcher],
})
export class StripeHooksModule {}
