import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../playwright.config';

test('an admin logs in and sees the flow list', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await page.getByTestId('login-email').fill(E2E_ADMIN.email);
  await page.getByTestId('login-password').fill(E2E_ADMIN.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/flows/);
  await expect(page.getByRole('heading', { name: 'Flows', exact: true })).toBeVisible();
  await expect(page.getByText(E2E_ADMIN.email)).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/flow-list.png' });
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(E2E_ADMIN.email);
  await page.getByTestId('login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByRole('alert')).toContainText(/don.t match/);
  await expect(page).toHaveURL(/\/login/);
});

test('a new flow from the payment-to-onboarding template opens in the editor, needing only its signing secret', async ({ page }) => {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(E2E_ADMIN.email);
  await page.getByTestId('login-password').fill(E2E_ADMIN.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/flows/);
  await page.getByTestId('new-from-template').selectOption('payment-to-onboarding');
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}/);
  await expect(page.locator('[data-testid^="node-"][data-node-type="stripe.trigger"]')).toBeVisible();
  // The checks cover every step, in view or not: only the signing secret is missing.
  await expect(page.getByTestId('overview-panel')).toContainText('1 to fix before publishing');
  await expect(page.locator('[data-testid^="node-problem-"]')).toHaveCount(1);
  await expect(page.locator('[data-testid^="node-problem-"]')).toContainText(/signing secret/i);
  // Opened at a readable zoom, the flow's last column is right of the view with both panels open;
  // with them closed the whole flow fits.
  await page.getByTestId('palette-toggle').click();
  await page.getByTestId('side-panel-toggle').click();
  await page.getByTestId('fit-view').click();
  await expect(page.locator('[data-testid^="node-"][data-node-type="intake.start"]')).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/template.png' });
});
