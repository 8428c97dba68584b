// A closed population in the page: N concurrent users with think time, set from the
// traffic menu; the rate is solved (MVA), the chart is against users, and the numbers are
// the CLI's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serve, launch, openApp, address, shot, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// One instance of two 40 ms workers.
const design = {
  version: 7, name: 'closed',
  traffic: { rps: 10, read: 1, write: 0, static: 0 },
  components: [
    { id: 'users', kind: 'client', label: 'Users', x: 80, y: 200 },
    { id: 'app', kind: 'app_server', label: 'App', x: 300, y: 200,
      params: { instances: 1, concurrency: 2, service_time_ms: 40, service_cv: 1 } },
  ],
  links: [{ from: 'users', to: 'app' }],
};

test('a population of concurrent users is solved, charted against users, and agrees with the CLI', async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(design)) });
  await page.locator('[data-testid="users"] summary').click();
  await page.locator('[data-population="n"]').fill('40');
  await page.locator('[data-population="n"]').dispatchEvent('change');
  await page.locator('[data-population="z"]').fill('1');
  await page.locator('[data-population="z"]').dispatchEvent('change');
  await page.locator('[data-testid="apply-population"]').click();
  const chart = page.locator('[data-testid="closed-chart"]');
  await chart.waitFor();
  const caption = await chart.locator('figcaption').textContent();
  assert.match(caption, /N\* ≈ [\d,]+ users/);
  assert.match(await page.locator('[data-testid="users"] summary').textContent(), /^40 users · 1 s think$/);
  // The page's throughput and mean are the CLI's for the same design.
  const hash = new URL(await address(page)).hash;
  const out = execFileSync('cargo', ['run', '-q', '--no-default-features', '--bin', 'archsim', '--',
    'analyze', server.url + hash, '--json'], { cwd: ROOT, encoding: 'utf8' });
  const native = JSON.parse(out);
  assert.equal(native.closed.users, 40);
  // N* in whole users, the CLI's rounded.
  assert.ok(caption.includes(`N* ≈ ${Math.round(native.closed.saturation_users).toLocaleString('en-US')} users`), caption);
  const shown = await page.locator('[data-testid="results"] [data-metric="mean"]').textContent();
  // Written as the panel writes milliseconds (format.rs `millis`).
  const m = native.latency_ms.mean;
  assert.equal(shown, m >= 1000 ? `${(m / 1000).toFixed(1)} s` : m >= 100 ? `${m.toFixed(0)} ms` : `${m.toFixed(1)} ms`);
  // The rate field shows the solved rate; the time-here explanation names MVA.
  assert.equal(Number(await page.locator('[data-testid="rps"]').inputValue()).toFixed(0), native.throughput_rps.toFixed(0));
  await page.locator('[data-testid="component-table"] tr[data-id="app"]').click();
  await page.locator('[data-testid="explanation"] .explained[data-formula="Mva"]').waitFor();
  await chart.scrollIntoViewIfNeeded();
  await shot(page, 'closed-population');
  // ×10 scales the population: it stays one, ten times as many users thinking as long.
  await page.locator('[data-testid="times10"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="users"] summary')?.textContent === '400 users · 1 s think');
  await chart.waitFor();
  assert.deepEqual(page.errors ?? [], []);
});
