// Long work runs in the page's Web Workers; where a worker cannot run, the page loads the
// worker's own code and does the same work itself, in slices, with the same numbers; where
// even that code cannot be had, the panels say so in words and the editor goes on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serve, launch, openApp, address, workers, shot, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Runs the simulation and reads the figures the results carry. */
async function run(page) {
  await page.locator('[data-testid="simulation"]').scrollIntoViewIfNeeded();
  await page.locator('[data-testid="run"]').click();
  const results = page.locator('[data-testid="sim-results"]');
  await results.waitFor({ timeout: 60_000 });
  return {
    events: await results.getAttribute('data-events'),
    requests: await results.getAttribute('data-requests'),
    p99: await results.getAttribute('data-p99'),
  };
}

/** The failure panel's SPOFs and N−1 rows, as the page shows them. */
async function failures(page) {
  return page.locator('[data-testid="failures"][data-state="ready"]').innerText();
}

test('the run and the failure analysis come from workers, and match the page doing them itself', async () => {
  const page = await openApp(browser, server.url);
  assert.ok(workers(page).some((u) => u.endsWith('/archsim-worker-loader.js')), 'a worker ran the failure analysis');
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
  // The worker's own script fails; the code it would load is still there for the page.
  await context.route('**/archsim-worker-loader.js', (route) => route.fulfill({ status: 404, body: 'gone' }));
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

test('without the analysis code, the panels say why and the design is still edited', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route('**/archsim-worker*', (route) => route.fulfill({ status: 404, body: 'gone' }));
  // Not openApp, which waits for the failure analysis.
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector('[data-testid="canvas"] .node');
  const panel = page.locator('[data-testid="failures"][data-state="failed"]');
  await panel.waitFor();
  assert.match(await panel.innerText(), /The failure analysis could not run: .*could not be loaded/);
  // Never an empty analysis that would read as "no single point of failure".
  assert.equal(await page.locator('[data-testid="failures"][data-state="ready"]').count(), 0);
  // So do the load curve and the levers.
  await page.locator('.chart.empty').filter({ hasText: 'The load curve could not be computed' }).waitFor();
  await page.locator('[data-testid="find-levers"]').click();
  await page.locator('[data-testid="levers"] [role="alert"]').filter({ hasText: 'The changes could not be tried' }).waitFor();
  // The run says why too.
  await page.locator('[data-testid="simulation"]').scrollIntoViewIfNeeded();
  await page.locator('[data-testid="run"]').click();
  await page.locator('[data-testid="sim-error"]').waitFor();
  assert.match(await page.locator('[data-testid="sim-error"]').innerText(), /could not be loaded/);
  await shot(page, 'workers-missing');
  // The live numbers and the editor do not depend on the worker.
  const before = await page.locator('[data-testid="canvas"] .node').count();
  await page.locator('[data-testid="canvas"] .node').first().click();
  await page.keyboard.press('Control+d');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="canvas"] .node').length === n + 1, before);
  assert.equal(await page.locator('[data-testid="results"]').count(), 1);
  await context.close();
});

test('replications are spread over one worker per core and give the CLI\'s numbers', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Count the workers the page starts.
  await context.addInitScript(() => {
    const Original = window.Worker;
    window.__spawned = 0;
    window.Worker = class extends Original {
      constructor(...args) { super(...args); window.__spawned += 1; }
    };
  });
  const page = await openApp(browser, server.url, { context });
  await page.locator('[data-testid="simulation"]').scrollIntoViewIfNeeded();
  const field = page.locator('[data-sim="replications"]');
  await field.fill('4');
  await field.press('Tab');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('"replications":4'));
  const hash = new URL(await address(page)).hash;
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const before = await page.evaluate(() => window.__spawned);
  const inWorkers = await run(page);
  const spawned = (await page.evaluate(() => window.__spawned)) - before;
  assert.ok(spawned >= Math.min(4, cores), `${spawned} workers for 4 replications on ${cores} cores`);
  const summary = await page.locator('[data-testid="sim-summary"]').innerText();
  assert.match(summary, /4 replications on seeds derived from \d+, measured from \d+ s( \([^)]*\))?, 95 % intervals across the replications; counts are totals over the 4 replications/);
  await page.locator('[data-testid="sim-results"]').scrollIntoViewIfNeeded();
  await shot(page, 'simulation-replications');

  // The native CLI, on all cores with rayon: the same numbers.
  const out = execFileSync('cargo', ['run', '-q', '--no-default-features', '--bin', 'archsim', '--',
    'simulate', server.url + hash, '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  const native = JSON.parse(out);
  assert.equal(native.replications, 4);
  assert.deepEqual(inWorkers, {
    events: String(native.events),
    requests: String(native.requests),
    p99: String(native.latency_ms.p99.value),
  });

  // A browser without workers runs them one after another in the page: the same numbers.
  const bareContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await bareContext.addInitScript(() => { delete window.Worker; });
  const bare = await openApp(browser, server.url, { context: bareContext, hash });
  assert.deepEqual(await run(bare), inWorkers);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(bare.errors, []);
  await bareContext.close();
  await context.close();
});
