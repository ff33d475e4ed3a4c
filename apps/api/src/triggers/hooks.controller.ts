import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { TriggersService } from './triggers.service';

/** Every trigger route: `POST /hooks/<hook>/:flowId`, the hook being the trigger's (stripe, webhook...). */
@ApiTags('webhooks')
@Controller('hooks')
export class HooksController {
  constructor(private readonly triggers: TriggersService) {}

  /** The body arrives as the raw bytes the sender signed (express.raw on /hooks, 1 MiB limit). */
  @Public()
  @Post(':hook/:flowId')
  @HttpCode(200)
  @ApiConsumes('application/json')
  @ApiOperation({
    summary: 'Webhook endpoint of one flow: /hooks/stripe/:flowId (Stripe-Signature) or /hooks/webhook/:flowId (x-handoff-signature)',
    description:
      '200 { received, duplicate: false, runId } | { received, duplicate: true } | { received, ignored: true } | { received, held: true }; 400 bad signature or payload; 404 unknown flow; 413 body over 1 MiB.',
  })
  receive(@Param('hook') hook: string, @Param('flowId') flowId: string, @Body() body: unknown, @Headers() headers: Record<string, string | string[] | undefined>) {
    return this.triggers.receive(hook, { flowId, rawBody: Buffer.isBuffer(body) ? body : Buffer.alloc(0), headers });
  }
}

@ApiTags('webhooks')
@Controller('api/events')
export class EventsController {
  constructor(private readonly triggers: TriggersService) {}

  /** Received trigger events (viewer role): `{ items, nextCursor }`, newest first, duplicates counted per event. */
  @Get()
  list(@Query('flowId') flowId?: string, @Query('cursor') cursor?: string, @Query('limit') limit?: string) {
    return this.triggers.list({ flowId, cursor, limit: limit ? Number(limit) || 50 : undefined });
  }
}
