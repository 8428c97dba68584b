// Autoscaling in the page: the policy in the inspector, the steady count on the diagram
// and in the stats, a refused bound in words, and a run whose instances chart shows the
// warm-up gap between paying for an instance and its serving.
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
  assert.match(await page.locator('[data-testid="sim-cost"]').textContent(), /^\$\d+\.\d\d this run \(\$\d+\/month at its average\)$/);
  await chart.scrollIntoViewIfNeeded();
  await shot(page, 'autoscaling-run');
});
