// The journey in the page: start, step to the next stage with a before/after comparison,
// and ask why the design breaks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, shot } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('walk from one server to the next stage and see why it breaks', async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="journey-start"]').click();
  await page.locator('[data-testid="lesson"]').waitFor();
  await page.locator('.node[data-id="web"]').waitFor();
  assert.match(await page.locator('[data-testid="journey"] h3').textContent(), /Single server/);
  await page.locator('[data-testid="next-stage"]').click();
  await page.locator('.node[data-id="db"]').waitFor();
  const compare = page.locator('[data-testid="compare"]');
  await compare.waitFor();
  // Before: the single server at Day 30; after: web and database apart. The SPOFs are
  // counted in workers and arrive after the rest.
  await page.waitForFunction(() => /SPOFs\s+1\s+2/.test(document.querySelector('[data-testid="compare"]').innerText));
  // The same count as the failure panel's list for the same design.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="failures"][data-state="ready"] [data-testid="spof-list"] li').length === 2);
  await page.locator('[data-testid="why"]').click();
  await page.locator('[data-testid="notice"]').filter({ hasText: 'Bottleneck: Web servers, first to saturate' }).waitFor();
  await page.waitForFunction(() => document.querySelector('.node[data-id="web"]')?.classList.contains('selected'));
  await shot(page, 'journey');
  // The previous design is one undo away.
  await page.keyboard.press('Control+z');
  await page.locator('.node[data-id="db"]').waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
});

test('the capacity planner finds counts for a target and applies them', async () => {
  const page = await openApp(browser, server.url);
  const set = async (key, value) => {
    await page.locator(`[data-plan="${key}"]`).fill(String(value));
    await page.locator(`[data-plan="${key}"]`).press('Tab');
  };
  await set('rps', 2000);
  await set('p99', 400);
  await set('availability', 99.5);
  await page.locator('[data-testid="plan"]').click();
  const result = page.locator('[data-testid="plan-result"]');
  await result.waitFor();
  assert.match(await result.textContent(), /^Met: p99/);
  // How much it has to spare, in the headline's terms once applied.
  const spare = (await page.locator('[data-testid="plan-headroom"]').textContent()).match(/carries (\S+) that traffic/)[1];
  // The margin offered, 1.25×, is kept: nothing above 80 % busy.
  assert.equal(await page.locator('[data-plan="headroom"]').inputValue(), '1.25');
  assert.ok(parseFloat(spare) >= 1.25, spare);
  await page.locator('[data-testid="apply-plan"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="rps"]')?.value === '2000');
  assert.equal(await page.locator('[data-metric="dropped"]').textContent(), '0/s');
  assert.equal(await page.locator('[data-metric="headroom"]').textContent(), spare);
  // An impossible target says why.
  await set('p99', 60);
  await page.locator('[data-testid="plan"]').click();
  await page.locator('[data-testid="plan-result"]').filter({ hasText: 'No instance count can' }).waitFor();
  // A plan is for the design it was found for: an edit takes it away.
  await page.locator('[data-testid="rps"]').fill('2100');
  await page.locator('[data-testid="rps"]').press('Tab');
  await page.locator('[data-testid="plan-result"]').waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
});

test("the planner's target follows the design until one is typed, in round figures", async () => {
  const page = await openApp(browser, server.url);
  const rps = page.locator('[data-plan="rps"]');
  // Ten times the starter's 200 req/s.
  assert.equal(await rps.inputValue(), '2000');
  // Another design brings its own: ten times the stage's 1 041.67 req/s reads 10 000.
  await page.goto(server.url + '#stage=load-balancer');
  await page.locator('.node[data-id="lb"]').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-plan="rps"]')?.value === '10000');
  assert.equal(await page.locator('[data-plan="availability"]').inputValue(), '99.9');
  // A typed target stays when the design changes.
  await rps.fill('2500');
  await rps.press('Tab');
  await page.goto(server.url + '#stage=cache');
  await page.locator('.node[data-id="cache"]').waitFor();
  assert.equal(await rps.inputValue(), '2500');
  assert.deepEqual(page.errors, []);
});

test('a stage opens from a link, by its key or its number', async () => {
  const page = await openApp(browser, server.url, { hash: '#stage=cache' });
  await page.locator('.node[data-id="cache"]').waitFor();
  assert.equal(await page.locator('[data-testid="users"] summary').textContent(), '300k users');
  // By the number the Journey menu shows, too.
  const fifth = await openApp(browser, server.url, { hash: '#stage=5' });
  await fifth.locator('.node[data-id="cache"]').waitFor();
  assert.match(await fifth.locator('[data-testid="journey"] h2').textContent(), /stage 5 of 11/);
  // A stage link followed while a lesson is open opens that stage's lesson in its place.
  await fifth.evaluate(() => { location.hash = 'stage=replication'; });
  await fifth.locator('[data-testid="journey"] h2', { hasText: 'stage 4 of 11' }).waitFor();
  await fifth.locator('[data-testid="lesson"]').waitFor();
  const bad = await openApp(browser, server.url, { hash: '#stage=nope' });
  await bad.locator('[data-testid="notice"]').filter({ hasText: 'no journey stage "nope": a stage is named by its number, 1 to 11, or its key' }).waitFor();
  // The address bar then holds the design on screen, not the wrong link: a reload or a
  // copied address keeps the design.
  await bad.waitForFunction(() => location.hash.startsWith('#scenario='));
  // So it does when a wrong stage link is put in the address bar of the open page.
  await fifth.evaluate(() => { location.hash = 'stage=twelve'; });
  await fifth.locator('[data-testid="notice"]').filter({ hasText: 'no journey stage "twelve"' }).waitFor();
  await fifth.waitForFunction(() => location.hash.startsWith('#scenario='));
  await fifth.reload();
  await fifth.locator('.node[data-id="replica-1"]').waitFor();
  assert.equal(await fifth.locator('.node[data-id="cache"]').count(), 0);
  assert.deepEqual([...page.errors, ...fifth.errors, ...bad.errors], []);
});

test('the largest stages open fitted to a 1280 px window, nothing overlapping or off-screen', async () => {
  for (const key of ['data-centres', 'message-queue', 'sharding', 'monitoring']) {
    const page = await openApp(browser, server.url, { hash: `#stage=${key}`, width: 1280, height: 800 });
    await page.locator('.node[data-id="web-1"]').waitFor();
    // Fitting happens on the first frame after opening: wait for every box to be inside.
    const boxes = async () => page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
      const nodes = [...document.querySelectorAll('.node')].map((n) => {
        const r = n.querySelector('rect.node-box').getBoundingClientRect();
        return { id: n.dataset.id, l: r.left, t: r.top, r: r.right, b: r.bottom };
      });
      return { canvas: { l: canvas.left, t: canvas.top, r: canvas.right, b: canvas.bottom }, nodes };
    });
    await page.waitForFunction(() => {
      const c = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
      return [...document.querySelectorAll('.node rect.node-box')].every((r) => {
        const b = r.getBoundingClientRect();
        return b.left >= c.left - 1 && b.right <= c.right + 1 && b.top >= c.top - 1 && b.bottom <= c.bottom + 1;
      });
    });
    const { nodes } = await boxes();
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const [a, b] = [nodes[i], nodes[j]];
        const overlap = a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
        assert.ok(!overlap, `${key}: ${a.id} overlaps ${b.id}`);
      }
    }
    if (key === 'data-centres') await shot(page, 'stage-data-centres-fitted');
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('on a narrow window the legend wraps beside the minimap instead of running under it', async () => {
  const page = await openApp(browser, server.url, { hash: '#stage=monitoring', width: 1000, height: 700 });
  const [legend, minimap] = [page.locator('.legend'), page.locator('.minimap')];
  await minimap.waitFor();
  const [l, m] = [await legend.boundingBox(), await minimap.boundingBox()];
  assert.ok(l.x + l.width <= m.x, `legend ${JSON.stringify(l)} clear of minimap ${JSON.stringify(m)}`);
  // Each colour stays beside its words.
  for (const item of await legend.locator('.legend-item').all()) {
    assert.ok((await item.boundingBox()).height < 24);
  }
  await shot(page, 'narrow-legend');
  assert.deepEqual(page.errors, []);
});

test('a hot key shows on its shard: the busiest shard is overloaded while the average is not', async () => {
  const page = await openApp(browser, server.url, { hash: '#stage=sharding' });
  await page.locator('.node[data-id="db"] .node-box').click();
  const hot = page.locator('[data-param="hot_key_share"]');
  await hot.fill('0.67');
  await hot.press('Tab');
  const busiest = page.locator('[data-testid="busiest-shard"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="busiest-shard"]')?.classList.contains('bad'));
  // The same load the bottleneck line gives the group.
  const load = Number((await busiest.textContent()).match(/offered (\d+)%/)[1]);
  const line = await page.locator('[data-testid="bottleneck"]').textContent();
  assert.match(line, /Shards, offered 1\.\d+× what it can serve/);
  assert.equal(load, Math.round(100 * Number(line.match(/offered (1\.\d+)×/)[1])));
  // Where it is full: the group's arrivals over that load, below the capacity of all the
  // shards beside it (both written to two or three digits: 6 % apart at most).
  const kilo = (text) => Number(text.match(/([\d.]+)k\/s/)[1]) * 1000;
  const full = kilo((await busiest.textContent()).match(/full at ([\d.]+k\/s)/)[1]);
  const stats = page.locator('[data-testid="selected-stats"]');
  const arrivals = kilo(await stats.locator('dt:text-is("Arrivals") + dd').textContent());
  assert.ok(Math.abs(full - arrivals / (load / 100)) <= 0.06 * full, `${full} against ${arrivals} / ${load}%`);
  assert.ok(full < kilo(await stats.locator('dt:text-is("Capacity") + dd').textContent()));
  // The node and the table show that shard's load, not the shards' average (33 %) beside
  // a red box and drops.
  await page.waitForFunction((l) => document.querySelector('.node[data-id="db"] .node-stats')?.textContent.endsWith(`busiest ${l}%`), load);
  assert.equal(await page.locator('[data-testid="component-table"] tr[data-id="db"] [data-col="utilization"]').textContent(), `${load}%*`);
  assert.deepEqual(page.errors, []);
});

test("the users calculator offers the design's own user count, so applying it keeps the traffic", async () => {
  // It once kept the count it was first shown with (100 000), so on a 1 M-user stage
  // "Use this traffic" cut the traffic tenfold.
  const page = await openApp(browser, server.url, { hash: '#stage=sharding' });
  await page.locator('[data-testid="lesson"]').waitFor();
  const rps = page.locator('[data-testid="rps"]');
  const before = await rps.inputValue();
  await page.locator('[data-testid="users"] summary').click();
  const dau = page.locator('[data-users="dau"]');
  await page.waitForFunction(() => document.querySelector('[data-users="dau"]').value === '1000000');
  assert.match(await page.locator('.users-calc').innerText(), /1000000 × 300 ÷ 86 400 s × 3 = 10416\.7 req\/s/);
  await page.locator('[data-testid="apply-users"]').click();
  assert.equal(await rps.inputValue(), before);
  assert.equal(await dau.inputValue(), '1000000');
  assert.deepEqual(page.errors, []);
});

test('the lesson closes when its stage is undone or another design is opened', async () => {
  // The panel speaks of its stage's design: once that design is no longer the one on
  // screen's ancestor, it would contradict the diagram and the results.
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="journey-start"]').click();
  const journey = page.locator('[data-testid="journey"]');
  await journey.waitFor();
  await page.locator('[data-testid="next-stage"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="stage-select"]')?.value === '1');
  // Undo past the stage's opening: the design before it is back, the lesson goes.
  await page.locator('[data-testid="canvas"]').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await journey.waitFor({ state: 'detached' });
  // A stage link, then another design opened from the menu: the lesson goes too.
  const linked = await openApp(browser, server.url, { hash: '#stage=cache' });
  await linked.locator('[data-testid="journey"]').waitFor();
  await linked.locator('[data-testid="file-menu"] summary').click();
  await linked.locator('[data-testid="new-design"]').click();
  await linked.locator('[data-testid="canvas-hint"]').waitFor();
  assert.equal(await linked.locator('[data-testid="journey"]').count(), 0);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(linked.errors, []);
});

test('an edited stage keeps its lesson through a reload and in its address; a closed one does not', async () => {
  // A class walks the journey and edits a stage: a reload, or the address copied to a
  // colleague, once brought the edited design back without the lesson it was edited under.
  const page = await openApp(browser, server.url, { hash: '#stage=cache' });
  await page.locator('[data-testid="lesson"]').waitFor();
  await page.locator('[data-testid="rps"]').fill('5000');
  await page.locator('[data-testid="rps"]').press('Enter');
  await page.waitForFunction(() => location.hash.includes('%22rps%22:5000') && location.hash.endsWith('&lesson=cache'));
  await page.reload();
  await page.locator('[data-testid="lesson"]').waitFor();
  assert.match(await page.locator('[data-testid="journey"] h2').textContent(), /stage 5 of 11/);
  // Beside the edited design, not in place of it.
  assert.equal(await page.locator('[data-testid="rps"]').inputValue(), '5000');
  assert.equal(await page.locator('.node[data-id="cache"]').count(), 1);
  // Closed, the lesson leaves the address too.
  await page.locator('[data-testid="journey"] button[aria-label="Close"]').click();
  await page.waitForFunction(() => location.hash.startsWith('#scenario=') && !location.hash.includes('lesson='));
  // A link naming no stage opens its design and says why no lesson shows.
  const design = await page.evaluate(() => location.hash);
  const bad = await openApp(browser, server.url, { hash: design + '&lesson=nope' });
  await bad.locator('[data-testid="notice"]').filter({ hasText: 'The link\'s lesson is not shown. There is no journey stage "nope"' }).waitFor();
  assert.equal(await bad.locator('[data-testid="rps"]').inputValue(), '5000');
  assert.equal(await bad.locator('[data-testid="journey"]').count(), 0);
  assert.deepEqual([...page.errors, ...bad.errors], []);
});

test("the lesson's figures say they are the stage's once the design is edited", async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="journey-start"]').click();
  await page.locator('[data-testid="lesson"]').waitFor();
  await page.locator('[data-testid="next-stage"]').click();
  const compare = page.locator('[data-testid="compare"]');
  await compare.waitFor();
  assert.equal(await compare.getAttribute('data-edited'), 'false');
  const traffic = page.locator('[data-testid="stage-traffic"]');
  const stage = await traffic.textContent();
  assert.doesNotMatch(stage, /your design now/);
  // Ten times the traffic: the panel keeps the stage's figures and says whose they are.
  const rps = page.locator('[data-testid="rps"]');
  await rps.fill('1000');
  await rps.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="compare"]')?.dataset.edited === 'true');
  assert.match(await compare.locator('caption').textContent(), /you have changed it since, so Results below are your design's numbers, not these/);
  assert.equal(await traffic.textContent(), `${stage} · your design now: 1.0k req/s at peak`);
  assert.deepEqual(page.errors, []);
});

test("an overloaded design's downtime says it counts the drops, as it is never down", async () => {
  const page = await openApp(browser, server.url, { hash: '#stage=separate-database' });
  assert.equal(await page.locator('[data-testid="downtime-drops"]').count(), 0);
  const rps = page.locator('[data-testid="rps"]');
  await rps.fill(String(10 * Number((await rps.inputValue()).replace(/,/g, ''))));
  await rps.press('Enter');
  await page.locator('[data-testid="downtime-drops"]').waitFor();
  assert.equal(await page.locator('[data-testid="downtime-drops"]').textContent(), 'counts the requests dropped as full outage; the rest are served all month');
  assert.deepEqual(page.errors, []);
});

test('the Journey button brings back the lesson last shown, and a redo brings back its stage with its lesson', async () => {
  // A teacher's pass: closing the panel at stage 2 and pressing Journey again went back to
  // stage 1 (replacing the design); undoing past a stage and redoing it lost its lesson.
  const page = await openApp(browser, server.url);
  const journey = page.locator('[data-testid="journey"]');
  const stage = () => page.evaluate(() => document.querySelector('[data-testid="stage-select"]')?.value);
  await page.locator('[data-testid="journey-start"]').click();
  await journey.waitFor();
  await page.locator('[data-testid="next-stage"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="stage-select"]')?.value === '1');
  await page.locator('.node[data-id="db"]').waitFor();
  // Edited, then closed: the Journey button shows stage 2 again beside the edited design.
  await page.locator('[data-testid="rps"]').fill('500');
  await page.locator('[data-testid="rps"]').press('Enter');
  await journey.locator('button[aria-label="Close"]').click();
  await journey.waitFor({ state: 'detached' });
  await page.locator('[data-testid="journey-start"]').click();
  await journey.waitFor();
  assert.equal(await stage(), '1');
  assert.equal(await page.locator('[data-testid="rps"]').inputValue(), '500');
  // Undo the edit, then past the stage's opening: the lesson goes with its design...
  await page.locator('[data-testid="undo"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="rps"]')?.value !== '500');
  assert.equal(await stage(), '1');
  await page.locator('[data-testid="undo"]').click();
  await journey.waitFor({ state: 'detached' });
  await page.locator('.node[data-id="db"]').waitFor({ state: 'detached' });
  // ...and a redo brings both back.
  await page.locator('[data-testid="redo"]').click();
  await page.locator('.node[data-id="db"]').waitFor();
  await journey.waitFor();
  assert.equal(await stage(), '1');
  // Another design opened since: the button opens the stage last shown, not the first.
  await page.locator('[data-testid="file-menu"] summary').click();
  await page.locator('[data-testid="new-design"]').click();
  await page.locator('[data-testid="canvas-hint"]').waitFor();
  await page.locator('[data-testid="journey-start"]').click();
  await page.locator('.node[data-id="db"]').waitFor();
  assert.equal(await stage(), '1');
  assert.deepEqual(page.errors, []);
});

test("the users calculator's preview follows each keystroke", async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="users"] summary').click();
  const dau = page.locator('[data-users="dau"]');
  await dau.fill('86400');
  // No blur, no Enter: the conversion shown already reads the typed count.
  await page.waitForFunction(() => /86400 × 300 ÷ 86 400 s × 3 = 900(\.0)? req\/s/.test(document.querySelector('.users-calc').innerText));
  assert.equal(await page.locator('[data-testid="rps"]').inputValue(), '200');
  assert.deepEqual(page.errors, []);
});

test('arrow keys move through the stage list without opening each stage; Enter opens one', async () => {
  // Found by a keyboard user: each arrow key opened a stage, replacing the design on
  // every step through the list.
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="journey-start"]').click();
  await page.locator('.node[data-id="web"]').waitFor();
  const select = page.locator('[data-testid="stage-select"]');
  await select.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await select.inputValue(), '2');
  // Still the first stage: its heading, its design.
  assert.match(await page.locator('[data-testid="journey"] h3').textContent(), /Single server/);
  assert.equal(await page.locator('.node[data-id="db"]').count(), 0);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /stage 3 of/.test(document.querySelector('[data-testid="journey"] h2')?.textContent));
  // Chosen by keys and left without Enter, the list shows the stage that is open.
  await select.focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelector('[data-testid="stage-select"]').value === '3');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.querySelector('[data-testid="stage-select"]').value === '2');
  assert.match(await page.locator('[data-testid="journey"] h2').textContent(), /stage 3 of/);
  assert.deepEqual(page.errors, []);
});
