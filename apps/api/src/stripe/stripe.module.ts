import { Module } from '@nestjs/common';
import { TriggersModule } from '../triggers/triggers.module';
import { StripeController } from './stripe.controller';
import { StripeEndpointsService } from './stripe-endpoints.service';
import { StripeReconcileService } from './stripe-reconcile.service';

/** Acting on Stripe beyond steps: webhook endpoint set-up and reconciliation of missed events. */
@Module({
  imports: [TriggersModule],
  controllers: [StripeController],
  providers: [StripeEndpointsService, StripeReconcileService],
  exports: [StripeReconcileService],
})
export class StripeModule {}
