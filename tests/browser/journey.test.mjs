// The journey in the page: start, step to the next stage with a before/after comparison,
// and ask why the design breaks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, shot } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('walk from one server to the next stage and see why it breaks', async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="journey-start"]').click();
  await page.locator('[data-testid="lesson"]').waitFor();
  await page.locator('.node[data-id="web"]').waitFor();
  assert.match(await page.locator('[data-testid="journey"] h3').textContent(), /Single server/);
  await page.locator('[data-testid="next-stage"]').click();
  await page.locator('.node[data-id="db"]').waitFor();
  const compare = page.locator('[data-testid="compare"]');
  await compare.waitFor();
  // Before: the single server at Day 30; after: web and database apart.
  assert.match(await compare.innerText(), /SPOFs\s+1\s+2/);
  await page.locator('[data-testid="why"]').click();
  await page.locator('[data-testid="notice"]').filter({ hasText: 'web saturates first' }).waitFor();
  await page.waitForFunction(() => document.querySelector('.node[data-id="web"]')?.classList.contains('selected'));
  await shot(page, 'journey');
  // The previous design is one undo away.
  await page.keyboard.press('Control+z');
  await page.locator('.node[data-id="db"]').waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
});

test('the capacity planner finds counts for a target and applies them', async () => {
  const page = await openApp(browser, server.url);
  const set = async (key, value) => {
    await page.locator(`[data-plan="${key}"]`).fill(String(value));
    await page.locator(`[data-plan="${key}"]`).press('Tab');
  };
  await set('rps', 2000);
  await set('p99', 400);
  await set('availability', 99.5);
  await page.locator('[data-testid="plan"]').click();
  const result = page.locator('[data-testid="plan-result"]');
  await result.waitFor();
  assert.match(await result.textContent(), /^Met: p99/);
  await page.locator('[data-testid="apply-plan"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="rps"]')?.value === '2000');
  assert.equal(await page.locator('[data-metric="dropped"]').textContent(), '0/s');
  // An impossible target says why.
  await set('p99', 60);
  await page.locator('[data-testid="plan"]').click();
  await page.locator('[data-testid="plan-result"]').filter({ hasText: 'No instance count can' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('a stage opens from a link', async () => {
  const page = await openApp(browser, server.url, { hash: '#stage=cache' });
  await page.locator('.node[data-id="cache"]').waitFor();
  assert.equal(await page.locator('[data-testid="users"] summary').textContent(), '300k users');
  const bad = await openApp(browser, server.url, { hash: '#stage=nope' });
  await bad.locator('[data-testid="notice"]').filter({ hasText: 'no journey stage "nope"' }).waitFor();
  assert.deepEqual(page.errors, []);
});
