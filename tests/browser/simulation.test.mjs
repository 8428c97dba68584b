// The simulation panel in the page: settings, a spike and an outage, Run with progress,
// charts, the time cursor on the diagram, the comparison table, shared links that replay
// the run, and the same run in Wasm as in the native CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serve, launch, openApp, address, shot, ROOT, holdReplies, releaseReplies, workers, drag } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const sim = (page, key) => page.locator(`[data-sim="${key}"]`);

/** Sets an input's value as a person would (type, then leave the field). */
async function fill(locator, value) {
  await locator.fill(String(value));
  await locator.press('Tab');
}

async function runAndWait(page) {
  await page.locator('[data-testid="run"]').click();
  await page.locator('[data-testid="sim-results"]').waitFor({ timeout: 60_000 });
  return page.locator('[data-testid="sim-results"]');
}

test('a spike and an outage unfold on charts and on the diagram', async () => {
  const page = await openApp(browser, server.url);
  const panel = page.locator('[data-testid="simulation"]');
  await panel.scrollIntoViewIfNeeded();
  await fill(sim(page, 'seconds'), 60);
  await sim(page, 'profile').selectOption('spike');
  await fill(page.locator('[data-profile="at_s"]'), 20);
  await fill(page.locator('[data-profile="factor"]'), 2);
  // app-2 fails at 30 s for 15 s.
  await page.locator('[data-testid="add-outage"]').click();
  const row = page.locator('tr.outage').first();
  await row.locator('[data-outage="component"]').selectOption('app-2');
  await fill(row.locator('[data-outage="at_s"]'), 30);
  await fill(row.locator('[data-outage="for_s"]'), 15);
  // The settings are part of the design, so the address bar carries them.
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('"app-2"'));
  const hash = new URL(await address(page)).hash;
  assert.match(decodeURIComponent(hash), /"kind":"spike"/);

  // Run: the progress bar shows while it runs (watched for, as a short run ends quickly).
  await page.evaluate(() => {
    window.sawProgress = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="sim-progress"]')) window.sawProgress = true;
    }).observe(document.body, { subtree: true, childList: true });
  });
  await page.locator('[data-testid="run"]').click();
  const results = page.locator('[data-testid="sim-results"]');
  await results.waitFor({ timeout: 60_000 });
  assert.ok(await page.evaluate(() => window.sawProgress), 'the progress bar was shown');
  for (const id of ['chart-traffic', 'chart-latency', 'chart-utilization', 'chart-queue']) {
    await page.locator(`[data-testid="${id}"] path.series`).first().waitFor();
  }
  // One run of a changing load has no honest batch-means interval: none is shown, and the
  // summary says why and what gives one.
  assert.doesNotMatch(await page.locator('[data-testid="sim-p99"]').textContent(), /±/);
  assert.match(await page.locator('[data-testid="sim-summary"]').textContent(),
    /no intervals: the traffic or the design changes during the run.*replications give intervals/);
  // The per-component charts show the component picked, with labelled ticks.
  await page.locator('[data-testid="chart-component"]').selectOption('db');
  await page.waitForFunction(() => document.querySelector('[data-testid="chart-utilization"] figcaption')?.textContent.startsWith('Database:'));
  assert.ok(await page.locator('[data-testid="chart-traffic"] .tick').count() >= 5, 'several labelled ticks');
  // A transient run is not flagged against the steady state.
  const flagged = await page.locator('[data-testid="comparison"] tr[data-agrees="false"]').count();
  assert.equal(flagged, 0);

  // The cursor at 35 s shows app-2 down on the diagram, with that second's numbers.
  await page.locator('[data-testid="show-on-diagram"]').check();
  await page.locator('[data-testid="time-cursor"]').fill('35');
  await page.locator('[data-testid="moment-banner"]').waitFor();
  assert.match(await page.locator('[data-testid="moment-banner"]').textContent(), /35 s/);
  await page.waitForFunction(() => document.querySelector('.node[data-id="app-2"]')?.classList.contains('failed'));
  assert.match(await page.locator('[data-testid="at-cursor"]').textContent(), /^At 35 s:/);
  // Its badge says the run failed it, not a what-if to restore; its inspector says whose
  // numbers it shows.
  assert.match(await page.locator('.node[data-id="app-2"] .badge.down title').textContent(), /^Failed at 35 s of the simulated run/);
  await page.locator('.node[data-id="app-2"] .node-box').click();
  assert.equal(await page.locator('[data-testid="replay-note"]').textContent(),
    "The diagram shows the simulated run at 35 s; these are the design's steady-state numbers.");
  await shot(page, 'simulation-outage');
  // At 10 s everything is up again on the diagram.
  await page.locator('[data-testid="time-cursor"]').fill('10');
  await page.waitForFunction(() => !document.querySelector('.node[data-id="app-2"]')?.classList.contains('failed'));
  // A click on a chart moves the cursor too.
  const chart = page.locator('[data-testid="chart-traffic"] svg');
  const box = await chart.boundingBox();
  await chart.click({ position: { x: box.width * 0.95, y: box.height / 2 } });
  assert.match(await page.locator('[data-testid="cursor-label"]').textContent(), /^5\d s$/);
  // Leaving the diagram view brings back the live numbers.
  await page.locator('[data-testid="show-on-diagram"]').uncheck();
  await page.waitForFunction(() => !document.querySelector('[data-testid="moment-banner"]'));
  await shot(page, 'simulation');

  // The shared link replays the same run, number for number.
  const first = await results.getAttribute('data-events');
  const p99 = await results.getAttribute('data-p99');
  const other = await openApp(browser, server.url, { hash });
  const again = await runAndWait(other);
  assert.equal(await again.getAttribute('data-events'), first);
  assert.equal(await again.getAttribute('data-p99'), p99);

  // And so does the native CLI: the same generator and arithmetic on both platforms.
  const link = server.url + hash;
  const out = execFileSync('cargo', ['run', '-q', '--no-default-features', '--bin', 'archsim', '--',
    'simulate', link, '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  const native = JSON.parse(out);
  assert.equal(String(native.events), first);
  assert.equal(String(native.latency_ms.p99.value), p99);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(other.errors, []);
});

test('a steady run agrees with the analytic numbers; an edit marks it stale', async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="simulation"]').scrollIntoViewIfNeeded();
  await fill(sim(page, 'seconds'), 300);
  await runAndWait(page);
  const rows = page.locator('[data-testid="comparison"] tbody tr');
  assert.ok(await rows.count() >= 5);
  const throughput = page.locator('[data-testid="comparison"] tr[data-metric="throughput (req/s)"]');
  assert.equal(await throughput.getAttribute('data-agrees'), 'true');
  // Round robin spreads arrivals more evenly than the analytic random split: the mean wait
  // is measurably shorter, flagged, and the reason is given.
  const mean = page.locator('[data-testid="comparison"] tr[data-metric="mean latency (ms)"]');
  assert.equal(await mean.getAttribute('data-agrees'), 'false');
  assert.match(await page.locator('[data-testid="why-differ"]').textContent(), /Round robin/);
  // "agree" never sits beside an interval that leaves the analytic figure out: such a row
  // says "agree ±1 %", and a note says what that means.
  const cells = await rows.evaluateAll(trs => trs.map(tr => [...tr.cells].map(td => td.textContent)));
  let bySlack = 0;
  for (const [name, analytic, simulated, flag] of cells) {
    const m = simulated.match(/^(-?[\d.]+)%?(?: ± ([\d.]+))?/) ?? [simulated, 'NaN'];
    const a = parseFloat(analytic), v = parseFloat(m[1]), h = parseFloat(m[2] ?? '0');
    // Both printed to one decimal: allow the rounding of the three figures.
    // Shares print as whole percents, too coarse to check this way.
    if (flag === 'agree' && !analytic.includes('%')) assert.ok(Math.abs(a - v) <= h + 0.15, `${name}: ${analytic} vs ${simulated}`);
    if (flag === 'agree ±1 %') bySlack += 1;
  }
  assert.equal(await page.locator('[data-testid="slack-note"]').count(), bySlack > 0 ? 1 : 0);
  await page.locator('[data-testid="comparison"]').scrollIntoViewIfNeeded();
  await shot(page, 'simulation-steady');
  await page.locator('[data-testid="rps"]').fill('150');
  await page.locator('[data-testid="rps"]').press('Enter');
  await page.locator('[data-testid="sim-stale"]').waitFor();
  assert.ok(await page.locator('[data-testid="show-on-diagram"]').isDisabled());
  assert.deepEqual(page.errors, []);
});

test('impossible settings are refused in words and the design is kept', async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="simulation"]').scrollIntoViewIfNeeded();
  // The field says why, by its name, and the design keeps the length in effect.
  await fill(sim(page, 'seconds'), -5);
  const error = page.locator('[data-testid="simulation"] .field-error');
  await error.waitFor();
  assert.match(await error.textContent(), /The run length must be between 1 and 3600, got -5/);
  // And which value a Run uses meanwhile.
  const length = await page.evaluate(() => JSON.parse(decodeURIComponent(location.hash.slice('#scenario='.length).split('&')[0])).simulation?.seconds ?? 60);
  assert.match(await error.textContent(), new RegExp(` In effect: ${length}\\.$`));
  assert.doesNotMatch(decodeURIComponent(new URL(await address(page)).hash), /"seconds":-5/);
  // Fixed, the error goes.
  await fill(sim(page, 'seconds'), 30);
  await error.waitFor({ state: 'detached' });
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('"seconds":30'));
  // A failure set after the run's end is kept (the run may be lengthened) and said to be
  // outside the run.
  await page.locator('[data-testid="add-outage"]').click();
  await fill(page.locator('tr.outage [data-outage="at_s"]'), 45);
  const late = page.locator('[data-testid="outage-after-end"]');
  await late.waitFor();
  assert.equal(await late.textContent(), "After the run's end (30 s): this failure is not part of the run.");
  await fill(sim(page, 'seconds'), 60);
  await late.waitFor({ state: 'detached' });
  // A link asking for a run far too large is refused in words; the page keeps working.
  const design = {
    version: 2, traffic: { rps: 1e6, read: 1, write: 0, static: 0 },
    components: [{ id: 'u', kind: 'client' }, { id: 'a', kind: 'app_server' }],
    links: [{ from: 'u', to: 'a' }],
    simulation: { seconds: 3600 },
  };
  const other = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(design)) });
  await other.locator('.notice.error').waitFor();
  assert.match(await other.locator('.notice.error').textContent(), /would offer about 3600000000 requests/);
  assert.deepEqual(other.errors, []);
  assert.deepEqual(page.errors, []);
});

test('the page keeps working during a long run in its worker, and Stop stops it', async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="simulation"]').scrollIntoViewIfNeeded();
  await fill(sim(page, 'seconds'), 3600);
  // The worker's replies wait until the test lets them through, so that the run is still
  // going, as far as the page knows, when Stop is pressed, however fast the machine.
  await holdReplies(page);
  await page.locator('[data-testid="run"]').click();
  await page.locator('[data-testid="sim-progress"]').waitFor();
  // The run happens in a Web Worker of the page's own.
  assert.ok(workers(page).some((u) => u.endsWith('/archsim-worker-loader.js')), workers(page).join(', '));
  // Meanwhile the editor answers: select a component and see it in the inspector; drag it.
  await page.locator('.node[data-id="db"]').click();
  await page.waitForFunction(() => document.querySelector('.node[data-id="db"]')?.classList.contains('selected'));
  const was = await page.locator('.node[data-id="db"]').boundingBox();
  const at = { x: was.x + was.width / 2, y: was.y + was.height / 2 };
  await drag(page, at, { x: at.x + 80, y: at.y + 40 });
  await page.waitForFunction((x) => document.querySelector('.node[data-id="db"]').getBoundingClientRect().x > x + 40, was.x);
  assert.equal(await page.locator('[data-testid="run"]').textContent(), 'Stop');
  // Stop ends the worker at once: the bar goes, and its result (held, or still to come)
  // never arrives.
  const ended = Promise.race(page.workers().map((w) => new Promise((ok) => w.on('close', ok))));
  await page.locator('[data-testid="run"]').click();
  await page.locator('[data-testid="sim-progress"]').waitFor({ state: 'detached' });
  assert.equal(await page.locator('[data-testid="run"]').textContent(), 'Run');
  await ended;
  assert.ok(await releaseReplies(page) > 0, 'the stopped run had replies held');
  assert.equal(await page.locator('[data-testid="run"]').textContent(), 'Run');
  assert.equal(await page.locator('[data-testid="sim-results"]').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('at the cursor, retries are counted apart from the requests offered', async () => {
  // app-2 fails for the middle of the run; a 30 ms timeout with two retries makes the
  // clients send more than they are offered. The diagram's Users node counts every
  // attempt, so the summary says both.
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="simulation"]').scrollIntoViewIfNeeded();
  await fill(sim(page, 'seconds'), 20);
  await fill(sim(page, 'timeout_ms'), 30);
  await fill(sim(page, 'retries'), 2);
  await page.locator('[data-testid="add-outage"]').click();
  const row = page.locator('tr.outage').first();
  await row.locator('[data-outage="component"]').selectOption('app-2');
  await fill(row.locator('[data-outage="at_s"]'), 5);
  await fill(row.locator('[data-outage="for_s"]'), 10);
  await runAndWait(page);
  await page.locator('[data-testid="time-cursor"]').fill('10');
  const text = await page.locator('[data-testid="at-cursor"]').textContent();
  assert.match(text, /^At 10 s: [\d.]+k?\/s offered \([\d.]+k?\/s sent with retries\), /);
  assert.deepEqual(page.errors, []);
});

test('setting up a run keeps the failure analysis and its SPOF badges', async () => {
  const page = await openApp(browser, server.url);
  const badges = await page.locator('.node .badge.spof').count();
  assert.ok(badges > 0, 'the starter has SPOFs');
  await fill(sim(page, 'seconds'), 90);
  // Once the edit has reached the address bar it has been drawn: the analysis was not
  // started again for it (it would read "checking" with no badges).
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('"seconds":90'));
  assert.equal(await page.locator('[data-testid="failures"]').getAttribute('data-state'), 'ready');
  assert.equal(await page.locator('.node .badge.spof').count(), badges);
  assert.deepEqual(page.errors, []);
});

test('a run of an overloaded design says its times settle on no value', async () => {
  // One server of 100/s offered 150/s with no queue limit: its queue grows all run long.
  const design = {
    version: 6, name: 'overloaded',
    traffic: { rps: 150, read: 1, write: 0, static: 0 },
    components: [
      { id: 'users', kind: 'client', label: 'Users', x: 80, y: 200 },
      { id: 'app', kind: 'app_server', label: 'App', x: 300, y: 200,
        params: { instances: 1, concurrency: 1, service_time_ms: 10 } },
    ],
    links: [{ from: 'users', to: 'app' }],
    simulation: { seed: 1, seconds: 20, warmup_s: 5 },
  };
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(design)) });
  await runAndWait(page);
  const why = page.locator('[data-testid="sim-overloaded"]');
  await why.waitFor();
  assert.match(await why.textContent(), /^App is offered more than it can serve, with no limit on its queue: .* \(the analytic time is unbounded\)\.$/);
  // The times compared carry no agreement flag.
  assert.equal(await page.locator('[data-testid="comparison"] tr[data-metric="p99 latency (ms)"]').getAttribute('data-agrees'), '');
  // The run's headline says what the results' Dropped says (50/s here), not only its
  // errors (none: nothing is refused, the queue grows).
  const dropped = await page.locator('[data-testid="results"] [data-metric="dropped"]').textContent();
  assert.equal(dropped, '50/s');
  const unanswered = await page.locator('[data-testid="sim-unanswered"]').textContent();
  const [value, half] = unanswered.split(' ± ').map((t) => Number.parseFloat(t));
  assert.ok(Math.abs(value - 50) <= Math.max(half, 5), unanswered);
  assert.deepEqual(page.errors, []);
});
