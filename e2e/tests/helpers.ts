import { expect, Page } from '@playwright/test';
import { E2E_ADMIN } from '../playwright.config';

export async function login(page: Page, who = E2E_ADMIN): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/flows/);
}

/** Calls the API with the page's session cookie, as the web app does. */
export async function apiPost<T>(page: Page, path: string, body: unknown): Promise<T> {
  const res = await page.request.post(path, { data: body, headers: { 'x-handoff-csrf': '1' } });
  expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}

export async function newFlow(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'New flow' }).first().click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}/);
  await expect(page.getByTestId('canvas')).toBeVisible();
  return page.url().split('/flows/')[1].split(/[?#]/)[0];
}

/** Drags a palette item onto the canvas at a position relative to the canvas. */
export async function dropNode(page: Page, type: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
}

/** Connects two handles with a real mouse drag, as a person would. */
export async function connect(page: Page, fromNode: string, port: string, toNode: string): Promise<void> {
  const from = page.getByTestId(`port-${fromNode}-${port}`);
  const to = page.getByTestId(`port-${toNode}-in`);
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

export async function selectNode(page: Page, id: string): Promise<void> {
  await page.getByTestId(`node-${id}`).click({ position: { x: 20, y: 12 } });
  await expect(page.getByTestId('config-panel')).toBeVisible();
}

/** Zooms the canvas so every step is in view (connecting near an edge auto-pans the canvas). */
export async function fitView(page: Page): Promise<void> {
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(300);
}
