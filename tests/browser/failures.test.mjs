// Failure analysis in the page: SPOF badges without clicking anything, failing a component
// from the inspector, the N−1 table, and undo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, shot } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const node = (page, id) => page.locator(`.node[data-id="${id}"]`);
const metric = (page, name) => page.locator(`[data-metric="${name}"]`);

test('SPOFs are marked on the diagram and explained', async () => {
  const page = await openApp(browser, server.url);
  const list = page.locator('[data-testid="spof-list"]');
  await list.waitFor();
  // The starter at 200 req/s: one balancer, one database, and two app servers each of which
  // could not carry the other's share alone.
  for (const id of ['lb', 'db', 'app-1', 'app-2']) {
    await node(page, id).locator('.badge.spof').waitFor();
  }
  assert.match(await list.locator('li[data-id="lb"]').textContent(), /only path from the clients to/);
  assert.match(await list.locator('li[data-id="app-1"]').textContent(), /receives 200 req\/s but can serve 160/);
  await shot(page, 'spofs');
  assert.deepEqual(page.errors, []);
});

test('failing a component updates every number, and undo brings it back', async () => {
  const page = await openApp(browser, server.url);
  await node(page, 'app-2').click();
  await page.locator('[data-testid="fail"]').click();
  await page.waitForFunction(() => document.querySelector('.node[data-id="app-2"]')?.classList.contains('failed'));
  // The balancer sends everything to app-1, which can serve 160 of the 200 req/s.
  await page.waitForFunction(() => document.querySelector('[data-metric="dropped"]')?.textContent === '40/s');
  assert.equal(await page.locator('[data-testid="component-table"] tr[data-id="app-1"] [data-col="arrival"]').textContent(), '200');
  await shot(page, 'failed-app');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => !document.querySelector('.node[data-id="app-2"]')?.classList.contains('failed'));
  assert.equal(await metric(page, 'dropped').textContent(), '0/s');
  // The N−1 table ranks the database first: losing it drops everything. A click shows it.
  const first = page.locator('[data-testid="n-minus-1"] tbody tr').first();
  await first.waitFor();
  assert.equal(await first.getAttribute('data-id'), 'db');
  await first.click();
  await page.waitForFunction(() => document.querySelector('.node[data-id="db"]')?.classList.contains('failed'));
  assert.equal(await metric(page, 'dropped').textContent(), '200/s');
  assert.deepEqual(page.errors, []);
});
