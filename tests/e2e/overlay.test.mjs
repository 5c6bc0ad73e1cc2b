// The overlay panel's own controls, in Chromium: collapse, dock, dismiss,
// and that only trusted input acts (a script's synthetic click does not).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { launch, overlayFrame, overlayState, startFixtureServer, waitFor } from './lib/chromium.mjs';

const URL_TOKENS = 'https://acme-admin.okta.com/admin/access/api/tokens';
const URL_SF_EDIT = 'https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp?kfstate=partial';
const hostRect = (page) => page.evaluate(() => {
  const h = document.querySelector('keyferry-overlay');
  if (!h) return null;
  const r = h.getBoundingClientRect();
  return { x: r.x, y: r.y, w: r.width, h: r.height };
});


describe('chromium: overlay controls', () => {
  let server, session;
  before(async () => {
    server = await startFixtureServer();
    session = await launch({ server });
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  test('collapse shrinks the panel to its header, expand brings the checklist back', async () => {
    const { page } = await session.openFixture(URL_TOKENS);
    const frame = await overlayFrame(page);
    await overlayState(frame);
    const open = await waitFor(async () => { const r = await hostRect(page); return r && r.h > 100 && r; }, 'an open panel');
    await frame.click('[data-kf-action=collapse]');
    const closed = await waitFor(async () => { const r = await hostRect(page); return r && r.h < 90 && r; }, 'a collapsed panel');
    assert.ok(closed.h < open.h);
    assert.equal(await frame.locator('[data-kf-item]').count(), 0);
    await frame.click('[data-kf-action=collapse]');
    await waitFor(async () => (await frame.locator('[data-kf-item]').count()) > 0, 'items again');
    await page.close();
  });

  test('dock moves the panel to the next corner; the next page of that console opens there', async () => {
    const { page } = await session.openFixture(URL_TOKENS);
    const frame = await overlayFrame(page);
    await overlayState(frame);
    const before = await hostRect(page);
    assert.ok(before.x > 600, `starts top-right (x=${before.x})`);
    await frame.click('[data-kf-action=dock]');
    const moved = await waitFor(async () => { const r = await hostRect(page); return r && r.x < 100 && r; }, 'the top-left corner');
    assert.ok(moved.y < 100);
    // Another Okta page opens in the corner chosen on this console; a Salesforce page does not.
    const other = (await session.openFixture(URL_TOKENS)).page;
    await overlayState(await overlayFrame(other));
    const there = await waitFor(() => hostRect(other), 'the panel in the new tab');
    assert.ok(there.x < 100 && there.y < 100, `opens top-left on Okta (${JSON.stringify(there)})`);
    const sf = (await session.openFixture(URL_SF_EDIT)).page;
    await overlayState(await overlayFrame(sf));
    const sfRect = await waitFor(() => hostRect(sf), 'the panel on Salesforce');
    assert.ok(sfRect.x > 600 && sfRect.y < 100, `Salesforce keeps the default corner (${JSON.stringify(sfRect)})`);
    await sf.close();
    // Round the cycle (top-left → bottom-left → bottom-right → top-right): the default again.
    const f2 = await overlayFrame(other);
    const corners = [];
    for (let i = 0; i < 3; i++) {
      const last = JSON.stringify(await hostRect(other));
      await f2.click('[data-kf-action=dock]');
      corners.push(await waitFor(async () => { const r = await hostRect(other); return r && JSON.stringify(r) !== last && r; }, `dock ${i + 2}`));
    }
    const [bl, br, tr] = corners;
    // In a bottom corner the panel's bottom edge sits 12 px above the viewport's (whatever the panel's height).
    const vh = await other.evaluate(() => innerHeight);
    const atBottom = (r) => Math.abs(r.y + r.h - (vh - 12)) <= 1;
    assert.ok(bl.x < 100 && atBottom(bl), `bottom-left: ${JSON.stringify(bl)} (viewport height ${vh})`);
    assert.ok(br.x > 600 && atBottom(br), `bottom-right: ${JSON.stringify(br)} (viewport height ${vh})`);
    assert.ok(tr.x > 600 && tr.y < 100, `top-right: ${JSON.stringify(tr)}`);
    await other.close();
    await page.close();
  });

  test('in a small window the panel is never taller than the viewport', async () => {
    const { page } = await session.openFixture(URL_TOKENS);
    await overlayState(await overlayFrame(page));
    await waitFor(async () => { const r = await hostRect(page); return r && r.h > 300 && r; }, 'the open panel');
    await page.setViewportSize({ width: 1000, height: 360 });
    const r = await waitFor(async () => { const r = await hostRect(page); return r && r.h <= 360 - 24 && r; }, 'the panel clamped to the viewport');
    assert.ok(r.y >= 0 && r.y + r.h <= 360, `inside the viewport: ${JSON.stringify(r)}`);
    await page.close();
  });

  test('the grip drags the panel', async () => {
    const { page } = await session.openFixture(URL_TOKENS);
    const frame = await overlayFrame(page);
    await overlayState(frame);
    const r = await waitFor(() => hostRect(page), 'the panel');
    await page.mouse.move(r.x + r.w / 2, r.y + 6);
    await page.mouse.down();
    await page.mouse.move(400, 300, { steps: 5 });
    await page.mouse.up();
    const moved = await waitFor(async () => { const m = await hostRect(page); return m && Math.abs(m.x - r.x) > 100 && m; }, 'the panel to move');
    assert.ok(moved.x < r.x - 100, `dragged left from x=${r.x}, got ${moved.x}`);
    assert.ok(moved.y > r.y + 100, `dragged down from y=${r.y}, got ${moved.y}`);
    await page.close();
  });

  test('clicking a checklist item scrolls to and focuses its field', async () => {
    const { page } = await session.openFixture(URL_SF_EDIT);
    const frame = await overlayFrame(page);
    await overlayState(frame);
    await frame.click('[data-kf-item="sf.app.contact_email"] [data-kf-action=focus]');
    const focused = await waitFor(() => page.evaluate(() => document.activeElement?.id || ''), 'a focused field');
    assert.equal(focused, 'appsetup:setupForm:details:appsection:emailSection:contactEmail');
    await page.close();
  });

  test('the checklist shows the requirement texts of _locales, looked up by the key the catalog names', async () => {
    const messages = JSON.parse(readFileSync(new URL('../../extension/_locales/en/messages.json', import.meta.url), 'utf8'));
    const key = (id, part) => `req_${id.replace(/[^a-z0-9]/gi, '_')}_${part}`;
    const { page } = await session.openFixture(URL_SF_EDIT);
    const frame = await overlayFrame(page);
    await overlayState(frame);
    const shown = await frame.evaluate(() => [
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
    await page.close();
  });

  test('a synthetic (untrusted) click inside the overlay does nothing; dismiss by the admin removes it', async () => {
    const { page } = await session.openFixture(URL_TOKENS);
    const frame = await overlayFrame(page);
    await overlayState(frame);
    await frame.evaluate(() => document.querySelector('[data-kf-action=dismiss]').click());
    await new Promise((r) => setTimeout(r, 800));
    assert.ok(await hostRect(page), 'still there after a script click');
    await frame.click('[data-kf-action=dismiss]');
    await waitFor(async () => (await hostRect(page)) === null, 'the overlay to go away');
    // A reload is a new visit: the overlay comes back.
    await page.reload();
    await overlayState(await overlayFrame(page));
    await page.close();
  });
});
