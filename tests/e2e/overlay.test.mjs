// The overlay panel's own controls, in every browser of KF_BROWSERS
// (lib/driver.mjs): collapse, dock, size, drag, focus, texts, dismiss, and that
// only trusted input acts (a script's synthetic click does not).
// Run from the repo root: node --test tests/e2e/overlay.test.mjs

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { browsers, panelOf, panelShown, staysFalse, waitFor } from './lib/driver.mjs';
import { isolatedWorlds } from './lib/chromium.mjs';

const URL_TOKENS = 'https://acme-admin.okta.com/admin/access/api/tokens';
const URL_SF_EDIT = 'https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp?kfstate=partial';
const hostRect = (tab) => tab.eval(() => {
  const h = document.querySelector('keyferry-overlay');
  if (!h) return null;
  const r = h.getBoundingClientRect();
  return { x: r.x, y: r.y, w: r.width, h: r.height };
});
/**
 * Chromium only: the listeners keyferry's own isolated world holds on the
 * top window of `tab` ([{ type, capture, handler }], the handler's name as
 * V8 describes the function), read over CDP in that world.
 */
async function keyferryListeners(drv, tab) {
  const w = await isolatedWorlds(drv.session, tab.page);
  try {
    const { frameTree } = await w.cdp.send('Page.getFrameTree');
    const world = w.contexts.find((c) => c.name === 'keyferry' && c.auxData.frameId === frameTree.frame.id);
    if (!world) return null;
    const { result } = await w.cdp.send('Runtime.evaluate', { expression: 'window', objectGroup: 'kf-listeners', contextId: world.id });
    const { listeners } = await w.cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
    await w.cdp.send('Runtime.releaseObjectGroup', { objectGroup: 'kf-listeners' });
    return listeners.map((l) => ({ type: l.type, capture: l.useCapture, handler: /^(?:async\s+)?function\s+([\w$]+)/.exec(l.handler?.description ?? '')?.[1] ?? '(anonymous)' }));
  } finally {
    await w.detach();
  }
}

const itemCount = (panel) => panel.eval(() => document.querySelectorAll('[data-kf-item]').length);

browsers('overlay controls', {}, (s) => {
  s.scenario('collapse shrinks the panel to its header, expand brings the checklist back', async (drv) => {
    const tab = await drv.open(URL_TOKENS);
    const panel = await panelOf(tab);
    const open = await waitFor(async () => { const r = await hostRect(tab); return r && r.h > 100 && r; }, 'an open panel');
    await panel.click('[data-kf-action=collapse]');
    const closed = await waitFor(async () => { const r = await hostRect(tab); return r && r.h < 90 && r; }, 'a collapsed panel');
    assert.ok(closed.h < open.h);
    assert.equal(await itemCount(panel), 0, 'no checklist items while collapsed');
    await panel.click('[data-kf-action=collapse]');
    await waitFor(async () => (await itemCount(panel)) > 0, 'the checklist items again');
    await tab.close();
  });

  s.scenario('dock moves the panel to the next corner; the next page of that console opens there, another console does not', async (drv) => {
    const tab = await drv.open(URL_TOKENS);
    const panel = await panelOf(tab);
    const start = await waitFor(() => hostRect(tab), 'the panel');
    assert.ok(start.x > 600, `starts top-right (x=${start.x})`);
    await panel.click('[data-kf-action=dock]');
    const moved = await waitFor(async () => { const r = await hostRect(tab); return r && r.x < 100 && r; }, 'the top-left corner');
    assert.ok(moved.y < 100);
    // Another Okta page opens in the corner chosen on this console; a Salesforce page does not.
    const other = await drv.open(URL_TOKENS);
    const otherPanel = await panelOf(other);
    const there = await waitFor(() => hostRect(other), 'the panel in the new tab');
    assert.ok(there.x < 100 && there.y < 100, `opens top-left on Okta (${JSON.stringify(there)})`);
    const sf = await drv.open(URL_SF_EDIT);
    await panelOf(sf);
    const sfRect = await waitFor(() => hostRect(sf), 'the panel on Salesforce');
    assert.ok(sfRect.x > 600 && sfRect.y < 100, `Salesforce keeps the default corner (${JSON.stringify(sfRect)})`);
    await sf.close();
    // Back round the cycle to the default corner (top-right) for the scenarios after this one.
    for (let i = 0; i < 3; i++) {
      const last = JSON.stringify(await hostRect(other));
      await otherPanel.click('[data-kf-action=dock]');
      await waitFor(async () => { const r = await hostRect(other); return r && JSON.stringify(r) !== last && r; }, `dock ${i + 2}`);
    }
    const back = await hostRect(other);
    assert.ok(back.x > 600 && back.y < 100, `top-right again: ${JSON.stringify(back)}`);
    await other.close();
    await tab.close();
  });

  s.scenario('dock goes round the four corners; in a bottom corner the panel\'s bottom edge sits 12 px above the viewport\'s', async (drv) => {
    const tab = await drv.open(URL_SF_EDIT);
    const panel = await panelOf(tab);
    assert.ok((await waitFor(() => hostRect(tab), 'the panel')).x > 600, 'starts top-right');
    const vh = await tab.eval(() => innerHeight);
    const corners = [];
    for (let i = 0; i < 4; i++) {
      const last = JSON.stringify(await hostRect(tab));
      await panel.click('[data-kf-action=dock]');
      corners.push(await waitFor(async () => { const r = await hostRect(tab); return r && JSON.stringify(r) !== last && r; }, `dock ${i + 1}`));
    }
    const [tl, bl, br, tr] = corners;
    const atBottom = (r) => Math.abs(r.y + r.h - (vh - 12)) <= 1;
    assert.ok(tl.x < 100 && tl.y < 100, `top-left: ${JSON.stringify(tl)}`);
    assert.ok(bl.x < 100 && atBottom(bl), `bottom-left: ${JSON.stringify(bl)} (viewport height ${vh})`);
    assert.ok(br.x > 600 && atBottom(br), `bottom-right: ${JSON.stringify(br)} (viewport height ${vh})`);
    assert.ok(tr.x > 600 && tr.y < 100, `top-right: ${JSON.stringify(tr)}`);
    await tab.close();
  });

  s.scenario('in a small window the panel is never taller than the viewport', async (drv) => {
    const tab = await drv.open(URL_TOKENS);
    await panelOf(tab);
    await waitFor(async () => { const r = await hostRect(tab); return r && r.h > 300 && r; }, 'the open panel');
    await tab.setViewport(1000, 360);
    const vh = await waitFor(async () => { const h = await tab.eval(() => innerHeight); return h <= 360 && h; }, 'the smaller viewport');
    const r = await waitFor(async () => { const x = await hostRect(tab); return x && x.h <= vh - 24 && x; }, 'the panel clamped to the viewport');
    assert.ok(r.y >= 0 && r.y + r.h <= vh, `inside the viewport: ${JSON.stringify(r)} (height ${vh})`);
    await tab.close();
  });

  s.scenario('the grip drags the panel', async (drv) => {
    const tab = await drv.open(URL_TOKENS);
    await panelOf(tab);
    const r = await waitFor(() => hostRect(tab), 'the panel');
    await tab.drag({ x: r.x + r.w / 2, y: r.y + 6 }, { x: 400, y: 300 });
    const moved = await waitFor(async () => { const m = await hostRect(tab); return m && Math.abs(m.x - r.x) > 100 && m; }, 'the panel to move');
    assert.ok(moved.x < r.x - 100, `dragged left from x=${r.x}, got ${moved.x}`);
    assert.ok(moved.y > r.y + 100, `dragged down from y=${r.y}, got ${moved.y}`);
    await tab.close();
  });

  s.scenario('clicking a checklist item scrolls to and focuses its field', async (drv) => {
    const tab = await drv.open(URL_SF_EDIT);
    const panel = await panelOf(tab);
    await panel.click('[data-kf-item="sf.app.contact_email"] [data-kf-action=focus]');
    const focused = await waitFor(() => tab.eval(() => document.activeElement?.id || ''), 'a focused field');
    assert.equal(focused, 'appsetup:setupForm:details:appsection:emailSection:contactEmail');
    await tab.close();
  });

  s.scenario('the checklist shows the requirement texts of _locales, looked up by the key the catalog names', async (drv) => {
    const messages = JSON.parse(readFileSync(new URL('../../extension/_locales/en/messages.json', import.meta.url), 'utf8'));
    const key = (id, part) => `req_${id.replace(/[^a-z0-9]/gi, '_')}_${part}`;
    const tab = await drv.open(URL_SF_EDIT);
    const panel = await panelOf(tab);
    const shown = await panel.eval(() => [
      ...[...document.querySelectorAll('[data-kf-item]')].map((li) => ({
        id: li.dataset.kfItem, summary: li.querySelector('.kf-summary').textContent, explain: li.querySelector('details p').textContent,
      })),
      ...[...document.querySelectorAll('[data-kf-note]')].map((li) => ({
        id: li.dataset.kfNote, summary: li.querySelector('strong').textContent, explain: li.querySelector('p').textContent,
      })),
    ]);
    assert.ok(shown.length > 3, `only ${shown.length} items and notes`);
    for (const { id, summary, explain } of shown) {
      assert.equal(summary, messages[key(id, 'summary')]?.message, `${id}: summary`);
      assert.equal(explain, messages[key(id, 'explain')]?.message, `${id}: explain`);
    }
    await tab.close();
  });

  s.scenario('the page\'s pointer, key, focus, scroll and resize events are listened to only while the panel is in the page', {
    only: ['chromium'], why: 'the DevTools protocol lists the listeners an isolated world holds; WebDriver BiDi shows a test no content-script realm',
  }, async (drv) => {
    const follows = (ls) => ls.filter((l) => l.handler === 'guardWake' || l.handler === 'reposition').map((l) => l.type).sort();
    // A candidate page that shows no panel (a SAML app's General tab, at
    // okta.app.general's URL): the page agent runs (its input listener is
    // there) and follows none of these, though the panel it loaded with its
    // hello is in the page, hidden, for the page's first seconds.
    const list = await drv.open('https://acme-admin.okta.com/admin/app/acme_saml_1/instance/0oa9z8y7x6w5v4u3t2s1/#tab-general');
    const before = await waitFor(async () => { const ls = await keyferryListeners(drv, list); return ls?.some((l) => l.type === 'input' && l.capture) && ls; }, 'the agent on a candidate page');
    await staysFalse(() => panelShown(list), 1_500, 'a panel shown on a SAML app\'s General tab');
    assert.deepEqual(follows((await keyferryListeners(drv, list)) ?? before), [], 'no panel, no page events followed');
    await list.close();
    // With the panel: the guard's and the markers' listeners; after the
    // admin dismisses it, none again (the agent itself stays).
    const tab = await drv.open(URL_TOKENS);
    const panel = await panelOf(tab);
    const shown = follows(await keyferryListeners(drv, tab));
    for (const type of ['pointermove', 'pointerdown', 'keydown', 'focusin', 'scroll', 'resize', 'visibilitychange']) assert.ok(shown.includes(type), `${type} followed while the panel is shown: ${shown}`);
    await panel.click('[data-kf-action=dismiss]');
    await waitFor(async () => (await hostRect(tab)) === null, 'the overlay to go away');
    const after = await keyferryListeners(drv, tab);
    assert.ok(after.some((l) => l.type === 'input'), 'the agent is still there');
    assert.deepEqual(follows(after), [], 'after the dismiss, no page events followed');
    await tab.close();
  });

  s.scenario('a synthetic (untrusted) click inside the overlay does nothing; dismiss by the admin removes it; a reload brings it back', async (drv) => {
    const tab = await drv.open(URL_TOKENS);
    const panel = await panelOf(tab);
    await panel.eval(() => document.querySelector('[data-kf-action=dismiss]').click());
    await staysFalse(async () => (await hostRect(tab)) === null, 800, 'the overlay going away after a script click');
    await panel.click('[data-kf-action=dismiss]');
    await waitFor(async () => (await hostRect(tab)) === null, 'the overlay to go away');
    // A reload is a new visit: the overlay comes back.
    await tab.reload();
    await panelOf(tab);
    await tab.close();
  });
});
