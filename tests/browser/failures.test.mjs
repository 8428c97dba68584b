// Failure analysis in the page: SPOF badges without clicking anything, failing a component
// from the inspector, the N−1 table, and undo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, openApp, shot, address, centre, drag } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const node = (page, id) => page.locator(`.node[data-id="${id}"]`);
const metric = (page, name) => page.locator(`[data-metric="${name}"]`);

test('SPOFs are marked on the diagram and explained', async () => {
  const page = await openApp(browser, server.url);
  const list = page.locator('[data-testid="spof-list"]');
  await list.waitFor();
  // The starter at 200 req/s: one balancer, one database, and two app servers each of which
  // could not carry the other's share alone.
  for (const id of ['lb', 'db', 'app-1', 'app-2']) {
    await node(page, id).locator('.badge.spof').waitFor();
  }
  assert.match(await list.locator('li[data-id="lb"]').textContent(), /only path from the clients to/);
  assert.match(await list.locator('li[data-id="app-1"]').textContent(), /receives 200 req\/s but can serve 160/);
  await shot(page, 'spofs');
  assert.deepEqual(page.errors, []);
});

test('failing a component updates every number, and undo brings it back', async () => {
  const page = await openApp(browser, server.url);
  await node(page, 'app-2').click();
  await page.locator('[data-testid="fail"]').click();
  await page.waitForFunction(() => document.querySelector('.node[data-id="app-2"]')?.classList.contains('failed'));
  // The balancer sends everything to app-1, which can serve 160 of the 200 req/s.
  await page.waitForFunction(() => document.querySelector('[data-metric="dropped"]')?.textContent === '40/s');
  assert.equal(await page.locator('[data-testid="component-table"] tr[data-id="app-1"] [data-col="arrival"]').textContent(), '200');
  // The inspector says what the DOWN badge says, and reads no time of a server that is down.
  const stats = page.locator('[data-testid="selected-stats"]');
  assert.equal(await stats.locator('[data-testid="failed-state"]').textContent(), 'Failed (what-if): down');
  assert.equal(await stats.locator('[data-quantity="TimeHere"]').count(), 0);
  assert.equal(await stats.locator('[data-quantity="Availability"]').textContent(), '0.00%');
  // The load chart's dropped area says what its top stands for.
  const scale = page.locator('[data-testid="load-chart"][data-state="ready"] [data-testid="drops-scale"]');
  await scale.waitFor();
  assert.match(await scale.textContent(), /^dropped \(top: [\d.,k]+\/s\)$/);
  await shot(page, 'failed-app');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => !document.querySelector('.node[data-id="app-2"]')?.classList.contains('failed'));
  assert.equal(await metric(page, 'dropped').textContent(), '0/s');
  // The N−1 table ranks the database first: losing it drops everything. A click shows it.
  const first = page.locator('[data-testid="n-minus-1"] tbody tr[data-id]').first();
  await first.waitFor();
  assert.equal(await first.getAttribute('data-id'), 'db');
  await first.click();
  await page.waitForFunction(() => document.querySelector('.node[data-id="db"]')?.classList.contains('failed'));
  assert.equal(await metric(page, 'dropped').textContent(), '200/s');
  assert.deepEqual(page.errors, []);
});

test('a pool loses one instance, then another, and its N−1 rows follow what is left', async () => {
  const page = await openApp(browser, server.url);
  const util = () => page.locator('[data-testid="component-table"] tr[data-id="app-1"] [data-col="utilization"]').textContent();
  const utilIs = (t) => page.waitForFunction((t) =>
    document.querySelector('[data-testid="component-table"] tr[data-id="app-1"] [data-col="utilization"]')?.textContent === t, t);
  // App server 1 with three instances of 160 req/s takes its 100 req/s at 21 %.
  await node(page, 'app-1').click();
  const field = page.locator('[data-param="instances"]');
  await field.fill('3');
  await field.press('Tab');
  await utilIs('21%');
  // One lost: two carry it at 31 %; another: one at 62.5 %, shown 62 %, and no third button.
  await page.locator('[data-testid="lose-one"]').click();
  await utilIs('31%');
  await page.locator('[data-testid="lose-another"]').click();
  await utilIs('62%');
  assert.equal(await page.locator('[data-testid="lose-another"]').count(), 0);
  // The N−1 table now costs the last instance: its row names what is left.
  const rows = page.locator('[data-testid="failures"][data-state="ready"] [data-testid="n-minus-1"] tr[data-id="app-1"]');
  await rows.first().waitFor();
  assert.match(await rows.first().textContent(), /its only instance/);
  // Restore brings all three back.
  await page.locator('[data-testid="restore"]').click();
  await utilIs('21%');
  assert.equal(await util(), '21%');
  assert.deepEqual(page.errors, []);
});

test('the N−1 table keeps its order while worked, and a row toggles its failure', async () => {
  const page = await openApp(browser, server.url);
  const rows = page.locator('[data-testid="n-minus-1"] tbody tr[data-id]');
  await rows.first().waitFor();
  const order = async () => rows.evaluateAll((trs) => trs.map((tr) => `${tr.dataset.id}/${tr.dataset.failure}`));
  const before = await order();
  const failed = () => page.evaluate(() => [...document.querySelectorAll('.node.failed')].map((n) => n.dataset.id));
  // Show the first row's failure: the order stays, the row is marked.
  await rows.nth(0).click();
  await page.waitForFunction(() => document.querySelector('.node[data-id="db"]')?.classList.contains('failed'));
  await page.locator('[data-testid="failures"][data-state="ready"]').waitFor();
  assert.deepEqual(await order(), before);
  assert.equal(await rows.nth(0).getAttribute('data-active'), 'true');
  // The SPOF list speaks of the design shown, as the diagram's badges do (it once kept the
  // list of the design without the failure beside the badges of the design with it).
  await page.locator('[data-testid="spofs-with-failure"]').waitFor();
  const badged = await page.evaluate(() => [...document.querySelectorAll('.node')].filter((n) => n.querySelector('.badge.spof')).map((n) => n.dataset.id).sort());
  const listed = await page.locator('[data-testid="spof-list"] li').evaluateAll((lis) => lis.map((li) => li.dataset.id).sort());
  assert.deepEqual(listed, badged);
  // Another row: the first is restored and only the second is failed.
  const second = before[1].split('/')[0];
  await rows.nth(1).click();
  await page.waitForFunction((id) => document.querySelector(`.node[data-id="${id}"]`)?.classList.contains('failed'), second);
  assert.deepEqual(await failed(), [second]);
  assert.deepEqual(await order(), before);
  // The same row again: restored, nothing failed, the live table back.
  await rows.nth(1).click();
  await page.waitForFunction(() => document.querySelectorAll('.node.failed').length === 0);
  await page.locator('[data-testid="failures"][data-state="ready"]').waitFor();
  assert.deepEqual(await order(), before);
  assert.equal(await page.locator('[data-testid="n-minus-1"] tr[data-active="true"]').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('menus close on a choice, on Esc and on a press outside', async () => {
  const page = await openApp(browser, server.url);
  const menu = page.locator('[data-testid="file-menu"]');
  const open = () => menu.evaluate((d) => d.open);
  await menu.locator('summary').click();
  assert.equal(await open(), true);
  await page.keyboard.press('Escape');
  assert.equal(await open(), false);
  await menu.locator('summary').click();
  await page.mouse.click(600, 600);
  assert.equal(await open(), false);
  await menu.locator('summary').click();
  await page.locator('[data-testid="new-design"]').click();
  assert.equal(await open(), false);
  await page.locator('[data-testid="canvas-hint"]').waitFor();
  assert.deepEqual(page.errors, []);
});


test('the SPOF list and the N−1 rows it rests on agree, grouped by what fails', async () => {
  // Journey stage 8 (two data centres): whole pools dropping thousands of requests used to
  // stand under "SPOFs: None" with nothing saying which failure each row was.
  const page = await openApp(browser, server.url, { hash: '#stage=data-centres' });
  const table = page.locator('[data-testid="failures"][data-state="ready"] [data-testid="n-minus-1"]');
  await table.waitFor();
  const caption = await page.locator('[data-testid="n-minus-1-caption"]').textContent();
  assert.match(caption, /one instance of each component/);
  assert.match(caption, /whole pool/);
  const groups = await table.locator('tbody').evaluateAll((bs) => bs.map((b) => b.dataset.group));
  assert.deepEqual(groups, ['instance', 'component']);
  const showAll = page.locator('[data-testid="failures"] button', { hasText: /^Show all/ });
  if (await showAll.count()) await showAll.click();
  const rows = await table.locator('tbody[data-group="instance"] tr[data-id]').evaluateAll((trs) =>
    trs.map((tr) => ({ id: tr.dataset.id, spof: tr.dataset.spof === 'true', text: tr.textContent })));
  const listed = await page.locator('[data-testid="spof-list"] li').evaluateAll((lis) => lis.map((li) => li.dataset.id));
  assert.deepEqual(rows.filter((r) => r.spof).map((r) => r.id).sort(), [...listed].sort());
  // Every row says which part fails.
  for (const r of rows) assert.match(r.text, /its only instance|1 of \d+ instances|the route through it/);
  const pools = await table.locator('tbody[data-group="component"] tr[data-id]').allTextContents();
  assert.ok(pools.length > 0);
  for (const t of pools) assert.match(t, /all \d+ instances/);
  // The whole table fits the side panel (no column cut off, no sideways scroll).
  assert.ok(await page.evaluate(() => { const s = document.querySelector('.side'); return s.scrollWidth <= s.clientWidth; }),
    'the side panel does not scroll sideways');
  await shot(page, 'n-minus-1-groups');
  assert.deepEqual(page.errors, []);
});

test('rows beyond the first of each group get their p99 and availability when clicked', async () => {
  // The N−1 sweep works out drops and means for every row, p99 and availability for the
  // first rows of each group; the rest say so, and clicking one applies the failure.
  const page = await openApp(browser, server.url, { hash: '#stage=data-centres' });
  const table = page.locator('[data-testid="failures"][data-state="ready"] [data-testid="n-minus-1"]');
  await table.waitFor();
  await page.locator('[data-testid="failures"] button', { hasText: /^Show all/ }).click();
  const rows = table.locator('tbody[data-group="instance"] tr[data-id]');
  const texts = await rows.allTextContents();
  assert.ok(texts.length > 8, `${texts.length} rows`);
  for (const t of texts.slice(0, 8)) assert.match(t, /ms|unbounded/);
  for (const t of texts.slice(8)) assert.match(t, /click to see/);
  // Applied, the failure's mean in the report is the row's mean: one number, two places.
  const later = rows.nth(8);
  const mean = (await later.locator('td').nth(2).textContent()).trim();
  await later.click();
  await page.locator('[data-testid="n-minus-1"] tr[data-active="true"]').waitFor();
  assert.equal(await later.getAttribute('data-active'), 'true');
  await page.waitForFunction((m) => document.querySelector('[data-metric="mean"]').textContent.trim() === m, mean);
  assert.match(await page.locator('[data-metric="p99"]').textContent(), /ms|unbounded/);
  assert.deepEqual(page.errors, []);
});

test('moving a component changes no result: nothing is solved or checked again', async () => {
  const page = await openApp(browser, server.url);
  await node(page, 'lb').locator('.badge.spof').waitFor();
  const table = () => page.locator('[data-testid="component-table"] tbody').innerText();
  const numbers = await table();
  // Watch the failure panel and the badges for as long as the move takes.
  await page.evaluate(() => {
    window.moved = { badge: document.querySelector('.node[data-id="lb"] .badge.spof'), checked: false };
    const panel = () => document.querySelector('[data-testid="failures"]');
    window.moved.watch = new MutationObserver(() => {
      if (panel()?.dataset.state !== 'ready') window.moved.checked = true;
    });
    window.moved.watch.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const designOf = async () => JSON.parse(decodeURIComponent(new URL(await address(page)).hash.slice('#scenario='.length)));
  const at = (design) => design.components.filter((c) => c.id === 'db').map((c) => [c.x, c.y])[0];
  const before = at(await designOf());
  const transform = await node(page, 'db').getAttribute('transform');
  const from = await centre(node(page, 'db'));
  await drag(page, from, { x: from.x + 90, y: from.y + 60 });
  await page.waitForFunction((t) => document.querySelector('.node[data-id="db"]').getAttribute('transform') !== t, transform);
  // The move is the design's: it reaches the address bar (and so reloads and links).
  const after = at(await designOf());
  assert.ok(after[0] > before[0] && after[1] > before[1], `moved from ${before} to ${after}`);
  const seen = await page.evaluate(() => {
    window.moved.watch.disconnect();
    return { checked: window.moved.checked, kept: window.moved.badge.isConnected };
  });
  assert.deepEqual(seen, { checked: false, kept: true }, 'the failure analysis stays, badges and all');
  assert.equal(await table(), numbers);
  assert.deepEqual(page.errors, []);
});

test('a design that serves nothing shows no latency and no bottleneck, and the table uses the diagram names', async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="bottleneck"]').waitFor();
  // The table names components as the diagram does; ids stay in data-id.
  const design = JSON.parse(decodeURIComponent(new URL(await address(page)).hash.slice('#scenario='.length)));
  const label = (id) => design.components.find((c) => c.id === id).label;
  const first = page.locator('[data-testid="component-table"] tr[data-id="lb"] td').first();
  assert.equal(await first.textContent(), label('lb'));
  assert.match(await page.locator('[data-testid="bottleneck"]').textContent(), new RegExp(`Bottleneck: ${label('app-1')}`));
  // The N−1 row of the balancer drops every request: no times, said the same way.
  const lbRow = page.locator('[data-testid="n-minus-1"] tr[data-id="lb"][data-failure="instance"] td');
  await lbRow.first().waitFor();
  assert.equal(await lbRow.nth(2).textContent(), '—');
  assert.match(await lbRow.nth(2).getAttribute('title'), /No request is served/);
  // A row that drops some says whose times it shows: losing one app server drops 40 of 200.
  const appRow = page.locator('[data-testid="n-minus-1"] tr[data-id="app-1"][data-failure="instance"] td');
  // And what the failure leaves busiest: the other app server, past its capacity.
  assert.equal(await appRow.nth(2).getAttribute('title'),
    `The time of the 160/s still served; the 40/s dropped are not in it. With this failure ${label('app-2')} is 100% busy`);
  await node(page, 'db').click();
  await page.locator('[data-testid="fail"]').click();
  await page.waitForFunction(() => document.querySelector('[data-metric="throughput"]')?.textContent === '0/s');
  for (const m of ['mean', 'p50', 'p95', 'p99']) {
    assert.equal(await metric(page, m).textContent(), '—');
    assert.match(await metric(page, m).locator('..').getAttribute('title'), /No request is served/);
  }
  assert.equal(await metric(page, 'headroom').textContent(), '—');
  assert.equal(await page.locator('[data-testid="bottleneck"]').count(), 0);
  await shot(page, 'serves-nothing');
  assert.deepEqual(page.errors, []);
});

test('the load chart never shows the previous design as this one', async () => {
  const page = await openApp(browser, server.url);
  const chart = page.locator('[data-testid="load-chart"]');
  await page.locator('[data-testid="load-chart"][data-state="ready"]').waitFor();
  const ticks = () => chart.locator('text.tick').allTextContents();
  const before = await ticks();
  await page.locator('[data-testid="file-menu"] summary').click();
  await page.locator('[data-example="three-continents"]').click();
  await page.waitForFunction(() => document.querySelector('[data-metric="throughput"]')?.textContent === '3.0k/s');
  // The new results are on screen: the chart is either marked as updating (greyed, no
  // "now" marker) or already the new design's.
  const state = await chart.getAttribute('data-state');
  if (state === 'updating') {
    assert.equal(await chart.locator('.now').count(), 0);
    assert.match(await chart.locator('figcaption').textContent(), /updating/);
  } else {
    assert.notDeepEqual(await ticks(), before);
  }
  await page.locator('[data-testid="load-chart"][data-state="ready"]').waitFor();
  assert.notDeepEqual(await ticks(), before);
  assert.equal(await chart.locator('.now').count(), 1);
  assert.deepEqual(page.errors, []);
});

test('a failed cache says its callers go to its origin, and no traffic draws no load curve', async () => {
  const page = await openApp(browser, server.url, { hash: '#stage=stateless' });
  await node(page, 'cache').locator('.node-box').click();
  const stats = page.locator('[data-testid="selected-stats"]');
  await stats.locator('[data-testid="hit-ratio"]').waitFor();
  await page.locator('[data-testid="fail"]').click();
  await stats.locator('[data-testid="failed-state"]').waitFor();
  // What its misses do to the replicas, from the numbers on screen.
  const dropped = (await page.locator('.headline [data-metric="dropped"]').textContent()).replace('/s', '');
  assert.match(await stats.locator('[data-testid="failed-state"]').textContent(),
    new RegExp(`^Failed \\(what-if\\): its callers go straight to its origin; with the design as it is now, Replica 1 and Replica 2 are overloaded, and ${dropped} req/s are dropped$`));
  // A cache that serves nothing has no hit ratio to show.
  assert.equal(await stats.locator('[data-testid="hit-ratio"]').count(), 0);
  await shot(page, 'failed-cache');
  await page.locator('[data-testid="rps"]').fill('0');
  await page.locator('[data-testid="rps"]').press('Enter');
  await page.locator('[data-testid="no-load-curve"]').waitFor();
  assert.equal(await page.locator('[data-testid="load-chart"]').count(), 0);
  // Nothing offered, nothing to lose: the failure panel says so rather than "None", and
  // its rows show no times rather than "unbounded".
  await page.waitForFunction(() => /no traffic is offered/.test(document.querySelector('[data-testid="no-spof"]')?.textContent ?? ''));
  const row = page.locator('[data-testid="n-minus-1"] tbody tr[data-id]').first().locator('td');
  assert.equal(await row.nth(2).textContent(), '—');
  assert.deepEqual(page.errors, []);
});

test('a failed-over primary reads as passed by, and its link to the promoted replica as failover', async () => {
  const page = await openApp(browser, server.url, { hash: '#stage=replication' });
  await node(page, 'db').locator('.node-box').click();
  await page.locator('[data-testid="fail"]').click();
  const stats = page.locator('[data-testid="selected-stats"]');
  await stats.locator('[data-testid="failed-state"]').waitFor();
  // The inspector names the replica promoted in its place.
  assert.match(await stats.locator('[data-testid="failed-state"]').textContent(),
    /Replica 1 is promoted in its place and takes its writes, so it takes nothing down/);
  // Its availability reads 100 %, and says why beside it (a teacher's pass found it odd).
  assert.match(await stats.locator('[data-testid="passed-availability"]').textContent(),
    /^Counted as up in the availability, though it failed: Replica 1 is promoted in its place/);
  // The box says the writes pass it by, not that it serves them.
  await page.waitForFunction(() => /passed by$/.test(document.querySelector('.node[data-id="db"] .node-stats')?.textContent ?? ''));
  assert.equal(await node(page, 'db').locator('.node-stats').textContent(), '417/s passed by');
  // The link's hover text holds its whole label, whatever fits between the boxes.
  const title = page.locator('.link[data-link="db→replica-1"] > title');
  assert.match(await title.textContent(), /^417\/s · failover$/);
  await shot(page, 'failed-over-primary');
  assert.deepEqual(page.errors, []);
});

test('an overloaded replica with no queue limit says why it both drops and waits without end', async () => {
  const page = await openApp(browser, server.url, { hash: '#stage=sharding' });
  await node(page, 'cache-2').locator('.node-box').click();
  await page.locator('[data-testid="fail"]').click();
  await page.locator('[data-testid="failed-state"]').waitFor();
  await node(page, 'replica-3').locator('.node-box').click();
  const stats = page.locator('[data-testid="selected-stats"]');
  const why = stats.locator('[data-testid="overflow"]');
  await why.waitFor();
  // The sentence gives the same rates as the lines above it.
  const text = await stats.innerText();
  const dropped = text.match(/Dropped\s+(\S+)\/s/)[1];
  const capacity = text.match(/Capacity\s+(\S+)\/s/)[1];
  assert.match(await why.textContent(), new RegExp(`it serves ${capacity}/s; the other ${dropped}/s can never be served`));
  assert.match(text, /Time here\s+unbounded/);
  await shot(page, 'overflow');
  assert.deepEqual(page.errors, []);
});

test('a region fails whole from its inspector, and one undo brings it all back', async () => {
  const page = await openApp(browser, server.url, { hash: '#stage=message-queue' });
  await node(page, 'region-1').locator('.node-box').click();
  const whole = page.locator('[data-testid="fail-region"]');
  assert.match(await whole.getAttribute('title'), /marks it and the 10 components placed in Seoul failed/);
  await whole.click();
  // The region and what stands in Seoul are down; the users there, the DNS and CDN are not.
  for (const id of ['region-1', 'db', 'replica-1', 'files', 'web-1', 'workers']) {
    await page.waitForFunction((id) => document.querySelector(`.node[data-id="${id}"]`)?.classList.contains('failed'), id);
  }
  for (const id of ['users', 'dns', 'cdn', 'region-2', 'replica-3']) {
    assert.equal(await node(page, id).evaluate((e) => e.classList.contains('failed')), false, id);
  }
  // The primary's writes go to Virginia's replica, promoted.
  await page.waitForFunction(() => /passed by$/.test(document.querySelector('.node[data-id="db"] .node-stats')?.textContent ?? ''));
  await page.locator('[data-testid="restore-region"]').waitFor();
  await shot(page, 'region-outage');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelectorAll('.node.failed').length === 0);
  assert.deepEqual(page.errors, []);
});

test("an N−1 row that loses requests shows its times muted, as the survivors' times", async () => {
  // Stage 7's whole cache lost: its misses overflow the replicas; the times left are those
  // of the requests still served, and faster is no gain.
  const page = await openApp(browser, server.url, { hash: '#stage=stateless' });
  const row = page.locator('[data-testid="failures"][data-state="ready"] tr[data-id="cache"][data-failure="component"]');
  await row.waitFor();
  assert.ok(await row.locator('td.survivors').count() >= 1);
  assert.match(await row.locator('td.survivors').first().getAttribute('title'), /still served; the .+ dropped are not in it/);
  assert.deepEqual(page.errors, []);
});

test('every consumer down: the N−1 row and the results say its messages are never processed', async () => {
  // Stage 9's workers take what both queues hold. With the whole pool down no request is
  // dropped (they were answered at enqueue), but every message is left unprocessed.
  const page = await openApp(browser, server.url, { hash: '#stage=message-queue' });
  const row = page.locator('[data-testid="failures"][data-state="ready"] tr[data-id="workers"][data-failure="component"]');
  await row.waitFor();
  const lost = (await row.locator('[data-testid="row-messages"]').textContent()).match(/^ \+(\S+)\/s messages$/)[1];
  assert.equal(await row.locator('td').nth(1).evaluate((td) => td.firstChild.textContent), '0');
  assert.equal(await row.getAttribute('class'), 'clickable bad');
  await row.click();
  await page.waitForFunction((x) => document.querySelector('[data-testid="background-dropped"]')?.textContent === `+${x}/s messages never processed`, lost);
  assert.equal(await metric(page, 'dropped').textContent(), '0/s');
  assert.ok(await page.locator('p.note', { hasText: 'Workers: every consumer is down' }).count() === 1);
  assert.deepEqual(page.errors, []);
});

test("a replica's requests are what its links bring, and its work is said apart", async () => {
  // Stage 4: the web tier's reads and the primary's writes reach Replica 1; each write
  // applied is half a read's work, so the servers see less work than requests.
  const page = await openApp(browser, server.url, { hash: '#stage=replication' });
  const into = async (from) => Number((await page.locator(`.link[data-link="${from}→replica-1"] > title`).textContent()).match(/^(\d+)\/s/)[1]);
  const cell = page.locator('[data-testid="component-table"] tr[data-id="replica-1"] [data-col="arrival"]');
  const title = await cell.getAttribute('title');
  const [, reads, writes] = title.match(/^(\d+)\/s of other requests and (\d+) writes\/s applied/);
  assert.equal(Number(writes), await into('db'));
  assert.equal(Number(reads), await into('web'));
  assert.match(title, /applying a write is 0\.5 of a read's work .* so its servers see \d+\/s of work\.$/);
  // The box and the table say the same number of requests, more than the work.
  assert.equal(await cell.textContent(), '1.1k');
  assert.match(await node(page, 'replica-1').locator('.node-stats').textContent(), /^1\.1k\/s · /);
  assert.deepEqual(page.errors, []);
});

test('a design failed in the inspector says its table is the failed design, names the failure where requests are lost, and draws no time axis for nothing served', async () => {
  // A new user's pass: failing the primary of App → Cache → DB blamed DNS alone, kept the
  // caption about clicked rows, and drew a 0–1 ms axis with no line.
  const design = JSON.parse(await readFile(new URL('./fixtures/url-shortener.json', import.meta.url), 'utf8'));
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(design)) });
  await node(page, 'database-1').locator('.node-box').click();
  await page.locator('[data-testid="fail"]').click();
  await page.locator('[data-testid="n-minus-1-failed"]').filter({ hasText: 'Here the design on screen already has DB primary failed (what-if)' }).waitFor();
  await page.locator('[data-testid="results"] .note').filter({ hasText: 'with DB primary down (what-if) and deep health checks taking out what needs it' }).waitFor();
  await page.locator('[data-testid="load-chart"][data-state="ready"] [data-testid="no-latency"]').waitFor();
  // Restored, the design is served again and the chart has its time axis back.
  await page.locator('[data-testid="undo"]').click();
  await page.locator('[data-testid="n-minus-1-failed"]').waitFor({ state: 'detached' });
  await page.locator('[data-testid="load-chart"][data-state="ready"] .key.p99').waitFor();
  assert.equal(await page.locator('[data-testid="no-latency"]').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a design that cannot be solved says no failure can be weighed, not that no traffic is offered', async () => {
  // Two app servers that send every request to each other: no request ever finishes.
  const loop = {
    version: 9, name: 'Loop', traffic: { rps: 100, read: 1, write: 0, static: 0 },
    components: [
      { id: 'u', kind: 'client', label: 'Users', x: 80, y: 200 },
      { id: 'a', kind: 'app_server', label: 'A', x: 300, y: 200 },
      { id: 'b', kind: 'app_server', label: 'B', x: 500, y: 200 },
    ],
    links: [{ from: 'u', to: 'a' }, { from: 'a', to: 'b' }, { from: 'b', to: 'a' }],
  };
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(loop)) });
  // The panel is ready (nothing to wait for), and says why it has no table.
  await page.locator('[data-testid="failures"][data-state="ready"][data-unsolved="true"]').waitFor();
  const said = await page.locator('[data-testid="no-spof"]').textContent();
  assert.match(said, /cannot be solved/);
  assert.doesNotMatch(said, /no traffic/);
  assert.equal(await page.locator('[data-testid="n-minus-1"]').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a failure the solver cannot solve is said under the table and listed as a SPOF', async () => {
  // The app links back to the gateway: with the database down, requests can only go round
  // app → gateway → app, and that design does not solve. It has no row; it is said.
  const design = {
    version: 9, name: 'loop',
    traffic: { rps: 100, read: 1, write: 0, static: 0 },
    components: [
      { id: 'users', kind: 'client', label: 'Users', x: 0, y: 0 },
      { id: 'gw', kind: 'api_gateway', label: 'Gateway', x: 200, y: 0 },
      { id: 'app', kind: 'app_server', label: 'App', x: 400, y: 0, params: { instances: 2 } },
      { id: 'db', kind: 'database', label: 'DB', x: 600, y: 0 },
    ],
    links: [
      { from: 'users', to: 'gw' }, { from: 'gw', to: 'app' }, { from: 'app', to: 'db' }, { from: 'app', to: 'gw' },
    ],
  };
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encodeURIComponent(JSON.stringify(design)) });
  const said = page.locator('[data-testid="n-minus-1-unassessed"] li[data-id="db"]');
  await said.waitFor();
  assert.match(await said.textContent(), /^Losing DB cannot be solved: with it down, .*can never leave it/);
  assert.equal(await page.locator('[data-testid="spof-list"] li[data-id="db"]').textContent(), await said.textContent());
  await node(page, 'db').locator('.badge.spof').waitFor();
  assert.deepEqual(page.errors, []);
});
