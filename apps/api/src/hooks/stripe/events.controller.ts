import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { StripeHooksService } from './stripe-hooks.service';

@ApiTags('webhooks')
@Controller('api/events')
export class EventsController {
  constructor(private readonly hooks: StripeHooksService) {}

  /** Received Stripe events (viewer role): `{ items, nextCursor }`, newest first, duplicates counted per event. */
  @Get()
  list(@Query('flowId') flowId?: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    return this.hooks.list({ flowId, cursor, limit: limit ? Number(limit) || 50 : undefined });
  }
}
