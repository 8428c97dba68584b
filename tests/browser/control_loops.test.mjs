// Control loops in the page. Autoscaling: the policy in the inspector, the steady count on the diagram
// and in the stats, a refused bound in words, and a run whose instances chart shows the
// warm-up gap between paying for an instance and its serving. Rate limits and load
// shedding: rejections named on the diagram and counted apart in a run, crossed limits refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, openApp, shot, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const example = readFileSync(join(ROOT, 'examples', 'autoscaling-spike.json'), 'utf8');

async function fill(locator, value) {
  await locator.fill(String(value));
  await locator.press('Tab');
}

test('an autoscaled pool shows its steady count, refuses crossed bounds and charts its instances', async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(JSON.parse(example))) });
  const badge = page.locator('.node[data-id="app"] [data-testid="scaling-badge"]');
  await badge.waitFor();
  assert.equal(await badge.textContent(), '×2 (2–10)');

  // The inspector groups the policy under its own heading, with the steady count above.
  await page.locator('.node[data-id="app"] .node-box').click();
  const section = page.locator('[data-testid="inspector"] .params[data-section="Autoscaling"]');
  await section.locator('h3').waitFor();
  assert.equal(await section.locator('[data-param="autoscale_max"]').inputValue(), '10');
  assert.equal(await page.locator('[data-testid="steady-instances"]').textContent(), '2 (autoscaled 2–10)');

  // Three times the traffic: the steady count follows (450 req/s on 160 req/s instances at
  // a 60 % target: ceil(2.81 / 0.6) = 5), on the badge and in the stats alike.
  await fill(page.locator('[data-testid="rps"]'), 450);
  await page.waitForFunction(() => document.querySelector('[data-testid="steady-instances"]')?.textContent === '5 (autoscaled 2–10)');
  assert.equal(await badge.textContent(), '×5 (2–10)');

  // A minimum above the maximum is refused in words; the field keeps the design's value.
  const min = section.locator('[data-param="autoscale_min"]');
  await fill(min, 12);
  await page.getByText('Fewest instances (12) is more than Most instances (10)').first().waitFor();
  assert.equal(await badge.textContent(), '×5 (2–10)');
  await shot(page, 'autoscaling-inspector');

  // Back to the example's traffic, then run its spike: the instances chart appears.
  await fill(page.locator('[data-testid="rps"]'), 150);
  await page.waitForFunction(() => document.querySelector('[data-testid="steady-instances"]')?.textContent === '2 (autoscaled 2–10)');
  await page.locator('[data-testid="simulation"]').scrollIntoViewIfNeeded();
  await page.locator('[data-testid="run"]').click();
  await page.locator('[data-testid="sim-results"]').waitFor({ timeout: 120_000 });
  await page.locator('[data-testid="chart-component"]').selectOption('app');
  const chart = page.locator('[data-testid="chart-instances"]');
  await chart.locator('path.series').first().waitFor();
  assert.equal(await chart.locator('path.series').count(), 2, 'paid for and serving');
  await page.locator('[data-testid="chart-cost"] path.series').first().waitFor();
  assert.match(await page.locator('[data-testid="sim-cost"]').textContent(), /^\$(\d+\.\d\d|\d\.\de-\d+) this run \(\$[\d,]+\/month at its average\)$/);
  await chart.scrollIntoViewIfNeeded();
  await shot(page, 'autoscaling-run');
});

test('a rate limit and load shedding show what they refuse, in words and in a run', async () => {
  const design = {
    version: 3, name: 'limited',
    traffic: { rps: 400, read: 1, write: 0, static: 0 },
    components: [
      { id: 'users', kind: 'client', label: 'Users', x: 80, y: 200 },
      { id: 'gw', kind: 'api_gateway', label: 'Gateway', x: 280, y: 200, params: { rate_limit_rps: 300, burst: 50 } },
      { id: 'app', kind: 'app_server', label: 'App', x: 480, y: 200,
        params: { instances: 2, concurrency: 8, service_time_ms: 50, max_wait_ms: 100 } },
    ],
    links: [{ from: 'users', to: 'gw' }, { from: 'gw', to: 'app' }],
    simulation: { seed: 2, seconds: 30, warmup_s: 2 },
  };
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(design)) });
  // 400 req/s at a 300 req/s limit: about 100 req/s rejected, named as such on the diagram.
  const label = page.locator('.node[data-id="gw"] .node-dropped');
  await label.waitFor();
  assert.match(await label.textContent(), /^\d+(\.\d+)?\/s rejected \(429\)$/);
  await page.locator('.node[data-id="gw"] .node-box').click();
  const section = page.locator('[data-testid="inspector"] .params[data-section="Rate limit"]');
  assert.equal(await section.locator('[data-param="rate_limit_rps"]').inputValue(), '300');
  // Both limits together are refused in words.
  await page.locator('.node[data-id="app"] .node-box').click();
  await fill(page.locator('[data-param="queue_capacity"]'), 5);
  await page.getByText('Shed after and Queue limit cannot both be set').first().waitFor();
  // A run counts rejections apart and draws them.
  await page.locator('[data-testid="simulation"]').scrollIntoViewIfNeeded();
  await page.locator('[data-testid="run"]').click();
  await page.locator('[data-testid="sim-results"]').waitFor({ timeout: 120_000 });
  assert.match(await page.locator('[data-testid="sim-rejected"]').textContent(), /^\d+ of the \d+ failed \(429\)$/);
  await page.locator('[data-testid="chart-traffic"] .key.rejected').waitFor();
  await shot(page, 'rate-limit-run');
});

test('the File menu opens the shipped examples, keeping the design on screen one click away', async () => {
  const page = await openApp(browser, server.url);
  // Make the starter the person's own: app-1 to 3 instances.
  const mine = () => document.querySelector(
    '[data-testid="component-table"] tr[data-id="app-1"] [data-col="utilization"]')?.textContent === '21%';
  await page.locator('.node[data-id="app-1"] .node-box').click();
  await fill(page.locator('[data-param="instances"]'), 3);
  await page.waitForFunction(mine);
  await page.locator('[data-testid="file-menu"] summary').click();
  await page.locator('[data-example="autoscaling-spike"]').click();
  const badge = page.locator('.node[data-id="app"] [data-testid="scaling-badge"]');
  await badge.waitFor();
  assert.equal(await badge.textContent(), '×2 (2–10)');
  // The edited design is one click away.
  await page.locator('[data-testid="notice"]').filter({ hasText: 'is kept under File' }).waitFor();
  await page.locator('[data-testid="back-to-design"]').click();
  await page.waitForFunction(mine);
  await page.locator('[data-testid="file-menu"] summary').click();
  await page.locator('[data-example="rate-limited-api"]').click();
  await page.locator('.node[data-id="gateway"]').waitFor();
  // Its deadline sheds a tail of one request in six days: said, not raised as drops.
  await page.locator('[data-testid="dropped-rarely"]').waitFor();
  assert.equal(await page.locator('[data-testid="dropped-rarely"]').textContent(), 'one every 6.11 days on average');
  assert.equal(await page.locator('.headline [data-metric="dropped"].bad').count(), 0);
  assert.equal(await page.locator('.node-dropped').count(), 0);
  await shot(page, 'example-rate-limited');
  assert.deepEqual(page.errors ?? [], []);
});

test('a circuit breaker on a call: its settings, a refused threshold, and a run that shows it open while the database hangs', async () => {
  const outage = readFileSync(join(ROOT, 'examples', 'dependency-outage-breaker.json'), 'utf8');
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(JSON.parse(outage))) });
  const link = page.locator('.link[data-link="app→db"]');
  const label = link.locator('.link-label');
  await label.waitFor();
  assert.match(await label.textContent(), /call · write · breaker$/);

  // The app servers hold a server while they call; the link's breaker and timeout are in
  // its inspector.
  await page.locator('.node[data-id="app"] .node-box').click();
  assert.equal(await page.locator('[data-param="io"]').inputValue(), 'blocking');
  await label.click();
  await page.locator('#link-breaker').waitFor();
  assert.ok(await page.locator('#link-breaker').isChecked());
  assert.equal(await page.locator('#link-timeout').inputValue(), '1000');
  assert.equal(await page.locator('#breaker-window_s').inputValue(), '2');

  // A threshold above 1 is refused in words naming the field; the design keeps its breaker.
  await fill(page.locator('#breaker-error_threshold'), 1.5);
  await page.getByText("Link 4's breaker error threshold must be between 0.001 and 1, got 1.5").first().waitFor();
  await fill(page.locator('#breaker-error_threshold'), 0.5);
  await shot(page, 'breaker-inspector');

  // The run: the primary hangs from 20 s to 50 s; the breaker opens, refuses calls at once,
  // and closes after the primary is back.
  assert.equal(await page.locator('[data-outage="hangs"]').inputValue(), 'hangs');
  await page.locator('[data-testid="simulation"]').scrollIntoViewIfNeeded();
  await page.locator('[data-testid="run"]').click();
  await page.locator('[data-testid="sim-results"]').waitFor({ timeout: 120_000 });
  assert.match(await page.locator('[data-testid="sim-breakers"]').textContent(), /^App servers → Primary database: opened \d+×, \d+ calls refused at once$/);
  const chart = page.locator('[data-testid="chart-breaker"]');
  await chart.locator('rect.mark.breaker-open').first().waitFor();
  assert.equal(await chart.locator('path.series').count(), 3);

  // On the diagram, at 30 s the link reads "breaker open"; at 10 s and at 80 s it is closed.
  await page.locator('[data-testid="show-on-diagram"]').check();
  const at = async (second, want) => {
    await page.locator('[data-testid="time-cursor"]').fill(String(second));
    await page.waitForFunction(([w]) => {
      const text = document.querySelector('.link[data-link="app→db"] .link-label')?.textContent ?? '';
      return text.endsWith(w);
    }, [want]);
  };
  await at(30, 'breaker open');
  assert.ok(await link.evaluate((g) => g.classList.contains('breaker-tripped')));
  await chart.scrollIntoViewIfNeeded();
  await shot(page, 'breaker-run');
  await at(10, 'breaker');
  await at(80, 'breaker');
  assert.ok(!(await link.evaluate((g) => g.classList.contains('breaker-tripped'))));
  assert.deepEqual(page.errors ?? [], []);
});
