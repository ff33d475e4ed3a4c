import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentUser, MinRole, type AuthUser } from '../auth/auth.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { StripeEndpointsService } from './stripe-endpoints.service';
import { StripeReconcileService } from './stripe-reconcile.service';

const endpointBody = z.object({ url: z.string().max(2000).optional() }).strict().default({});

@ApiTags('stripe')
@Controller('api/flows/:id/stripe')
export class StripeController {
  constructor(
    private readonly endpoints: StripeEndpointsService,
    private readonly reconciler: StripeReconcileService,
  ) {}

  @Post('endpoint')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create (or bring up to date) the Stripe webhook endpoint of this flow with the API key on its Stripe trigger; the signing secret becomes the trigger’s credential in the draft' })
  endpoint(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body(new ZodPipe(endpointBody)) body: z.infer<typeof endpointBody>) {
    return this.endpoints.ensure(user, id, body.url);
  }

  @Post('reconcile')
  @MinRole('editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check Stripe for events of this flow’s types from the last 3 days that never arrived, and ingest them: { checked, ingested, eventIds }' })
  reconcile(@Param('id', ParseUUIDPipe) id: string) {
    return this.reconciler.reconcile(id);
  }
}
