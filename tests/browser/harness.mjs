// Shared helpers for the browser tests: a static server for the release build in dist/,
// and Debian's Chromium driven by playwright-core (which never downloads a browser).
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const TYPES = {
  '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml',
  '.md': 'text/markdown; charset=utf-8',
};

export const ROOT = new URL('../../', import.meta.url).pathname;
export const DIST = join(ROOT, 'dist');
export const SHOTS = join(ROOT, 'target', 'screenshots');

/** Serves dist/ on 127.0.0.1 at a free port; resolves to { url, close }. */
export async function serve(dir = DIST) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Launches headless Chromium with the flags that work on these machines. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
    ],
  });
}

/**
 * Opens the app in a fresh page of the given size (in a fresh browser context, or in
 * `context` to share its storage with other pages) and waits for the diagram. Collects
 * console errors and page errors into `page.errors`.
 */
export async function openApp(browser, base, { hash = '', width = 1280, height = 800, dark = false, context } = {}) {
  context ??= await browser.newContext({
    viewport: { width, height },
    colorScheme: dark ? 'dark' : 'light',
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(base + hash);
  await page.waitForSelector('[data-testid="canvas"] .node');
  await settled(page);
  return page;
}

/**
 * Waits until the page has finished the work that follows an edit and changes the diagram:
 * the failure analysis (its SPOF badges change the components' boxes).
 */
export async function settled(page) {
  await page.waitForSelector('[data-testid="failures"][data-state="ready"], .embed');
}

/**
 * The page's address once it holds the design on screen. The app writes the address bar
 * in a task after the frame that draws an edit (src/web/hooks/persistence.rs): two frames
 * and a task posted the same way later, that write has been made.
 */
export async function address(page) {
  return page.evaluate(() => new Promise((done) => {
    requestAnimationFrame(() => requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => done(location.href);
      channel.port2.postMessage(null);
    }));
  }));
}

/** Saves a screenshot under target/screenshots/NAME.png and returns its path. */
export async function shot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The centre of an element's box, in page pixels. */
export async function centre(locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('element has no box');
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Drags with real pointer events: down at `from`, moves in steps, up at `to`. */
export async function drag(page, from, to, steps = 8) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.up();
}

/**
 * Holds what the page's worker says (long work runs in a Web Worker, which posts its
 * progress and its result to the page): from now on those messages wait in a queue until
 * `releaseReplies` lets them through. A test can then keep a run going, as far as the page
 * knows, for as long as it needs, whatever the machine's speed. The worker's first message,
 * that it has loaded, goes through.
 */
export async function holdReplies(page) {
  await page.evaluate(() => {
    if (window.__replies) { window.__replies.held = true; return; }
    const onmessage = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage');
    const terminate = Worker.prototype.terminate;
    window.__replies = { held: true, queue: [] };
    Worker.prototype.terminate = function () { this.__ended = true; terminate.call(this); };
    Object.defineProperty(Worker.prototype, 'onmessage', {
      configurable: true,
      get() { return onmessage.get.call(this); },
      set(listener) {
        const worker = this;
        const held = listener && function hold(e) {
          // A worker's first message says it has loaded; it always goes through.
          const first = !worker.__heard;
          worker.__heard = true;
          if (window.__replies.held && !first) window.__replies.queue.push([worker, hold, listener, e]);
          else listener(e);
        };
        onmessage.set.call(this, held);
      },
    });
  });
}

/**
 * Lets every held reply through, in order, and every later one. As the browser would have,
 * it drops a reply whose worker has since been ended or has had its listener replaced.
 */
export async function releaseReplies(page) {
  return page.evaluate(() => {
    const r = window.__replies;
    r.held = false;
    let dropped = 0;
    for (const [worker, hold, listener, e] of r.queue.splice(0)) {
      if (!worker.__ended && worker.onmessage === hold) listener(e);
      else dropped += 1;
    }
    return dropped;
  });
}

/** How many replies are held. */
export async function heldReplies(page) {
  return page.evaluate(() => window.__replies?.queue.length ?? 0);
}

/** The page's live Web Workers' script addresses. */
export function workers(page) {
  return page.workers().map((w) => w.url());
}
