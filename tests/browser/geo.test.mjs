// Users on the map: the three-continent example shows each population's latency against
// its objective, a person moves users from the inspector, and a regional outage sends
// Asia's users to London. Every figure is the CLI's for the same design.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, openApp, address, shot, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const example = readFileSync(join(ROOT, 'examples', 'three-continents.json'), 'utf8');

/** The CLI's report of the page's current design. */
async function native(page, ...args) {
  const hash = new URL(await address(page)).hash;
  const out = execFileSync('cargo', ['run', '-q', '--no-default-features', '--bin', 'archsim', '--',
    'analyze', server.url + hash, '--json', ...args], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out);
}

/** Milliseconds as the panel writes them (format.rs `millis`). */
const millis = (m) => m >= 1000 ? `${(m / 1000).toFixed(1)} s` : m >= 100 ? `${m.toFixed(0)} ms` : `${m.toFixed(1)} ms`;

/** Waits until the populations table shows `place`'s mean as `text`. */
async function waitMean(page, place, text) {
  await page.waitForFunction(([p, t]) =>
    document.querySelector(`[data-testid="populations"] tr[data-location="${p}"] [data-col="mean"]`)?.textContent === t,
  [place, text]);
}

test('each population sees its own latency, and an outage moves Asia to London', async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(example) });
  const table = page.locator('[data-testid="populations"]');
  await table.waitFor();
  const cli = await native(page);
  for (const [place, p] of Object.entries(cli.latency_by_location)) {
    const row = table.locator(`tr[data-location="${place}"]`);
    assert.equal(await row.locator('[data-col="mean"]').textContent(), millis(p.mean), place);
    assert.equal(await row.locator('[data-col="p99"]').textContent(), millis(p.p99), place);
    assert.equal(await row.locator('[data-col="objective"]').getAttribute('data-meets'), String(p.meets_slo), place);
  }
  await table.scrollIntoViewIfNeeded();
  await shot(page, 'populations');

  // The Seoul region fails: Tokyo's users now cross to London.
  await page.locator('.node[data-id="asia"]').click();
  await page.locator('[data-testid="fail"]').click();
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('"failed"'));
  const failed = await native(page);
  assert.ok(failed.latency_by_location.tokyo.mean > cli.latency_by_location.tokyo.mean + 150);
  await waitMean(page, 'tokyo', millis(failed.latency_by_location.tokyo.mean));
  await waitMean(page, 'seoul', millis(failed.latency_by_location.seoul.mean));
  await table.scrollIntoViewIfNeeded();
  await shot(page, 'populations-seoul-down');
  assert.deepEqual(page.errors ?? [], []);
});

test('a person moves users in the inspector and routing follows', async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(example) });
  await page.locator('[data-testid="populations"]').waitFor();
  // The N. Virginia users move to Sydney: nearer to Seoul than to London.
  await page.locator('.node[data-id="users-virginia"]').click();
  const place = page.locator('[data-testid="inspector"] select[data-param="location"]');
  await place.selectOption('sydney');
  await page.locator('[data-testid="populations"] tr[data-location="sydney"]').waitFor();
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('"sydney"'));
  const cli = await native(page);
  assert.equal(cli.latency_by_location.virginia, undefined);
  await waitMean(page, 'sydney', millis(cli.latency_by_location.sydney.mean));
  assert.deepEqual(page.errors ?? [], []);
});

test('with a region down whole, lost requests miss every objective and faster survivors are no gain', async () => {
  // The survivors of a region outage (the CDN's static hits) are fast: the table once said
  // every objective was met, and the baseline coloured the fall of the mean as a gain.
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(example) });
  await page.locator('[data-testid="pin-baseline"]').click();
  await page.locator('.node[data-id="asia"] .node-box').click();
  await page.locator('[data-testid="fail-region"]').click();
  await page.waitForFunction(() => document.querySelector('.node[data-id="db"]')?.classList.contains('failed'));
  const cli = await native(page);
  const table = page.locator('[data-testid="populations"]');
  for (const [place, p] of Object.entries(cli.latency_by_location)) {
    if (p.slo_p99 === undefined) continue;
    const row = table.locator(`tr[data-location="${place}"]`);
    await page.waitForFunction((pl) => document.querySelector(`[data-testid="populations"] tr[data-location="${pl}"] [data-col="objective"]`)?.dataset.meets === 'false', place);
    assert.equal(p.meets_slo, false, place);
    assert.match(await row.locator('[data-col="objective"]').textContent(), /^missed/);
  }
  const served = await table.locator('tr[data-location="seoul"] [data-col="served"]').textContent();
  assert.ok(parseFloat(served) < 50, served);
  const mean = page.locator('[data-testid="versus"] tr[data-figure="MeanLatency"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="versus"] tr[data-figure="MeanLatency"]')?.className === 'fewer');
  assert.match(await mean.locator('[data-col="change"]').textContent(), /, fewer served$/);
  await table.scrollIntoViewIfNeeded();
  await shot(page, 'populations-region-down');
  assert.deepEqual(page.errors ?? [], []);
});
