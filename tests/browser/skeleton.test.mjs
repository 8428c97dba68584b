// The page loads the default scenario, shows its numbers, and accepts a palette drag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, shot, centre, drag } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('the default scenario loads without console errors', async () => {
  const page = await openApp(browser, server.url);
  for (const id of ['users', 'lb', 'app-1', 'app-2', 'db']) {
    assert.equal(await page.locator(`.node[data-id="${id}"]`).count(), 1, `node ${id}`);
  }
  // The results panel shows the arrival rate of each component: 200 req/s split over two apps.
  const row = page.locator('[data-testid="component-table"] tr[data-id="app-1"] [data-col="arrival"]');
  assert.equal(await row.textContent(), '100');
  // Every name fits its box whole: none is cut short, none runs past the output port.
  for (const id of ['users', 'lb', 'app-1', 'app-2', 'db']) {
    const node = page.locator(`.node[data-id="${id}"]`);
    const label = node.locator('.node-label');
    assert.doesNotMatch(await label.textContent(), /…/, id);
    const [text, port] = [await label.boundingBox(), await node.locator('.port').boundingBox()];
    assert.ok(text.x + text.width <= port.x, `${id}: the name runs into the port`);
  }
  await shot(page, 'default');
  await shot(await openApp(browser, server.url, { width: 1920, height: 1080, dark: true }), 'default-dark-1080p');
  assert.deepEqual(page.errors, []);
});

test('a component dragged from the palette appears on the canvas', async () => {
  const page = await openApp(browser, server.url);
  const from = await centre(page.locator('.palette-item[data-kind="cache"]'));
  const canvas = await page.locator('[data-testid="canvas"]').boundingBox();
  const to = { x: canvas.x + canvas.width * 0.5, y: canvas.y + canvas.height - 120 };
  await drag(page, from, to);
  const node = page.locator('.node[data-id="cache-1"]');
  await node.waitFor();
  const box = await node.boundingBox();
  // Dropped where the pointer was (within the grid snap of 20 px).
  assert.ok(Math.abs(box.x + box.width / 2 - to.x) <= 20, `x ${box.x}`);
  assert.ok(Math.abs(box.y + box.height / 2 - to.y) <= 20, `y ${box.y}`);
  await shot(page, 'after-palette-drag');
  assert.deepEqual(page.errors, []);
});
