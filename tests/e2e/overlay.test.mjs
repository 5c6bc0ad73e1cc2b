// The overlay panel's own controls, in Chromium: collapse, dock, dismiss,
// and that only trusted input acts (a script's synthetic click does not).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { launch, overlayFrame, overlayState, startFixtureServer } from './lib/chromium.mjs';

const URL_TOKENS = 'https://acme-admin.okta.com/admin/access/api/tokens';
const hostRect = (page) => page.evaluate(() => {
  const h = document.querySelector('keyferry-overlay');
  if (!h) return null;
  const r = h.getBoundingClientRect();
  return { x: r.x, y: r.y, w: r.width, h: r.height };
});

async function waitFor(fn, what, timeout = 5000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

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

  test('dock moves the panel to the next corner', async () => {
    const { page } = await session.openFixture(URL_TOKENS);
    const frame = await overlayFrame(page);
    await overlayState(frame);
    const before = await hostRect(page);
    assert.ok(before.x > 600, `starts top-right (x=${before.x})`);
    await frame.click('[data-kf-action=dock]');
    const moved = await waitFor(async () => { const r = await hostRect(page); return r && r.x < 100 && r; }, 'the top-left corner');
    assert.ok(moved.y < 100);
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
