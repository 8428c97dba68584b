// Long work runs in the page's Web Workers; where a worker cannot run, the page does the
// same work itself, in slices, with the same numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, workers } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Runs the simulation and reads the figures the results carry. */
async function run(page) {
  await page.locator('[data-testid="simulation"]').scrollIntoViewIfNeeded();
  await page.locator('[data-testid="run"]').click();
  const results = page.locator('[data-testid="sim-results"]');
  await results.waitFor({ timeout: 60_000 });
  return { events: await results.getAttribute('data-events'), p99: await results.getAttribute('data-p99') };
}

/** The failure panel's SPOFs and N−1 rows, as the page shows them. */
async function failures(page) {
  return page.locator('[data-testid="failures"][data-state="ready"]').innerText();
}

test('the run and the failure analysis come from workers, and match the page doing them itself', async () => {
  const page = await openApp(browser, server.url);
  assert.ok(workers(page).some((u) => u.endsWith('/archsim-worker_loader.js')), 'a worker ran the failure analysis');
  const inWorkers = { run: await run(page), failures: await failures(page) };

  // A browser without workers: the same design, the same numbers.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => { delete window.Worker; });
  const bare = await openApp(browser, server.url, { context });
  assert.deepEqual(workers(bare), []);
  assert.deepEqual({ run: await run(bare), failures: await failures(bare) }, inWorkers);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(bare.errors, []);
  await context.close();
});

test('a worker that cannot be loaded leaves the page doing the work itself', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route('**/archsim-worker*', (route) => route.fulfill({ status: 404, body: 'gone' }));
  const warnings = [];
  context.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const page = await openApp(browser, server.url, { context });
  const fine = await openApp(browser, server.url);
  assert.deepEqual(await failures(page), await failures(fine));
  assert.deepEqual(await run(page), await run(fine));
  assert.ok(warnings.some((w) => /worker stopped .*the page does the work itself/.test(w)), warnings.join('\n'));
  // The only errors are the browser's own about the missing file.
  assert.deepEqual(page.errors.filter((e) => !/404|Failed to load|archsim-worker/.test(e)), []);
  assert.deepEqual(fine.errors, []);
  await context.close();
});
