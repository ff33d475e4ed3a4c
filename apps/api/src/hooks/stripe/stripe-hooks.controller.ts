import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth/auth.decorators';
import { StripeHooksService } from './stripe-hooks.service';

@ApiTags('webhooks')
@Controller('hooks/stripe')
export class StripeHooksController {
  constructor(private readonly hooks: StripeHooksService) {}

  /** The body arrives as the raw bytes Stripe signed (express.raw on /hooks, 1 MiB limit). */
  @Public()
  @Post(':flowId')
  @HttpCode(200)
  @ApiConsumes('application/json')
  @ApiOperation({
    summary: 'Stripe webhook endpoint of one flow',
    description:
      '200 { received, duplicate: false, runId } | { received, duplicate: true } | { received, ignored: true } | { received, held: true }; 400 bad signature or payload; 404 unknown flow; 413 body over 1 MiB.',
  })
  receive(@Param('flowId') flowId: string, @Body() body: unknown, @Headers('stripe-signature') signature: string | undefined) {
    return this.hooks.receive(flowId, body, signature);
  }
}
