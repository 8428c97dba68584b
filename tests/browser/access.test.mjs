// A screen reader and the keyboard alone: the boxes say what the eye reads on them, Enter
// takes the keyboard from a box to its inspector, each edit's headline is said in a live
// region, and deleting what held the focus leaves it in the diagram, not on the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { tag: a?.tagName, id: a?.closest('[data-id]')?.dataset.id, label: a?.getAttribute('aria-label'), testid: a?.dataset?.testid };
});

test('a box says its numbers and badges, and Enter takes the keyboard to its inspector', async () => {
  const page = await openApp(browser, server.url);
  // The starter's balancer: its rate, its share busy, and its SPOF badge in words.
  const lb = page.locator('.node[data-id="lb"]');
  await page.waitForFunction(() => /single point of failure/.test(document.querySelector('.node[data-id="lb"]')?.getAttribute('aria-label') ?? ''));
  const label = await lb.getAttribute('aria-label');
  assert.match(label, /^Load balancer, .*\/s/, label);
  await lb.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Name'
    && document.activeElement.closest('[data-testid="inspector"]') != null);
  assert.equal(await page.locator('[data-testid="inspector"] input[aria-label="Name"]').inputValue(), 'Load balancer');
  assert.deepEqual(page.errors, []);
});

test('an edit is said in the live region, and a deleted component leaves the focus in the diagram', async () => {
  const page = await openApp(browser, server.url);
  const spoken = page.locator('[data-testid="spoken-results"]');
  assert.equal(await spoken.getAttribute('aria-live'), 'polite');
  const before = await spoken.textContent();
  assert.match(before, /^Throughput .*\/s, dropped .*, p99 .*\. Bottleneck: /, before);
  await page.locator('[data-testid="times10"]').click();
  await page.waitForFunction((b) => document.querySelector('[data-testid="spoken-results"]')?.textContent !== b, before);
  const said = await spoken.textContent();
  for (const [name, metric] of [['Throughput', 'throughput'], ['dropped', 'dropped'], ['p99', 'p99']]) {
    const shown = await page.locator(`[data-metric="${metric}"]`).textContent();
    assert.ok(said.includes(`${name} ${shown}`), `${said} (${name} ${shown})`);
  }
  // Delete a focused component with its key: the focus stays in the diagram.
  const app = page.locator('.node').first();
  const id = await app.getAttribute('data-id');
  await app.focus();
  await page.keyboard.press('Delete');
  await page.locator(`.node[data-id="${id}"]`).waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.matches('svg.canvas'));
  // Tab goes on to a component, not to the top of the page.
  await page.keyboard.press('Tab');
  const next = await focused(page);
  assert.ok(next.id, JSON.stringify(next));
  assert.deepEqual(page.errors, []);
});
