import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A run that writes a deal for a Stripe payment finds the deal that recorded the payment first
 * (`stripe.paymentIntentId`, upsertDeal): a refund tags the deal its payment made.
 */
export class DealPayment1765400000000 implements MigrationInterface {
  name = 'DealPayment1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX crm_deals_payment_intent_idx ON crm_deals ((stripe ->> 'paymentIntentId')) WHERE stripe ? 'paymentIntentId'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX crm_deals_payment_intent_idx`);
  }
}
