// Links, autosave and files: a link reproduces a design exactly; a bad link, a corrupt saved
// state or a bad file never costs the person their work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, launch, openApp, address, shot, centre, drag, SHOTS } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const node = (page, id) => page.locator(`.node[data-id="${id}"]`);
const metric = async (page, name) => page.locator(`[data-metric="${name}"]`).textContent();
const table = (page) => page.locator('[data-testid="component-table"] tbody').innerText();

async function editSomething(page) {
  // Raise app-1's instances to 3: a visible change in the numbers.
  await node(page, 'app-1').click();
  const field = page.locator('[data-param="instances"]');
  await field.fill('3');
  await field.press('Tab');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="component-table"] tr[data-id="app-1"] [data-col="utilization"]')
      ?.textContent === '21%');
}

test('a copied link opens the same design and numbers in a fresh browser', async () => {
  const page = await openApp(browser, server.url);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await editSomething(page);
  await page.locator('[data-testid="copy-link"]').click();
  await page.locator('[data-testid="notice"]').filter({ hasText: 'Link copied' }).waitFor();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#scenario=/);
  const fresh = await openApp(browser, link.slice(0, link.indexOf('#')), { hash: link.slice(link.indexOf('#')) });
  assert.equal(await table(fresh), await table(page));
  for (const m of ['throughput', 'p50', 'p99', 'availability', 'cost']) {
    assert.equal(await metric(fresh, m), await metric(page, m), m);
  }
  // The person's own previous design (the starter here) is one undo away.
  await fresh.keyboard.press('Control+z');
  await fresh.waitForFunction(() =>
    document.querySelector('[data-testid="component-table"] tr[data-id="app-1"] [data-col="utilization"]')
      ?.textContent === '62%');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(fresh.errors, []);
});

test('a corrupted link shows what is wrong and keeps the current design', async () => {
  const page = await openApp(browser, server.url);
  await editSomething(page);
  const before = await table(page);
  for (const bad of ['#scenario=%7B%22version%22%3A1%2C%22traf', '#scenario={"version":99}',
                     '#scenario=' + encodeURIComponent('{"version":1,"traffic":{"rps":-1,"read":1,"write":0,"static":0}}')]) {
    await page.goto(server.url + bad);
    await page.waitForSelector('[data-testid="canvas"] .node');
    const notice = page.locator('[data-testid="notice"]');
    await notice.waitFor();
    assert.match(await notice.textContent(), /shared link could not be opened: .+Your own design is unchanged/s);
    assert.equal(await table(page), before, bad);
  }
  await shot(page, 'corrupted-link');
  assert.deepEqual(page.errors, []);
});

test('reloading restores the autosaved design; a corrupt save is set aside, not lost', async () => {
  const page = await openApp(browser, server.url);
  await editSomething(page);
  const before = await table(page);
  await page.goto(server.url); // no link: only the autosave can bring the design back
  await page.waitForSelector('[data-testid="canvas"] .node');
  assert.equal(await table(page), before);
  await page.evaluate(() => localStorage.setItem('archsim.autosave.v1', '{"version":1,"traffic":'));
  await page.goto(server.url);
  const notice = page.locator('[data-testid="notice"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /saved design could not be read .* kept .* under "archsim\.autosave\.unreadable\./);
  const kept = await page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('archsim.autosave.unreadable.'))
    .map((k) => localStorage.getItem(k)));
  assert.deepEqual(kept, ['{"version":1,"traffic":']);
  assert.deepEqual(page.errors, []);
});

test('a reload is the design on screen, not a link opened over it: one entry, no notice', async () => {
  // A reload once opened the address's design as a shared link over itself: "Opened the
  // shared design. Your design … is kept under Recent designs", and a second entry.
  const page = await openApp(browser, server.url);
  await editSomething(page);
  const mine = await table(page);
  await page.waitForFunction(() => /%22instances%22:3[.,}]/.test(location.hash));
  await page.reload();
  await page.waitForSelector('[data-testid="canvas"] .node');
  await page.waitForSelector('[data-testid="failures"][data-state="ready"]');
  assert.equal(await table(page), mine);
  assert.equal(await page.locator('[data-testid="notice"]').count(), 0);
  await page.locator('[data-testid="file-menu"] summary').click();
  assert.equal(await page.locator('[data-testid="recent"] button').filter({ hasText: 'Load-balanced web app' }).count(), 1);
  // Undo has nothing to go back to: nothing was opened.
  assert.ok(await page.locator('[data-testid="undo"]').isDisabled());
  assert.deepEqual(page.errors, []);
});

test('a link opened in another page never costs the design: it stays under Recent designs', async () => {
  const page = await openApp(browser, server.url);
  await editSomething(page);
  const mine = await table(page);
  // The same browser opens a shared link in another page.
  const other = await openApp(browser, server.url, { context: page.context(), hash: '#stage=cache' });
  await other.locator('.node[data-id="cache"]').waitFor();
  // Back in the first page, the plain address (no link) opens the last design worked on: the
  // link's. The person's own design is listed and opens.
  await page.goto(server.url);
  await page.waitForSelector('[data-testid="canvas"] .node');
  await page.locator('[data-testid="file-menu"] summary').click();
  const recent = page.locator('[data-testid="recent"] button');
  assert.ok(await recent.count() >= 2, 'both designs are kept');
  await recent.filter({ hasText: 'Load-balanced web app' }).first().click();
  await page.waitForFunction((t) =>
    document.querySelector('[data-testid="component-table"] tbody')?.innerText === t, mine);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(other.errors, []);
});

test('two versions of one example are told apart under Recent designs', async () => {
  const page = await openApp(browser, server.url);
  const menu = page.locator('[data-testid="file-menu"] summary');
  await menu.click();
  await page.locator('[data-example="rate-limited-api"]').click();
  await page.locator('.node[data-id="gateway"]').waitFor();
  // Edit it, then open the same example again: both are kept, one edited.
  await node(page, 'api').click();
  const field = page.locator('[data-param="instances"]');
  await field.fill('4');
  await field.press('Tab');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('"instances":4'));
  await menu.click();
  await page.locator('[data-example="rate-limited-api"]').click();
  await page.locator('[data-testid="notice"]').filter({ hasText: 'is kept under File' }).waitFor();
  await menu.click();
  const entries = page.locator('[data-testid="recent"] button', { hasText: 'A rate-limited API' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="recent"] button').length >= 2);
  const texts = await entries.allTextContents();
  assert.equal(texts.length, 2, texts.join(' | '));
  assert.ok(texts.some((t) => /shedding\s*edited, 4 components, 3 links · /.test(t)), texts.join(' | '));
  assert.ok(texts.some((t) => /shedding\s*as opened, 4 components, 3 links · /.test(t)), texts.join(' | '));
  await shot(page, 'recent-versions');
  assert.deepEqual(page.errors, []);
});

test('a link opened over an edited design keeps it one click away, and old notices go', async () => {
  const page = await openApp(browser, server.url);
  await editSomething(page);
  const mine = await table(page);
  // A damaged link says so; a good one after it replaces that message.
  await page.goto(server.url + '#scenario=%7B%22version%22%3A1%2C%22traf');
  const notice = page.locator('[data-testid="notice"]');
  await notice.filter({ hasText: 'could not be opened' }).waitFor();
  await page.goto(server.url + '#stage=cache');
  await page.locator('.node[data-id="cache"]').waitFor();
  await notice.filter({ hasText: 'is kept under File' }).waitFor();
  assert.doesNotMatch(await notice.textContent(), /could not be opened/);
  await page.locator('[data-testid="back-to-design"]').click();
  await page.waitForFunction((t) =>
    document.querySelector('[data-testid="component-table"] tbody')?.innerText === t, mine);
  assert.deepEqual(page.errors, []);
});

test('export to JSON and import it back gives the identical design', async () => {
  const page = await openApp(browser, server.url);
  await editSomething(page);
  const before = await table(page);
  const url = await address(page);
  await page.locator('[data-testid="file-menu"] summary').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-testid="save-json"]').click(),
  ]);
  const json = await readFile(await download.path(), 'utf8');
  assert.equal(JSON.parse(json).version, 9);
  // Laid out for reading: one member a line, two-space indents.
  assert.ok(json.startsWith('{\n  "') && json.split('\n').length > 40, json.slice(0, 200));
  // Change the design, then open the file again.
  await node(page, 'db').click();
  await page.keyboard.press('Delete');
  await node(page, 'db').waitFor({ state: 'detached' });
  await page.locator('[data-testid="open-file"]').setInputFiles({
    name: 'design.json', mimeType: 'application/json', buffer: Buffer.from(json),
  });
  await node(page, 'db').waitFor();
  assert.equal(await table(page), before);
  assert.equal(await address(page), url, 'the same design gives the same link');
  // A broken file is refused and changes nothing.
  await page.locator('[data-testid="open-file"]').setInputFiles({
    name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"version":1,'),
  });
  await page.locator('[data-testid="notice"]').filter({ hasText: 'broken.json' }).waitFor();
  assert.equal(await table(page), before);
  // A picture is not a scenario, and the message says so in words.
  await page.locator('[data-testid="open-file"]').setInputFiles({
    name: 'diagram.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
  });
  await page.locator('[data-testid="notice"]').filter({ hasText: '"diagram.png" is not a scenario file' }).waitFor();
  assert.equal(await table(page), before);
  assert.deepEqual(page.errors, []);
});

test('the embed shows the design read-only with a way into the editor', async () => {
  const page = await openApp(browser, server.url, { hash: '' });
  const link = await address(page);
  const embed = await openApp(browser, server.url + '?embed', { hash: link.slice(link.indexOf('#')) });
  await embed.locator('[data-testid="embed-bar"]').waitFor();
  assert.equal(await embed.locator('.palette').count(), 0);
  assert.equal(await embed.locator('.inspector').count(), 0);
  const open = embed.locator('[data-testid="embed-bar"] a');
  assert.match(await open.getAttribute('href'), /^http:\/\/127\.0\.0\.1:\d+\/#scenario=/);
  // Dragging a component does not move it.
  const box = await embed.locator('.node[data-id="lb"]').boundingBox();
  await drag(embed, await centre(embed.locator('.node[data-id="lb"]')), { x: box.x + 200, y: box.y + 100 });
  const boxAfter = await embed.locator('.node[data-id="lb"]').boundingBox();
  assert.ok(Math.abs(box.x - boxAfter.x) < 1 && Math.abs(box.y - boxAfter.y) < 1);
  await shot(embed, 'embed');
  assert.deepEqual(embed.errors, []);
});

test('the diagram exports as an SVG picture with its numbers', async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="file-menu"] summary').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.menu-item', { hasText: 'Export SVG' }).click(),
  ]);
  const svg = await readFile(await download.path(), 'utf8');
  assert.match(download.suggestedFilename(), /^load-balanced-web-app\.svg$/);
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /data-id="app-1"/);
  assert.match(svg, /200 req\/s served, 0 dropped · p50 43\.\d ms · p99 2\d\d\.\d ms/);
  // It renders as a picture on its own: open it in a page and screenshot it.
  await mkdir(SHOTS, { recursive: true });
  const file = join(SHOTS, 'export.svg');
  await writeFile(file, svg);
  const view = await browser.newPage();
  await view.goto('file://' + file);
  await view.screenshot({ path: join(SHOTS, 'export-svg.png') });
  assert.deepEqual(page.errors, []);
});

test('hostile links are refused or shown as plain text, and the page keeps working', async () => {
  const page = await openApp(browser, server.url);
  await editSomething(page);
  const before = await table(page);
  const huge = '#scenario=' + '%7B'.repeat(400_000); // 1.2 MB of "{"
  const nested = '#scenario=' + encodeURIComponent('['.repeat(5000) + ']'.repeat(5000));
  for (const bad of [huge, nested, '#scenario=%00%01%02', '#scenario=' + encodeURIComponent('{"version":1,"traffic":{"rps":1e999}}')]) {
    await page.goto(server.url + bad);
    await page.locator('[data-testid="notice"]').filter({ hasText: 'could not be opened' }).waitFor();
    assert.equal(await table(page), before);
  }
  // A label full of markup is text on the canvas, never markup.
  const label = '<img src=x onerror="window.hacked=1"><script>window.hacked=1</script>';
  const design = { version: 1, traffic: { rps: 1, read: 1, write: 0, static: 0 },
    components: [{ id: 'u', kind: 'client', label }] };
  await page.goto(server.url + '#scenario=' + encodeURIComponent(JSON.stringify(design)));
  await page.locator('.node[data-id="u"]').waitFor();
  assert.equal(await page.evaluate(() => window.hacked), undefined);
  assert.equal(await page.locator('.node[data-id="u"] img').count(), 0);
  assert.match(await page.locator('.node[data-id="u"] > title').textContent(), /<img src=x/);
  assert.deepEqual(page.errors, []);
});

test('a link put in the address bar just after an edit is opened, not written over', async () => {
  const page = await openApp(browser, server.url);
  await node(page, 'lb').focus();
  await page.waitForFunction(() => document.querySelector('.node[data-id="lb"]')?.classList.contains('selected'));
  const design = { version: 1, traffic: { rps: 1, read: 1, write: 0, static: 0 },
    components: [{ id: 'solo', kind: 'client', label: 'Solo' }] };
  const link = '#scenario=' + encodeURIComponent(JSON.stringify(design));
  // An edit's address is written in a task queued by the frame after it; the link arrives
  // in that same frame, after the page asked for it, so its `hashchange` comes after the
  // write is queued.
  await page.evaluate((link) => new Promise((done) => {
    document.querySelector('.node[data-id="lb"]')
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    let turns = 0;
    const later = () => {
      if (++turns < 20) return queueMicrotask(later);
      requestAnimationFrame(() => { location.hash = link; done(); });
    };
    queueMicrotask(later);
  }), link);
  await node(page, 'solo').waitFor();
  await page.locator('[data-testid="notice"]').filter({ hasText: 'Opened the shared design' }).waitFor();
  assert.equal(await node(page, 'lb').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('the diagram exports as a PNG picture', async () => {
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="file-menu"] summary').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.menu-item', { hasText: 'Export PNG' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'load-balanced-web-app.png');
  const png = await readFile(await download.path());
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  await mkdir(SHOTS, { recursive: true });
  await writeFile(join(SHOTS, 'export.png'), png);
  assert.ok(png.length > 10_000, `${png.length} bytes`);
  assert.deepEqual(page.errors, []);
});

test('undoing an open goes back to the design it replaced, and both stay under Recent designs', async () => {
  // Undo after opening the journey once wrote the edited design over the stage's entry:
  // the stage was lost from the list and the design listed twice, thrice after a repeat.
  const page = await openApp(browser, server.url);
  await editSomething(page);
  for (let i = 0; i < 2; i++) {
    await page.locator('[data-testid="journey-start"]').click();
    await page.locator('.node[data-id="web"]').waitFor();
    await page.keyboard.press('Control+z');
    await page.locator('.node[data-id="app-1"]').waitFor();
  }
  const menu = page.locator('[data-testid="file-menu"] summary');
  await menu.click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="recent"] button').length >= 2);
  const texts = await page.locator('[data-testid="recent"] button').allTextContents();
  const mine = texts.filter((t) => t.includes('Load-balanced web app'));
  // Undone back to the person's design, the open's way back to it is gone: it would lead
  // where they already are.
  assert.equal(await page.locator('[data-testid="back-to-design"]').count(), 0);
  assert.equal(mine.length, 1, texts.join(' | '));
  assert.ok(texts.some((t) => t.includes('Single server')), texts.join(' | '));
  assert.deepEqual(page.errors, []);
});

test("the browser's Back to one's own design brings it back as theirs, not as a shared design", async () => {
  // A teacher's pass: after a stage link pasted into the address bar, Back reopened their
  // own design with "Opened the shared design".
  const page = await openApp(browser, server.url);
  await page.locator('[data-testid="rps"]').fill('300');
  await page.locator('[data-testid="rps"]').press('Enter');
  await page.waitForFunction(() => location.hash.includes('%22rps%22:300'));
  await address(page);
  await page.evaluate(() => { location.hash = '#stage=cache'; });
  await node(page, 'cache').waitFor();
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('[data-testid="rps"]')?.value === '300');
  await node(page, 'cache').waitFor({ state: 'detached' });
  await address(page);
  assert.equal(await page.locator('[data-testid="notice"]').filter({ hasText: 'Opened the shared design' }).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a full storage never drops a design the person edited: the new one is refused, in words', async () => {
  // Found by a tester: large designs opened and edited in turn filled the browser's
  // storage, and the small design edited first was dropped from Recent designs without a
  // word. Here the storage holds 60 000 characters of designs.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    const set = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (key === 'archsim.designs.v1' && value.length > 60000) {
        throw new DOMException('full', 'QuotaExceededError');
      }
      return set.call(this, key, value);
    };
  });
  const page = await openApp(browser, server.url, { context });
  await editSomething(page);
  // A design of about 25 000 characters, opened by a link.
  const big = (name) => {
    const apps = Array.from({ length: 200 }, (_, i) =>
      ({ id: `a${i}`, kind: 'app_server', label: `App server number ${i} of ${name}`, x: (i % 20) * 200, y: Math.floor(i / 20) * 100 }));
    return {
      version: 9, name, traffic: { rps: 100, read: 1, write: 0, static: 0 },
      components: [{ id: 'users', kind: 'client', label: 'Users' }, ...apps],
      links: apps.map((a) => ({ from: 'users', to: a.id })),
    };
  };
  const open = async (s) => {
    await page.evaluate((h) => { location.hash = h; }, '#scenario=' + encodeURIComponent(JSON.stringify(s)));
    await page.locator('.node[data-id="a199"]').waitFor();
  };
  const kept = () => page.evaluate(() =>
    JSON.parse(localStorage.getItem('archsim.designs.v1')).map((e) => `${e.name}${e.pristine ? '' : ' (edited)'}`));
  await open(big('Big one'));
  await page.locator('[data-testid="rps"]').fill('101');
  await page.locator('[data-testid="rps"]').press('Enter');
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('archsim.designs.v1'))[0]?.pristine === false);
  assert.deepEqual(await kept(), ['Big one (edited)', 'Load-balanced web app (edited)']);
  // A second large design does not fit beside both: it is not kept, and the person is told.
  await open(big('Big two'));
  await page.locator('[data-testid="notice"]').filter({ hasText: 'save it as a file to keep it' }).waitFor();
  assert.deepEqual(await kept(), ['Big one (edited)', 'Load-balanced web app (edited)']);
  assert.deepEqual(page.errors, []);
});
