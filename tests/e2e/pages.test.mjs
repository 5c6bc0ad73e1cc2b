// Chromium end-to-end tests of keyferry on the console-page replicas, data-driven
// from tests/e2e/pages.json (the Firefox twin is tests/e2e/test_pages.py).
// Run from the repo root: node --test tests/e2e/pages.test.mjs   (or tests/e2e/run.sh)
//
//  1. every replica state: the page id, every item's data-kf-status and data-kf-progress
//  2. decoys: no overlay frame within 3 s, nothing logged
//  3. live update with trusted input, one page per console
//  4. SPA navigation: Okta app tabs (hash) and the Create App Integration route
//  5. the Lightning wrapper: the overlay lives in the cross-origin iframe
//  6. the re-rendered Visualforce form keeps tracking input
// One browser for the whole file; every case opens (and closes) its own tab, so
// the integration picked in the overlay (kept per tab) never leaks.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { E2E_DIR } from './hosts.mjs';
import {
  formatErrors,
  launch,
  overlayFrames,
  overlayPick,
  readOverlayState,
  routeFixturePages,
  startFixtureServer,
  waitForOverlay,
} from './lib/chromium.mjs';

const DATA = JSON.parse(readFileSync(join(E2E_DIR, 'pages.json'), 'utf8'));
const SETTLE_MS = 2_000; // how long a state may take to reach the expectation once the page is recognized

/** Differences between an overlay state and an expectation ({ page, progress, items: {id: status} }). */
function diff(state, page, exp) {
  const out = [];
  if (!state) return [{ id: '(overlay)', want: page, got: null }];
  if (state.page !== page) out.push({ id: '(page)', want: page, got: state.page });
  const got = Object.fromEntries(state.items.map((i) => [i.id, i.status]));
  for (const [id, want] of Object.entries(exp.items)) {
    if (got[id] !== want) out.push({ id, want, got: got[id] ?? '(absent)' });
  }
  for (const id of Object.keys(got)) if (!(id in exp.items)) out.push({ id, want: '(absent)', got: got[id] });
  if (exp.progress && state.progress !== exp.progress) out.push({ id: '(progress)', want: exp.progress, got: state.progress });
  // "messages": {id: [substrings]}: what the panel says about an item.
  for (const [id, parts] of Object.entries(exp.messages ?? {})) {
    const message = state.items.find((i) => i.id === id)?.message ?? '';
    for (const part of parts) if (!message.includes(part)) out.push({ id: `${id} message`, want: part, got: message });
  }
  return out;
}
const show = (d) => d.map((x) => `${x.id}: expected ${x.want}, got ${x.got}`).join('; ');

/** Wait for `page` to be recognized, pick the integration, then let the state settle on the expectation. */
async function settle(page, replica, exp) {
  await waitForOverlay(page, (s) => s?.page === replica.page, { timeout: 20_000, what: `data-kf-page=${replica.page}` });
  if (replica.integration) await overlayPick(page, replica.integration);
  const deadline = Date.now() + SETTLE_MS;
  let state = null;
  let matches = 0;
  for (;;) {
    const [frame] = overlayFrames(page);
    state = frame ? await readOverlayState(frame) : null;
    const d = diff(state, replica.page, exp);
    matches = d.length ? 0 : matches + 1;
    if (matches >= 2) return { state, diff: [] };
    if (Date.now() >= deadline && !matches) return { state, diff: d };
    await sleep(200);
  }
}

/** Expectation check for live steps: only the listed items. */
async function expectItems(page, pageId, items, what) {
  return waitForOverlay(page, (s) => s?.page === pageId && Object.entries(items).every(([id, st]) => s.items.some((i) => i.id === id && i.status === st)),
    { timeout: 8_000, what });
}

/** "xpath=…" or CSS, as pages.json writes selectors (Playwright understands both). */
const sel = (s) => s;

describe('chromium: console page replicas (tests/e2e/pages.json)', () => {
  let server;
  let session;
  let errorMark = { page: 0, ext: 0 };

  before(async () => {
    server = await startFixtureServer();
    session = await launch({ server });
    const unservable = DATA.replicas.filter((r) => r.serve_from_disk).flatMap((r) => Object.values(r.states).map((s) => s.url));
    await routeFixturePages(session.context, unservable);
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  const markErrors = () => { errorMark = { page: session.pageErrors.length, ext: session.extensionErrors.length }; };
  const newErrors = () => [...session.pageErrors.slice(errorMark.page), ...session.extensionErrors.slice(errorMark.ext)];

  async function withPage(url, name, t, fn) {
    markErrors();
    const { page, response } = await session.openFixture(url);
    try {
      assert.equal(response?.status(), 200, `${url} answered ${response?.status()}`);
      await page.evaluate(() => document.documentElement.setAttribute('data-kf-no-reload', '1'));
      await fn(page);
    } catch (err) {
      t.diagnostic(`snapshot: ${await session.snapshot(page, name)}`);
      const errors = newErrors();
      if (errors.length) t.diagnostic(`errors:\n${formatErrors(errors)}`);
      throw err;
    } finally {
      await page.close();
    }
  }

  // ---------------------------------------------------------------- 1. every replica state
  describe('1. recognition and statuses per state', () => {
    for (const replica of DATA.replicas) {
      for (const [name, exp] of Object.entries(replica.states)) {
        test(`${replica.id} [${name}] -> ${replica.page} ${exp.progress}`, { timeout: 60_000 }, async (t) => {
          await withPage(exp.url, `${replica.id}-${name}`, t, async (page) => {
            const { diff: d } = await settle(page, replica, exp);
            const [frame] = overlayFrames(page);
            if (replica.overlay_host && frame) {
              const host = new URL(frame.parentFrame().url()).hostname;
              assert.equal(host, replica.overlay_host, 'the overlay sits in the document that holds the form');
            }
            // The replicas must stay silent (no CSP violation, no script error): tests/fixtures/README.md.
            assert.deepEqual(session.pageErrors.slice(errorMark.page), [], 'the page logged errors');
            if (exp.known_issue) {
              const unexpected = d.filter((x) => !(exp.known_issue_items ?? []).includes(x.id) && x.id !== '(progress)');
              assert.deepEqual(unexpected, [], `differences beyond the known issue: ${show(unexpected)}`);
              if (d.length) { t.skip(`known issue (${show(d)}): ${exp.known_issue}`); return; }
              t.diagnostic('known issue no longer reproduces: remove known_issue from pages.json');
              return;
            }
            assert.deepEqual(d, [], show(d));
          });
        });
      }
    }
  });

  // ---------------------------------------------------------------- 2. decoys
  describe('2. decoys: no overlay, nothing logged', () => {
    for (const decoy of DATA.decoys) {
      test(`decoy ${decoy.id}`, { timeout: 30_000 }, async (t) => {
        await withPage(decoy.url, `decoy-${decoy.id}`, t, async (page) => {
          await sleep(3_000);
          const problems = [];
          const frames = overlayFrames(page).map((f) => f.url());
          if (frames.length) problems.push(`overlay frame(s) on a non-target page: ${frames.join(', ')}`);
          const errors = newErrors();
          if (errors.length) problems.push(`errors logged:\n${formatErrors(errors)}`);
          assert.deepEqual(problems, [], decoy.why);
        });
      });
    }
  });

  // ---------------------------------------------------------------- 3. live update
  describe('3. live update with trusted input', () => {
    for (const live of DATA.live) {
      test(`${live.console}: ${live.id}`, { timeout: 90_000 }, async (t) => {
        await withPage(live.url, `live-${live.id}`, t, async (page) => {
          await waitForOverlay(page, (s) => s?.page === live.page, { timeout: 20_000, what: live.page });
          if (live.integration) await overlayPick(page, live.integration);
          for (const step of live.steps) {
            if ('fill' in step) await page.fill(sel(step.fill), step.value);
            else if ('click' in step) await page.click(sel(step.click));
            else if ('select' in step) await page.selectOption(sel(step.select), step.value);
            const what = `${JSON.stringify(step)} -> ${JSON.stringify(step.expect)}`;
            await expectItems(page, live.page, step.expect, what);
          }
          assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-kf-no-reload') === '1'), true, 'the page was not reloaded');
        });
      });
    }
  });

  // ---------------------------------------------------------------- 4. SPA navigation
  describe('4. SPA navigation', () => {
    test('Okta app instance: General -> Sign On -> Okta API Scopes -> General by clicking the tabs', { timeout: 60_000 }, async (t) => {
      const spa = DATA.spa.tabs;
      await withPage(spa.url, 'spa-tabs', t, async (page) => {
        await waitForOverlay(page, (s) => s?.page === spa.start_page, { timeout: 20_000, what: spa.start_page });
        for (const step of spa.sequence) {
          await page.click(step.click);
          assert.equal(new URL(page.url()).hash, step.hash);
          if (step.page) {
            await waitForOverlay(page, (s) => s?.page === step.page, { timeout: 10_000, what: `${step.hash} -> ${step.page}` });
          } else {
            // No catalog page on this tab: the overlay goes away.
            await waitForOverlay(page, (s) => s === null, { timeout: 10_000, what: `${step.hash} -> no overlay` });
          }
        }
        assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-kf-no-reload') === '1'), true, 'tabs switch without reloading');
      });
    });

    test('Okta Applications: Create App Integration -> route change -> late dialog -> okta.app.create_dialog', { timeout: 60_000 }, async (t) => {
      const spa = DATA.spa.dialog;
      await withPage(spa.url, 'spa-dialog', t, async (page) => {
        await sleep(1_500);
        assert.equal(overlayFrames(page).length, 0, 'the list alone shows no overlay');
        await page.click(spa.click);
        assert.equal(new URL(page.url()).pathname, spa.path);
        const { state } = await waitForOverlay(page, (s) => s?.page === spa.page, { timeout: 10_000, what: spa.page });
        assert.ok(state.items.length > 0);
        assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-kf-no-reload') === '1'), true, 'the route changed without a reload');
      });
    });
  });

  // ---------------------------------------------------------------- 5. Lightning cross-origin iframe
  test('5. Lightning wrapper: the overlay appears inside the cross-origin Visualforce iframe', { timeout: 60_000 }, async (t) => {
    const spec = DATA.iframe;
    const replica = DATA.replicas.find((r) => r.id === spec.replica);
    const exp = replica.states[spec.state];
    await withPage(spec.url, 'lightning-iframe', t, async (page) => {
      const { diff: d } = await settle(page, replica, exp);
      assert.deepEqual(d, [], show(d));
      const [frame] = overlayFrames(page);
      const parent = frame.parentFrame();
      assert.equal(new URL(parent.url()).hostname, spec.frame_host, 'overlay parent document');
      assert.notEqual(parent, page.mainFrame(), 'not in the Lightning top document');
      assert.equal(await page.evaluate(() => document.querySelectorAll('keyferry-overlay').length), 0, 'no overlay host in the top document');
    });
  });

  // ---------------------------------------------------------------- 6. re-rendered form
  test('6. Visualforce rerender replaces the form; statuses keep tracking input', { timeout: 60_000 }, async (t) => {
    const spec = DATA.rerender;
    await withPage(spec.url, 'rerender', t, async (page) => {
      await waitForOverlay(page, (s) => s?.page === spec.page, { timeout: 20_000, what: spec.page });
      await page.evaluate((css) => document.querySelector(css).setAttribute('data-kf-old', '1'), spec.form);
      await page.click(spec.enable);
      await expectItems(page, spec.page, spec.after_enable, 'after Enable OAuth Settings');
      assert.equal(await page.evaluate((css) => document.querySelector(css).getAttribute('data-kf-old'), spec.form), null, 'the <form> node was replaced');
      await page.fill(spec.fill, spec.value);
      await expectItems(page, spec.page, spec.after_fill, 'typing into the new form');
      await page.click(spec.toggle);
      await expectItems(page, spec.page, spec.after_toggle, 'after a second rerender');
    });
  });
});
