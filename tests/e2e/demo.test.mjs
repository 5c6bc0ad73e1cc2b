// The demo (./build.sh demo) in Chromium: the landing page links one replica of
// every page id keyferry knows, each link opens a page keyferry recognizes as
// the one the landing page says, and the walk-through works end to end as
// the landing page tells a person (pick, tick, fix, grant, capture the Okta
// client ID and secret, Fill on Workato; every step ends with every item ok;
// docs/screenshots/workato-connection-filled.png is taken right after Fill).
// Run from the repo root: node --test tests/e2e/demo.test.mjs   (or tests/e2e/run.sh)

import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { E2E_DIR, REPO_ROOT } from './hosts.mjs';
import { formatErrors, launch, overlayFrames, startFixtureServer, waitForOverlay } from './lib/chromium.mjs';
import { chromiumOnly } from './lib/driver.mjs';
import { LANDING, STEP_ACTIONS, fillLabel, readLanding, walkThrough } from './lib/demo.mjs';

const DATA = JSON.parse(readFileSync(join(E2E_DIR, 'pages.json'), 'utf8'));
const KNOWN_PAGES = [...new Set(DATA.replicas.map((r) => r.page))].sort();

chromiumOnly('the demo landing page and its walk-through', 'the demo (./build.sh demo) is a Chromium session by design: it opens the unpacked dist/chrome', () => {
  let server;
  let session;
  let landing;

  before(async () => {
    server = await startFixtureServer();
    session = await launch({ server });
    const { page, response } = await session.openFixture(LANDING);
    assert.equal(response.status(), 200);
    landing = await readLanding(page);
    await page.close();
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  test('links one replica of every page id keyferry knows, and a walk-through', () => {
    assert.deepEqual([...new Set(landing.pages.map((p) => p.page))].sort(), KNOWN_PAGES,
      'the "every console page" list covers exactly the page ids of tests/e2e/pages.json');
    assert.ok(landing.integration, 'the walk-through names its integration');
    assert.ok(landing.steps.length >= 3, 'the walk-through has steps');
    for (const s of landing.steps) assert.ok(s.page && s.url, `step ${s.id} links its page`);
    assert.ok(landing.steps.some((s) => s.capture.length), 'one step captures values');
    assert.ok(landing.steps.some((s) => s.fill !== null), 'one step fills them in');
    for (const url of landing.links) {
      assert.ok(session.server.hosts.includes(new URL(url).hostname), `${url}: a fixture host (the demo works offline)`);
    }
  });

  test('every page link opens a page keyferry recognizes as the one named', { timeout: 240_000 }, async () => {
    const page = await session.context.newPage();
    try {
      for (const link of landing.pages) {
        const response = await page.goto(link.url, { waitUntil: 'load' });
        assert.equal(response.status(), 200, link.url);
        await waitForOverlay(page, (s) => s?.page === link.page && s.items.length > 0,
          { timeout: 20_000, what: `${link.text}: ${link.page}` });
      }
    } finally {
      await page.close();
    }
  });

  test('the walk-through, step by step in one tab: capture on Okta, Fill on Workato', { timeout: 180_000 }, async () => {
    const page = await session.context.newPage();
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      const done = await walkThrough(page, landing, {
        onStep: async (step) => {
          if (step.fill === null) return;
          // README screenshot: the Workato form right after Fill.
          const [frame] = overlayFrames(page);
          await frame.evaluate(() => document.activeElement?.blur?.());
          await sleep(600);
          const path = join(REPO_ROOT, 'docs', 'screenshots', 'workato-connection-filled.png');
          await page.screenshot({ path });
          assert.ok(statSync(path).size > 10_000, `${path} looks empty`);
        },
      });
      assert.deepEqual(done.map((d) => d.state.page), landing.steps.map((s) => s.page));
      for (const d of done) {
        if (STEP_ACTIONS[d.step.id]) assert.ok(d.before.items.some((i) => i.status !== 'ok'), `${d.step.id}: arrives with something to do`);
        assert.ok(d.state.items.every((i) => i.status === 'ok'), `${d.step.id}: done ${JSON.stringify(d.state)}`);
      }
      const fill = done.find((d) => d.step.fill !== null);
      assert.equal(fill.fill, `Fill ${fill.step.fill} fields`, 'the Fill button says what the landing page says');
      assert.ok(fill.state.items.every((i) => i.status === 'ok'), JSON.stringify(fill.state));
      // The values really are in the form: the Workato replica's fields hold what was captured on Okta.
      const values = await page.evaluate(() => [...document.querySelectorAll('input, textarea')].map((i) => i.value));
      assert.ok(values.includes('acme.okta.com'), `the Okta domain is filled: ${JSON.stringify(values)}`);
      assert.ok(values.some((v) => /^0oa[0-9A-Za-z]{17}$/.test(v)), 'the client ID is filled');
      assert.equal(session.pageErrors.length, 0, formatErrors(session.pageErrors));
    } finally {
      await page.close();
    }
  });

  test('without the captures of the walk-through, Workato\'s Fill offers fewer fields', { timeout: 60_000 }, async () => {
    // Without captured values the Workato step cannot fill the secret: the
    // landing page's promise depends on step 3, which a fresh profile lacks.
    const fresh = await launch({ server });
    try {
      const page = await fresh.context.newPage();
      const step = landing.steps.find((s) => s.fill !== null);
      await page.goto(step.url, { waitUntil: 'load' });
      await waitForOverlay(page, (s) => s?.page === step.page, { timeout: 20_000 });
      const label = await fillLabel(page, { timeout: 3_000 });
      // Fresh profile: nothing captured, so at most the values that need no capture (e.g. the scopes).
      const n = label === null ? 0 : Number(label.match(/^Fill (\d+) fields?$/)?.[1]);
      assert.ok(n < step.fill, `without captured values the overlay offers ${JSON.stringify(label)}, not fewer than ${step.fill} fields`);
    } finally {
      await fresh.close();
    }
  });
});
