// A phone and a tablet, touch only: the one-column page scrolls with a swipe, a dialog
// taller than the phone closes, and two fingers on the canvas zoom it without moving what
// the second finger landed on. Touches are sent as Chromium's own (DevTools protocol).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, openApp, address, shot, centre, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function touchPage(width, height) {
  const text = await readFile(`${ROOT}/examples/closed-population.json`, 'utf8');
  const context = await browser.newContext({
    viewport: { width, height }, hasTouch: true, isMobile: true, deviceScaleFactor: 2,
  });
  const page = await openApp(browser, server.url, {
    hash: '#scenario=' + encodeURIComponent(text), context,
  });
  page.cdp = await context.newCDPSession(page);
  return page;
}

/** One or more fingers: `paths` holds each finger's points, moved along together. */
async function touch(page, paths, steps = 8) {
  const send = (type, points) => page.cdp.send('Input.dispatchTouchEvent', {
    type, touchPoints: points.map(([x, y], id) => ({ x, y, id })),
  });
  const at = (t) => paths.map(([[x0, y0], [x1, y1]]) => [x0 + (x1 - x0) * t, y0 + (y1 - y0) * t]);
  await send('touchStart', at(0));
  for (let i = 1; i <= steps; i++) await send('touchMove', at(i / steps));
  await send('touchEnd', []);
}

const zoom = (page) => page.evaluate(() => {
  const t = document.querySelector('.canvas g[transform]')?.getAttribute('transform') ?? '';
  return Number(/scale\(([\d.]+)\)/.exec(t)?.[1]);
});

test('on a phone the one-column page scrolls with a swipe to the numbers below the canvas', async () => {
  const page = await touchPage(390, 844);
  const results = page.locator('[data-testid="component-table"]');
  await results.waitFor({ state: 'attached' });
  assert.ok((await results.boundingBox()).y > 844, 'the table starts below the window');
  // A swipe up on the palette strip's heading (outside the canvas, which keeps its
  // touches for panning and dragging).
  const strip = await page.locator('.palette h2').boundingBox();
  const [x, y] = [strip.x + strip.width / 2, strip.y + strip.height / 2];
  await touch(page, [[[x, y], [x, 5]]], 12);
  await page.waitForFunction((far) => window.scrollY > far, y / 2);
  await shot(page, 'touch-phone-scrolled');
  assert.deepEqual(page.errors, []);
});

test('the shortcuts dialog taller than a phone scrolls inside itself and closes by touch', async () => {
  const page = await touchPage(390, 640);
  await page.getByRole('button', { name: 'Shortcuts' }).tap();
  const dialog = page.locator('.help');
  await dialog.waitFor();
  const box = await dialog.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 640 + 1, `the dialog fits: ${JSON.stringify(box)}`);
  const close = dialog.getByRole('button', { name: 'Close' });
  await close.scrollIntoViewIfNeeded();
  await close.tap();
  await dialog.waitFor({ state: 'detached' });
});

test('two fingers zoom the canvas about them and move no component', async () => {
  const page = await touchPage(820, 1180);
  const before = await zoom(page);
  const hash = await address(page);
  // The first finger on empty canvas, the second on a component: spread apart.
  const app = page.locator('.node[data-id="app"]');
  const { x: ax, y: ay } = await centre(app);
  const canvas = await page.locator('[data-testid="canvas"]').boundingBox();
  const first = [canvas.x + 20, ay];
  await page.cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: first[0], y: first[1], id: 0 }] });
  await page.cdp.send('Input.dispatchTouchEvent', {
    type: 'touchStart', touchPoints: [{ x: first[0], y: first[1], id: 0 }, { x: ax, y: ay, id: 1 }],
  });
  for (let i = 1; i <= 8; i++) {
    await page.cdp.send('Input.dispatchTouchEvent', {
      type: 'touchMove', touchPoints: [{ x: first[0], y: first[1], id: 0 }, { x: ax + 12 * i, y: ay, id: 1 }],
    });
  }
  await page.cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  const spread = (ax + 96 - first[0]) / (ax - first[0]);
  await page.waitForFunction(([z, k]) => {
    const t = document.querySelector('.canvas g[transform]')?.getAttribute('transform') ?? '';
    return Number(/scale\(([\d.]+)\)/.exec(t)?.[1]) > z * (1 + (k - 1) / 2);
  }, [before, spread]);
  const after = await zoom(page);
  assert.ok(Math.abs(after / before / spread - 1) < 0.02, `zoom ${before} → ${after}, spread ×${spread}`);
  // The design is as it was: the component under the second finger did not move.
  assert.equal(await address(page), hash);
  await shot(page, 'touch-tablet-pinched');
  assert.deepEqual(page.errors, []);
});

test('a finger a little off the small port still connects instead of moving the component', async () => {
  const page = await touchPage(820, 1180);
  await page.locator('.palette-item[data-kind="cache"]').tap();
  const cache = page.locator('.node[data-id="cache-1"]');
  await cache.waitFor();
  const port = await page.locator('.node[data-id="app"] circle.port').boundingBox();
  const before = await page.locator('.node[data-id="app"]').getAttribute('transform');
  // 7 px inside the box from the port's centre, to the middle of the cache.
  const from = [port.x + port.width / 2 - 7, port.y + port.height / 2 + 3];
  const { x, y } = await centre(cache);
  await touch(page, [[from, [x, y]]], 10);
  await page.locator('.canvas [data-link="app→cache-1"]').waitFor({ state: 'attached' });
  assert.equal(await page.locator('.node[data-id="app"]').getAttribute('transform'), before);
  assert.deepEqual(page.errors, []);
});
