// The editor as a person uses it: palette drags, connecting, editing, undo/redo, delete,
// zoom, and refused connections — real pointer and keyboard events in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openApp, shot, centre, drag } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const node = (page, id) => page.locator(`.node[data-id="${id}"]`);
const cell = (page, id, col) =>
  page.locator(`[data-testid="component-table"] tr[data-id="${id}"] [data-col="${col}"]`);
const metric = (page, name) => page.locator(`[data-metric="${name}"]`);

async function dropFromPalette(page, kind, fx, fy) {
  const canvas = await page.locator('[data-testid="canvas"]').boundingBox();
  const to = { x: canvas.x + canvas.width * fx, y: canvas.y + canvas.height * fy };
  await drag(page, await centre(page.locator(`.palette-item[data-kind="${kind}"]`)), to);
  return to;
}

async function connect(page, from, to) {
  await drag(page, await centre(node(page, from).locator('.port')), await centre(node(page, to)));
}

test('build, connect, edit a parameter and read the new numbers', async () => {
  const page = await openApp(browser, server.url);
  await dropFromPalette(page, 'client', 0.15, 0.85);
  await dropFromPalette(page, 'app_server', 0.55, 0.85);
  await node(page, 'client-1').waitFor();
  await node(page, 'app-server-1').waitFor();
  await connect(page, 'client-1', 'app-server-1');
  // Two clients now share the 200 req/s: the new app server gets half.
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="component-table"] tr[data-id="app-server-1"] [data-col="arrival"]')
      ?.textContent === '100');
  assert.equal(await cell(page, 'app-1', 'arrival').textContent(), '50');
  const before = await cell(page, 'app-server-1', 'utilization').textContent();
  await node(page, 'app-server-1').click();
  const field = page.locator('[data-param="service_time_ms"]');
  await field.fill('25');
  await field.press('Tab');
  // 8 servers of 25 ms carry 320/s: 100/s is 31 % busy (it was 62 % at 50 ms).
  assert.equal(before, '62%');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="component-table"] tr[data-id="app-server-1"] [data-col="utilization"]')
      ?.textContent === '31%');
  // An out-of-range value is shown on the field and never reaches the design.
  await field.fill('-5');
  await field.press('Tab');
  assert.match(await page.locator('.field-error').textContent(), /between 0.001 and/);
  assert.equal(await cell(page, 'app-server-1', 'utilization').textContent(), '31%');
  await shot(page, 'editor-built');
  assert.deepEqual(page.errors, []);
});

test('undo and redo with the keyboard, delete with the key', async () => {
  const page = await openApp(browser, server.url);
  await dropFromPalette(page, 'cache', 0.5, 0.85);
  await node(page, 'cache-1').waitFor();
  await page.keyboard.press('Control+z');
  await node(page, 'cache-1').waitFor({ state: 'detached' });
  await page.keyboard.press('Control+Shift+z');
  await node(page, 'cache-1').waitFor();
  // Delete a component of the starter: its links go too, and the numbers follow.
  await node(page, 'app-2').click();
  await page.keyboard.press('Delete');
  await node(page, 'app-2').waitFor({ state: 'detached' });
  assert.equal(await page.locator('[data-link^="app-2"], [data-link$="app-2"]').count(), 0);
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="component-table"] tr[data-id="app-1"] [data-col="arrival"]')
      ?.textContent === '200');
  await page.keyboard.press('Control+z');
  await node(page, 'app-2').waitFor();
  assert.deepEqual(page.errors, []);
});

test('zooming keeps the point under the pointer fixed', async () => {
  const page = await openApp(browser, server.url);
  const target = await centre(node(page, 'lb'));
  const aim = { x: target.x + 20, y: target.y + 5 };
  await page.mouse.move(aim.x, aim.y);
  const boxBefore = await node(page, 'lb').boundingBox();
  await page.mouse.wheel(0, -300);
  // Wait for the zoom to be drawn (a state, not a time).
  await page.waitForFunction((w) =>
    document.querySelector('.node[data-id="lb"]').getBoundingClientRect().width > w * 1.2, boxBefore.width);
  const boxAfter = await node(page, 'lb').boundingBox();
  assert.ok(boxAfter.width > boxBefore.width * 1.2, 'zoomed in');
  // The pointer is at the same fraction across the node before and after.
  const frac = (b) => [(aim.x - b.x) / b.width, (aim.y - b.y) / b.height];
  const [a, b] = [frac(boxBefore), frac(boxAfter)];
  assert.ok(Math.abs(a[0] - b[0]) < 0.02 && Math.abs(a[1] - b[1]) < 0.02, `${a} vs ${b}`);
  assert.deepEqual(page.errors, []);
});

test('an invalid connection is refused with its reason', async () => {
  const page = await openApp(browser, server.url);
  const links = await page.locator('.link').count();
  await connect(page, 'db', 'users');
  const notice = page.locator('[data-testid="notice"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /only sends traffic; it cannot receive it/);
  assert.equal(await page.locator('.link').count(), links);
  await shot(page, 'refused-connection');
  assert.deepEqual(page.errors, []);
});

test('ten times the traffic shows where the design breaks', async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="times10"]').click();
  await page.waitForFunction(() => document.querySelector('[data-metric="dropped"]')?.textContent !== '0/s');
  // 2 000 req/s against two app servers of 160/s each: they saturate and drop the rest.
  assert.equal(await metric(page, 'p99').textContent(), 'unbounded');
  assert.match(await node(page, 'app-1').getAttribute('class'), /heat-over/);
  assert.match(await node(page, 'app-1').locator('.node-dropped').textContent(), /dropped/);
  await page.locator('[data-testid="load-chart"]').waitFor();
  await shot(page, 'ten-times-traffic');
  assert.deepEqual(page.errors, []);
});

test('traffic from a user count shows its conversion and drives the numbers', async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="users"] summary').click();
  // It starts from the users that give the design's own rate, 200 req/s: applied as it
  // opens, it changes nothing.
  assert.equal(await page.locator('[data-users="dau"]').inputValue(), '19200');
  await page.locator('[data-testid="users"] p').filter({ hasText: '= 200.0 req/s at peak' }).waitFor();
  await page.locator('[data-users="dau"]').fill('10000');
  await page.locator('[data-users="dau"]').press('Tab');
  // 10 000 × 300 ÷ 86 400 × 3 = 104.2 req/s: the source text's "Day 30".
  await page.locator('[data-testid="users"] p').filter({ hasText: '= 104.2 req/s at peak' }).waitFor();
  await page.locator('[data-testid="apply-users"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="rps"]')?.value === '104.167');
  assert.equal(await page.locator('[data-testid="users"] summary').textContent(), '10k users');
  assert.equal(await cell(page, 'lb', 'arrival').textContent(), '104');
  assert.deepEqual(page.errors, []);
});

test('a field shows the value in effect or why what was typed is not taken', async () => {
  const page = await openApp(browser, server.url);
  const rps = page.locator('[data-testid="rps"]');
  const error = page.locator('.traffic .field-error');
  for (const bad of ['', '1e309', 'lots', '-3']) {
    await rps.fill(bad);
    await rps.press('Tab');
    await error.waitFor();
    assert.ok((await error.textContent()).startsWith('Requests per second'), await error.textContent());
    assert.equal(await metric(page, 'throughput').textContent(), '200/s', `${bad} changed nothing`);
  }
  // Undo elsewhere shows the value in effect again, without the stale error.
  await rps.fill('300');
  await rps.press('Tab');
  await error.waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.querySelector('[data-metric="throughput"]')?.textContent === '300/s');
  await rps.fill('oops');
  await error.waitFor();
  await page.locator('[data-testid="undo"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="rps"]')?.value === '200');
  assert.equal(await error.count(), 0);
  // Typing is checked as it goes: the error shows before the field is left.
  await rps.fill('-1');
  await error.waitFor();
  await rps.fill('250');
  await error.waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
});

test('the mix keeps what was typed and adjusts the share not touched', async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="mix"] summary').click();
  const share = (k) => page.locator(`[data-mix="${k}"]`);
  await share('read').fill('70');
  await share('read').press('Tab');
  await page.waitForFunction(() => document.querySelector('[data-testid="mix"] summary')?.textContent.includes('70/30/0'));
  await share('static').fill('10');
  await share('static').press('Tab');
  await page.waitForFunction(() => !document.querySelector('[data-testid="mix"] summary')?.textContent.includes('70/30/0'));
  assert.equal(await page.locator('[data-testid="mix"] summary').textContent(), 'Mix 70/20/10');
  assert.deepEqual(page.errors, []);
});

test('a new design is a blank canvas that says what to do, with no numbers', async () => {
  const page = await openApp(browser, server.url);
  // Make the starter the person's own design, so that starting another one keeps it.
  await page.locator('[data-testid="times10"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="rps"]')?.value === '2000');
  await page.locator('[data-testid="file-menu"] summary').click();
  await page.locator('[data-testid="new-design"]').click();
  await page.locator('[data-testid="canvas-hint"]').waitFor();
  assert.match(await page.locator('[data-testid="empty-state"]').textContent(), /Drag components from the palette/);
  assert.equal(await page.locator('[data-metric]').count(), 0, 'no numbers for an empty design');
  assert.match(await page.locator('[data-testid="failures"]').textContent(), /Nothing can fail yet/);
  await shot(page, 'blank-design');
  // The notice says the design is kept, and fades by itself.
  await page.locator('[data-testid="notice"]').filter({ hasText: 'is kept under File' }).waitFor();
  await page.locator('[data-testid="notice"]').waitFor({ state: 'detached', timeout: 20_000 });
  // A client alone still has nothing to measure, and says the next step.
  await page.locator('.palette-item[data-kind="client"]').click();
  await page.locator('[data-testid="canvas-hint"]').waitFor({ state: 'detached' });
  assert.match(await page.locator('[data-testid="empty-state"]').textContent(), /Connect the Client/);
  assert.deepEqual(page.errors, []);
});

test('the keyboard reaches components, moves them, and adds from the palette', async () => {
  const page = await openApp(browser, server.url);
  const at = async (id) => {
    const t = await page.locator(`.node[data-id="${id}"]`).getAttribute('transform');
    return t.match(/translate\(([-\d.]+),([-\d.]+)\)/).slice(1).map(Number);
  };
  // Focusing a component (as Tab does) selects it.
  await page.locator('.node[data-id="lb"]').focus();
  await page.waitForFunction(() => document.querySelector('.node[data-id="lb"]')?.classList.contains('selected'));
  const [x0, y0] = await at('lb');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(([x]) => {
    const t = document.querySelector('.node[data-id="lb"]').getAttribute('transform');
    return Number(t.match(/translate\(([-\d.]+)/)[1]) !== x;
  }, [x0]);
  assert.deepEqual(await at('lb'), [x0 + 20, y0]);
  await page.keyboard.press('Shift+ArrowDown');
  await page.waitForFunction(([y]) => {
    const t = document.querySelector('.node[data-id="lb"]').getAttribute('transform');
    return Number(t.match(/,([-\d.]+)\)/)[1]) !== y;
  }, [y0]);
  assert.deepEqual(await at('lb'), [x0 + 20, y0 + 100]);
  // One undo step per key.
  await page.keyboard.press('Control+z');
  await page.waitForFunction(([y]) => {
    const t = document.querySelector('.node[data-id="lb"]').getAttribute('transform');
    return Number(t.match(/,([-\d.]+)\)/)[1]) === y;
  }, [y0]);
  // Enter on a palette item adds it.
  await page.locator('.palette-item[data-kind="cache"]').focus();
  await page.keyboard.press('Enter');
  await page.locator('.node[data-id="cache-1"]').waitFor();
  // The shortcut list names all of it.
  await page.locator('.node[data-id="lb"]').focus();
  await page.keyboard.press('?');
  const help = page.locator('.help');
  await help.waitFor();
  for (const row of ['Arrow keys', 'Shift + arrow keys', 'Tab, Shift + Tab', 'Enter on a palette item']) {
    assert.match(await help.textContent(), new RegExp(row.replace(/[+]/g, '\\+')));
  }
  // A dialog for the keyboard too: focus moves into it, and Tab does not leave it.
  const inDialog = () => page.evaluate(() => document.activeElement?.closest('.help[role="dialog"]') != null);
  await page.waitForFunction(() => document.activeElement?.closest('.help[role="dialog"]') != null);
  await page.keyboard.press('Tab');
  assert.ok(await inDialog(), 'Tab stays in the list');
  await page.keyboard.press('Shift+Tab');
  assert.ok(await inDialog(), 'Shift+Tab stays in the list');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  // Closed, it gives focus back where it was, not to the top of the page.
  await page.waitForFunction(() => document.activeElement?.closest('.node')?.dataset.id === 'lb');
  assert.deepEqual(page.errors, []);
});

test('the results explain where the numbers come from, in the page', async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="explain"]').click();
  // The description is fetched when the page opens (it is not in the Wasm bundle).
  const model = page.locator('[data-testid="model-page"]');
  await page.locator('[data-testid="model-page"][data-state="ready"]').waitFor();
  assert.match(await model.textContent(), /How ArchSim computes its numbers/);
  assert.match(await model.textContent(), /Erlang C/);
  await page.keyboard.press('Escape');
  await model.waitFor({ state: 'detached' });
  await page.locator('[data-testid="explain"]').click();
  await model.locator('.close').click();
  await model.waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
  // Unreachable, it says so in words and the design is untouched.
  await page.route('**/MODEL.md', (r) => r.abort());
  await page.locator('[data-testid="explain"]').click();
  await page.locator('[data-testid="model-page"][data-state="error"]').waitFor();
  assert.match(await model.textContent(), /could not be loaded .*your design is unaffected/);
  await page.keyboard.press('Escape');
  await page.locator('.node[data-id="app-1"]').waitFor();
});


test('a link drawn to a CDN carries static, says so, and a link back reads as going back', async () => {
  const page = await openApp(browser, server.url);
  await dropFromPalette(page, 'cdn', 0.15, 0.88);
  await node(page, 'cdn-1').waitFor();
  // From the starter's users to the new CDN: static only, written on the link.
  await connect(page, 'users', 'cdn-1');
  const toCdn = page.locator('.link[data-link="users→cdn-1"] .link-label');
  await toCdn.waitFor();
  // On the link, or in its hover text where the boxes leave no room for it.
  await page.waitForFunction(() => {
    const g = document.querySelector('.link[data-link="users→cdn-1"]');
    return /static/.test((g?.querySelector('title') ?? g?.querySelector('.link-label'))?.textContent ?? '');
  });
  // The database back to the balancer: drawn below both, marked as running back.
  await connect(page, 'db', 'lb');
  const back = page.locator('.link[data-link="db→lb"]');
  await back.waitFor();
  assert.equal(await back.getAttribute('data-back'), 'true');
  assert.ok(await back.evaluate((g) => g.classList.contains('back')));
  const forward = page.locator('.link[data-link="lb→app-1"]');
  assert.equal(await forward.getAttribute('data-back'), 'false');
  // Below both of its ends, not over the forward links between them.
  const box = await back.locator('.link-line').boundingBox();
  const db = await node(page, 'db').boundingBox();
  const lb = await node(page, 'lb').boundingBox();
  assert.ok(box.y + box.height > Math.max(db.y + db.height, lb.y + lb.height) + 20);
  await shot(page, 'links-classes-and-back');
  assert.deepEqual(page.errors, []);
});

test('a dragged component moves on a layer of its own and lands in the diagram', async () => {
  // While a component is dragged, it and its links are drawn on a layer over the diagram,
  // and nothing else in the page changes: each pointer move repaints only what moves.
  const page = await openApp(browser, server.url);
  const app = node(page, 'app-1');
  await app.waitFor();
  const from = await centre(app);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 40, from.y + 10, { steps: 2 });
  const layer = page.locator('svg.drag-layer');
  await layer.locator('.node[data-id="app-1"]').waitFor();
  assert.equal(await page.locator('.node[data-id="app-1"]').count(), 1, 'drawn once, on the layer');
  // The grabbing hand over the whole page comes from one layer on top, not from restyling
  // every element (which cost a whole-page style pass at each start and end of a drag).
  const shield = page.locator('.drag-shield');
  assert.equal(await shield.evaluate((el) => getComputedStyle(el).cursor), 'grabbing');
  const links = await layer.locator('[data-link]').evaluateAll((ls) => ls.map((l) => l.dataset.link));
  assert.ok(links.length > 0 && links.every((l) => l.split('→').includes('app-1')), links.join(', '));
  const changed = await page.evaluate(async () => {
    const seen = [];
    const watch = new MutationObserver((ms) => {
      for (const m of ms) {
        const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
        if (!el.closest('.drag-layer')) seen.push(el.tagName + '.' + el.getAttribute('class'));
      }
    });
    watch.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
    window.stopWatching = () => { watch.disconnect(); return seen; };
  });
  for (let i = 1; i <= 5; i++) await page.mouse.move(from.x + 40 + 12 * i, from.y + 10 + 4 * i);
  await page.waitForFunction((x) => {
    const box = document.querySelector('.drag-layer .node[data-id="app-1"] rect').getBoundingClientRect();
    return box.left + box.width / 2 > x + 90;
  }, from.x);
  assert.deepEqual(await page.evaluate(() => window.stopWatching()), []);
  assert.equal(changed, undefined);
  await page.mouse.up();
  await layer.waitFor({ state: 'detached' });
  await shield.waitFor({ state: 'detached' });
  const landed = await centre(node(page, 'app-1'));
  assert.ok(landed.x > from.x + 60, `${landed.x} vs ${from.x}`);
  await page.locator('.canvas .node[data-id="app-1"]').waitFor();
  assert.deepEqual(page.errors, []);
});

test('deleting the database never makes the design look better without a word', async () => {
  // An interviewer's pass: with the database deleted, the cache's misses and the writes
  // ended where they were, answered, and the design looked faster and cheaper.
  const page = await openApp(browser, server.url, { hash: '#stage=cache' });
  await node(page, 'db').waitFor();
  assert.equal(await metric(page, 'dropped').textContent(), '0/s');
  const notes = page.locator('[data-testid="results"] .note');
  const del = async (id) => {
    await node(page, id).click();
    await page.keyboard.press('Delete');
    await node(page, id).waitFor({ state: 'detached' });
  };
  // The primary gone: the web tier keeps its writes, and the replicas copy nothing.
  await del('db');
  await notes.filter({ hasText: 'keeps the' }).filter({ hasText: 'writes/s it receives itself' }).waitFor();
  await notes.filter({ hasText: 'Replica 1 and Replica 2 have no primary linked to them' }).waitFor();
  // The replicas gone too: the deep checks see the cache with nowhere to send its misses,
  // as they would see its origin failing. Nothing is served, and the notes say why.
  await del('replica-1');
  await del('replica-2');
  await notes.filter({ hasText: 'Cache has no link for the read requests it does not answer from its hits' }).waitFor();
  // The diagram marks the loose end where it is.
  await node(page, 'cache').locator('[data-testid="no-way-on"]').waitFor();
  assert.equal(await page.locator('[data-testid="no-way-on"]').count(), 1);
  assert.notEqual(await metric(page, 'dropped').textContent(), '0/s');
  await shot(page, 'deleted-database');
  assert.deepEqual(page.errors, []);
});

test('components added by clicking the palette line up instead of hiding each other', async () => {
  // A new user's pass: seven clicks put seven boxes on one spot, and only the last showed.
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="file-menu"] summary').click();
  await page.locator('[data-testid="new-design"]').click();
  await page.locator('[data-testid="canvas-hint"]').waitFor();
  const kinds = ['client', 'dns', 'load_balancer', 'app_server'];
  for (const kind of kinds) {
    await page.locator(`.palette-item[data-kind="${kind}"]`).click();
  }
  await page.waitForFunction((n) => document.querySelectorAll('.node').length === n, kinds.length);
  const boxes = await page.locator('.node .node-box').evaluateAll((els) =>
    els.map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const overlap = a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
      assert.ok(!overlap, `boxes ${i} and ${j} overlap: ${a} ${b}`);
    }
  }
  assert.deepEqual(page.errors, []);
});

test('the keyboard wires a design, opens explanations, and leaves selected text to copy', async () => {
  const page = await openApp(browser, server.url);
  // Found by a keyboard user: a component could be added but never connected without a
  // pointer. The inspector lists its links and what it can be connected to.
  await page.locator('.palette-item[data-kind="cache"]').focus();
  await page.keyboard.press('Enter');
  await page.locator('.node[data-id="cache-1"]').waitFor();
  await page.locator('.node[data-id="app-1"]').focus();
  const list = page.locator('[data-testid="link-list"]');
  await list.locator('[data-testid="connect-to"]').selectOption('cache-1');
  await list.locator('[data-testid="connect"]').focus();
  await page.keyboard.press('Enter');
  await page.locator('.link[data-link="app-1→cache-1"]').waitFor();
  // Its links are buttons that select the link, which Delete then removes.
  await list.getByRole('button', { name: '→ Cache' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('.link[data-link="app-1→cache-1"].selected').waitFor();
  // The chip was replaced by the link's own fields, so the key goes to the page.
  await page.keyboard.press('Delete');
  await page.locator('.link[data-link="app-1→cache-1"]').waitFor({ state: 'detached' });
  // Enter on a figure opens its explanation, as a click does; so does a table row.
  await page.locator('.headline [data-figure="P99"]').focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="explanation"]').waitFor();
  // Text selected on the page is the browser's to copy: the shortcut leaves it alone.
  await page.evaluate(() => {
    window.copyPrevented = null;
    window.addEventListener('keydown', (e) => { window.copyPrevented = e.defaultPrevented; });
    const note = document.querySelector('[data-testid="bottleneck"]');
    document.getSelection().selectAllChildren(note);
  });
  await page.keyboard.press('Control+c');
  assert.equal(await page.evaluate(() => window.copyPrevented), false);
  assert.deepEqual(page.errors, []);
});

test('a component chosen on the canvas shows its inspector, however far down the panel was scrolled', async () => {
  const page = await openApp(browser, server.url, { width: 1280, height: 720 });
  await page.locator('[data-testid="failures"]').scrollIntoViewIfNeeded();
  assert.ok(await page.evaluate(() => document.querySelector('.side').scrollTop > 200), 'scrolled down');
  await node(page, 'db').click();
  await page.waitForFunction(() => {
    const head = document.querySelector('.inspector-head');
    if (head?.querySelector('input')?.value !== 'Database') return false;
    const [h, side] = [head.getBoundingClientRect(), document.querySelector('.side').getBoundingClientRect()];
    return h.top >= side.top && h.bottom <= side.bottom;
  });
  assert.deepEqual(page.errors, []);
});
