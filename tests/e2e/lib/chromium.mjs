// Chromium half of keyferry's end-to-end rig: fixture server process, browser
// launch with the unpacked extension, overlay-frame discovery and error capture.
//
//   const server = await startFixtureServer();
//   const session = await launch({ server });
//   const page = await session.openFixture('https://acme-admin.okta.com/admin/access/api/tokens');
//   const frame = await overlayFrame(page, { timeout: 15_000 });
//   const state = await overlayState(frame);   // { page, progress, items: [{ id, status }] }
//   session.pageErrors / session.extensionErrors  // collected console errors
//   await session.close(); await server.stop();
//
// See /work/shared/docs/toolchain-notes.md for the measured facts behind the flags.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { chromium } from 'playwright-core';

import { E2E_DIR, REPO_ROOT, fixtureHosts } from '../hosts.mjs';

export const CHROMIUM_BIN = process.env.KF_CHROMIUM ?? '/usr/bin/chromium';
export const DIST_CHROME = resolve(REPO_ROOT, process.env.KF_DIST_CHROME ?? 'dist/chrome');
export const OUT_DIR = join(E2E_DIR, '.out', 'chromium');
export const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'";

// ------------------------------------------------------------------ fixture server

/**
 * Start tests/e2e/fixture_server.py on `port` (0 = any free port) and wait for
 * its ready file. Returns { port, hosts, stop() }.
 */
export async function startFixtureServer({ port = 0, verbose = !!process.env.KF_E2E_VERBOSE, timeout = 20_000 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'kf-e2e-server-'));
  const readyFile = join(dir, 'ready');
  const python = process.env.KF_PYTHON ?? 'python3';
  const args = [join(E2E_DIR, 'fixture_server.py'), '--port', String(port), '--ready-file', readyFile];
  if (verbose) args.push('--verbose');
  const proc = spawn(python, args, { stdio: ['ignore', 'inherit', verbose ? 'inherit' : 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (chunk) => { stderr += chunk; });
  let exited = null;
  const exitPromise = new Promise((res) => proc.on('exit', (code, signal) => { exited = { code, signal }; res(exited); }));

  const deadline = Date.now() + timeout;
  let actualPort = null;
  while (Date.now() < deadline) {
    if (exited) break;
    if (existsSync(readyFile)) {
      const text = readFileSync(readyFile, 'utf8').trim();
      if (text) { actualPort = Number(text); break; }
    }
    await sleep(50);
  }
  if (!actualPort) {
    proc.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`fixture server did not become ready (exit=${JSON.stringify(exited)}): ${stderr.trim()}`);
  }

  return {
    port: actualPort,
    hosts: fixtureHosts(),
    process: proc,
    async stop() {
      if (!exited) {
        proc.kill('SIGTERM');
        const killer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        await exitPromise;
        clearTimeout(killer);
      }
      await rm(dir, { recursive: true, force: true });
      return exited;
    },
  };
}

/**
 * Plain HTTPS GET of a fixture URL from the test process (not the browser),
 * sent to the fixture server on loopback with the URL's Host header.
 * Returns { status, headers, body }.
 */
export function fetchFixture(server, url) {
  const u = new URL(url);
  return new Promise((res, rej) => {
    const req = https.request({
      host: '127.0.0.1',
      port: server.port,
      path: u.pathname + u.search,
      method: 'GET',
      servername: u.hostname,
      headers: { Host: u.host },
      rejectUnauthorized: false, // throwaway self-signed certificate
    }, (resp) => {
      const chunks = [];
      resp.on('data', (c) => chunks.push(c));
      resp.on('end', () => res({ status: resp.statusCode, headers: resp.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', rej);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout fetching ${url}`)));
    req.end();
  });
}

// ------------------------------------------------------------------ browser

/** `--host-resolver-rules`: exact fixture hosts to the server, everything else unresolvable. */
export function hostResolverRules(hosts, port) {
  const rules = hosts.map((h) => `MAP ${h} 127.0.0.1:${port}`);
  rules.push('MAP * ~NOTFOUND', 'EXCLUDE 127.0.0.1', 'EXCLUDE localhost');
  return rules.join(', ');
}

function assertDist(dist) {
  const manifest = join(dist, 'manifest.json');
  if (!existsSync(manifest) || !statSync(manifest).isFile()) {
    throw new Error(`no extension at ${dist} (manifest.json missing): run ./build.sh first, or set KF_DIST_CHROME`);
  }
}

function describeMessage(msg) {
  const loc = msg.location?.() ?? {};
  const where = loc.url ? ` (${loc.url}:${loc.lineNumber ?? 0})` : '';
  return `${msg.text()}${where}`;
}

/**
 * Launch Chromium with the unpacked extension in a throwaway profile.
 * Returns a session: { context, extensionId(), openFixture(url), pageErrors,
 * extensionErrors, snapshot(page, name), close() }.
 */
export async function launch({ server, dist = DIST_CHROME, headless = true, extraArgs = [] } = {}) {
  if (!server) throw new Error('launch() needs { server } from startFixtureServer()');
  assertDist(dist);
  const userDataDir = await mkdtemp(join(tmpdir(), 'kf-e2e-chromium-'));
  const args = [
    ...(headless ? ['--headless=new'] : []),
    `--disable-extensions-except=${dist}`,
    `--load-extension=${dist}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    `--host-resolver-rules=${hostResolverRules(server.hosts, server.port)}`,
    ...extraArgs,
  ];
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_BIN,
      headless: false, // headless comes from --headless=new above; Playwright's own flag adds extra switches
      args,
      ignoreDefaultArgs: ['--disable-extensions'],
      ignoreHTTPSErrors: true,
      viewport: { width: 1440, height: 900 },
      timeout: 60_000,
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }

  const pageErrors = [];      // console errors + uncaught exceptions of pages and their frames
  const extensionErrors = []; // console errors of the extension's service worker
  const watchPage = (page) => {
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push({ kind: 'console', url: page.url(), text: describeMessage(msg) });
    });
    page.on('pageerror', (err) => {
      pageErrors.push({ kind: 'pageerror', url: page.url(), text: String(err?.stack ?? err) });
    });
  };
  const watchWorker = (worker) => {
    if (!worker.url().startsWith('chrome-extension://')) return;
    worker.on('console', (msg) => {
      if (msg.type() === 'error') extensionErrors.push({ kind: 'console', url: worker.url(), text: describeMessage(msg) });
    });
  };
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
  context.serviceWorkers().forEach(watchWorker);
  context.on('serviceworker', watchWorker);
  context.on('weberror', (webError) => {
    const page = webError.page();
    if (page) return; // already reported through page 'pageerror'
    extensionErrors.push({ kind: 'weberror', url: '', text: String(webError.error()?.stack ?? webError.error()) });
  });

  let closed = false;
  const session = {
    context,
    userDataDir,
    dist,
    server,
    pageErrors,
    extensionErrors,

    /** The extension id (waits for its MV3 service worker to register). */
    async extensionId({ timeout = 10_000 } = {}) {
      let worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
      if (!worker) {
        worker = await context.waitForEvent('serviceworker', {
          predicate: (w) => w.url().startsWith('chrome-extension://'),
          timeout,
        });
      }
      return new URL(worker.url()).host;
    },

    /** Open `url` (a fixture URL on its real hostname) in a fresh tab; returns { page, response }. */
    async openFixture(url, { waitUntil = 'load', timeout = 30_000 } = {}) {
      const page = await context.newPage();
      const response = await page.goto(url, { waitUntil, timeout });
      return { page, response };
    },

    /** Screenshot + HTML of `page` into tests/e2e/.out/chromium/<name>.* (for failures). */
    async snapshot(page, name) {
      try {
        mkdirSync(OUT_DIR, { recursive: true });
        const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_');
        await page.screenshot({ path: join(OUT_DIR, `${safe}.png`), fullPage: true });
        await writeFile(join(OUT_DIR, `${safe}.html`), await page.content());
        return join(OUT_DIR, safe);
      } catch (err) {
        return `snapshot failed: ${err}`;
      }
    },

    /** Closes the browser; the profile is deleted unless `keepProfile` (then call removeProfile()). */
    async close({ keepProfile = false } = {}) {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        if (!keepProfile) await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      }
    },
    async removeProfile() {
      await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
  return session;
}

/** Open a fixture URL in a new page of `session` (same as session.openFixture). */
export function openFixture(session, url, opts) {
  return session.openFixture(url, opts);
}

// ------------------------------------------------------------------ overlay

export function isOverlayFrameUrl(url) {
  if (!url.startsWith('chrome-extension://')) return false;
  try {
    return new URL(url).pathname === '/overlay.html';
  } catch {
    return false;
  }
}

/** Every extension overlay frame currently attached to `page` (any depth, any shadow root). */
export function overlayFrames(page) {
  return page.frames().filter((f) => !f.isDetached() && isOverlayFrameUrl(f.url()));
}

/** Poll page.frames() until the keyferry overlay frame appears; returns the Playwright Frame. */
export async function overlayFrame(page, { timeout = 15_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const [frame] = overlayFrames(page);
    if (frame) return frame;
    if (Date.now() >= deadline) {
      const seen = page.frames().map((f) => f.url()).join(', ');
      throw new Error(`no chrome-extension://…/overlay.html frame within ${timeout} ms on ${page.url()} (frames: ${seen})`);
    }
    await sleep(interval);
  }
}

/**
 * Read the overlay's state once its wasm UI has rendered `[data-kf-page]`:
 * { page, progress, items: [{ id, status }] }.
 */
export async function overlayState(frame, { timeout = 15_000 } = {}) {
  await frame.waitForSelector('[data-kf-page]', { state: 'attached', timeout });
  return frame.evaluate(() => {
    const root = document.querySelector('[data-kf-page]');
    return {
      page: root.dataset.kfPage ?? null,
      progress: root.dataset.kfProgress ?? null,
      items: [...document.querySelectorAll('[data-kf-item]')].map((el) => ({
        id: el.dataset.kfItem ?? null,
        status: el.dataset.kfStatus ?? null,
      })),
    };
  });
}

/** Trusted click on an element of the overlay (Playwright sends real input events). */
export async function overlayClick(frame, selector, { timeout = 5_000 } = {}) {
  await frame.click(selector, { timeout });
}

/** Human-readable list of collected errors for assertion messages. */
/**
 * Polls `fn` until it returns something truthy, and returns that. A throw
 * (a frame navigating or replaced, an element not there yet) counts as "not
 * yet"; the last result or error is in the timeout message.
 */
export async function waitFor(fn, what, timeout = 10_000, interval = 150) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    let ok = false;
    try { last = await fn(); ok = !!last; } catch (e) { last = `threw ${e?.message ?? e}`; }
    if (ok) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 500)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** CDP ServiceWorker.stopWorker on the extension's service worker of `session`; resolves once it stopped. */
export async function stopWorker(session, page) {
  const cdp = await session.context.newCDPSession(page);
  const seen = [];
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) if (v.scriptURL.startsWith('chrome-extension://')) seen.push(v);
  });
  await cdp.send('ServiceWorker.enable');
  const running = await waitFor(() => seen.find((v) => v.runningStatus === 'running'), 'the running worker');
  const mark = seen.length;
  await cdp.send('ServiceWorker.stopWorker', { versionId: running.versionId });
  await waitFor(() => seen.slice(mark).some((v) => v.runningStatus === 'stopping' || v.runningStatus === 'stopped'),
    'the worker to stop');
  await cdp.detach();
}

export function formatErrors(errors) {
  return errors.map((e) => `  [${e.kind}] ${e.url ? e.url + ': ' : ''}${e.text}`).join('\n');
}

// ------------------------------------------------------------------ page replicas (pages.test.mjs, screenshots.test.mjs)

/** The overlay's state if `frame` has rendered `[data-kf-page]`, else null (no waiting). */
export async function readOverlayState(frame) {
  try {
    return await frame.evaluate(() => {
      const root = document.querySelector('[data-kf-page]');
      if (!root) return null;
      return {
        page: root.dataset.kfPage ?? null,
        progress: root.dataset.kfProgress ?? null,
        items: [...document.querySelectorAll('[data-kf-item]')].map((el) => ({
          id: el.dataset.kfItem ?? null,
          status: el.dataset.kfStatus ?? null,
          message: el.querySelector('.kf-message')?.textContent ?? null,
        })),
      };
    });
  } catch {
    return null; // frame navigating or detached
  }
}

/**
 * Poll the overlay of `page` (re-finding its frame every time: the agent may
 * replace it) until `predicate(state)` is true; `state` is null while there is
 * no overlay. Returns { frame, state }; throws with the last state on timeout.
 */
export async function waitForOverlay(page, predicate, { timeout = 15_000, interval = 150, what = 'overlay state' } = {}) {
  const deadline = Date.now() + timeout;
  let last = null;
  for (;;) {
    const [frame] = overlayFrames(page);
    last = frame ? await readOverlayState(frame) : null;
    if (predicate(last)) return { frame: frame ?? null, state: last };
    if (Date.now() >= deadline) {
      const err = new Error(`${what} not reached within ${timeout} ms on ${page.url()}; last: ${JSON.stringify(last)}`);
      err.lastState = last;
      throw err;
    }
    await sleep(interval);
  }
}

/**
 * Make the overlay show `integration`: trusted keyboard input (ArrowUp/Down)
 * on its `select[data-kf-action=pick]`, one step at a time (the overlay
 * ignores untrusted events, so frame.selectOption() would not do). Returns
 * false when the overlay shows no picker (a page of one integration).
 */
export async function overlayPick(page, integration, { timeout = 8_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const [frame] = overlayFrames(page);
    const info = frame && await frame.evaluate(() => {
      const s = document.querySelector('select[data-kf-action=pick]');
      return s ? { values: [...s.options].map((o) => o.value), index: s.selectedIndex } : null;
    }).catch(() => undefined);
    if (info === null) return false;
    if (info) {
      const target = info.values.indexOf(integration);
      if (target < 0) throw new Error(`the overlay offers no integration ${integration} (options: ${info.values.join(', ')})`);
      if (target === info.index) return true;
      await frame.press('select[data-kf-action=pick]', target > info.index ? 'ArrowDown' : 'ArrowUp').catch(() => {});
    }
    if (Date.now() >= deadline) throw new Error(`could not pick ${integration} in the overlay`);
    await sleep(250);
  }
}

/**
 * Serve fixture pages the fixture server refuses to serve (a path segment that
 * starts with "_", e.g. Salesforce's /_ui/...) straight from tests/fixtures,
 * with the headers the server would send (defaults + merged _headers.json).
 * `urls`: full URLs (query ignored); each becomes a context route.
 */
export async function routeFixturePages(context, urls) {
  const { FIXTURES_DIR } = await import('../hosts.mjs');
  for (const url of urls) {
    const u = new URL(url);
    const dirs = [u.hostname, ...u.pathname.split('/').filter(Boolean)];
    const file = join(FIXTURES_DIR, ...dirs, 'index.html');
    const headers = {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': STRICT_CSP,
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'strict-origin-when-cross-origin',
    };
    for (let i = 1; i <= dirs.length; i++) {
      const hf = join(FIXTURES_DIR, ...dirs.slice(0, i), '_headers.json');
      if (!existsSync(hf)) continue;
      for (const [name, value] of Object.entries(JSON.parse(readFileSync(hf, 'utf8')))) {
        if (value === null) delete headers[name.toLowerCase()]; else headers[name.toLowerCase()] = String(value);
      }
    }
    await context.route(`${u.origin}${u.pathname}*`, (route) => route.fulfill({ status: 200, headers, body: readFileSync(file) }));
  }
}

// ------------------------------------------------------------------ secrets at rest

/**
 * Every file under `dir` that contains one of `secrets` ({ name, value }),
 * as UTF-8 or UTF-16LE bytes (LevelDB, SQLite and session files store
 * either), whole or by a 32-character piece from its middle (a PEM may be
 * stored re-wrapped). Returns [{ file, secret, encoding }].
 */
export function grepTree(dir, secrets) {
  const needles = [];
  for (const s of secrets) {
    const flat = s.value.replace(/\s+/g, '');
    const pieces = new Set([s.value, flat.length > 48 ? flat.slice(Math.floor(flat.length / 2) - 16, Math.floor(flat.length / 2) + 16) : flat]);
    for (const p of pieces) {
      needles.push({ secret: s.name, encoding: 'utf-8', bytes: Buffer.from(p, 'utf8') });
      needles.push({ secret: s.name, encoding: 'utf-16le', bytes: Buffer.from(p, 'utf16le') });
    }
  }
  const hits = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        let buf;
        try { buf = readFileSync(p); } catch { continue; }
        for (const n of needles) {
          if (buf.includes(n.bytes) && !hits.some((h) => h.file === p && h.secret === n.secret)) {
            hits.push({ file: p.slice(dir.length + 1), secret: n.secret, encoding: n.encoding });
          }
        }
      }
    }
  };
  walk(dir);
  return hits;
}
