// Hostile pages and faults (SECURITY.md names each scenario and this file's
// test for it). The "hostile pages" and "decoy fields" scenarios are written
// once and run in every browser of KF_BROWSERS (lib/driver.mjs); the other
// groups are still Chromium-only here, with their Firefox twins in test_hostile.py. The pages' own hostile scripts live in the
// fixtures (tests/fixtures/*/assets/hostile.js, ?kfhostile=<modes>) and record
// what they managed in window.__kfHostile, read here from the page's world.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { formatErrors, isOverlayFrameUrl, launch, overlayFrame, overlayFrames, overlayPick, overlayState, startFixtureServer, waitFor, waitForOverlay, stopWorker as stopWorkerOf } from './lib/chromium.mjs';
import { grepTree } from './lib/common.mjs';
import { browsers, overlayPick as overlayPickIn, panelOf, panelWith, staysFalse, waitForOverlay as waitForPanelState } from './lib/driver.mjs';

const TOKENS = 'https://acme-admin.okta.com/admin/access/api/tokens';
const SF_EDIT = 'https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp?kfstate=partial';
const CALLBACK_ID = 'appsetup:setupForm:details:consumersection:oauthSection:multiCallbackUrlSection:callbackUrl';
const OKTA_CALLBACK = 'https://system-admin.okta.com/admin/app/generic/oauth20redirect';
// What the lookalike page saw: its own counter (assets/lookalike.js), or the
// hostile script's insertion counter on alias hosts that serve the real pages
// (tests/fixtures/_aliases.json), or at least the moment's DOM.
const LOOKALIKE_STATE = `(() => {
  const L = window.__kfLookalike, H = window.__kfHostile;
  if (L) return { ready: L.ready, inserted: L.keyferryElements, frames: L.frames };
  if (H) return { ready: H.ready, inserted: H.insertions, frames: document.querySelectorAll('iframe').length };
  return { ready: document.readyState === 'complete', inserted: document.querySelectorAll('keyferry-overlay, keyferry-marks').length,
    frames: document.querySelectorAll('iframe').length };
})()`;
const LOOKALIKE_FN = LOOKALIKE_STATE.trim().slice(1, -3); // the same, as a function (the driver calls it)
const FILL_OVERWRITE = '[data-kf-action=fill][data-kf-overwrite=true]';
const LOOKALIKES = [
  'https://acme-admin.okta.com.evil.test/admin/access/api/tokens',
  'https://acme-admin-okta.com/admin/access/api/tokens?kfhostile=count', // alias: the real pages, on a lookalike host
  'https://app-workato.com/connections/new', // alias: the real page
  'https://acme-admin.xn--kta-red.com/admin/access/api/tokens', // acme-admin.оkta.com (Cyrillic о)
  'https://acme.my.xn--salesfrce-52h.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp', // salesfоrce.com
  'https://app.workato.com.attacker.test/connections/new',
];


const hostile = (page) => page.evaluate(() => {
  const R = window.__kfHostile;
  if (!R) return null;
  R.probe?.();
  const { poke, probe, ...plain } = R;
  return JSON.parse(JSON.stringify(plain));
});
const hostRect = (page) => page.evaluate(() => {
  const h = document.querySelector('keyferry-overlay');
  if (!h) return null;
  const r = h.getBoundingClientRect();
  const cs = getComputedStyle(h);
  return { x: r.x, y: r.y, w: r.width, h: r.height, display: cs.display, opacity: cs.opacity, visibility: cs.visibility };
});
const keyferryElements = (page) => page.evaluate(() => document.querySelectorAll('keyferry-overlay, keyferry-marks').length);
const itemStatus = (frame, id) => frame.evaluate((id) => document.querySelector(`[data-kf-item="${id}"]`)?.dataset.kfStatus ?? null, id);
const fieldValue = (page, id) => page.evaluate((id) => document.getElementById(id)?.value ?? null, id);

/** The overlay frame of `page`, re-found each time (the agent may replace it). */
async function liveFrame(page) {
  return waitFor(async () => {
    const [f] = overlayFrames(page);
    return f && (await f.evaluate(() => !!document.querySelector('[data-kf-page]')).catch(() => false)) ? f : null;
  }, 'a rendered overlay', 15_000);
}

/** Creates an API token through the page's own UI; returns its value. */
async function createToken(page) {
  // The page's own UI (the panel may sit over the button: click from script).
  // The replica renders its panel 350 ms after load, like the console's SPA;
  // the overlay can be up before that, so wait for the button itself.
  await page.waitForSelector('#create-token-button', { state: 'attached', timeout: 10_000 });
  await page.$eval('#create-token-button', (b) => b.click());
  await page.fill('#token-name', 'Workato');
  await page.$eval('[data-se=create-token-submit]', (b) => b.click());
  return waitFor(() => page.evaluate(() => document.getElementById('token-value')?.textContent || null), 'the token value');
}

/** Trusted click on Capture in the overlay; returns the masked value shown. */
async function capture(page, slot = 'okta.api_token') {
  const frame = await liveFrame(page);
  await frame.waitForSelector(`[data-kf-action=capture][data-kf-slot="${slot}"]`, { timeout: 15_000 });
  await frame.click(`[data-kf-action=capture][data-kf-slot="${slot}"]`);
  return waitFor(async () => (await liveFrame(page)).evaluate(
    (slot) => document.querySelector(`[data-kf-vault="${slot}"] code`)?.textContent ?? null, slot), 'the captured value');
}

/** Files under `dir` that contain `secret` as UTF-8 or UTF-16LE: { files, bytes, found }. */
function grepDir(dir, secret) {
  const needles = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
  const out = { files: 0, bytes: 0, found: [] };
  const walk = (d) => {
    let entries = [];
    try { entries = readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        let buf;
        try { buf = readFileSync(p); } catch { continue; }
        out.files++;
        out.bytes += buf.length;
        if (needles.some((n) => buf.includes(n))) out.found.push(p);
      }
    }
  };
  walk(dir);
  return out;
}

/** CDP: the names of the isolated worlds created in `page` so far. */
async function isolatedWorlds(session, page) {
  const cdp = await session.context.newCDPSession(page);
  const worlds = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => {
    // (Playwright's own utility worlds are not the page's business.)
    if (context.auxData?.type === 'isolated' && !context.name.startsWith('__playwright')) worlds.push(context.name);
  });
  await cdp.send('Runtime.enable');
  return { worlds, detach: () => cdp.detach().catch(() => {}) };
}

browsers('hostile pages', {}, (s) => {
  const hostileOf = (tab) => tab.eval(() => {
    const R = window.__kfHostile;
    if (!R) return null;
    R.probe?.();
    const { poke, probe, ...plain } = R;
    return JSON.parse(JSON.stringify(plain));
  });
  const rectOf = (tab) => tab.eval(() => {
    const h = document.querySelector('keyferry-overlay');
    if (!h) return null;
    const r = h.getBoundingClientRect();
    const cs = getComputedStyle(h);
    return { x: r.x, y: r.y, w: r.width, h: r.height, display: cs.display, opacity: cs.opacity, visibility: cs.visibility };
  });
  const valueOf = (tab, id) => tab.eval((i) => document.getElementById(i)?.value ?? null, id);
  const statusOf = async (tab, id) => {
    const [p] = await tab.panels();
    return p ? p.eval((i) => document.querySelector(`[data-kf-item="${i}"]`)?.dataset.kfStatus ?? null, id) : null;
  };
  const rendered = (tab, timeout = 15_000) => panelOf(tab, { timeout });
  /** Creates an API token through the page's own UI (from script: the panel may sit over the button); returns its value. */
  async function newToken(tab) {
    // The replica renders its panel 350 ms after load, like the console's SPA; the overlay can be up before that.
    await waitFor(() => tab.eval(() => !!document.getElementById('create-token-button')), 'the Create token button');
    await tab.eval(() => {
      document.getElementById('create-token-button').click();
      document.getElementById('token-name').value = 'Workato';
      document.querySelector('[data-se=create-token-submit]').click();
    });
    return waitFor(() => tab.eval(() => document.getElementById('token-value')?.textContent || null), 'the token value');
  }
  /** Trusted click on Capture in the overlay; returns the masked value shown. */
  async function captureIn(tab, slot = 'okta.api_token') {
    const sel = `[data-kf-action=capture][data-kf-slot="${slot}"]`;
    const panel = await panelWith(tab, sel, 'the Capture button', 15_000);
    await panel.click(sel);
    return waitFor(async () => {
      const [p] = await tab.panels();
      return p?.eval((q) => document.querySelector(q)?.textContent ?? null, `[data-kf-vault="${slot}"] code`);
    }, 'the captured value');
  }

  s.scenario('lookalike hosts (suffix tricks, hyphenation, xn-- homographs) get no agent, no overlay, no frame', async (drv) => {
    // Control: the real console host gets the overlay.
    const started = Date.now();
    const control = await drv.open(TOKENS);
    await rendered(control);
    const controlMs = Date.now() - started;
    await control.close();
    for (const url of LOOKALIKES) {
      const tab = await drv.open(url);
      assert.equal(tab.status, 200, `${url} is served (mapped to loopback like the real hosts)`);
      await waitFor(async () => (await tab.eval(LOOKALIKE_FN))?.ready, `the lookalike page script on ${url}`);
      // Watch as long as the control needed, and then some (the agent runs at document_idle and reports within a second).
      await staysFalse(async () => {
        const st = await tab.eval(LOOKALIKE_FN);
        const panels = (await tab.panels()).length;
        return (st.inserted || st.frames || panels) && { ...st, panels };
      }, Math.max(2000, controlMs), `${url}: a keyferry element, a frame or an overlay`);
      await tab.close();
    }
  });

  s.scenario('lookalike hosts: no content-script world either (the agent never runs there)', {
    only: ['chromium'], why: 'the DevTools protocol lists the isolated worlds a page has; WebDriver BiDi shows a test no content-script realm',
  }, async (drv) => {
    const { session } = drv;
    const control = await session.context.newPage();
    const ctl = await isolatedWorlds(session, control);
    await control.goto(TOKENS);
    await overlayState(await overlayFrame(control));
    assert.ok(ctl.worlds.includes('keyferry'), `the agent runs on the real host (worlds: ${ctl.worlds})`);
    await ctl.detach();
    await control.close();
    for (const url of LOOKALIKES) {
      const page = await session.context.newPage();
      const w = await isolatedWorlds(session, page);
      await page.goto(url);
      await waitFor(async () => (await page.evaluate(LOOKALIKE_STATE))?.ready, 'the lookalike page script');
      await staysFalse(async () => w.worlds.length && w.worlds, 2000, `${url}: a content script world`);
      await w.detach();
      await page.close();
    }
  });

  s.scenario('a page script cannot read the panel, its shadow root, its frame or the captured value', async (drv) => {
    const tab = await drv.open(`${TOKENS}?kfhostile=snoop,poke`);
    await rendered(tab);
    const token = await newToken(tab);
    const masked = await captureIn(tab);
    assert.ok(masked && !masked.includes(token), `masked in the panel: ${masked}`);
    const tail = token.slice(-4);
    await tab.eval(() => window.__kfHostile.poke());
    // Nothing the extension sends reaches the page meanwhile.
    await staysFalse(async () => (await hostileOf(tab)).messages.filter((m) => /extension:/.test(m.origin)).length, 800, 'a message from the extension to the page');
    const R = await hostileOf(tab);
    assert.equal(R.shadowRootsSeen, 0, 'the patched attachShadow never saw keyferry\'s roots');
    assert.ok(R.shadowRootReads.length > 0 && R.shadowRootReads.every((x) => x === 'null'), `shadowRoot reads: ${R.shadowRootReads}`);
    // An iframe in a closed shadow root is not even listed in window.frames.
    assert.equal(R.frameCount, 0, 'the overlay frame is not reachable through window.frames');
    for (const r of R.frameReads) assert.ok(/threw|contentDocument=null/.test(r), `frame read leaked: ${r}`);
    const everything = JSON.stringify({ strings: R.strings, frameReads: R.frameReads, messages: R.messages,
      globals: R.globals, resources: R.resources, events: R.events, title: R.title, url: R.url, cookie: R.cookie,
      sessionKeys: R.sessionKeys, localKeys: R.localKeys });
    // The page made the token itself, so only what keyferry holds counts:
    // neither the masked form nor the value may show up through keyferry.
    assert.ok(!everything.includes(masked), 'the masked value is not readable by the page');
    assert.ok(!R.strings.some((x) => String(x).includes(tail)), 'no keyferry element text holds the token');
    assert.deepEqual(R.globals, [], 'keyferry adds no page globals');
    assert.ok(!R.resources.some((u) => u.includes(tail)), 'no resource URL carries the token');
    // The synthetic clicks, keys and forged messages did nothing: the value is still captured once, the panel is still there.
    assert.ok(R.pokes >= 2);
    assert.equal(await (await rendered(tab)).eval(() => document.querySelectorAll('[data-kf-vault]').length), 1);
    assert.ok(await rectOf(tab));
    const errors = (await drv.errors()).filter((e) => /keyferry|extension/i.test(e.text));
    assert.deepEqual(errors, [], formatErrors(errors));
    // The captured token is nowhere in the profile on disk.
    const hits = grepTree(drv.profileDir, [{ name: 'token', value: token }]);
    assert.deepEqual(hits, [], 'profile files that hold the captured token');
    await tab.close();
  });

  s.scenario('synthetic clicks, keys and forged postMessages trigger no capture, fill, copy or dismiss', async (drv) => {
    const tab = await drv.open(`${SF_EDIT}&kfhostile=poke,snoop`);
    await panelWith(tab, FILL_OVERWRITE, 'the Fill button', 15_000);
    const before = await valueOf(tab, CALLBACK_ID);
    assert.notEqual(before, OKTA_CALLBACK);
    const acted = async () => {
      const [p] = await tab.panels();
      const notice = p ? await p.eval(() => document.querySelector('.kf-notice')?.textContent ?? null) : 'no panel';
      const value = await valueOf(tab, CALLBACK_ID);
      const host = await rectOf(tab);
      return (notice !== null || value !== before || !host) && { notice, value, host };
    };
    for (let i = 0; i < 5; i++) {
      await tab.eval(() => window.__kfHostile.poke());
      await staysFalse(acted, 200, 'an action after a synthetic poke');
    }
    await staysFalse(acted, 1000, 'an action after the synthetic pokes (fill, notice or dismiss)');
    assert.ok((await hostileOf(tab)).pokes >= 5);
    // The admin's own click fills (the control).
    await (await rendered(tab)).click(FILL_OVERWRITE);
    await waitFor(async () => (await valueOf(tab, CALLBACK_ID)) === OKTA_CALLBACK, 'the trusted fill');
    await tab.close();
  });

  s.scenario('clickjacking: a page element over the panel takes the click; nothing is filled', async (drv) => {
    const tab = await drv.open(`${SF_EDIT}&kfhostile=cover`);
    const panel = await panelWith(tab, FILL_OVERWRITE, 'the Fill button', 15_000);
    const host = await waitFor(() => rectOf(tab), 'the panel');
    const b = await panel.eval((sel) => {
      const r = document.querySelector(sel);
      r.scrollIntoView({ block: 'center' });
      const box = r.getBoundingClientRect();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    }, FILL_OVERWRITE);
    const x = host.x + b.x;
    const y = host.y + 14 + b.y; // the iframe sits under the 14 px grip
    assert.equal(await tab.eval((px, py) => document.elementFromPoint(px, py)?.id, x, y), 'kf-hostile-cover', 'the page\'s cover is on top of the Fill button');
    const before = await valueOf(tab, CALLBACK_ID);
    await tab.clickAt(x, y); // a real click where Fill is drawn
    await waitFor(async () => (await hostileOf(tab)).coverClicks === 1, 'the cover to get the click');
    await staysFalse(async () => (await valueOf(tab, CALLBACK_ID)) !== before, 1000, 'a fill through the cover');
    await tab.close();
  });

  s.scenario('page CSS and inline styles cannot hide, fade, move or shrink the panel', async (drv) => {
    const tab = await drv.open(`${TOKENS}?kfhostile=restyle`);
    await rendered(tab);
    await waitFor(async () => (await hostileOf(tab))?.insertions >= 1, 'the page to see the panel');
    const vw = await tab.eval(() => innerWidth);
    // The page restyles every 200 ms: watch the host through several rounds.
    await staysFalse(async () => {
      const r = await rectOf(tab);
      const ok = r && r.display === 'flex' && r.opacity === '1' && r.visibility === 'visible' && r.w === 360
        && r.h > 40 && r.x > 0 && r.y >= 0 && r.x + r.w <= vw;
      return !ok && (r ?? 'no host');
    }, 600, 'the panel hidden, faded, moved or shrunk');
    const r = await rectOf(tab);
    assert.equal(await tab.eval((cx, cy) => document.elementFromPoint(cx, cy)?.localName, r.x + r.w / 2, r.y + r.h / 2), 'keyferry-overlay');
    // The panel still works.
    await (await rendered(tab)).click('[data-kf-action=dock]');
    await waitFor(async () => (await rectOf(tab)).x < 100, 'dock to the left');
    // Back to the default corner for the scenarios after this one.
    for (let i = 0; i < 3; i++) {
      const last = JSON.stringify(await rectOf(tab));
      await (await rendered(tab)).click('[data-kf-action=dock]');
      await waitFor(async () => JSON.stringify(await rectOf(tab)) !== last, `dock ${i + 2}`);
    }
    await tab.close();
  });

  s.scenario('a page that keeps removing the panel: put back at most 3 times, then it stays away', async (drv) => {
    const tab = await drv.open(`${TOKENS}?kfhostile=remove`);
    await waitFor(async () => (await hostileOf(tab))?.removals >= 2, 'the page to remove the panel twice');
    // Settled: the count stopped growing (the same for 1 s).
    let last = -1;
    let since = Date.now();
    const R = await waitFor(async () => {
      const h = await hostileOf(tab);
      if (h.insertions !== last) { last = h.insertions; since = Date.now(); return null; }
      return Date.now() - since >= 1000 && h;
    }, 'the insertions to stop growing', 15_000);
    assert.ok(R.insertions >= 2 && R.insertions <= 4, `insertions: ${R.insertions} (1 + at most 3 restores)`);
    await staysFalse(async () => (await hostileOf(tab)).insertions !== R.insertions, 2500, 'another insertion (a flicker loop)');
    assert.equal(await tab.eval(() => document.querySelectorAll('keyferry-overlay').length), 0);
    // A new visit starts over.
    await tab.goto(TOKENS);
    await rendered(tab);
    await tab.close();
  });

  s.scenario('a page that rewrites a field after the fill: the checklist shows the change', async (drv) => {
    const tab = await drv.open(`${SF_EDIT}&kfhostile=rewrite`);
    await rendered(tab);
    await waitFor(async () => (await statusOf(tab, 'sf.oauth.callback_url')) === 'wrong', 'the callback item wrong');
    await (await panelWith(tab, FILL_OVERWRITE, 'the Fill button')).click(FILL_OVERWRITE);
    await waitFor(async () => (await hostileOf(tab)).rewrites >= 1, 'the page to rewrite the filled field');
    const attacker = 'https://attacker.example/admin/app/generic/oauth20redirect';
    // (A multi-round fill may write once more before it reads back; it is bounded, and the page has the last word.)
    await waitFor(async () => (await valueOf(tab, CALLBACK_ID)) === attacker && (await statusOf(tab, 'sf.oauth.callback_url')) === 'wrong',
      'the checklist to show the rewritten value as wrong');
    await staysFalse(async () => {
      const R = await hostileOf(tab);
      const value = await valueOf(tab, CALLBACK_ID);
      const status = await statusOf(tab, 'sf.oauth.callback_url');
      return (R.rewrites > 4 || value !== attacker || status !== 'wrong') && { rewrites: R.rewrites, value, status };
    }, 2500, 'keyferry fighting the page (more rewrites, or the value or status changing back)');
    const [p] = await tab.panels();
    assert.ok(await p.eval(() => document.querySelector('[data-kf-item="sf.oauth.callback_url"] .kf-message')?.textContent), 'the item says what is wrong');
    await tab.close();
  });

  s.scenario('mutation flood, 1,000 nested shadow roots and 100k nodes: no hang, one insertion, checklist right', async (drv) => {
    const tab = await drv.open(`${TOKENS}?kfhostile=flood,deep,big`);
    const { state } = await waitForPanelState(tab, (st) => !!st, { timeout: 30_000, what: 'the overlay on the flooded page' });
    assert.equal(state.page, 'okta.api.tokens');
    const R0 = await hostileOf(tab);
    assert.equal(R0.deepDepth, 1000);
    assert.ok(R0.bigNodes >= 100_000, `big: ${R0.bigNodes}`);
    await waitFor(async () => (await hostileOf(tab)).ticks > R0.ticks, 'the page\'s own work to keep running');
    // The agent still reads the page right: the new token can be captured.
    await newToken(tab);
    await captureIn(tab);
    assert.equal((await hostileOf(tab)).insertions, 1, 'the panel was inserted once (no flicker)');
    await tab.close();
  });
});

describe('chromium: faults', () => {
  let server, session;
  before(async () => {
    server = await startFixtureServer();
    session = await launch({ server });
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  const worker = () => session.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));

  const stopWorker = (page) => stopWorkerOf(session, page);

  test('service worker stopped mid-flow: the vault comes back from storage.session, the next action works', async () => {
    const { page } = await session.openFixture(TOKENS);
    await overlayState(await overlayFrame(page));
    const token = await createToken(page);
    const masked = await capture(page);
    // Secret grep: the captured token is nowhere on disk (the whole profile,
    // UTF-8 and UTF-16), not in storage.local/sync, not in any logged error.
    const hits = grepDir(session.userDataDir, token);
    console.log(`secret grep: ${hits.files} profile files, ${hits.bytes} bytes scanned, ${hits.found.length} containing the token`);
    assert.deepEqual(hits.found, [], 'the token is written nowhere in the profile');
    assert.deepEqual(await worker().evaluate(async () => [await chrome.storage.local.get(null), await chrome.storage.sync.get(null)]), [{}, {}]);
    assert.ok(!JSON.stringify([session.pageErrors, session.extensionErrors]).includes(token), 'no log holds the token');
    await stopWorker(page);
    // The panel reconnects; the restarted worker restores the vault.
    await waitFor(async () => {
      const f = await liveFrame(page);
      return (await f.evaluate(() => document.querySelector('[data-kf-vault="okta.api_token"] code')?.textContent)) === masked;
    }, 'the captured value after the restart', 20_000);
    assert.ok(worker(), 'a new worker runs');
    // The next action works at once (kept until the page reported, if it had not yet).
    await (await liveFrame(page)).click('[data-kf-action=collapse]');
    const outcome = await waitFor(async () => {
      const f = await liveFrame(page);
      if ((await f.locator('[data-kf-item]').count()) === 0) return 'collapsed';
      return f.evaluate(() => document.querySelector('[data-kf-error]')?.textContent ?? null);
    }, 'the panel to collapse or say why not');
    assert.equal(outcome, 'collapsed');
    await page.close();
  });

  test('the corner the admin docked the panel to on a console survives a worker restart', async () => {
    const a = (await session.openFixture(TOKENS)).page;
    await overlayState(await overlayFrame(a));
    const rect = (page) => hostRect(page).then((r) => r && { x: r.x, y: r.y });
    assert.ok((await waitFor(() => rect(a), 'the panel')).x > 600, 'starts top-right');
    await (await liveFrame(a)).click('[data-kf-action=dock]');
    await waitFor(async () => (await rect(a))?.x < 100, 'the top-left corner');
    await waitFor(() => worker().evaluate(async () => (await chrome.storage.session.get('dock:Okta Admin Console'))['dock:Okta Admin Console'] === 1),
      'the corner in storage.session');
    await stopWorker(a);
    // A new Okta tab: the restarted worker restored the corner from storage.session.
    const b = (await session.openFixture(TOKENS)).page;
    await overlayState(await overlayFrame(b));
    const there = await waitFor(() => rect(b), 'the panel in the new tab');
    assert.ok(there.x < 100 && there.y < 100, `opens top-left after the restart (${JSON.stringify(there)})`);
    // Back to the default corner for the tests after this one (3 more docks: the full cycle).
    for (let i = 0; i < 3; i++) {
      const before = JSON.stringify(await rect(b));
      await (await liveFrame(b)).click('[data-kf-action=dock]');
      await waitFor(async () => JSON.stringify(await rect(b)) !== before, `dock ${i + 2}`);
    }
    assert.ok((await rect(b)).x > 600, 'top-right again');
    await a.close();
    await b.close();
  });

  const FILL_OVERWRITE = '[data-kf-action=fill][data-kf-overwrite=true]';
  const CLIENT_CREDS_ID = 'appsetup:setupForm:details:consumersection:oauthSection:clientCredentialsSection:isClientCredentialEnabled';
  const credsChecked = (page) => page.evaluate((id) => document.getElementById(id).checked, CLIENT_CREDS_ID);
  /** What the panel says when it did not act: an error line under its header, or the page's notice. */
  const panelRefusal = async (page) => {
    const f = overlayFrames(page)[0];
    return f && f.evaluate(() => document.querySelector('[data-kf-error], [data-kf-notice=problem]')?.textContent ?? null).catch(() => null);
  };

  test('worker stopped right before Fill: the click is kept and carried out once the page has reported again', async () => {
    const { page } = await session.openFixture(SF_EDIT);
    await overlayState(await overlayFrame(page));
    await (await liveFrame(page)).waitForSelector(FILL_OVERWRITE);
    assert.notEqual(await fieldValue(page, CALLBACK_ID), OKTA_CALLBACK);
    await stopWorker(page);
    await (await liveFrame(page)).click(FILL_OVERWRITE, { timeout: 10_000 });
    const outcome = await waitFor(async () => {
      if ((await fieldValue(page, CALLBACK_ID)) === OKTA_CALLBACK) return 'filled';
      const err = await panelRefusal(page);
      return err ? `refused: ${err}` : null;
    }, 'the fill (or a refusal)', 20_000);
    console.log(`after the stop, Fill: ${outcome}`);
    assert.equal(outcome, 'filled', 'one click fills: no second click needed');
    assert.equal(await credsChecked(page), false);
    await page.close();
  });

  test('worker stopped, then the form changed: the click on the old view is refused and nothing is written', async () => {
    const { page } = await session.openFixture(SF_EDIT);
    await overlayState(await overlayFrame(page));
    const frame = await liveFrame(page);
    await frame.waitForSelector(FILL_OVERWRITE);
    const before = await fieldValue(page, CALLBACK_ID);
    assert.equal(await credsChecked(page), false);
    // Test instrumentation in the panel's realm: views pushed over ports opened from now on are
    // held until __kfRelease(), so the click is made on the view shown before the change.
    await frame.evaluate(() => {
      const rt = chrome.runtime, connect = rt.connect.bind(rt);
      rt.connect = (...args) => {
        const port = connect(...args), add = port.onMessage.addListener.bind(port.onMessage);
        port.onMessage.addListener = (fn) => add((m, p) => globalThis.__kfHold ? globalThis.__kfHeld.push(() => fn(m, p)) : fn(m, p));
        return port;
      };
      globalThis.__kfHold = true; globalThis.__kfHeld = [];
      globalThis.__kfRelease = () => { globalThis.__kfHold = false; globalThis.__kfHeld.splice(0).forEach((f) => f()); };
    });
    await stopWorker(page);
    await page.evaluate((id) => { document.getElementById(id).checked = true; }, CLIENT_CREDS_ID); // no event
    await frame.click(FILL_OVERWRITE, { timeout: 10_000 });
    await frame.evaluate(() => globalThis.__kfRelease());
    const err = await waitFor(() => panelRefusal(page), 'the refusal in the panel', 20_000);
    console.log(`after the stop and the change, Fill: refused: ${err}`);
    assert.match(err, /changed/);
    assert.equal(await fieldValue(page, CALLBACK_ID), before, 'refused means untouched');
    assert.equal(await credsChecked(page), true);
    // The panel now lists the new conflict; the admin confirms again and the fill goes through.
    await waitFor(async () => (await liveFrame(page)).$(FILL_OVERWRITE), 'the Fill button again');
    await (await liveFrame(page)).click(FILL_OVERWRITE);
    await waitFor(async () => (await fieldValue(page, CALLBACK_ID)) === OKTA_CALLBACK, 'the fill on the confirmed click');
    assert.equal(await credsChecked(page), false);
    await page.close();
  });

  test('a wasm panic in the background: reported in the panel, core restarted, other tabs keep working', async () => {
    const a = (await session.openFixture(TOKENS)).page;
    await overlayState(await overlayFrame(a));
    await createToken(a);
    const masked = await capture(a);
    const b = (await session.openFixture(SF_EDIT)).page;
    await overlayState(await overlayFrame(b));
    assert.equal(await worker().evaluate(() => globalThis.keyferryFault.generation()), 0);
    await worker().evaluate(() => globalThis.keyferryFault.panicNext('"collapse"'));
    await (await liveFrame(a)).click('[data-kf-action=collapse]');
    const err = await waitFor(() => overlayFrames(a)[0]?.evaluate(() => document.querySelector('[data-kf-error]')?.textContent), 'the error in the panel');
    assert.match(err, /internal error/);
    assert.equal(await worker().evaluate(() => globalThis.keyferryFault.generation()), 1, 'a fresh core instance');
    // Tab A: the vault came back from storage.session.
    await waitFor(async () => (await (await liveFrame(a)).evaluate(
      () => document.querySelector('[data-kf-vault="okta.api_token"] code')?.textContent)) === masked, 'the vault in tab A');
    // Tab B keeps working: collapse, then fill.
    await waitFor(async () => {
      const f = await liveFrame(b);
      if ((await f.locator('[data-kf-item]').count()) === 0) return true;
      await f.click('[data-kf-action=collapse]');
      await sleep(500);
      return (await (await liveFrame(b)).locator('[data-kf-item]').count()) === 0;
    }, 'tab B to collapse', 15_000);
    await (await liveFrame(b)).click('[data-kf-action=collapse]');
    await waitFor(async () => (await (await liveFrame(b)).locator('[data-kf-item]').count()) > 0, 'tab B to expand');
    await (await liveFrame(b)).click('[data-kf-action=fill][data-kf-overwrite=true]');
    await waitFor(async () => (await fieldValue(b, CALLBACK_ID)) === OKTA_CALLBACK, 'the fill in tab B');
    await a.close();
    await b.close();
  });

  test('a wasm panic in the panel\'s own core: shown in that panel, the page untouched, other tabs work, reload brings it back', async () => {
    const a = (await session.openFixture(SF_EDIT)).page;
    await overlayState(await overlayFrame(a));
    const b = (await session.openFixture(TOKENS)).page;
    await overlayState(await overlayFrame(b));
    const before = await fieldValue(a, CALLBACK_ID);
    session.pageErrors.length = 0;
    const fa = await liveFrame(a);
    await fa.evaluate(() => globalThis.keyferryFault.panicOnNextClick());
    // The click the panic interrupts (repeated if Chromium dropped it, see below; the hook fires once).
    const errorText = () => overlayFrames(a)[0]?.evaluate(() => document.querySelector('[data-kf-error=overlay]')?.textContent ?? null);
    const err = await waitFor(async () => {
      if (await errorText()) return errorText();
      await fa.click('[data-kf-action=fill][data-kf-overwrite=true]', { timeout: 2_000 }).catch(() => {});
      await sleep(300);
      return errorText();
    }, 'the error in the panel');
    assert.match(err, /internal error/);
    // The stopped instance renders nothing over the notice, even as the background keeps sending
    // views (a page edit makes it send one).
    await a.fill('[id="appsetup:setupForm:details:appsection:emailSection:contactEmail"]', 'x@acme.example');
    await sleep(2500);
    assert.match(await overlayFrames(a)[0].evaluate(() => document.querySelector('[data-kf-error=overlay]')?.textContent ?? ''), /internal error/);
    assert.equal(await overlayFrames(a)[0].evaluate(() => document.querySelectorAll('[data-kf-item]').length), 0);
    assert.equal(await fieldValue(a, CALLBACK_ID), before, 'the interrupted Fill changed nothing');
    assert.deepEqual(session.pageErrors, [], 'nothing reached the page');
    // Tab B's panel (another instance) keeps working.
    await (await liveFrame(b)).click('[data-kf-action=collapse]');
    await waitFor(async () => (await (await liveFrame(b)).locator('[data-kf-item]').count()) === 0, 'tab B to collapse');
    await (await liveFrame(b)).click('[data-kf-action=collapse]');
    // Reload the panel (a trusted click): a fresh instance, and Fill works.
    await overlayFrames(a)[0].click('[data-kf-action=reload-panel]');
    await waitFor(async () => (await liveFrame(a)).$('[data-kf-action=fill][data-kf-overwrite=true]'), 'the panel back, with Fill', 15_000);
    // Chromium drops input to a cross-origin frame for a moment after it (re)loads (its own
    // clickjacking defence), so the first click may not arrive: click until the fill shows.
    await waitFor(async () => {
      if ((await fieldValue(a, CALLBACK_ID)) === OKTA_CALLBACK) return true;
      await (await liveFrame(a)).click('[data-kf-action=fill][data-kf-overwrite=true]', { timeout: 2_000 }).catch(() => {});
      await sleep(500);
      return (await fieldValue(a, CALLBACK_ID)) === OKTA_CALLBACK;
    }, 'the fill after the reload', 15_000);
    await a.close();
    await b.close();
  });

  test('extension reloaded while a console page is open: the orphaned agent removes its panel and markers', async () => {
    const { page } = await session.openFixture(SF_EDIT);
    await overlayState(await overlayFrame(page));
    await waitFor(async () => (await keyferryElements(page)) === 2, 'the panel and the marker layer');
    session.pageErrors.length = 0;
    await worker().evaluate(() => { setTimeout(() => chrome.runtime.reload(), 50); }).catch(() => {});
    await waitFor(async () => (await keyferryElements(page)) === 0, 'the orphaned agent to clean up', 10_000);
    // Observers are gone too: page changes bring nothing back.
    await page.fill('[id="appsetup:setupForm:details:appsection:emailSection:contactEmail"]', 'x@acme.example');
    await sleep(1500);
    assert.equal(await keyferryElements(page), 0);
    assert.deepEqual(session.pageErrors.filter((e) => /context invalidated|keyferry/i.test(e.text)), [], formatErrors(session.pageErrors));
    await page.close();
  });
});

// ---- clickjacking through the panel's surroundings (issue #13 §1) ----------
// Each scenario: the admin's panel on the Connected App edit form (?kfstate=partial:
// the callback field holds another URL, so the panel offers "Replace them too"),
// visible long enough; then the page does its trick and a real mouse click lands
// where the panel's Fill button is drawn. Nothing may be written, and the panel
// says why. (On main, before the guard, each of these filled the form.)
const MESSAGES = JSON.parse(readFileSync(new URL('../../extension/_locales/en/messages.json', import.meta.url), 'utf8'));
const say = (key) => MESSAGES[key].message;
const PARTIAL_CALLBACK = 'https://acme-admin.okta.com/admin/app/generic/oauth20redirect';
const FRAMER = 'https://acme.my.salesforce.com/kf-hostile/framer';
const GUARDED_FILL = '[data-kf-action=fill][data-kf-overwrite=true]';
const LIGHTNING_EDIT = 'https://acme.lightning.force.com/lightning/setup/NavigationMenus/page?address=%2Fapp%2Fmgmt%2Fforceconnectedapps%2FforceAppEdit.apexp&kfstate=partial';

/** `p`, or a rejection after `ms` (Playwright can wait forever on a frame that a page moved with moveBefore and keyferry then removed). */
const within = (p, ms = 2_000) => Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`no answer within ${ms} ms`)), ms))]);

/** Waits until the panel marks itself armed (visible long enough), where it runs the guard at all. */
async function armed(frame) {
  await waitFor(() => frame.evaluate(() => !document.documentElement.hasAttribute('data-kf-guard')
    || document.documentElement.dataset.kfArmed === 'true'), 'the panel to be visible long enough (data-kf-armed)');
}

/** Page coordinates of the middle of `selector` in the panel of `page`. */
async function panelPoint(page, frame, selector) {
  const host = await waitFor(() => hostRect(page), 'the panel');
  const b = await frame.evaluate((sel) => {
    const r = document.querySelector(sel);
    r.scrollIntoView({ block: 'center' });
    const box = r.getBoundingClientRect();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }, selector);
  return { x: host.x + b.x, y: host.y + 14 + b.y }; // the iframe sits under the 14 px grip
}

/** The panel's notice, once there is one: { kind, text }. */
const noticeOf = (page, frame = null) => waitFor(async () => (frame ?? await liveFrame(page)).evaluate(() => {
  const n = document.querySelector('[data-kf-notice]');
  return n ? { kind: n.dataset.kfNotice, text: n.textContent } : null;
}), 'a notice in the panel');

describe('chromium: clickjacking through the panel\'s surroundings', () => {
  let server, session;
  before(async () => {
    server = await startFixtureServer();
    session = await launch({ server });
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  let guardMode = null; // what the panel said before the strike: 'io2' = IntersectionObserver v2
  let hostInRoot = null; // the host was a child of <html> before the strike
  const assertHow = () => {
    assert.equal(guardMode, 'io2', 'Chromium tracks visibility (IntersectionObserver v2)');
    assert.equal(hostInRoot, true, 'the host was a child of <html>');
  };

  /** Opens the form with `mode`, waits for the armed panel, strikes, clicks where Fill is drawn. */
  async function strikeAndClick(mode) {
    const { page } = await session.openFixture(`${SF_EDIT}&kfhostile=${mode}`);
    const frame = await liveFrame(page);
    await frame.waitForSelector(GUARDED_FILL);
    await armed(frame);
    guardMode = await frame.evaluate(() => document.documentElement.dataset.kfGuard ?? null);
    hostInRoot = await page.evaluate(() => document.querySelector('keyferry-overlay')?.parentNode === document.documentElement);
    const { x, y } = await panelPoint(page, frame, GUARDED_FILL);
    assert.equal(await fieldValue(page, CALLBACK_ID), PARTIAL_CALLBACK);
    await page.evaluate(() => window.__kfHostile.strike());
    // A real click where Fill is drawn. (Chromium may never acknowledge a
    // click that lands in a frame moved with moveBefore and removed while
    // the click is in flight: do not wait on it forever.)
    await within(page.mouse.click(x, y), 5_000).catch(() => {});
    return page;
  }

  for (const [mode, what] of [
    ['fade0', 'opacity 0 on <body>'],
    ['fade001', 'opacity 0.01 on <body>'],
    ['htmlfade', 'opacity 0.01 on <html>'],
    ['filter', 'filter: opacity(0.01) on <html>'],
    ['bodyfilter', 'filter: opacity(0) on <body>'],
  ]) {
    test(`clickjacking: ${what}: Fill refused, the form untouched, the panel says why`, async () => {
      const page = await strikeAndClick(mode);
      const notice = await noticeOf(page);
      assert.equal(await fieldValue(page, CALLBACK_ID), PARTIAL_CALLBACK, 'nothing was filled');
      assert.deepEqual(notice, { kind: 'problem', text: say('notice_guard_not_visible') });
      assertHow();
      await page.close();
    });
  }

  test('clickjacking: a pointer-events:none cover over the panel: Fill refused, the form untouched, the panel says why', async () => {
    const page = await strikeAndClick('pecover');
    const notice = await noticeOf(page);
    assert.equal(await fieldValue(page, CALLBACK_ID), PARTIAL_CALLBACK, 'nothing was filled');
    assert.deepEqual(notice, { kind: 'problem', text: say('notice_guard_covered') });
    assertHow();
    await page.close();
  });

  test('clickjacking: a same-origin page frames the whole console page at opacity 0.01: no Fill, no Capture, the panel says so', async () => {
    const { page } = await session.openFixture(FRAMER);
    const frame = await liveFrame(page);
    const framed = page.frames().find((f) => f.url().includes('forceAppEdit.apexp'));
    assert.ok(framed, 'the console page is framed');
    await frame.waitForSelector('[data-kf-page]');
    // A real click where the panel's Fill button would be drawn.
    const fillAt = await frame.evaluate((sel) => { const b = document.querySelector(sel); if (!b) return null;
      b.scrollIntoView({ block: 'center' }); const r = b.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; }, GUARDED_FILL);
    if (fillAt) {
      const fb = await (await frame.frameElement()).boundingBox();
      await page.mouse.click(fb.x + fillAt.x, fb.y + fillAt.y);
      await noticeOf(page); // (only where a Fill button exists at all, i.e. without the guard: the click's outcome)
    }
    assert.equal(await framed.evaluate((id) => document.getElementById(id)?.value, CALLBACK_ID), PARTIAL_CALLBACK, 'nothing was filled');
    const notice = await noticeOf(page);
    assert.deepEqual(notice, { kind: 'problem', text: say('notice_guard_framed') });
    assert.equal(await frame.evaluate(() => document.querySelectorAll('[data-kf-action=fill],[data-kf-action=capture],[data-kf-action=copy]').length), 0,
      'no Fill, Capture or Copy button');
    // A real click over where the panel is drawn: nothing is written.
    const box = await (await framed.frameElement()).boundingBox();
    await page.mouse.click(box.x + box.width - 100, box.y + 150);
    assert.equal(await framed.evaluate((id) => document.getElementById(id)?.value, CALLBACK_ID), PARTIAL_CALLBACK, 'nothing was filled');
    assert.equal(await page.evaluate(() => window.__kfFramer.read()), PARTIAL_CALLBACK);
    await page.close();
  });

  test('control: the console\'s own frame structure (Lightning around the classic page) keeps Fill', async () => {
    const { page } = await session.openFixture(LIGHTNING_EDIT);
    const frame = await liveFrame(page);
    const framed = page.frames().find((f) => f !== page.mainFrame() && new URL(f.url()).pathname.endsWith('forceAppEdit.apexp'));
    assert.ok(framed, 'the classic page is in Lightning\'s iframe');
    await frame.waitForSelector(GUARDED_FILL);
    await frame.click(GUARDED_FILL); // waits until the panel is armed (aria-disabled)
    await waitFor(async () => (await framed.evaluate((id) => document.getElementById(id)?.value, CALLBACK_ID)) === OKTA_CALLBACK,
      'the fill inside Lightning\'s frame');
    assert.equal((await noticeOf(page, frame)).kind, 'ok');
    await page.close();
  });

  test('a forged panel: a page that frames overlay.html#<frame> itself gets nothing, and the real panel keeps working', async () => {
    const { page } = await session.openFixture(`${SF_EDIT}&kfhostile=forge`);
    const frame = await liveFrame(page);
    await frame.waitForSelector(GUARDED_FILL);
    // The panel's own URL with the session's dynamic extension id (the URL a
    // page can load; the best a page can guess), and the same frame id.
    const dynamicId = await frame.evaluate(() => chrome.runtime.dynamicId);
    assert.ok(dynamicId, 'use_dynamic_url is in effect');
    const url = `chrome-extension://${dynamicId}/overlay.html${new URL(frame.url()).hash}`;
    await page.evaluate((u) => window.__kfHostile.forge(u), url);
    const forged = await waitFor(() => page.frames().find((f) => f !== frame && isOverlayFrameUrl(f.url())), 'the forged panel to load');
    await forged.waitForLoadState('load');
    // The real panel acts (a trusted click), and its view arrives; the
    // forged one, loaded before it, still shows nothing.
    await armed(frame);
    await frame.click(GUARDED_FILL);
    await waitFor(async () => (await fieldValue(page, CALLBACK_ID)) === OKTA_CALLBACK, 'the real panel\'s fill');
    assert.equal((await noticeOf(page, frame)).kind, 'ok');
    const shown = await forged.evaluate(() => ({
      page: !!document.querySelector('[data-kf-page]'),
      actions: document.querySelectorAll('[data-kf-action]').length,
      text: document.getElementById('kf-root')?.textContent ?? '',
    }));
    assert.deepEqual(shown, { page: false, actions: 0, text: '' }, 'the forged panel shows nothing');
    assert.ok((await hostile(page)).forged === 1);
    await page.close();
  });
  for (const mode of ['container', 'movebefore']) {
    test(`clickjacking: the host moved into a nearly transparent container (${mode}): withdrawn, put back fresh at most 3 times, nothing filled`, async () => {
      const page = await strikeAndClick(mode); // the first click: right after the move
      // Then as an attacker that waits for the moved panel to be drawn in its
      // container again: click its Fill button if it ever is.
      const state = () => page.evaluate((sel) => {
        if (!document.querySelector('keyferry-overlay')) return 'gone';
        return document.querySelector('#kf-hostile-box keyferry-overlay') ? 'moved' : 'root';
      });
      const drawn = await waitFor(async () => {
        const where = await state();
        if (where === 'gone') return 'gone';
        const f = overlayFrames(page)[0];
        return where === 'moved' && f && (await within(f.evaluate((sel) => !!document.querySelector(sel), GUARDED_FILL)).catch(() => false))
          ? { f } : null;
      }, 'the moved panel to be drawn in the container, or keyferry to withdraw it', 15_000);
      if (drawn !== 'gone') {
        const r = await page.evaluate(() => { const b = document.querySelector('#kf-hostile-box keyferry-overlay')?.getBoundingClientRect();
          return b ? { x: b.x, y: b.y } : null; });
        const b = await within(drawn.f.evaluate((sel) => { const e = document.querySelector(sel); if (!e) return null;
          e.scrollIntoView({ block: 'center' }); const q = e.getBoundingClientRect(); return { x: q.x + q.width / 2, y: q.y + q.height / 2 }; }, GUARDED_FILL)).catch(() => null);
        if (r && b) await within(page.mouse.click(r.x + b.x, r.y + 14 + b.y)).catch(() => {});
        await waitFor(async () => (await fieldValue(page, CALLBACK_ID)) !== PARTIAL_CALLBACK || (await state()) === 'gone',
          'the click\'s outcome: the form changed, or keyferry withdrew the panel', 15_000);
      }
      assert.equal(await fieldValue(page, CALLBACK_ID), PARTIAL_CALLBACK, 'nothing was filled');
      const R0 = await hostile(page);
      assert.ok(R0.moves >= 1, `the page moved the panel (moves: ${R0.moves})`);
      if (mode === 'movebefore') assert.equal(typeof R0.moveBefore, 'boolean');
      // The page moves every panel keyferry puts back: after at most 3
      // restores keyferry stays away, and no panel is left in the container.
      await waitFor(async () => (await state()) === 'gone', 'keyferry to withdraw the moved panel and stop putting it back', 15_000);
      const R = await hostile(page);
      assert.ok(R.insertions >= 2 && R.insertions <= 4, `insertions: ${R.insertions} (1 + at most 3 fresh panels)`);
      assert.equal(await fieldValue(page, CALLBACK_ID), PARTIAL_CALLBACK, 'nothing was filled');
      assertHow();
      await page.close();
    });
  }
});

// ---- fill chooses the right field, or none; what the page learns (issue 13 §2, §5) ----
const OKTA_GENERAL = 'https://acme-admin.okta.com/admin/app/oidc_client/instance/0oa1b2c3d4e5f6g7h8i9/#tab-general';
const WORKATO_NEW = 'https://app.workato.com/connections/new?kfstate=empty';
const AUTH_CODE = 'workato-okta-auth-code';
// Decoys the page puts before the real Client secret (assets/hostile.js, decoy-<kind>); each must be left alone.
const HIDDEN_DECOYS = ['hidden', 'offscreen', 'typehidden', 'opacity', 'details', 'contains'];
const REAL_SECRET = 'input[name=client_secret]:not([data-kf-decoy])';


browsers('decoy fields and what the page learns', {}, (s) => {
  const hostileOf = (tab) => tab.eval(() => {
    const R = window.__kfHostile;
    if (!R) return null;
    R.probe?.();
    const { poke, probe, ...plain } = R;
    return JSON.parse(JSON.stringify(plain));
  });
  const rectOf = (tab) => tab.eval(() => {
    const h = document.querySelector('keyferry-overlay');
    if (!h) return null;
    const r = h.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height };
  });
  const noticeIn = async (tab) => {
    const [p] = await tab.panels();
    return p ? p.eval(() => {
      const el = document.querySelector('[data-kf-notice]');
      return el && { kind: el.dataset.kfNotice, text: el.textContent };
    }).catch(() => null) : null;
  };
  /** What the admin sees of the real field and the decoy; `marked` = keyferry's ✓ badge is drawn right of it. */
  const fieldsOf = (tab, kind) => tab.eval((real, k) => {
    const badgeAt = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      if (!r.width) return null;
      return document.elementFromPoint(r.right + 14, r.top + r.height / 2)?.localName === 'keyferry-marks';
    };
    const r = document.querySelector(real);
    const d = document.querySelector(`[data-kf-decoy="${k}"]`);
    r?.scrollIntoView({ block: 'center' });
    return { real: r?.value ?? null, decoy: d?.value ?? null, realMarked: badgeAt(r), decoyMarked: badgeAt(d) };
  }, REAL_SECRET, kind);
  /** Trusted click on Capture in the overlay; returns the masked value shown. */
  async function captureIn(tab, slot) {
    const sel = `[data-kf-action=capture][data-kf-slot="${slot}"]`;
    const panel = await panelWith(tab, sel, `the Capture button of ${slot}`, 15_000);
    await panel.click(sel);
    return waitFor(async () => {
      const [p] = await tab.panels();
      return p?.eval((q) => document.querySelector(q)?.textContent ?? null, `[data-kf-vault="${slot}"] code`);
    }, `the captured ${slot}`);
  }
  /** Captures the Okta client ID and secret (Okta app General tab) for the authorization-code integration. */
  async function captureOktaClient(drv) {
    const tab = await drv.open(OKTA_GENERAL);
    await waitForPanelState(tab, (st) => st?.page === 'okta.app.general', { what: 'the Okta General tab' });
    await overlayPickIn(tab, AUTH_CODE);
    await tab.click('.ods-icon-btn--eye');
    const secret = await waitFor(() => tab.eval(() => {
      const t = document.querySelector('.client-secret-value')?.textContent?.trim();
      return t && !t.includes('•') ? t : null;
    }), 'the revealed client secret');
    await captureIn(tab, 'okta.client_id');
    await captureIn(tab, 'okta.client_secret');
    await tab.close();
    return secret;
  }
  /** Opens the Workato form with `mode`, picks the integration, clicks Fill; returns { tab, notice }. */
  async function fillWorkato(drv, mode) {
    const tab = await drv.open(`${WORKATO_NEW}&kfhostile=${mode}`);
    await waitForPanelState(tab, (st) => st?.page === 'workato.connection.new', { what: 'the Workato form' });
    await overlayPickIn(tab, AUTH_CODE);
    await waitFor(async () => (await hostileOf(tab))?.decoys >= 1, 'the decoy in the form');
    const sel = '[data-kf-action=fill]:not([data-kf-overwrite])';
    await waitFor(async () => { await (await panelWith(tab, sel, 'the Fill button')).click(sel, { timeout: 2_000 }); return true; }, 'clicking Fill');
    const n = await waitFor(async () => {
      const x = await noticeIn(tab);
      return x && /^(Filled|Nothing to fill)/.test(x.text) ? x : null;
    }, 'the fill result');
    return { tab, notice: n };
  }

  s.scenario('a look-alike field before the real Client secret (hidden, off-screen, type=hidden, opacity 0, closed details, a label that only contains it): Fill writes the real field, marks it, and leaves the decoy empty', { timeout: 240_000 }, async (drv) => {
    const secret = await captureOktaClient(drv);
    const shown = (v) => (v === secret ? 'the captured secret' : v);
    // Every kind is tried and recorded, then compared at once: a failure names each kind that went wrong.
    const results = [];
    for (const kind of HIDDEN_DECOYS) {
      const { tab, notice: n } = await fillWorkato(drv, `decoy-${kind}`);
      const got = await waitFor(async () => {
        const f = await fieldsOf(tab, kind);
        return f.real || f.decoy ? f : null;
      }, `${kind}: a value in the real field or the decoy`);
      let marked = false;
      let status = null;
      if (got.real === secret) {
        // keyferry's ✓ next to the field it wrote (the page's own hit test reaches its marker layer).
        marked = await waitFor(async () => (await fieldsOf(tab, kind)).realMarked || null, `${kind}: keyferry's mark next to the real Client secret`);
        status = (await waitForPanelState(tab, (st) => st?.items.find((i) => i.id === 'wk.conn.client_secret')?.status === 'ok',
          { what: `${kind}: Client secret ok` })).state.items.find((i) => i.id === 'wk.conn.client_secret').status;
      }
      const decoyMarked = kind === 'contains' ? (await fieldsOf(tab, kind)).decoyMarked : false;
      results.push({ kind, notice: `${n.kind}: ${n.text.includes('Filled 4 field(s).') ? 'Filled 4 field(s).' : n.text}`,
        real: shown(got.real), decoy: shown(got.decoy), marked, decoyMarked, status });
      await tab.close();
    }
    assert.deepEqual(results, HIDDEN_DECOYS.map((kind) => ({ kind, notice: 'ok: Filled 4 field(s).', real: 'the captured secret',
      decoy: '', marked: true, decoyMarked: false, status: 'ok' })));
  });

  s.scenario('two visible fields labelled exactly "Client secret": neither is filled, the item is unknown and the panel says why', async (drv) => {
    await captureOktaClient(drv);
    const { tab, notice: n } = await fillWorkato(drv, 'decoy-twin');
    assert.equal(n.kind, 'problem', n.text);
    assert.ok(n.text.includes('Not filled, more than one field looks like it: Client secret.'), n.text);
    const got = await fieldsOf(tab, 'twin');
    assert.equal(got.real, '', 'the real Client secret is left empty');
    assert.equal(got.decoy, '', 'the twin is left empty');
    assert.equal(await tab.eval(() => document.querySelector('input[name=subdomain]').value), 'acme.okta.com', 'the other fields are filled');
    const { panel } = await waitForPanelState(tab, (st) => st?.items.find((i) => i.id === 'wk.conn.client_secret')?.status === 'unknown',
      { what: 'Client secret unknown' });
    const msg = await panel.eval(() => document.querySelector('[data-kf-item="wk.conn.client_secret"] .kf-message')?.textContent ?? null);
    assert.equal(msg, '2 fields on this page look like "Client secret"; keyferry cannot tell which one is real.');
    await tab.close();
  });

  s.scenario('5,000 visible inputs whose labels contain keyferry\'s field names: Fill writes exactly the real fields, every look-alike stays empty, the page keeps running', async (drv) => {
    const secret = await captureOktaClient(drv);
    const { tab, notice: n } = await fillWorkato(drv, 'inputs');
    const form = await waitFor(async () => {
      const f = await tab.eval(() => ({
        name: document.querySelector('input[name=name]')?.value ?? null,
        subdomain: document.querySelector('input[name=subdomain]')?.value ?? null,
        secret: document.querySelector('input[name=client_secret]')?.value ?? null,
        written: [...document.querySelectorAll('[data-kf-decoy=inputs]')].filter((e) => e.value !== '').length,
        decoys: document.querySelectorAll('[data-kf-decoy=inputs]').length,
      }));
      return f.secret ? f : null;
    }, 'the filled form');
    assert.equal(n.kind, 'ok', n.text);
    assert.ok(n.text.startsWith('Filled'), n.text);
    assert.deepEqual({ ...form, secret: form.secret === secret ? 'the captured secret' : form.secret, name: form.name ? 'set' : form.name },
      { name: 'set', subdomain: 'acme.okta.com', secret: 'the captured secret', written: 0, decoys: 5000 });
    const t0 = (await hostileOf(tab)).ticks;
    await waitFor(async () => (await hostileOf(tab)).ticks >= t0 + 5, 'the page\'s own 100 ms timer to keep running');
    await tab.close();
  });

  s.scenario('the panel host keeps its size when a value is captured (the page cannot tell)', async (drv) => {
    const tab = await drv.open(TOKENS);
    await panelOf(tab);
    await waitFor(() => tab.eval(() => !!document.getElementById('create-token-button')), 'the Create token button');
    await tab.eval(() => {
      document.getElementById('create-token-button').click();
      document.getElementById('token-name').value = 'Workato';
      document.querySelector('[data-se=create-token-submit]').click();
    });
    await waitFor(() => tab.eval(() => document.getElementById('token-value')?.textContent || null), 'the token value');
    await panelWith(tab, '[data-kf-action=capture][data-kf-slot="okta.api_token"]', 'the Capture button');
    // Dock is the admin's own action and reaches the agent after any resize sent before it:
    // once the panel is in the next corner, every size the panel asked for until then is applied.
    const corner = (r) => `${r.y <= 13 ? 'top' : 'bottom'}-${r.x < 100 ? 'left' : 'right'}`;
    const dock = async () => {
      const from = corner(await waitFor(() => rectOf(tab), 'the panel'));
      await (await panelOf(tab)).click('[data-kf-action=dock]');
      return waitFor(async () => { const r = await rectOf(tab); return r && corner(r) !== from ? r : null; }, `the panel to leave ${from}`);
    };
    const bodyHeight = async () => (await panelOf(tab)).eval(() => document.querySelector('.kf-body')?.scrollHeight ?? 0);
    const start = corner(await waitFor(() => rectOf(tab), 'the panel'));
    const before = await dock();
    const contentBefore = await bodyHeight();
    await captureIn(tab, 'okta.api_token');
    const after = await dock();
    const contentAfter = await bodyHeight();
    assert.ok(contentAfter > contentBefore, `the panel holds more after the capture (the vault row): ${contentBefore} → ${contentAfter} px`);
    assert.deepEqual([after.w, after.h], [before.w, before.h], 'the host has the same size');
    // Back to the corner it started in, for the scenarios after this one.
    for (let i = 0; i < 4 && corner(await rectOf(tab)) !== start; i++) await dock();
    assert.equal(corner(await rectOf(tab)), start);
    await tab.close();
  });
});

// ---- bounded work on hostile DOMs (issue 13 §4) ----
const PUSHFLOOD = 'https://acme-admin.okta.com/assets/pushflood?kfhostile=pushflood';
const FILL_OVERWRITE_SEL = '[data-kf-action=fill][data-kf-overwrite=true]';

describe('chromium: bounded work on hostile DOMs', () => {
  let server, session;
  before(async () => {
    server = await startFixtureServer();
    session = await launch({ server });
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  test('2,000 nested hidden labels of 2,500 characters and a change every 100 ms: the panel appears, the page keeps running, Token Value is unknown ("too large"), never ok', async () => {
    const { page } = await session.openFixture(`${TOKENS}?kfhostile=labels`);
    const state = await overlayState(await overlayFrame(page, { timeout: 30_000 }), { timeout: 30_000 });
    assert.equal(state.page, 'okta.api.tokens');
    const t0 = (await hostile(page)).ticks;
    await waitFor(async () => (await hostile(page)).ticks >= t0 + 10, 'the page\'s own 100 ms timer to keep running', 20_000);
    await createToken(page);
    const item = async () => (await liveFrame(page)).evaluate(() => {
      const el = document.querySelector('[data-kf-item="okta.token.created"]');
      return el && { status: el.dataset.kfStatus, message: el.querySelector('.kf-message')?.textContent ?? null };
    });
    const got = await waitFor(async () => { const i = await item(); return i?.message?.includes('too large') ? i : null; },
      'the Token Value item to say the page is too large', 20_000);
    assert.deepEqual(got, { status: 'unknown',
      message: 'This page is too large for keyferry to read "Token Value" safely; it is left unchecked.' });
    assert.equal(await (await liveFrame(page)).evaluate(() => document.querySelectorAll('[data-kf-action=capture]').length), 0,
      'no Capture offered for a field keyferry could not read');
    await page.close();
  });

  test('pushState flood in 50 frames (200 each): each frame reports its URL a few times, not 200 times; another tab\'s Fill still takes effect', async () => {
    // Every hello the agents send reaches the extension's pages too: count them in one.
    const id = await session.extensionId();
    const counter = await session.context.newPage();
    await counter.goto(`chrome-extension://${id}/popup.html`);
    await counter.evaluate(() => {
      globalThis.__hellos = {}; globalThis.__last = {};
      chrome.runtime.onMessage.addListener((m, s) => {
        const h = m?.msg?.hello;
        if (!h || !String(s.url).includes('kfhostile=pushframe')) return;
        const k = `${s.tab?.id}:${s.frameId}`;
        globalThis.__hellos[k] = (globalThis.__hellos[k] ?? 0) + 1;
        globalThis.__last[k] = h.url;
      });
    });
    const b = (await session.openFixture(SF_EDIT)).page;
    await overlayState(await overlayFrame(b));
    await (await liveFrame(b)).waitForSelector(FILL_OVERWRITE_SEL);
    assert.notEqual(await fieldValue(b, CALLBACK_ID), OKTA_CALLBACK);
    const a = (await session.openFixture(PUSHFLOOD)).page;
    await waitFor(async () => (await hostile(a))?.pushes > 500, 'the frames to flood pushState', 20_000);
    // Tab B's panel acts while tab A floods (a condition with a generous deadline, not a timing).
    await b.bringToFront();
    await (await liveFrame(b)).click(FILL_OVERWRITE_SEL);
    await waitFor(async () => (await fieldValue(b, CALLBACK_ID)) === OKTA_CALLBACK, 'tab B\'s Fill during the flood', 20_000);
    await a.bringToFront(); // (a background tab's timers run once a second: the flood would crawl)
    await waitFor(async () => (await hostile(a)).pushes === 50 * 200, 'all 10,000 pushState calls', 60_000);
    // Every frame's agent has reported its last URL (n=199) once the flood stopped.
    const seen = await waitFor(async () => {
      const r = await counter.evaluate(() => ({ hellos: globalThis.__hellos, last: globalThis.__last }));
      const keys = Object.keys(r.last);
      return keys.length === 50 && keys.every((k) => r.last[k].endsWith('n=199')) ? r : null;
    }, 'each of the 50 frames to report its final URL', 60_000);
    const counts = Object.values(seen.hellos);
    const total = counts.reduce((x, y) => x + y, 0);
    console.log(`pushState flood: 10000 pushState calls in 50 frames -> ${total} hellos (per frame max ${Math.max(...counts)})`);
    assert.ok(Math.max(...counts) <= 40, `at most 40 hellos per frame for 200 URL changes (got ${JSON.stringify(counts)})`);
    await counter.close();
    await a.close();
    await b.close();
  });
});
