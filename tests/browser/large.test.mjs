// A large design draws what is in and near the view, and moving the view draws what comes
// into it: a 400-component column opened from a link, read and moved as a person would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, openApp, shot } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// Users, a balancer and 398 app servers in one column 48 000 units tall: fitting it to the
// page stops at the least zoom, which shows about a sixth of it.
const apps = Array.from({ length: 398 }, (_, i) => `app-${i}`);
const design = {
  version: 9, name: 'column',
  traffic: { rps: 1000, read: 1, write: 0, static: 0 },
  components: [
    { id: 'users', kind: 'client', label: 'Users', x: 0, y: 0 },
    { id: 'lb', kind: 'load_balancer', label: 'LB', x: 0, y: 120 },
    ...apps.map((id, i) => ({ id, kind: 'app_server', label: id, x: 0, y: 240 + 120 * i })),
  ],
  links: [{ from: 'users', to: 'lb' }, ...apps.map((to) => ({ from: 'lb', to }))],
};

const drawn = (page) => page.evaluate(() => document.querySelectorAll('.canvas .node').length);

test('a large design draws the components in and near the view, and what the view moves to', async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(design)) });
  // Opened fitted: the middle of the column is in view, its ends are not.
  await page.waitForFunction(() => {
    const n = document.querySelectorAll('.canvas .node').length;
    return n > 0 && n < 400;
  });
  await page.locator('.node[data-id="app-199"]').waitFor({ state: 'attached' });
  assert.equal(await page.locator('.node[data-id="users"]').count(), 0);
  const middle = await drawn(page);
  assert.ok(middle >= 60 && middle < 250, `${middle} boxes drawn`);
  // The numbers are the whole design's: every component is in the table.
  await page.locator('[data-testid="component-table"] tr[data-id="users"]').waitFor({ state: 'attached' });
  await shot(page, 'large-middle');

  // A click at the top of the overview moves the view there: the users are drawn, the
  // middle is not.
  await page.locator('svg.minimap').click({ position: { x: 1, y: 2 } });
  await page.locator('.node[data-id="users"]').waitFor({ state: 'attached' });
  await page.locator('.node[data-id="app-199"]').waitFor({ state: 'detached' });
  // Its link to the balancer is drawn with it.
  assert.equal(await page.locator('.canvas [data-link="users→lb"]').count(), 1);
  await shot(page, 'large-top');

  // A selected component stays drawn wherever the view is: select the users, go back.
  await page.locator('.node[data-id="users"]').click();
  await page.locator('svg.minimap').click({ position: { x: 1, y: 60 } });
  await page.locator('.node[data-id="app-199"]').waitFor({ state: 'attached' });
  assert.equal(await page.locator('.node[data-id="users"]').count(), 1);
  assert.deepEqual(page.errors, []);
});

test('an exported picture of a large design holds all of it, and the view draws its part again', async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(design)) });
  await page.waitForFunction(() => {
    const n = document.querySelectorAll('.canvas .node').length;
    return n > 0 && n < 400;
  });
  await page.locator('[data-testid="file-menu"] summary').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.menu-item', { hasText: 'Export SVG' }).click(),
  ]);
  const svg = await readFile(await download.path(), 'utf8');
  const boxes = svg.match(/<g [^>]*\bdata-id="[^"]+"[^>]*\bclass="node\b/g) ?? [];
  assert.equal(boxes.length, 400);
  assert.match(svg, /data-link="users→lb"/);
  await page.waitForFunction(() => document.querySelectorAll('.canvas .node').length < 400);
  assert.deepEqual(page.errors, []);
});
