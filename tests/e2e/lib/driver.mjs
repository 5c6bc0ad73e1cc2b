// One end-to-end suite, two browsers. A scenario is written once against the
// small driver interface below and runs in every browser of KF_BROWSERS
// (default "chromium,firefox"); lib/chromium.mjs (playwright-core) and
// lib/firefox.mjs (geckodriver: WebDriver classic + BiDi) implement it.
//
// Driver (one browser with the built extension; a fixture server beside it):
//   name                       'chromium' | 'firefox'
//   server                     the fixture server ({ port, hosts }) the browser resolves the fixture hosts to
//   profileDir                 the browser's profile directory on disk
//   open(url) -> Tab           a new tab at `url`, after `load`; tab.status is the HTTP status of the document
//   openExtensionPage(path)    a new tab with one of the extension's own pages (full extension API) -> Tab
//   extensionUrl(path)         the URL of one of the extension's files
//   background(fn, ...args)    fn(bg, ...args) in the extension background's realm (bg = its global); JSON back
//   stopBackground()           stop the background (Chromium: the service worker; Firefox: the event page)
//   reloadExtension()          runtime.reload(): the extension restarts, its open tabs keep their pages
//   allowHostPermission(origin)  let the extension's next permissions.request() for origin succeed (no prompt to answer)
//   mark() / errors()          start an error window / console errors + uncaught exceptions since then
//   close({ keepProfile })     quit the browser; keepProfile: profileDir stays (as it was at quit) until removeProfile()
// Tab (a top-level page):
//   status, url(), eval(fn, ...args)   evaluate fn(...args) in the page (JSON in, JSON out)
//   goto(url), reload(), close(), screenshot(path)
//   click(sel), fill(sel, value), type(sel, text), select(sel, value)   real input on page elements
//                              (sel: CSS, or XPath as "xpath=…")
//   press(key), clickAt(x, y), drag(from, to)   real keyboard / mouse input on the page (viewport pixels)
//   setViewport(width, height)
//   clipboard(), setClipboard(text)   the system clipboard, read/written where this browser lets a test do it
//   panels() -> [Panel]        the extension's overlay frames in this tab now (any depth), no waiting
//   frames() -> [{ url, eval }]  the tab's other frames now (any depth, panels left out), no waiting
//   front()                    make this the active tab (a background tab's timers are throttled)
// Panel (the overlay frame):
//   eval(fn, ...args), click(sel) (trusted, waits until enabled), press(sel, key) (trusted), parentUrl()
//
// Suites: `browsers(title, options, (s) => { s.scenario(name, opts, async (drv, t) => …) })`.
// A scenario that can only run in some browsers says so: `{ only: ['chromium'], why: '…' }`; in the
// others it is reported as skipped with that reason, and lib/summary.mjs prints the list of such
// exceptions with the scenario counts per browser (each run writes tests/e2e/.out/scenarios/*.json).

import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { E2E_DIR } from '../hosts.mjs';
import { formatErrors, startFixtureServer, waitFor } from './common.mjs';

export { formatErrors, waitFor };

export const ALL_BROWSERS = ['chromium', 'firefox'];
export const BROWSERS = (process.env.KF_BROWSERS ?? ALL_BROWSERS.join(',')).split(',').map((b) => b.trim()).filter(Boolean);
for (const b of BROWSERS) if (!ALL_BROWSERS.includes(b)) throw new Error(`KF_BROWSERS: unknown browser ${b} (known: ${ALL_BROWSERS.join(', ')})`);
export const SCENARIO_DIR = join(E2E_DIR, '.out', 'scenarios');

/**
 * Launch `browser` with the built extension; `options.chromiumArgs` / `options.firefoxPrefs` per browser,
 * `options.managedPolicy`: keyferry's storage.managed set by an enterprise policy (needs root: a private mount).
 */
export async function launchDriver(browser, server, options = {}) {
  if (browser === 'chromium') {
    const { launchChromium } = await import('./chromium.mjs');
    return launchChromium({ server, args: options.chromiumArgs ?? [], managedPolicy: options.managedPolicy });
  }
  const { launchFirefox } = await import('./firefox.mjs');
  return launchFirefox({ server, prefs: options.firefoxPrefs ?? {}, managedPolicy: options.managedPolicy });
}

/**
 * Define a suite once; it runs in each browser of KF_BROWSERS, one browser (and
 * fixture server) per browser for the whole suite unless a scenario asks for
 * `fresh: true` (its own browser, closed after it). `body(s)` registers scenarios
 * with `s.scenario(name, { only, why, timeout, fresh }, async (drv, t) => …)`;
 * `s.browser` is the browser's name, `await s.drv()` the suite's driver.
 */
export function browsers(title, options, body) {
  const file = basename(process.argv[1] ?? 'suite');
  for (const browser of BROWSERS) {
    describe(`${browser}: ${title}`, { concurrency: 1 }, () => {
      let server;
      let drv; // launched by the first scenario that uses the suite's browser (a suite of `fresh` ones never does)
      const suiteDriver = async () => (drv ??= await launchDriver(browser, server, options));
      const record = { file, suite: title, browser, scenarios: 0, exceptions: [] };
      before(async () => {
        // Firefox maps the fixture hosts to loopback on the URL's own port (443); Chromium maps them to any port.
        server = await startFixtureServer({ port: browser === 'firefox' ? 443 : 0 });
      });
      after(async () => {
        await drv?.close();
        await server?.stop();
        mkdirSync(SCENARIO_DIR, { recursive: true });
        writeFileSync(join(SCENARIO_DIR, `${file}.${title.replace(/[^A-Za-z0-9]+/g, '_')}.${browser}.json`), JSON.stringify(record, null, 1));
      });
      const s = {
        browser,
        drv: suiteDriver,
        scenario(name, opts, fn) {
          if (typeof opts === 'function') [opts, fn] = [{}, opts];
          if (opts.only && !opts.only.includes(browser)) {
            if (!opts.why) throw new Error(`scenario "${name}": an \`only\` needs a \`why\``);
            record.exceptions.push({ name, only: opts.only, why: opts.why });
            test(name, { skip: `only in ${opts.only.join(', ')}: ${opts.why}` }, () => {});
            return;
          }
          record.scenarios += 1;
          test(name, { timeout: opts.timeout ?? 120_000 }, async (t) => {
            const d = opts.fresh ? await launchDriver(browser, server, { ...options, ...opts.options }) : await suiteDriver();
            d.mark();
            try {
              await fn(d, t);
            } catch (err) {
              const errors = await d.errors().catch(() => []);
              if (errors.length) t.diagnostic(`errors logged:\n${formatErrors(errors)}`);
              throw err;
            } finally {
              if (opts.fresh) await d.close();
            }
          });
        },
      };
      body(s);
    });
  }
}


// ------------------------------------------------------------------ the overlay, through the driver

/** Reads the overlay state inside a panel: { page, progress, items: [{ id, status, message }] }, or null. */
export function readPanelState() {
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
}

/** The first overlay's state in `tab`, or null (no overlay, or not rendered yet). No waiting. */
export async function overlayState(tab) {
  const [panel] = await tab.panels();
  if (!panel) return null;
  return panel.eval(readPanelState).catch(() => null); // the frame navigating or gone
}

/**
 * Poll the overlay of `tab` (re-finding its frame every time: the agent may
 * replace it) until `predicate(state)` holds (state is null while there is no
 * overlay). Returns { panel, state }; throws with the last state on timeout.
 */
export async function waitForOverlay(tab, predicate, { timeout = 15_000, what = 'overlay state' } = {}) {
  let last = null;
  const found = await waitFor(async () => {
    const [panel] = await tab.panels();
    last = panel ? await panel.eval(readPanelState).catch(() => null) : null;
    return predicate(last) ? { panel: panel ?? null, state: last } : null;
  }, what, timeout).catch((err) => {
    throw new Error(`${what} not reached within ${timeout} ms; last overlay state: ${JSON.stringify(last)} (${err.message.slice(0, 200)})`);
  });
  return found;
}

/**
 * Whether a keyferry panel host in `tab`'s top document is shown (a panel
 * loaded with the hello stays display: none until a verdict shows it).
 */
export function panelShown(tab) {
  return tab.eval(() => [...document.querySelectorAll('keyferry-overlay')].some((h) => getComputedStyle(h).display !== 'none'));
}

/** The first overlay frame of `tab` once it has rendered `[data-kf-page]`. */
export async function panelOf(tab, { timeout = 15_000 } = {}) {
  return (await waitForOverlay(tab, (s) => !!s, { timeout, what: 'a rendered overlay' })).panel;
}

/** The overlay frame of `tab` that has `selector` in it. */
export async function panelWith(tab, selector, what = selector, timeout = 10_000) {
  return waitFor(async () => {
    for (const p of await tab.panels()) if (await p.eval((s) => !!document.querySelector(s), selector).catch(() => false)) return p;
    return null;
  }, what, timeout);
}

/**
 * Make the overlay show `integration`: trusted key presses (ArrowUp/Down) on its
 * select[data-kf-action=pick], one step at a time (the overlay ignores untrusted
 * events). Returns false when the overlay shows no picker.
 */
export async function overlayPick(tab, integration, { timeout = 8_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const [panel] = await tab.panels();
    const info = panel && await panel.eval(() => {
      const s = document.querySelector('select[data-kf-action=pick]');
      return s ? { values: [...s.options].map((o) => o.value), index: s.selectedIndex } : null;
    }).catch(() => undefined);
    if (info === null) return false;
    if (info) {
      const target = info.values.indexOf(integration);
      if (target < 0) throw new Error(`the overlay offers no integration ${integration} (options: ${info.values.join(', ')})`);
      if (target === info.index) return true;
      await panel.press('select[data-kf-action=pick]', target > info.index ? 'ArrowDown' : 'ArrowUp').catch(() => {});
    }
    if (Date.now() >= deadline) throw new Error(`could not pick ${integration} in the overlay (last: ${JSON.stringify(info)})`);
    await sleep(150); // poll interval of this condition wait
  }
}

/**
 * The negative of a wait: watches `check()` for `ms` and fails as soon as it
 * returns something truthy ("`what` happened: …"). For what must not happen
 * (no overlay on a decoy page), where no event says "decided not to".
 */
export async function staysFalse(check, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const seen = await check();
    if (seen) throw new Error(`${what} happened: ${JSON.stringify(seen).slice(0, 500)}`);
    if (Date.now() >= end) return;
    await sleep(150); // poll interval of the observation
  }
}

/**
 * A whole suite that runs in Chromium only (written against lib/chromium.mjs, not the driver), listed as
 * an exception with `why`: in the other browsers of KF_BROWSERS it is one skipped entry with the reason.
 */
export function chromiumOnly(title, why, body) {
  const file = basename(process.argv[1] ?? 'suite');
  for (const browser of BROWSERS) {
    if (browser === 'chromium') {
      describe(`chromium: ${title}`, body);
      continue;
    }
    describe(`${browser}: ${title}`, () => {
      test(`${title} (the whole file)`, { skip: `only in chromium: ${why}` }, () => {});
      after(() => {
        mkdirSync(SCENARIO_DIR, { recursive: true });
        writeFileSync(join(SCENARIO_DIR, `${file}.${title.replace(/[^A-Za-z0-9]+/g, '_')}.${browser}.json`), JSON.stringify({
          file, suite: title, browser, scenarios: 0, exceptions: [{ name: `${title} (the whole file)`, only: ['chromium'], why }],
        }, null, 1));
      });
    });
  }
}
