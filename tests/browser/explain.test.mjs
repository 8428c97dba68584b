// Where a number comes from, in the page: click a headline figure or a component's row and
// read the formula, its inputs and the result; ask what helps most; a pinned baseline
// survives a reload; a journey stage is compared with the previous one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, shot } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// One instance of four 100 ms workers sharing a queue at 32 requests a second: an M/M/4 at
// 80 % (Erlang C).
const mm4 = {
  version: 6, name: 'M/M/4',
  traffic: { rps: 32, read: 1, write: 0, static: 0 },
  components: [
    { id: 'users', kind: 'client', label: 'Users', x: 80, y: 200 },
    { id: 'app', kind: 'app_server', label: 'App', x: 300, y: 200,
      params: { instances: 1, concurrency: 4, service_time_ms: 100, service_cv: 1 } },
  ],
  links: [{ from: 'users', to: 'app' }],
};
const encoded = (design) => encodeURIComponent(JSON.stringify(design));

test('a headline figure and a component row open their explanations', async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encoded(mm4) });
  const mean = page.locator('[data-testid="results"] [data-figure="MeanLatency"]');
  await mean.click();
  const card = page.locator('[data-testid="explanation"]');
  await card.waitFor();
  assert.equal(await card.locator('.explained').getAttribute('data-formula'), 'MeanSum');
  // The explained result is the headline's number, written the same way.
  assert.equal(await card.locator('[data-testid="explained-result"]').textContent(), await mean.locator('dd').textContent());
  assert.match(await card.locator('[data-testid="exactness"]').textContent(), /^Exact\./);
  await card.getByRole('button', { name: 'Close the explanation' }).click();
  await card.waitFor({ state: 'detached' });

  // The component: Erlang C with c = 4, λ = 32/s, μ = 10/s; its utilisation; availability.
  await page.locator('[data-testid="component-table"] tr[data-id="app"]').click();
  await card.waitFor();
  const blocks = card.locator('.explained');
  assert.deepEqual(await blocks.evaluateAll((b) => b.map((x) => x.dataset.formula)), ['ErlangC', 'Utilisation', 'KOfN']);
  const time = blocks.first();
  const cell = (symbol) => time.locator(`tr[data-symbol="${symbol}"] td`).first().textContent();
  assert.equal(await cell('c'), '4');
  assert.equal(await cell('λ'), '32 req/s');
  assert.equal(await cell('μ'), '10 /s');
  const row = await page.locator('[data-testid="component-table"] tr[data-id="app"] td').nth(3).textContent();
  assert.equal(await time.locator('[data-testid="explained-result"]').textContent(), row);
  // Erlang C's mean from the card's own inputs: C/(cμ − λ) + 1/μ, in ms.
  const erlang = parseFloat(await cell('C(c, a)'));
  const precise = parseFloat(await time.locator('[data-testid="explained-result"]').getAttribute('data-value'));
  assert.ok(Math.abs(1000 * (erlang / (40 - 32) + 0.1) - precise) < 1e-3, `${precise}`);
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'explanation');
  assert.deepEqual(page.errors ?? [], []);
});

test("the inspector's numbers open their explanations too", async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encoded(mm4) });
  await page.locator('.node[data-id="app"] .node-box').click();
  const stats = page.locator('[data-testid="selected-stats"]');
  const card = page.locator('.inspector [data-testid="explanation"]');
  for (const [quantity, formula] of [['TimeHere', 'ErlangC'], ['Utilisation', 'Utilisation'], ['Availability', 'KOfN']]) {
    const number = stats.locator(`dd[data-quantity="${quantity}"]`);
    await number.click();
    await card.locator(`.explained[data-formula="${formula}"]`).waitFor();
    assert.equal(await card.locator('.explained').count(), 1);
    // The card's result is the inspector's number, written the same way.
    assert.equal(await card.locator('[data-testid="explained-result"]').textContent(), await number.textContent());
  }
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'inspector-explanation');
  // One card at a time on the page: a headline figure's replaces it, and the other way round.
  const cards = page.locator('[data-testid="explanation"]');
  await page.locator('[data-figure="P99"]').click();
  await page.locator('.results [data-testid="explanation"]').waitFor();
  await card.waitFor({ state: 'detached' });
  assert.equal(await cards.count(), 1);
  await stats.locator('dd[data-quantity="TimeHere"]').click();
  await card.waitFor();
  await page.locator('.results [data-testid="explanation"]').waitFor({ state: 'detached' });
  assert.equal(await cards.count(), 1);
  // Selecting another component closes it.
  await page.locator('.node[data-id="users"] .node-box').click();
  await card.waitFor({ state: 'detached' });
  assert.deepEqual(page.errors ?? [], []);
});

test('what helps most ranks one more instance first for p99', async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encoded(mm4) });
  const ask = page.locator('[data-testid="find-levers"]');
  await ask.scrollIntoViewIfNeeded();
  await ask.click();
  const first = page.locator('[data-testid="levers"] li[data-lever]').first();
  await first.waitFor();
  assert.equal(await first.getAttribute('data-lever'), 'app:AddInstance');
  assert.match(await first.locator('[data-col="gain"]').textContent(), /^−/);
  // Cost: nothing here makes the design cheaper.
  await page.locator('[data-testid="levers"] [data-goal="Cost"]').click();
  await page.locator('[data-testid="no-levers"]').waitFor();
  await page.locator('[data-testid="levers"] [data-goal="P99"]').click();
  await first.waitFor();
  await page.locator('[data-testid="levers"]').scrollIntoViewIfNeeded();
  await shot(page, 'levers');
  // With three instances at 27 %, one fewer is a saving that serves every request, shown
  // with the p99 it costs.
  await page.locator('.node[data-id="app"] .node-box').click();
  const instances = page.locator('[data-param="instances"]');
  await instances.fill('3');
  await instances.press('Tab');
  await page.locator('[data-testid="levers"] [data-goal="Cost"]').click();
  const saving = page.locator('[data-testid="levers"] li[data-lever="app:RemoveInstance"]');
  await saving.waitFor();
  assert.match(await saving.textContent(), /App: one instance fewer−\$[\d,]+then p99 [\d.]+ ms/);
  assert.deepEqual(page.errors ?? [], []);
});

test('a pinned baseline survives a reload, and a stage compares with the previous one', async () => {
  const page = await openApp(browser, server.url, { hash: '#scenario=' + encoded(mm4) });
  await page.locator('[data-testid="pin-baseline"]').click();
  await page.locator('[data-testid="versus"]').waitFor();
  await page.waitForFunction(() => location.hash.includes('&baseline='));
  const pinned = await page.evaluate(() => location.hash);
  await page.locator('.node[data-id="app"] .node-box').click();
  const workers = page.locator('[data-param="concurrency"]');
  await workers.fill('5');
  await workers.press('Tab');
  await page.waitForFunction(() => document.querySelector('[data-testid="versus"] tr[data-figure="MeanLatency"]')?.className === 'better');
  // The address bar is written after the edit is drawn: wait for the edit to reach it.
  await page.waitForFunction((before) => location.hash !== before && location.hash.includes('&baseline='), pinned);
  await page.reload();
  await page.locator('[data-testid="versus"] tr[data-figure="MeanLatency"].better').waitFor();
  assert.equal(await page.locator('[data-testid="baseline-changes"] li').first().textContent(), 'App: concurrency 4 → 5');
  // Clearing the pin takes it out of the address bar too.
  await page.locator('[data-testid="clear-baseline"]').click();
  await page.waitForFunction(() => !location.hash.includes('&baseline='));

  await page.locator('[data-testid="journey-start"]').click();
  await page.locator('[data-testid="next-stage"]').click();
  await page.locator('.node[data-id="db"]').waitFor();
  await page.locator('[data-testid="compare-previous-stage"]').click();
  // Answered where the person looks: the comparison itself is far below.
  await page.locator('[data-testid="notice"]').filter({ hasText: 'Against the baseline' }).waitFor();
  const changes = page.locator('[data-testid="baseline-changes"]');
  await changes.waitFor();
  assert.ok((await changes.locator('li').count()) > 0);
  await page.locator('[data-testid="versus"] tr[data-figure="MonthlyCost"].worse').waitFor();
  assert.deepEqual(page.errors ?? [], []);
});

test('a row far down a long table opens its card in view, Escape closes it, and the table fits its panel', async () => {
  const page = await openApp(browser, server.url, { hash: '#stage=data-centres' });
  const rows = page.locator('[data-testid="component-table"] tbody tr');
  await rows.first().waitFor();
  const last = rows.last();
  await last.scrollIntoViewIfNeeded();
  await last.click();
  const card = page.locator('[data-testid="results"] [data-testid="explanation"]');
  await card.waitFor();
  // The card's top is on screen: the person sees what their click opened.
  await page.waitForFunction(() => {
    const r = document.querySelector('[data-testid="results"] [data-testid="explanation"]')?.getBoundingClientRect();
    return r && r.top >= 0 && r.top < innerHeight;
  });
  await page.keyboard.press('Escape');
  await card.waitFor({ state: 'detached' });
  // Long names are cut with an ellipsis rather than pushing the numbers past the panel.
  const [table, panel] = await Promise.all([
    page.locator('[data-testid="component-table"]').boundingBox(),
    page.locator('[data-testid="results"]').boundingBox(),
  ]);
  assert.ok(table.x + table.width <= panel.x + panel.width + 0.5, `${table.width} in ${panel.width}`);
  assert.deepEqual(page.errors, []);
});
