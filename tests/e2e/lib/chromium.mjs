// Chromium driver of keyferry's end-to-end rig (playwright-core): browser launch
// with the unpacked extension, overlay-frame discovery and error capture, and
// launchChromium(), the driver interface of lib/driver.mjs. The older helpers
// below (launch, overlayFrames, waitForOverlay, …) serve the Chromium-only suites.
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

import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync as writeFileSyncFs } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { chromium } from 'playwright-core';

import { E2E_DIR, REPO_ROOT } from '../hosts.mjs';

export const CHROMIUM_BIN = process.env.KF_CHROMIUM ?? '/usr/bin/chromium';
export const DIST_CHROME = resolve(REPO_ROOT, process.env.KF_DIST_CHROME ?? 'dist/chrome');
export const OUT_DIR = join(E2E_DIR, '.out', 'chromium');

export { STRICT_CSP, fetchFixture, formatErrors, grepTree, startFixtureServer, waitFor } from './common.mjs';
import { waitFor } from './common.mjs';

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
export async function launch({ server, dist = DIST_CHROME, headless = true, extraArgs = [], executablePath = CHROMIUM_BIN, env } = {}) {
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
      executablePath,
      ...(env ? { env } : {}),
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

/**
 * CDP: the isolated worlds (content scripts' worlds; Playwright's own left
 * out) of `page`, kept up to date: `worlds` their names, `contexts` the
 * Runtime contexts (id, auxData.frameId). Enabling Runtime reports the ones
 * that exist already, so it can be called before or after a navigation.
 */
export async function isolatedWorlds(session, page) {
  const cdp = await session.context.newCDPSession(page);
  const worlds = [];
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => {
    if (context.auxData?.type !== 'isolated' || context.name.startsWith('__playwright')) return;
    worlds.push(context.name);
    contexts.push(context);
  });
  await cdp.send('Runtime.enable');
  return { worlds, contexts, cdp, detach: () => cdp.detach().catch(() => {}) };
}

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

// ------------------------------------------------------------------ the driver interface (lib/driver.mjs)

const CHROMIUM_KEYS = { Space: ' ' };

/** An expression calling `fn` (a function or its source) with JSON `args` (a string: no eval under the page's CSP). */
const callExpr = (fn, args, first = '', rest = args) => `(${fn.toString()})(${first}...${JSON.stringify(rest)})`;

/** The id Chromium gives an unpacked extension: its absolute path, SHA-256, a-p. */
export function unpackedId(path) {
  const hex = createHash('sha256').update(resolve(path)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** Launch Chromium with dist/chrome and return the driver of lib/driver.mjs. `args`: extra command-line switches. */
export async function launchChromium({ server, dist = DIST_CHROME, args = [], managedPolicy = null } = {}) {
  // An enterprise policy for keyferry's storage.managed: the browser runs in a private mount namespace whose
  // /etc/chromium/policies/managed/keyferry.json sets it (tools/with-policy.sh; no other process sees the file).
  let policyDir = null;
  let policyLaunch = {};
  if (managedPolicy) {
    policyDir = mkdtempSync(join(tmpdir(), 'kf-policy-'));
    if (existsSync('/etc/chromium/master_preferences')) copyFileSync('/etc/chromium/master_preferences', join(policyDir, 'master_preferences'));
    mkdirSync(join(policyDir, 'policies', 'managed'), { recursive: true });
    writeFileSyncFs(join(policyDir, 'policies', 'managed', 'keyferry.json'),
      JSON.stringify({ '3rdparty': { extensions: { [unpackedId(dist)]: managedPolicy } } }));
    policyLaunch = { executablePath: join(E2E_DIR, 'tools', 'with-policy.sh'),
      env: { ...process.env, KF_POLICY_DIR: policyDir, KF_POLICY_MOUNT: '/etc/chromium', KF_POLICY_BROWSER: CHROMIUM_BIN } };
  }
  const session = await launch({ server, dist, extraArgs: args, ...policyLaunch });
  let mark = { page: 0, ext: 0 };
  const worker = async () => {
    await session.extensionId();
    return session.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  };

  // A web page needs the permission (an extension page has clipboardRead); both need the focus.
  async function allowClipboard(page) {
    if (!page.url().startsWith('chrome-extension://')) {
      await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    }
    await page.bringToFront();
  }

  function makePanel(frame) {
    return {
      frame,
      parentUrl: () => frame.parentFrame()?.url() ?? null,
      eval: (fn, ...args) => frame.evaluate(callExpr(fn, args)),
      click: (selector, { timeout = 10_000 } = {}) => frame.click(selector, { timeout }),
      press: (selector, key) => frame.press(selector, CHROMIUM_KEYS[key] ?? key),
    };
  }

  function makeTab(page) {
    return {
      page,
      url: async () => page.url(),
      eval: (fn, ...args) => page.evaluate(callExpr(fn, args)),
      goto: (url) => page.goto(url, { waitUntil: 'load' }),
      reload: () => page.reload({ waitUntil: 'load' }),
      click: (selector) => page.click(selector, { timeout: 10_000 }),
      fill: (selector, value) => page.fill(selector, value, { timeout: 10_000 }),
      type: (selector, text) => page.type(selector, text, { timeout: 10_000 }),
      select: (selector, value) => page.selectOption(selector, value, { timeout: 10_000 }),
      press: (key) => page.keyboard.press(CHROMIUM_KEYS[key] ?? key),
      clickAt: (x, y) => page.mouse.click(x, y),
      async drag(from, to, steps = 5) {
        await page.mouse.move(from.x, from.y);
        await page.mouse.down();
        await page.mouse.move(to.x, to.y, { steps });
        await page.mouse.up();
      },
      setViewport: (width, height) => page.setViewportSize({ width, height }),
      panels: async () => overlayFrames(page).map(makePanel),
      frames: async () => page.frames().filter((f) => f !== page.mainFrame() && !isOverlayFrameUrl(f.url()))
        .map((f) => ({ url: f.url(), eval: (fn, ...args) => f.evaluate(callExpr(fn, args)) })),
      front: () => page.bringToFront(),
      close: () => page.close(),
      async clipboard() {
        await allowClipboard(page);
        return page.evaluate(() => navigator.clipboard.readText());
      },
      async setClipboard(text) {
        await allowClipboard(page);
        await page.evaluate((t) => navigator.clipboard.writeText(t), text);
      },
      screenshot: (path) => page.screenshot({ path, fullPage: true }),
    };
  }

  const drv = {
    name: 'chromium',
    server,
    profileDir: session.userDataDir,
    session,
    async open(url) {
      const { page, response } = await session.openFixture(url);
      const tab = makeTab(page);
      tab.status = response?.status() ?? null;
      return tab;
    },
    async openExtensionPage(path) {
      const page = await session.context.newPage();
      await page.goto(`chrome-extension://${await session.extensionId()}/${path}`, { waitUntil: 'load' });
      return makeTab(page);
    },
    async extensionUrl(path) { return `chrome-extension://${await session.extensionId()}/${path}`; },
    async background(fn, ...args) {
      return (await worker()).evaluate(callExpr(fn, [], 'globalThis, ', args));
    },
    async reloadExtension() {
      // From the worker itself, a moment after this call has answered (the worker goes away with the reload).
      await (await worker()).evaluate(() => { setTimeout(() => chrome.runtime.reload(), 50); }).catch(() => {});
    },
    async stopBackground() {
      const page = session.context.pages()[0] ?? await session.context.newPage();
      await stopWorker(session, page);
    },
    async allowHostPermission(origin) {
      // The prompt permissions.request() opens cannot be answered in headless Chromium (the request never settles):
      // grant the host as the admin can in chrome://extensions → Site access, through that page's own API. The
      // extension's permissions.request() call is unchanged; it resolves true because the browser holds the grant.
      const page = await session.context.newPage();
      try {
        await page.goto('chrome://extensions');
        await page.evaluate(([extId, o]) => chrome.developerPrivate.addHostPermission(extId, o), [await session.extensionId(), origin]);
      } finally {
        await page.close();
      }
    },
    mark() { mark = { page: session.pageErrors.length, ext: session.extensionErrors.length }; },
    async errors() { return [...session.pageErrors.slice(mark.page), ...session.extensionErrors.slice(mark.ext)]; },
    async close(opts) {
      await session.close(opts);
      if (policyDir) rmSync(policyDir, { recursive: true, force: true });
    },
    removeProfile: () => session.removeProfile(),
  };
  return drv;
}
