// README screenshots: Chromium, 1280x800, the keyferry overlay on each console
// (Salesforce, Okta Admin Console, Okta Workflows, Workato) in the `partial`
// replica state (tests/e2e/pages.json "screenshots"), written to
// docs/screenshots/<name>.png. Each shot first asserts that the overlay is
// recognized, shows the progress pages.json expects for that replica state, is
// rendered and visible in the viewport. The README must show every shot.
// Run from the repo root: node --test tests/e2e/screenshots.test.mjs   (or tests/e2e/run.sh)

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { E2E_DIR, REPO_ROOT } from './hosts.mjs';
import { launch, overlayFrames, overlayPick, startFixtureServer, waitForOverlay } from './lib/chromium.mjs';
import { chromiumOnly } from './lib/driver.mjs';

const DATA = JSON.parse(readFileSync(join(E2E_DIR, 'pages.json'), 'utf8'));
const OUT = join(REPO_ROOT, 'docs', 'screenshots');
const VIEWPORT = { width: 1280, height: 800 };

// The consoles, by page-id prefix: the README shows each one.
const CONSOLES = { salesforce: 'Salesforce', okta: 'Okta Admin Console', workflows: 'Okta Workflows', workato: 'Workato' };
const expectedProgress = (url) => DATA.replicas.flatMap((r) => Object.values(r.states)).find((st) => st.url === url)?.progress;

test('one screenshot per console, each shown in the README', () => {
  const covered = new Set(DATA.screenshots.map((s) => s.page.split('.')[0]));
  assert.deepEqual([...covered].sort(), Object.keys(CONSOLES).sort(), 'tests/e2e/pages.json "screenshots" covers every console');
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  for (const shot of DATA.screenshots) {
    assert.ok(readme.includes(`](docs/screenshots/${shot.name}.png)`), `README.md shows docs/screenshots/${shot.name}.png`);
    assert.ok(expectedProgress(shot.url), `${shot.name}: its URL is a replica state of pages.json`);
  }
});

chromiumOnly('README screenshots (docs/screenshots)', 'the README shows one set of screenshots, taken in Chromium at a fixed size', () => {
  let server;
  let session;

  before(async () => {
    server = await startFixtureServer();
    session = await launch({ server });
    mkdirSync(OUT, { recursive: true });
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  for (const shot of DATA.screenshots) {
    test(`${shot.name}: ${shot.page}`, { timeout: 60_000 }, async () => {
      const page = await session.context.newPage();
      try {
        await page.setViewportSize(VIEWPORT);
        const response = await page.goto(shot.url, { waitUntil: 'load' });
        assert.equal(response.status(), 200);
        await waitForOverlay(page, (s) => s?.page === shot.page && s.items.length > 0, { timeout: 20_000, what: shot.page });
        if (shot.integration && await overlayPick(page, shot.integration)) {
          // The pick is kept per tab; reload so the in-page field markers are computed for it too.
          await page.reload({ waitUntil: 'load' });
          await waitForOverlay(page, (s) => s?.page === shot.page && s.items.length > 0, { timeout: 20_000, what: `${shot.page} after reload` });
        }
        // The checklist shows what the replica state holds (pages.json), not just any state.
        await waitForOverlay(page, (s) => s?.page === shot.page && s.progress === expectedProgress(shot.url),
          { timeout: 20_000, what: `${shot.page} at ${expectedProgress(shot.url)}` });

        // The overlay iframe must really be on screen, not just in the DOM.
        const [frame] = overlayFrames(page);
        const box = await (await frame.frameElement()).boundingBox();
        assert.ok(box && box.width >= 200 && box.height >= 200, `overlay box ${JSON.stringify(box)}`);
        assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= VIEWPORT.width && box.y < VIEWPORT.height,
          `overlay inside the viewport: ${JSON.stringify(box)}`);
        assert.equal(await frame.evaluate(() => {
          const root = document.querySelector('[data-kf-page]');
          const r = root?.getBoundingClientRect();
          return !!r && r.width > 0 && r.height > 0 && getComputedStyle(root).visibility !== 'hidden';
        }), true, 'the checklist is rendered inside the overlay');

        await frame.evaluate(() => document.activeElement?.blur?.()); // no focus ring from the pick
        await sleep(600); // let fonts, badges and the progress bar settle
        const path = join(OUT, `${shot.name}.png`);
        await page.screenshot({ path, fullPage: false });
        assert.ok(statSync(path).size > 10_000, `${path} looks empty`);
      } finally {
        await page.close();
      }
    });
  }
});
