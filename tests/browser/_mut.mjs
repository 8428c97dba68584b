import { serve, launch } from './harness.mjs';
const KINDS = ['load_balancer', 'app_server', 'cache', 'database', 'read_replica'];
function bigDesign(n, name) {
  const components = [{ id: 'users', kind: 'client', label: 'Users', x: 0, y: 0 }];
  const links = [];
  for (let cell = 0; components.length < n; cell++) {
    const ids = KINDS.map((k, i) => { const id = `${k}-${cell}`; components.push({ id, kind: k, label: id, x: 200 + i * 200, y: cell * 90 }); return id; });
    links.push({ from: 'users', to: ids[0] });
    for (let i = 0; i + 1 < ids.length; i++) links.push({ from: ids[i], to: ids[i + 1] });
  }
  return { version: 1, name, traffic: { rps: 2000, read: 0.8, write: 0.2, static: 0 }, components, links };
}
const server = await serve(process.env.DIST || undefined);
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
const page = await context.newPage();
await page.goto(server.url + '#scenario=' + encodeURIComponent(JSON.stringify(bigDesign(200, 'big'))));
await page.waitForSelector('.node[data-id="cache-3"]');
await page.waitForTimeout(2500);

await page.evaluate(() => {
  window.__added = {};
  const where = (n) => { let e = n.parentElement; const path = []; while (e && path.length < 4) { path.push(e.tagName.toLowerCase() + (e.classList[0] ? '.' + e.classList[0] : '') + (e.dataset.testid ? '#' + e.dataset.testid : '')); e = e.parentElement; } return path.reverse().join('>'); };
  new MutationObserver((ms) => { for (const m of ms) for (const n of m.addedNodes) { const k = where(n) + ' + ' + (n.tagName ? n.tagName.toLowerCase() + (n.classList?.[0] ? '.' + n.classList[0] : '') : '#text'); window.__added[k] = (window.__added[k] || 0) + 1; } }).observe(document.body, { childList: true, subtree: true });
});
const box = await page.locator('.node[data-id="cache-3"]').boundingBox();
const x = box.x + box.width / 2, y = box.y + box.height / 2;
await page.mouse.move(x, y); await page.mouse.down(); await page.mouse.move(x + 20, y + 10, { steps: 2 });
await page.evaluate(() => { window.__added = {}; });
await page.mouse.up();
await page.waitForTimeout(1500);
const added = await page.evaluate(() => window.__added);
for (const [k, v] of Object.entries(added).sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(String(v).padStart(5), k);
await browser.close(); process.exit(0);
