// Caches sized against the workload: the key space in the traffic menu, the hit ratio the
// models give (and where it comes from) in the inspector, with the curve of hit ratio
// against cache size, and a size without a key space refused in words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, openApp, shot, ROOT } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function fill(locator, value) {
  await locator.fill(String(value));
  await locator.press('Tab');
}

test('a cache sized against the key space shows its computed hit ratio and the curve', async () => {
  const example = readFileSync(join(ROOT, 'examples', 'cache-sizing.json'), 'utf8');
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(JSON.parse(example))) });
  await page.locator('.node[data-id="cache"] .node-box').click();
  const hit = page.locator('[data-testid="hit-ratio"]');
  await hit.waitFor();
  // The CLI and the tests give 58.5 % for 100 000 of a million keys at Zipf 0.9.
  assert.match(await hit.textContent(), /^5[89]% \(from the workload\)$/);
  const curve = page.locator('[data-testid="hit-curve"]');
  await curve.locator('path.series').waitFor();
  await curve.locator('[data-testid="hit-current"]').waitFor();
  // The curve's note names the same hit ratio as the inspector's stats beside it.
  const shown = (await hit.textContent()).split(' ')[0];
  assert.match(await curve.locator('[data-testid="hit-now"]').textContent(), new RegExp(`^This cache: 100,000 keys, a ${shown} hit ratio\\.`));
  assert.equal(await page.locator('[data-param="capacity_keys"]').inputValue(), '100000');

  // A run: the cache starts empty and warms up, charted per second; after the warm-up its
  // hit ratio agrees with the model's.
  await page.locator('[data-testid="simulation"]').scrollIntoViewIfNeeded();
  await page.locator('[data-testid="run"]').click();
  await page.locator('[data-testid="sim-results"]').waitFor({ timeout: 120_000 });
  await page.locator('[data-testid="chart-component"]').selectOption('cache');
  await page.locator('[data-testid="chart-hit-ratio"] path.series').waitFor();
  assert.equal(await page.locator('[data-testid="comparison"] tr[data-metric="cache hit ratio"]').getAttribute('data-agrees'), 'true');
  await page.locator('[data-testid="chart-hit-ratio"]').scrollIntoViewIfNeeded();
  await shot(page, 'cache-warm-up');

  // A bigger cache: a higher hit ratio, on the stats and the curve's marker.
  await page.locator('.node[data-id="cache"] .node-box').click();
  const before = await hit.textContent();
  await fill(page.locator('[data-param="capacity_keys"]'), 300000);
  await page.waitForFunction((b) => document.querySelector('[data-testid="hit-ratio"]')?.textContent !== b, before);
  assert.ok(parseFloat(await hit.textContent()) > parseFloat(before));
  // An empty hit-ratio field means the model's value, and says so; the memory is the size
  // times the object size (300 000 × 4 kB).
  assert.match(await page.locator('[data-param="hit_ratio"]').getAttribute('placeholder'), /^0\.\d{3} from the workload$/);
  assert.equal(await page.locator('[data-testid="cache-memory"]').textContent(), '1.2 GB');
  await curve.scrollIntoViewIfNeeded();
  await shot(page, 'cache-sizing');
  // Typed over, the hit ratio is the typed one, the curve's note says it overrides the
  // size, and the empty field still means the workload's (not the kind's 0.8).
  const placeholder = await page.locator('[data-param="hit_ratio"]').getAttribute('placeholder');
  await fill(page.locator('[data-param="hit_ratio"]'), 0.9);
  await page.waitForFunction(() => document.querySelector('[data-testid="hit-ratio"]')?.textContent.startsWith('90%'));
  assert.match(await curve.locator('[data-testid="hit-now"]').textContent(), /a typed 90% hit ratio, which the numbers use instead of the curve's/);
  assert.equal(await page.locator('[data-param="hit_ratio"]').getAttribute('placeholder'), placeholder);
  await fill(page.locator('[data-param="hit_ratio"]'), '');
  await page.waitForFunction(() => /from the workload/.test(document.querySelector('[data-testid="hit-ratio"]')?.textContent ?? ''));

  // The key space is in the traffic menu; clearing it while the cache has a size is refused
  // in words and the design keeps it.
  await page.locator('[data-testid="mix"] summary').click();
  const keys = page.locator('[data-workload="keys"]');
  assert.equal(await keys.inputValue(), '1000000');
  await fill(keys, '');
  await page.getByText("Cache size needs the traffic's key space").first().waitFor();
  assert.match(await hit.textContent(), /from the workload/);

  // A typed hit ratio overrides the model, and says so.
  await page.locator('[data-testid="mix"] summary').click();
  await page.locator('.node[data-id="cache"] .node-box').click();
  await fill(page.locator('[data-param="hit_ratio"]'), 0.5);
  await page.waitForFunction(() => document.querySelector('[data-testid="hit-ratio"]')?.textContent === '50% (typed)');
  assert.deepEqual(page.errors ?? [], []);
});

test('a replica shows its lag and stale reads, a shard group what one more shard moves', async () => {
  const design = {
    version: 6, name: 'data tier',
    traffic: { rps: 160, read: 0.375, write: 0.625, static: 0 },
    components: [
      { id: 'users', kind: 'client', label: 'Users', x: 80, y: 200 },
      { id: 'app', kind: 'app_server', label: 'App', x: 260, y: 200, params: { instances: 20 } },
      { id: 'db', kind: 'database', label: 'Primary', x: 460, y: 120 },
      { id: 'replica', kind: 'read_replica', label: 'Replica', x: 660, y: 120,
        params: { concurrency: 1, service_time_ms: 5, replication_delay_ms: 2 } },
      { id: 'shards', kind: 'shard_group', label: 'Shards', x: 460, y: 300, params: { shards: 4 } },
    ],
    links: [
      { from: 'users', to: 'app' },
      { from: 'app', to: 'db', classes: ['write'] },
      { from: 'app', to: 'replica', classes: ['read'] },
      { from: 'db', to: 'replica' },
      { from: 'app', to: 'shards', classes: ['read'], calls: 1 },
    ],
  };
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(design)) });
  // 100 writes and 60 reads a second on one 5 ms server: an M/M/1 at 160/s, mean lag
  // 2 + 1000/40 = 27 ms.
  await page.locator('.node[data-id="replica"] .node-box').click();
  const lag = page.locator('[data-testid="replica-lag"]');
  await lag.waitFor();
  assert.match(await lag.textContent(), /^mean 27\.0 ms, p99 11[67](\.\d)? ms$/);
  // p99 2 + 25 ln 100 = 117 ms; stale after 100 ms: e^−40 × 0.098 = 2 %.
  assert.equal(await page.locator('[data-testid="stale-reads"]').textContent(), '2% at 100 ms after a write');
  // 100 writes a second, 27 ms behind on average: 2.7 answered and not yet applied, which
  // a failover promoting it would lose.
  assert.equal(await page.locator('[data-testid="unapplied-writes"]').textContent(), '2.7 writes unapplied, lost on failover');
  // The primary's link to it says so too. Its boxes stand 52 apart, room for the rate
  // alone: the rest is the link's hover text, not written over the replica's name.
  const toReplica = page.locator('.link[data-link="db→replica"]');
  assert.equal(await toReplica.locator('.link-label').textContent(), '100/s');
  assert.match(await toReplica.locator('title').textContent(), /^100\/s · writes · lag 27\.0 ms$/);
  const [label, replica] = await Promise.all([
    toReplica.locator('.link-label').boundingBox(),
    page.locator('.node[data-id="replica"] .node-box').boundingBox(),
  ]);
  assert.ok(label.x + label.width <= replica.x, `${JSON.stringify(label)} clear of ${JSON.stringify(replica)}`);
  // Synchronous: no lag.
  await page.locator('[data-param="replication"]').selectOption('sync');
  await page.waitForFunction(() => document.querySelector('[data-testid="replica-lag"]')?.textContent === 'none (synchronous)');
  await page.waitForFunction(() => /sync$/.test(document.querySelector('.link[data-link="db→replica"] title')?.textContent ?? ''));
  assert.equal(await page.locator('[data-testid="unapplied-writes"]').textContent(), '0 writes: none are lost on failover');
  await shot(page, 'replica-lag');
  // Modulo hashing over 4 shards: one more moves 80 % of the keys, one fewer 75 %.
  await page.locator('.node[data-id="shards"] .node-box').click();
  assert.equal(await page.locator('[data-testid="resharding"]').textContent(), '+1 shard moves 80%, −1 moves 75%');
  assert.deepEqual(page.errors ?? [], []);
});

test('a resharding runs from the example, shows what moved, and is edited in the run panel', async () => {
  const example = readFileSync(join(ROOT, 'examples', 'resharding.json'), 'utf8');
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(JSON.parse(example))) });
  const rows = page.locator('[data-testid="reshards"] tr.reshard');
  await page.locator('[data-testid="simulation"]').scrollIntoViewIfNeeded();
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.equal(await rows.first().locator('[data-reshard="shards"]').inputValue(), '5');
  // One shard group, already resharded: nothing more to add.
  assert.equal(await page.locator('[data-testid="add-reshard"]').count(), 0);
  await page.locator('[data-testid="run"]').click();
  const moved = page.locator('[data-testid="sim-resharded"]');
  await moved.waitFor({ timeout: 120_000 });
  assert.equal(await moved.textContent(), 'Orders (4 shards, hash mod N): 4 → 5 shards at 60 s, 80% of keys moved, copied for 60 s');
  await page.locator('[data-testid="chart-latency"] .mark.reshard').first().waitFor();
  await page.locator('[data-testid="chart-latency"]').scrollIntoViewIfNeeded();
  await shot(page, 'resharding-run');
  // Fewer shards than the group has is refused in words, and the row keeps its value.
  const shards = rows.first().locator('[data-reshard="shards"]');
  await fill(shards, 3);
  await page.getByText('the simulator adds shards, it does not remove them').first().waitFor();
  // Removed, then added again: one shard more, a third of the way in, copied for a sixth.
  await rows.first().locator('button.icon').click();
  await page.locator('[data-testid="add-reshard"]').click();
  await rows.first().waitFor();
  assert.equal(await rows.first().locator('[data-reshard="shards"]').inputValue(), '5');
  assert.equal(await rows.first().locator('[data-reshard="at_s"]').inputValue(), '80');
  assert.equal(await rows.first().locator('[data-reshard="migration_s"]').inputValue(), '40');
  assert.deepEqual(page.errors ?? [], []);
});
