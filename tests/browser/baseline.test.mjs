// Compare with a baseline: pin a design, edit it, and read every headline figure against
// the pinned one, with what changed and whether it got better.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serve, launch, openApp, shot, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// One instance with `workers` 10 ms workers sharing its queue at 80 requests a second:
// an M/M/1 at 80 % (50 ms) for one, an M/M/2 at 40 % for two.
const pool = (workers) => ({
  version: 6, name: `${workers} worker(s)`,
  traffic: { rps: 80, read: 1, write: 0, static: 0 },
  components: [
    { id: 'users', kind: 'client', label: 'Users', x: 80, y: 200 },
    { id: 'app', kind: 'app_server', label: 'App', x: 300, y: 200,
      params: { instances: 1, concurrency: workers, service_time_ms: 10, service_cv: 1 } },
  ],
  links: [{ from: 'users', to: 'app' }],
});
const encoded = (design) => encodeURIComponent(JSON.stringify(design));

test('a pinned baseline shows each figure then and now, and what the edit bought', async () => {
  const design = pool(1);
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(design)) });
  const headline = page.locator('[data-testid="results"] [data-metric="mean"]');
  const pinnedMean = await headline.textContent();
  const pin = page.locator('[data-testid="pin-baseline"]');
  await pin.scrollIntoViewIfNeeded();
  await pin.click();
  const mean = page.locator('[data-testid="versus"] tr[data-figure="MeanLatency"]');
  await mean.waitFor();
  assert.equal(await page.locator('[data-testid="baseline-changes"]').textContent(), 'No edits since the baseline was pinned.');
  assert.equal(await mean.getAttribute('class'), 'same');

  // A second worker sharing the queue: M/M/2 at 40 %, 10 + 1.9 ms (Erlang C).
  await page.locator('.node[data-id="app"] .node-box').click();
  const workers = page.locator('[data-param="concurrency"]');
  await workers.fill('2');
  await workers.press('Tab');
  await page.waitForFunction(() => document.querySelector('[data-testid="versus"] tr[data-figure="MeanLatency"]')?.className === 'better');
  assert.deepEqual(await mean.locator('td').allTextContents(), ['50.0 ms', '11.9 ms', '−38.1 ms']);
  // One truth: "then" is what the results said when pinned, "now" what they say now.
  assert.equal(await mean.locator('td').nth(0).textContent(), pinnedMean);
  assert.equal(await mean.locator('td').nth(1).textContent(), await headline.textContent());
  assert.equal(await page.locator('[data-testid="baseline-changes"] li').first().textContent(), 'App: concurrency 1 → 2');
  // Workers share an instance: the price did not move; the headroom doubled.
  assert.equal(await page.locator('[data-testid="versus"] tr[data-figure="MonthlyCost"]').getAttribute('class'), 'same');
  assert.equal(await page.locator('[data-testid="versus"] tr[data-figure="Headroom"]').getAttribute('class'), 'better');
  assert.equal(await page.locator('[data-testid="versus-components"] tr[data-id="app"] td').nth(2).textContent(), '80% → 40%');
  // Named as on the diagram; a client has no servers to be busy.
  assert.equal(await page.locator('[data-testid="versus-components"] tr[data-id="app"] td').first().textContent(), 'App');
  // A traffic edit is an edit: the list says so beside the figures it moves.
  await page.locator('[data-testid="rps"]').fill('120');
  await page.locator('[data-testid="rps"]').press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="baseline-changes"] li')].some((li) => li.textContent === 'traffic: 80 req/s → 120 req/s'));
  await page.locator('[data-testid="baseline"]').scrollIntoViewIfNeeded();
  assert.ok(await page.evaluate(() => { const s = document.querySelector('.side'); return s.scrollWidth <= s.clientWidth; }),
    'the baseline fits the side panel');
  await shot(page, 'baseline');

  // Undo brings the design back to the baseline; clearing it leaves the pin button.
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="rps"]')?.value === '80');
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.waitForFunction(() => document.querySelector('[data-testid="versus"] tr[data-figure="MeanLatency"]')?.className === 'same');
  await page.locator('[data-testid="clear-baseline"]').click();
  await page.locator('[data-testid="versus"]').waitFor({ state: 'detached' });
  await pin.waitFor();
  assert.deepEqual(page.errors ?? [], []);
});

test('copy link carries the baseline, and a compare link opens pinned', async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encoded(pool(2)) + '&baseline=' + encoded(pool(1)) });
  const mean = page.locator('[data-testid="versus"] tr[data-figure="MeanLatency"]');
  await mean.waitFor();
  assert.deepEqual(await mean.locator('td').allTextContents(), ['50.0 ms', '11.9 ms', '−38.1 ms']);
  // Copy link keeps both, and says so.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.locator('[data-testid="copy-link"]').click();
  await page.getByText('against the baseline').first().waitFor();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#scenario=.*&baseline=/);
  const again = await openApp(browser, server.url, { hash: link.slice(link.indexOf('#')) });
  await again.locator('[data-testid="versus"] tr[data-figure="MeanLatency"].better').waitFor();
  // A damaged baseline is said in words; the design opens without it.
  const damaged = await openApp(browser, server.url, { hash: '#scenario=' + encoded(pool(2)) + '&baseline=%7B%22version' });
  await damaged.getByText("The link's baseline could not be read").first().waitFor();
  await damaged.locator('.node[data-id="app"]').waitFor();
  assert.equal(await damaged.locator('[data-testid="versus"]').count(), 0);
  for (const p of [page, again, damaged]) assert.deepEqual(p.errors ?? [], []);
});

test('simulate both measures the difference with its interval, as the CLI does; the load chart draws both', async () => {
  const now = { ...pool(2), simulation: { seed: 7, seconds: 60 } };
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encoded(now) + '&baseline=' + encoded(pool(1)) });
  // The baseline's curves, dashed, on the current design's axes.
  await page.locator('[data-testid="load-chart"] [data-testid="baseline-mean"]').waitFor();
  assert.ok((await page.locator('[data-testid="load-chart"] [data-testid="baseline-p99"]').getAttribute('d')).startsWith('M'));
  await page.locator('[data-testid="load-chart"]').scrollIntoViewIfNeeded();
  await shot(page, 'load-chart-baseline');

  const run = page.locator('[data-testid="simulate-both"]');
  await run.scrollIntoViewIfNeeded();
  await run.click();
  const mean = page.locator('[data-testid="paired"] tr[data-figure="mean_ms"]');
  await mean.waitFor();
  // M/M/1 → M/M/2 at 80 %: 50 → 11.9 ms, beyond the noise on the same random numbers.
  assert.equal(await mean.getAttribute('data-significant'), 'true');
  assert.equal(await mean.getAttribute('class'), 'better');
  const difference = Number(await mean.getAttribute('data-difference'));
  const half = Number(await mean.getAttribute('data-half-width'));
  assert.ok(Math.abs(difference + 38.1) <= half, `${difference} ± ${half}`);
  // One truth: the CLI's paired run of the same designs gives the same numbers exactly.
  const out = execFileSync('cargo', ['run', '-q', '--no-default-features', '--bin', 'archsim', '--',
    'compare', JSON.stringify(pool(1)), JSON.stringify(now), '--simulate', '--json'],
  { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  const native = JSON.parse(out).simulated;
  assert.equal(await mean.getAttribute('data-difference'), String(native.mean_ms.value));
  assert.equal(await mean.getAttribute('data-half-width'), String(native.mean_ms.half_width));
  const throughput = page.locator('[data-testid="paired"] tr[data-figure="throughput_rps"]');
  assert.equal(await throughput.getAttribute('data-difference'), String(native.throughput_rps.value));
  await page.locator('[data-testid="paired"]').scrollIntoViewIfNeeded();
  await shot(page, 'baseline-simulated');

  // An edit makes the run stale.
  await page.locator('.node[data-id="app"] .node-box').click();
  const workers = page.locator('[data-param="concurrency"]');
  await workers.fill('3');
  await workers.press('Tab');
  await page.locator('[data-testid="paired-stale"]').waitFor();
  assert.deepEqual(page.errors ?? [], []);
});

test('the design before the last changes can be the baseline; moves do not count', async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encoded(pool(1)) });
  await page.locator('.node[data-id="app"] .node-box').click();
  const workers = page.locator('[data-param="concurrency"]');
  for (const n of ['2', '3']) {
    await workers.fill(n);
    await workers.press('Tab');
    await page.waitForFunction((n) => decodeURIComponent(location.hash).includes(`"concurrency":${n}`), n);
  }
  // A move between changes is not a change.
  await page.locator('.node[data-id="app"]').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => !document.querySelector('.node[data-id="app"]').getAttribute('transform').startsWith('translate(300,'));
  const back = page.locator('[data-testid="changes-back"]');
  await back.scrollIntoViewIfNeeded();
  await back.fill('2');
  await page.locator('[data-testid="pin-before-changes"]').click();
  await page.getByText('Pinned the design before your last 2 changes.').first().waitFor();
  const app = page.locator('[data-testid="versus-components"] tr[data-id="app"] td').nth(2);
  await app.waitFor();
  assert.equal(await app.textContent(), '80% → 27%');
  // Asking for more than the history holds pins the oldest and says how many there were:
  // opening the link was one (undo goes back to the design open before it).
  await page.locator('[data-testid="changes-back"]').fill('9');
  await page.locator('[data-testid="pin-before-changes"]').click();
  await page.getByText('The history holds 3 changes: pinned the design before them.').first().waitFor();
  assert.deepEqual(page.errors ?? [], []);
});

test('against a design that serves nothing, times and headroom read "—" as on the results panel', async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(pool(1))) });
  const pin = page.locator('[data-testid="pin-baseline"]');
  await pin.scrollIntoViewIfNeeded();
  await pin.click();
  await page.locator('[data-testid="versus"]').waitFor();
  await page.locator('.node[data-id="app"] .node-box').click();
  await page.locator('[data-testid="fail"]').click();
  await page.waitForFunction(() => document.querySelector('[data-metric="throughput"]')?.textContent === '0/s');
  const row = (f) => page.locator(`[data-testid="versus"] tr[data-figure="${f}"]`);
  await page.waitForFunction(() => document.querySelector('[data-testid="versus"] tr[data-figure="MeanLatency"] td:nth-child(3)')?.textContent === '—');
  assert.deepEqual(await row('MeanLatency').locator('td').allTextContents(), ['50.0 ms', '—', 'none now']);
  assert.equal(await row('MeanLatency').locator('td').nth(1).textContent(), await page.locator('[data-metric="mean"]').textContent());
  assert.equal(await row('Headroom').locator('td').nth(1).textContent(), '—');
  assert.equal(await row('Headroom').getAttribute('class'), 'worse');
  assert.deepEqual(page.errors ?? [], []);
});

test('messages a change leaves unprocessed have a row of their own against the baseline', async () => {
  // Stage 9's two queues feed one pool of workers; one worker cannot keep up, and the
  // messages it never processes are no requests dropped: the Dropped row stays the same.
  const page = await openApp(browser, server.url, { hash: '#stage=message-queue' });
  const pin = page.locator('[data-testid="pin-baseline"]');
  await pin.scrollIntoViewIfNeeded();
  await pin.click();
  await page.locator('[data-testid="versus"]').waitFor();
  assert.equal(await page.locator('[data-testid="versus"] tr[data-figure="Messages"]').count(), 0);
  await page.locator('.node[data-id="workers"] .node-box').click();
  const instances = page.locator('[data-param="instances"]');
  await instances.fill('1');
  await instances.press('Tab');
  const row = page.locator('[data-testid="versus"] tr[data-figure="Messages"]');
  await row.waitFor();
  assert.equal(await row.getAttribute('class'), 'worse');
  const [then, now] = await row.locator('td').allTextContents();
  assert.equal(then, '0/s');
  assert.equal(`+${now} messages never processed`, await page.locator('[data-testid="background-dropped"]').textContent());
  assert.equal(await page.locator('[data-testid="versus"] tr[data-figure="Dropped"]').getAttribute('class'), 'same');
  assert.deepEqual(page.errors, []);
});

test('the baseline stays with the design: a visit to the bare address brings both back, a saved file says it holds one', async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encoded(pool(2)) + '&baseline=' + encoded(pool(1)) });
  const mean = page.locator('[data-testid="versus"] tr[data-figure="MeanLatency"]');
  await mean.waitFor();
  // The change is the difference of the two figures as written: 50.0 − 11.9 = 38.1.
  assert.deepEqual(await mean.locator('td').allTextContents(), ['50.0 ms', '11.9 ms', '−38.1 ms']);
  // Kept in the browser with the design (the address is not needed).
  await page.waitForFunction(() => (localStorage.getItem('archsim.designs.v1') ?? '').includes('"baseline"'));
  await page.goto(server.url);
  await page.waitForSelector('[data-testid="canvas"] .node[data-id="app"]');
  await mean.waitFor();
  assert.deepEqual(await mean.locator('td').allTextContents(), ['50.0 ms', '11.9 ms', '−38.1 ms']);
  // A file holds one design: saving says the baseline stays behind.
  await page.locator('[data-testid="file-menu"] summary').click();
  await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="save-json"]').click()]);
  await page.getByText('The baseline pinned beside it is not in the file').waitFor();
  // Cleared, it stays cleared on the next visit.
  await page.locator('[data-testid="clear-baseline"]').click();
  await page.waitForFunction(() => !(localStorage.getItem('archsim.designs.v1') ?? '').includes('"baseline"'));
  await page.goto(server.url);
  await page.waitForSelector('[data-testid="canvas"] .node[data-id="app"]');
  await page.locator('[data-testid="pin-baseline"]').waitFor();
  assert.equal(await page.locator('[data-testid="versus"]').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a compare link pasted into the open page brings its baseline; a damaged one is said', async () => {
  // Found by a tester: in a fresh page the damaged baseline was said, but pasted into the
  // address bar of an open page the link's baseline was dropped without a word.
  const page = await openApp(browser, server.url);
  await page.evaluate((h) => { location.hash = h; }, '#scenario=' + encoded(pool(2)) + '&baseline=' + encoded(pool(1)));
  const mean = page.locator('[data-testid="versus"] tr[data-figure="MeanLatency"]');
  await mean.waitFor();
  assert.deepEqual(await mean.locator('td').allTextContents(), ['50.0 ms', '11.9 ms', '−38.1 ms']);
  await page.evaluate((h) => { location.hash = h; }, '#scenario=' + encoded(pool(3)) + '&baseline=%7B%22version');
  await page.locator('[data-testid="notice"]').filter({ hasText: "The link's baseline could not be read" }).waitFor();
  assert.match(await page.locator('[data-testid="notice"]').textContent(), /Opened the shared design/);
  assert.deepEqual(page.errors, []);
});
