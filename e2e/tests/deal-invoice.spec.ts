import { expect, Page, test } from '@playwright/test';
// The API's own Stripe fake (no Nest in it), driven by the server through the real stripe SDK.
import { FakeStripe, type Invoice } from '../../apps/api/test/fake-stripe';
import { apiPost, login, selectNode } from './helpers';

interface DealView {
  id: string;
  stage: string;
  stripe: { customerId: string | null; invoiceId: string | null; invoiceUrl: string | null; paymentStatus: string | null };
}

const API_KEY_NAME = 'Stripe test (fake)';

let fake: FakeStripe;
// Shared by the two steps of the story: the deal the first creates, and its invoice.
let dealId = '';
let invoice: Invoice;

test.beforeAll(async () => {
  fake = await new FakeStripe().start();
});
test.afterAll(async () => {
  await fake?.stop();
});

async function fromTemplate(page: Page, name: string): Promise<string> {
  await page.getByTestId('nav-flows').click();
  await page.getByTestId('new-from-template').selectOption({ label: name });
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}/);
  await expect(page.getByTestId('canvas')).toBeVisible();
  return page.url().split('/flows/')[1].split(/[?#]/)[0];
}

async function publish(page: Page, note: string): Promise<void> {
  await page.getByTestId('publish').click();
  await page.getByTestId('publish-note').fill(note);
  await page.getByTestId('publish-confirm').click();
  await expect(page.getByText(/Published version \d+/).first()).toBeVisible();
}

/** The deal as the API has it, once `ready` holds (flows write to it in the background). */
async function dealWhen(page: Page, ready: (d: DealView) => boolean): Promise<DealView> {
  let deal: DealView | undefined;
  await expect
    .poll(
      async () => {
        const res = await page.request.get(`/api/crm/deals/${dealId}`);
        deal = res.ok() ? ((await res.json()) as DealView) : undefined;
        return deal !== undefined && ready(deal);
      },
      { timeout: 30_000, intervals: [250, 500, 1000] },
    )
    .toBe(true);
  return deal!;
}

test.describe.serial('deals and Stripe invoices', () => {
  test('a new deal gets its Stripe invoice from the "Deal to Stripe invoice" template, linked on its board card as open', async ({ page }) => {
    test.setTimeout(120_000);
    await login(page);
    await fromTemplate(page, 'Deal to Stripe invoice');

    // The invoice step needs a Stripe API key: added through the form drawn from the credential's schema.
    await selectNode(page, 'invoice');
    await page.getByTestId('config-credential-add').click();
    const form = page.getByTestId('credential-form');
    await form.getByTestId('credential-name').fill(API_KEY_NAME);
    await form.getByTestId('config-secret-secretKey').fill('sk_test_e2e');
    await form.getByTestId('config-secret-apiBase').fill(fake.url);
    await form.getByTestId('credential-save').click();
    await expect(form).toHaveCount(0);
    await expect(page.getByTestId('config-credential').locator('option:checked')).toHaveText(API_KEY_NAME);
    await expect(page.getByTestId('node-problem-invoice')).toHaveCount(0);

    await page.getByTestId('save').click();
    await expect(page.getByTestId('save-state')).toContainText(/saved/i);
    await publish(page, 'Invoice every new deal');

    // The board has no create form yet: the deal comes in through the API, with this session.
    const email = `invoice-${Date.now()}@example.com`;
    const created = await apiPost<{ id: string }>(page, '/api/crm/deals', {
      title: 'Acme rollout',
      contact: { email, name: 'Ada Acme' },
      stage: 'proposal',
      amount: 120000,
      currency: 'usd',
      product: 'Onboarding package',
      recordType: 'nonprofit',
    });
    dealId = created.id;

    // The run made one invoice in (fake) Stripe for this deal, and wrote it back on the deal.
    const deal = await dealWhen(page, (d) => !!d.stripe.invoiceUrl);
    const invoices = [...fake.invoices.values()].filter((i) => i.metadata.handoff_deal_id === dealId);
    expect(invoices).toHaveLength(1);
    invoice = invoices[0];
    expect(invoice).toMatchObject({ status: 'open', amount_due: 120000, customer_email: email });
    expect(deal.stripe).toEqual({ customerId: invoice.customer, invoiceId: invoice.id, invoiceUrl: invoice.hosted_invoice_url, paymentStatus: 'open' });

    await page.getByTestId('nav-board').click();
    const card = page.getByTestId(`deal-${dealId}`);
    await expect(card).toBeVisible();
    await expect(card).toContainText('Acme rollout');
    await expect(card).toContainText('Ada Acme');
    await expect(card.getByTestId('deal-record-type')).toHaveText('Nonprofit');
    const link = card.getByTestId('deal-invoice-link');
    await expect(link).toHaveAttribute('href', invoice.hosted_invoice_url!);
    await expect(link).toHaveAttribute('target', '_blank');
    const status = card.getByTestId('deal-payment-status');
    await expect(status).toHaveText('Open');
    await expect(status).toHaveAttribute('data-status', 'open');
    await expect(status).toHaveClass(/badge-info/);
    await card.screenshot({ path: 'e2e/artifacts/deal-invoice-card.png' });
    await page.screenshot({ path: 'e2e/artifacts/deal-invoice-board.png' });

    // It opens Stripe's hosted invoice page in a new tab.
    const [tab] = await Promise.all([page.waitForEvent('popup'), link.click()]);
    await expect.poll(() => tab.url()).toBe(invoice.hosted_invoice_url);
    await tab.close();
  });

  test('a Stripe trigger with an API key creates its endpoint in Stripe, and fetches the invoice.paid Stripe never delivered', async ({ page }) => {
    test.setTimeout(120_000);
    expect(invoice, 'needs the invoice of the first test').toBeDefined();
    await login(page);
    const flowId = await fromTemplate(page, 'Invoice payments update the deal');

    await selectNode(page, 'payment');
    await expect(page.getByTestId('hook-setup')).toHaveCount(0);
    await page.getByTestId('config-apiKey').selectOption({ label: API_KEY_NAME });
    const setup = page.getByTestId('hook-setup');
    await expect(setup).toBeVisible();
    await expect(page.getByTestId('save-state')).toHaveText('Unsaved changes');

    // Saves the unsaved key first, then registers the URL shown above for the trigger's events.
    const url = (await page.getByTestId('webhook-url').textContent())!;
    await setup.getByTestId('hook-endpoint-create').click();
    const result = setup.getByTestId('hook-setup-result');
    await expect(result).toHaveText(/^Created endpoint we_\w+ for 2 events; its signing secret is now on this trigger\. Publish to go live\.$/);
    const endpoints = [...fake.webhookEndpoints.values()];
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).toMatchObject({ url, enabled_events: expect.arrayContaining(['invoice.paid', 'invoice.payment_failed']) });
    expect(url).toMatch(new RegExp(`/hooks/stripe/${flowId}$`));

    // The draft was reloaded: the new signing secret is on the trigger, and nothing is left unsaved.
    await expect(page.getByTestId('config-signingSecret').locator('option:checked')).toHaveText(new RegExp(`^Stripe endpoint ${endpoints[0].id}`));
    await expect(page.getByTestId('config-panel')).toBeVisible();
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
    await expect(page.getByTestId('node-problem-payment')).toHaveCount(0);
    await setup.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'e2e/artifacts/stripe-trigger-setup.png' });
    await page.getByTestId('config-signingSecret').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'e2e/artifacts/stripe-trigger-signing-secret.png' });

    // Again: the same endpoint, found by its URL.
    await setup.getByTestId('hook-endpoint-create').click();
    await expect(result).toHaveText(`Endpoint ${endpoints[0].id} was already there; events brought up to date.`);
    expect(fake.webhookEndpoints.size).toBe(1);

    // Reconciliation reads the published flow: before publishing, the server says so.
    await setup.getByTestId('hook-reconcile').click();
    await expect(setup.getByTestId('hook-setup-error')).toContainText(/Publish the flow with a Stripe trigger first/);
    await setup.screenshot({ path: 'e2e/artifacts/stripe-trigger-error.png' });
    await publish(page, 'Payment status on the board');

    // The client pays; the fake records invoice.paid but delivers nothing, like an endpoint that was down.
    fake.payInvoice(invoice.id);
    await setup.getByTestId('hook-reconcile').click();
    await expect(result).toHaveText('Checked 1 event, ingested 1.');
    await expect(setup.getByTestId('hook-setup-error')).toHaveCount(0);
    await setup.screenshot({ path: 'e2e/artifacts/stripe-trigger-reconcile.png' });
    await setup.getByTestId('hook-reconcile').click();
    await expect(result).toHaveText('Checked 1 event, ingested 0.');

    // The ingested event ran the flow: the card shows the invoice paid, in Paid / won.
    await dealWhen(page, (d) => d.stripe.paymentStatus === 'paid');
    await page.getByTestId('nav-board').click();
    const card = page.getByTestId('board-col-paid_won').getByTestId(`deal-${dealId}`);
    await expect(card.getByTestId('deal-payment-status')).toHaveText('Paid');
    await expect(card.getByTestId('deal-payment-status')).toHaveClass(/badge-success/);
    await expect(card.getByTestId('deal-invoice-link')).toHaveAttribute('href', invoice.hosted_invoice_url!);
    await card.screenshot({ path: 'e2e/artifacts/deal-paid-card.png' });
  });
});
