// Firefox driver of keyferry's end-to-end rig (the interface: lib/driver.mjs).
// Stock Firefox ESR through geckodriver (~/.cargo/bin/geckodriver or $GECKODRIVER)
// and the npm selenium-webdriver package: WebDriver classic for the session,
// the temporary add-on, the chrome context (--allow-system-access: opening
// moz-extension:// pages, stopping the event page) and element input on pages;
// WebDriver BiDi (raw commands over selenium's websocket) for the browsing-context
// tree, script evaluation in any frame, console/JS-error events and trusted
// input inside the overlay frame.
//
// Firefox resolves the fixture hosts through network.dns.localDomains on the
// URL's own port, so the fixture server must listen on 443 (run in a private
// network namespace: tests/e2e/run.sh does).

import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { E2E_DIR, REPO_ROOT } from '../hosts.mjs';
import { waitFor } from './common.mjs';

process.env.SE_OFFLINE ??= 'true'; // Selenium Manager must never go to the network
const { Builder, By, Key } = (await import('selenium-webdriver')).default;
const firefox = (await import('selenium-webdriver/firefox.js')).default;

export const FIREFOX_BIN = process.env.KF_FIREFOX ?? '/usr/bin/firefox-esr';
export const GECKODRIVER = process.env.GECKODRIVER ?? join(homedir(), '.cargo', 'bin', 'geckodriver');
export const DIST_FIREFOX = resolve(REPO_ROOT, process.env.KF_DIST_FIREFOX ?? 'dist/firefox');
const OUT_DIR = join(E2E_DIR, '.out', 'firefox');

const PREFS = {
  // Console API calls of web content and extension pages go to stdout (= the
  // geckodriver log): the only window onto the extension's own pages, which
  // BiDi log events miss.
  'devtools.console.stdout.content': true,
  // Quiet, offline-friendly profile.
  'app.update.disabledForTesting': true,
  'app.normandy.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  // BackupService measurements at idle made quit() take 7-10 s here.
  'browser.backup.archive.enabled': false,
  'browser.backup.scheduled.enabled': false,
  'browser.backup.restore.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'extensions.getAddons.cache.enabled': false,
  'extensions.update.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
};

// Browser-internal modules that print console.error on an offline machine, and
// Firefox's own internals (resource://, chrome://, window actors of a closed tab).
const CHROME_NOISE = /^(RSLoader|BackupService|Nimbus|RemoteSettings|Normandy|ExperimentAPI|SearchService|AddonManager|TelemetryEnvironment|PushService|FirefoxRelay|Sandbox|UrlbarProvider\w*|ShoppingContainer)\b/;
const BROWSER_NOISE = ['resource://', 'chrome://', 'JSWindowActorChild'];
const JS_ERROR = /^JavaScript error: (\S+?), line (\d+): (.*)$/;
const CONSOLE_ERROR = /^console\.error: (.*)$/;

const KEYS = { ArrowDown: '\uE015', ArrowUp: '\uE013', ArrowLeft: '\uE012', ArrowRight: '\uE014', Enter: '\uE007', Tab: '\uE004',
  Escape: '\uE00C', Backspace: '\uE003', Space: ' ', Control: '\uE009', Shift: '\uE008', Delete: '\uE017' };
const keyValue = (k) => KEYS[k] ?? k;

/** An expression that evaluates `fn` (a function or source) with `args` and yields JSON (a string or undefined). */
function callJson(fn, args) {
  const src = typeof fn === 'function' ? fn.toString() : fn;
  return `(async () => { const v = await (${src})(...${JSON.stringify(args)}); return v === undefined ? undefined : JSON.stringify(v); })()`;
}

/** JS source that finds `selector` in the document: CSS, or XPath when it starts with "xpath=". */
function findJs(selector) {
  return selector.startsWith('xpath=')
    ? `document.evaluate(${JSON.stringify(selector.slice(6))}, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue`
    : `document.querySelector(${JSON.stringify(selector)})`;
}

const walk = (infos, parent = null, out = []) => {
  for (const info of infos ?? []) { out.push({ ...info, parent }); walk(info.children, info, out); }
  return out;
};
const isOverlayUrl = (url) => !!url && url.startsWith('moz-extension://') && url.includes('/overlay.html');

/** Launch Firefox ESR with dist/firefox as a temporary add-on. `prefs`: extra preferences. */
export async function launchFirefox({ server, dist = DIST_FIREFOX, prefs = {}, managedPolicy = null } = {}) {
  if (!existsSync(join(dist, 'manifest.json'))) {
    throw new Error(`no extension at ${dist} (manifest.json missing): run ./build.sh first, or set KF_DIST_FIREFOX`);
  }
  if (!existsSync(GECKODRIVER)) throw new Error(`geckodriver not found at ${GECKODRIVER}: cargo install geckodriver, or set GECKODRIVER`);
  if (server.port !== 443) {
    throw new Error(`Firefox maps fixture hosts to loopback on the URL's own port: the fixture server must listen on 443 (got ${server.port})`);
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const logPath = join(OUT_DIR, `geckodriver-${process.pid}-${Date.now()}.log`);
  const logFd = openSync(logPath, 'w');
  const opts = new firefox.Options();
  opts.setBinary(FIREFOX_BIN);
  opts.addArguments('-headless');
  opts.setAcceptInsecureCerts(true);
  opts.enableBidi();
  for (const [k, v] of Object.entries({ ...PREFS, 'network.dns.localDomains': server.hosts.join(','), ...prefs })) opts.setPreference(k, v);
  const service = new firefox.ServiceBuilder(GECKODRIVER).addArguments('--allow-system-access').setStdio(['ignore', logFd, logFd]);
  // An enterprise policy for keyferry's storage.managed ("3rdparty" -> "Extensions" -> the add-on id): Firefox runs
  // in a private mount namespace whose distribution/policies.json sets it (tools/with-policy.sh).
  let policyDir = null;
  if (managedPolicy) {
    const distribution = '/usr/lib/firefox-esr/distribution';
    policyDir = mkdtempSync(join(tmpdir(), 'kf-policy-'));
    if (existsSync(distribution)) cpSync(realpathSync(distribution), policyDir, { recursive: true }); // a symlink on Debian
    const { browser_specific_settings: bss } = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
    writeFileSync(join(policyDir, 'policies.json'), JSON.stringify({ policies: { '3rdparty': { Extensions: { [bss.gecko.id]: managedPolicy } } } }));
    opts.setBinary(join(E2E_DIR, 'tools', 'with-policy.sh'));
    service.setEnvironment({ ...process.env, KF_POLICY_DIR: policyDir, KF_POLICY_MOUNT: distribution, KF_POLICY_BROWSER: FIREFOX_BIN });
  }
  const wd = await new Builder().forBrowser('firefox').setFirefoxOptions(opts).setFirefoxService(service).build();
  closeSync(logFd);
  let addonId;
  try {
    addonId = await wd.installAddon(dist, true);
  } catch (err) {
    await wd.quit().catch(() => {});
    throw err;
  }
  const caps = await wd.getCapabilities();
  const bidi = await wd.getBidi();

  /** One BiDi command; throws with the remote error. */
  async function send(method, params) {
    const res = await bidi.send({ method, params });
    if (res.type === 'error') throw new Error(`${method}: ${res.error}: ${res.message}`);
    return res.result;
  }

  // ---- errors: BiDi log events (pages) + the stdout console of the geckodriver log (extension pages)
  const bidiErrors = [];
  let logMark = 0;
  bidi.on('log.entryAdded', (e) => {
    if (e.type === 'javascript' || e.level === 'error') bidiErrors.push({ kind: e.type, url: e.source?.context ?? '', text: String(e.text) });
  });
  await send('session.subscribe', { events: ['log.entryAdded'] });
  const hostPrefixes = server.hosts.map((h) => `https://${h}`);
  function stdoutErrors() {
    if (!existsSync(logPath)) return [];
    const data = readFileSync(logPath);
    const out = [];
    let offset = 0;
    for (const line of data.toString('utf8').split('\n')) {
      const start = offset;
      offset += Buffer.byteLength(line, 'utf8') + 1;
      let m = JS_ERROR.exec(line);
      if (m) {
        // Uncaught errors count for the whole session (extension startup included), from the extension or a fixture page.
        if (m[1].startsWith('moz-extension://') || hostPrefixes.some((p) => m[1].startsWith(p))) out.push({ kind: 'stdout-javascript', url: `${m[1]}:${m[2]}`, text: m[3] });
        continue;
      }
      m = CONSOLE_ERROR.exec(line);
      if (m && start >= logMark && !CHROME_NOISE.test(m[1])) {
        let text = m[1].trim();
        if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) { try { text = JSON.parse(text); } catch { text = text.slice(1, -1); } }
        out.push({ kind: 'stdout-console', url: '', text });
      }
    }
    return out;
  }

  async function tree(root) {
    const { contexts } = await send('browsingContext.getTree', root ? { root } : {});
    return walk(contexts);
  }

  async function evaluate(ctx, fn, args = [], { userActivation = false } = {}) {
    const res = await send('script.evaluate', {
      expression: callJson(fn, args), target: { context: ctx }, awaitPromise: true, resultOwnership: 'none', userActivation,
    });
    if (res.type === 'exception') throw new Error(`script error in ${ctx}: ${res.exceptionDetails?.text}`);
    const v = res.result?.value;
    return v === undefined ? undefined : JSON.parse(v);
  }

  async function actions(ctx, list) {
    await send('input.performActions', { context: ctx, actions: list });
  }
  const keyActions = (keys) => keys.flatMap((k) => [{ type: 'keyDown', value: keyValue(k) }, { type: 'keyUp', value: keyValue(k) }]);

  /**
   * Real (isTrusted) mouse click on `selector` in context `ctx`. Waits until it is enabled (the panel
   * marks actions aria-disabled until it has been visible long enough: clickguard), measures it and
   * clicks its centre; a capture listener records what the click hit. A click that hit something
   * inert (the content moved) is retried; one that hit another control is an error.
   */
  async function trustedClick(ctx, top, selector, { attempts = 3, timeout = 10_000 } = {}) {
    await send('browsingContext.activate', { context: top }).catch(() => {});
    await waitFor(() => evaluate(ctx, `(s) => { const el = ${findJs(selector)}; return !!el && !el.closest('[aria-disabled=true]'); }`, [selector]),
      `${selector} present and not aria-disabled in ${ctx}`, timeout, 50);
    for (let attempt = 0; attempt < attempts; attempt++) {
      const rect = await evaluate(ctx, `(attempt) => {
        const find = () => ${findJs(selector)};
        const el = find();
        if (!el) return null;
        el.scrollIntoView({ block: 'center', inline: 'center' });
        const r = el.getBoundingClientRect();
        globalThis.__kfClickHit = null;
        globalThis.__kfClickArmed = attempt;
        document.addEventListener('click', (e) => {
          const t = e.target instanceof Element ? e.target : null;
          const want = find();
          globalThis.__kfClickHit = {
            hit: !!(want && t && (want === t || want.contains(t))),
            other: t?.closest?.('button, a, input, select, textarea, [data-kf-action]')?.outerHTML?.slice(0, 120) ?? null,
          };
        }, { capture: true, once: true });
        return { x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height };
      }`, [attempt]);
      if (!rect) throw new Error(`no element ${selector} in context ${ctx}`);
      if (rect.w <= 0 || rect.h <= 0) throw new Error(`element ${selector} has no box (hidden?)`);
      await actions(ctx, [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [
        { type: 'pointerMove', x: Math.floor(rect.x), y: Math.floor(rect.y) }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }] }]);
      let seen;
      try {
        seen = await evaluate(ctx, '() => [globalThis.__kfClickArmed ?? null, globalThis.__kfClickHit ?? null]');
      } catch {
        return; // the click navigated or replaced the context: it landed
      }
      const [armed, hit] = seen;
      if (armed !== attempt) return; // a new document in the context: it landed
      if (!hit) continue; // the browser dropped the click (input suppression right after a frame loads): again
      if (hit.hit) return;
      if (hit.other) throw new Error(`the click meant for ${selector} hit another control: ${hit.other}`);
    }
    throw new Error(`${attempts} clicks at ${selector} in context ${ctx} did not reach it (the content kept moving?)`);
  }

  // ---- classic WebDriver on page elements (the tab must be the current window)
  let current = null;
  async function focusWindow(ctx) {
    if (current !== ctx) { await wd.switchTo().window(ctx); current = ctx; }
  }
  async function element(ctx, selector) {
    await focusWindow(ctx);
    const el = await waitFor(() => wd.findElement(selector.startsWith('xpath=') ? By.xpath(selector.slice(6)) : By.css(selector)),
      `element ${selector}`, 10_000);
    await wd.executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", el);
    return el;
  }

  function makePanel(tab, ctx, parentUrl) {
    return {
      ctx,
      parentUrl: () => parentUrl,
      eval: (fn, ...args) => evaluate(ctx, fn, args),
      click: (selector, opts) => trustedClick(ctx, tab.ctx, selector, opts),
      async press(selector, key) {
        await send('browsingContext.activate', { context: tab.ctx }).catch(() => {});
        await evaluate(ctx, `() => { const el = ${findJs(selector)}; if (!el) throw new Error('no element ${selector.replace(/'/g, '')}'); el.focus(); }`);
        await actions(ctx, [{ type: 'key', id: 'keyboard', actions: keyActions([key]) }]);
      },
    };
  }

  function makeTab(ctx) {
    const tab = {
      ctx,
      async url() { return (await tree(ctx))[0]?.url; },
      eval: (fn, ...args) => evaluate(ctx, fn, args),
      async goto(url) { await send('browsingContext.navigate', { context: ctx, url, wait: 'complete' }); },
      async reload() { await send('browsingContext.reload', { context: ctx, wait: 'complete' }); },
      async click(selector) { await (await element(ctx, selector)).click(); },
      async fill(selector, value) {
        // Select all + Backspace + typing: real key input (React-style controlled inputs ignore a scripted .value).
        const el = await element(ctx, selector);
        await el.click();
        await el.sendKeys(Key.CONTROL, 'a');
        await el.sendKeys(Key.BACK_SPACE);
        if (value) await el.sendKeys(value);
      },
      async type(selector, text) { await (await element(ctx, selector)).sendKeys(text); },
      async select(selector, value) {
        const el = await element(ctx, selector);
        await el.findElement(By.css(`option[value=${JSON.stringify(value)}]`)).click();
      },
      async press(key) {
        await send('browsingContext.activate', { context: ctx }).catch(() => {});
        await actions(ctx, [{ type: 'key', id: 'keyboard', actions: keyActions([key]) }]);
      },
      async clickAt(x, y) {
        await send('browsingContext.activate', { context: ctx }).catch(() => {});
        await actions(ctx, [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [
          { type: 'pointerMove', x: Math.round(x), y: Math.round(y) }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }] }]);
      },
      async drag(from, to, steps = 5) {
        const moves = [];
        for (let i = 1; i <= steps; i++) {
          moves.push({ type: 'pointerMove', x: Math.round(from.x + ((to.x - from.x) * i) / steps), y: Math.round(from.y + ((to.y - from.y) * i) / steps) });
        }
        await send('browsingContext.activate', { context: ctx }).catch(() => {});
        await actions(ctx, [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [
          { type: 'pointerMove', x: Math.round(from.x), y: Math.round(from.y) }, { type: 'pointerDown', button: 0 }, ...moves, { type: 'pointerUp', button: 0 }] }]);
      },
      async setViewport(width, height) { await send('browsingContext.setViewport', { context: ctx, viewport: { width, height } }); },
      async panels() {
        const nodes = await tree(ctx).catch(() => []);
        return nodes.filter((n) => isOverlayUrl(n.url)).map((n) => makePanel(tab, n.context, n.parent?.url ?? null));
      },
      async frames() {
        const nodes = await tree(ctx).catch(() => []);
        return nodes.filter((n) => n.parent && !isOverlayUrl(n.url)).map((n) => ({ url: n.url, eval: (fn, ...args) => evaluate(n.context, fn, args) }));
      },
      async front() { await send('browsingContext.activate', { context: ctx }); },
      async close() {
        if (current === ctx) current = null;
        await send('browsingContext.close', { context: ctx }).catch(() => {});
      },
      // The clipboard as the overlay frame sees it (an extension page with clipboardRead: Firefox lets a web page
      // read it only through its paste prompt).
      // An extension page of our own reads it itself.
      async clipboardRealm() {
        if ((await tab.url())?.startsWith('moz-extension://')) return tab;
        const [panel] = await tab.panels();
        if (!panel) throw new Error('no overlay frame in this tab to reach the clipboard from');
        return panel;
      },
      async clipboard() { return (await tab.clipboardRealm()).eval(() => navigator.clipboard.readText()); },
      async setClipboard(text) { await (await tab.clipboardRealm()).eval((t) => navigator.clipboard.writeText(t), text); },
      async screenshot(path) {
        const { data } = await send('browsingContext.captureScreenshot', { context: ctx });
        writeFileSync(path, Buffer.from(data, 'base64'));
      },
    };
    return tab;
  }

  async function chromeEval(script, ...args) {
    await wd.setContext(firefox.Context.CHROME);
    try {
      return await wd.executeScript(script, ...args);
    } finally {
      await wd.setContext(firefox.Context.CONTENT);
    }
  }

  let closed = false;
  const drv = {
    name: 'firefox',
    server,
    profileDir: caps.get('moz:profile'),
    webdriver: wd,

    async open(url) {
      const { context } = await send('browsingContext.create', { type: 'tab' });
      const tab = makeTab(context);
      await send('browsingContext.navigate', { context, url, wait: 'complete' });
      tab.status = await tab.eval(() => performance.getEntriesByType('navigation')[0]?.responseStatus ?? null);
      return tab;
    },

    async openExtensionPage(path) {
      // WebDriver refuses to navigate to moz-extension:// URLs: the tab is opened from the chrome context.
      const url = await chromeEval(`const url = WebExtensionPolicy.getByID(arguments[0]).getURL(arguments[1]);
        const w = Services.wm.getMostRecentWindow('navigator:browser');
        w.gBrowser.selectedTab = w.gBrowser.addTab(url, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });
        return url;`, addonId, path);
      const ctx = await waitFor(async () => {
        const top = (await tree()).find((n) => !n.parent && n.url === url);
        return top && (await evaluate(top.context, () => document.readyState)) === 'complete' && top.context;
      }, `the extension page ${url} to load`);
      return makeTab(ctx);
    },

    async extensionUrl(path) { return chromeEval('return WebExtensionPolicy.getByID(arguments[0]).getURL(arguments[1]);', addonId, path); },

    async background(fn, ...args) {
      // The event page's realm, reached from an extension page of our own (getBackgroundPage).
      const page = await drv.openExtensionPage('popup.html');
      try {
        const src = typeof fn === 'function' ? fn.toString() : fn;
        return await evaluate(page.ctx, `(...a) => browser.runtime.getBackgroundPage().then((bg) => (${src})(bg, ...a))`, args);
      } finally {
        await page.close();
      }
    },

    async allowHostPermission() {
      // Headless Firefox cannot answer the doorhanger permissions.request() opens. Under this pref of Firefox's own it
      // grants an optional permission requested during a user gesture without asking; the extension's call is unchanged.
      await chromeEval("Services.prefs.setBoolPref('extensions.webextOptionalPermissionPrompts', false);");
    },

    async reloadExtension() {
      // From an extension page of our own (it goes away with the reload). A callback handed to the background's
      // setTimeout from a page that is closed meanwhile would be a dead object there and never run.
      const page = await drv.openExtensionPage('popup.html');
      await evaluate(page.ctx, () => { setTimeout(() => browser.runtime.reload(), 50); }).catch(() => {});
    },
    async stopBackground() {
      // As about:debugging's "Terminate background script".
      const state = await chromeEval(`const ext = WebExtensionPolicy.getByID(arguments[0]).extension;
        return ext.terminateBackground({ disableResetIdleForTest: true }).then(() => String(ext.backgroundState));`, addonId);
      if (state !== 'stopped') throw new Error(`background state after terminateBackground: ${state}`);
    },

    mark() {
      logMark = existsSync(logPath) ? statSync(logPath).size : 0;
      bidiErrors.length = 0;
    },

    async errors() {
      let urls = {};
      try { urls = Object.fromEntries((await tree()).map((n) => [n.context, n.url])); } catch { /* browser busy or gone */ }
      const own = bidiErrors.map((e) => ({ ...e, url: urls[e.url] ?? e.url }));
      const seen = new Set(own.map((e) => e.text));
      const all = [...own, ...stdoutErrors().filter((e) => !seen.has(e.text))];
      return all.filter((e) => !BROWSER_NOISE.some((n) => `${e.url} ${e.text}`.includes(n)));
    },

    async close({ keepProfile = false } = {}) {
      if (closed) return;
      closed = true;
      // geckodriver deletes its profile on quit: a copy of it as it is now is what stays.
      if (keepProfile) {
        const copy = mkdtempSync(join(tmpdir(), 'kf-e2e-firefox-profile-'));
        cpSync(drv.profileDir, copy, { recursive: true });
        drv.profileDir = copy;
      }
      // Firefox sometimes spends 7-10 s in shutdown here: after a grace period its process is killed.
      const pid = caps.get('moz:processID');
      const quit = wd.quit().catch((err) => process.stderr.write(`[firefox] quit: ${err}\n`));
      const done = await Promise.race([quit.then(() => true), sleep(2_500).then(() => false)]);
      if (!done && pid) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
        await quit;
      }
      if (policyDir) rmSync(policyDir, { recursive: true, force: true });
    },
    removeProfile: () => rmSync(drv.profileDir, { recursive: true, force: true }),
  };
  return drv;
}
