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

test('without the panels chunk the editor and its numbers still work, one notice says so, and Try again brings the panels and the explanation asked for', async () => {
  // The panels below the results come in a Wasm chunk fetched after the first render
  // (src/web/deferred.rs). If it cannot be fetched, the rest of the page carries on.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  let asked = 0;
  let offline = true;
  await context.route(/_split_\w+\.wasm$/, (route) => {
    asked += 1;
    return offline ? route.abort() : route.continue();
  });
  const page = await context.newPage();
  const crashed = [];
  page.on('pageerror', (e) => crashed.push(String(e)));
  await page.goto(server.url);
  await page.waitForSelector('[data-testid="canvas"] .node');
  const notice = page.locator('[data-testid="panel-unavailable"]');
  await notice.waitFor();
  assert.equal(await notice.count(), 1, 'said once');
  assert.equal(asked, 1, 'fetched once');
  assert.match(await notice.textContent(), /could not be loaded.*Your design and its numbers above are unaffected/);
  assert.equal(await page.locator('[data-testid="failures"]').count(), 0);
  // The live numbers are there and follow an edit.
  const arrival = page.locator('[data-testid="component-table"] tr[data-id="app-1"] [data-col="arrival"]');
  assert.equal(await arrival.textContent(), '100');
  await page.locator('[data-testid="rps"]').fill('400');
  await page.locator('[data-testid="rps"]').press('Enter');
  await page.waitForFunction(() => document.querySelector(
    '[data-testid="component-table"] tr[data-id="app-1"] [data-col="arrival"]')?.textContent === '200');
  // An explanation comes with the chunk: clicking a figure opens nothing yet, and breaks nothing.
  await page.locator('[data-testid="results"] [data-figure="MeanLatency"]').click();
  assert.equal(await page.locator('[data-testid="explanation"]').count(), 0);
  // The shortcut list is in the first load: it opens all the same.
  await page.locator('.node[data-id="lb"]').focus();
  await page.keyboard.press('?');
  await page.locator('.help').waitFor();
  await page.keyboard.press('Escape');
  // The network is back: one retry brings every panel, and the notice goes.
  offline = false;
  await page.locator('[data-testid="panel-retry"]').click();
  await page.locator('[data-testid="failures"][data-state="ready"]').waitFor();
  for (const id of ['baseline', 'simulation', 'planner']) {
    assert.equal(await page.locator(`[data-testid="${id}"]`).count(), 1, id);
  }
  assert.equal(await notice.count(), 0);
  // The explanation asked for while the chunk was missing shows once it is there.
  await page.locator('[data-testid="explanation"] .explained[data-formula="MeanSum"]').waitFor();
  assert.equal(await page.locator('#fatal.visible').count(), 0, 'no fatal error');
  assert.deepEqual(crashed, []);
  await context.close();
});
