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
