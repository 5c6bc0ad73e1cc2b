// Chromium end-to-end smoke tests of keyferry (foundation issue).
// Run from the repo root: node --test tests/e2e/*.test.mjs   (or tests/e2e/run.sh)
// Extension under test: dist/chrome (KF_DIST_CHROME overrides).

import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  STRICT_CSP,
  fetchFixture,
  formatErrors,
  launch,
  overlayFrame,
  overlayFrames,
  overlayState,
  startFixtureServer,
} from './lib/chromium.mjs';

const TOKENS_URL = 'https://acme-admin.okta.com/admin/access/api/tokens';
const DASHBOARD_URL = 'https://acme-admin.okta.com/admin/dashboard';

describe('chromium: foundation smoke', () => {
  let server;
  let session;

  before(async () => {
    server = await startFixtureServer();
  });
  after(async () => {
    await server?.stop();
  });
  // A fresh profile per test: no service-worker state or error leaks between tests.
  beforeEach(async () => {
    session = await launch({ server });
  });
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  test('okta.api.tokens: the overlay frame renders the wasm checklist under the strict page CSP', { timeout: 90_000 }, async (t) => {
    // The fixture really carries the strict console CSP (asked from the test process, not the browser).
    const direct = await fetchFixture(server, TOKENS_URL);
    assert.equal(direct.status, 200);
    assert.equal(direct.headers['content-security-policy'], STRICT_CSP);

    const started = Date.now();
    const { page, response } = await session.openFixture(TOKENS_URL);
    assert.equal(response.status(), 200);
    assert.equal((await response.allHeaders())['content-security-policy'], STRICT_CSP,
      'the browser received the page with the strict CSP');

    let frame;
    try {
      frame = await overlayFrame(page, { timeout: 15_000 });
      const state = await overlayState(frame, { timeout: 15_000 });
      t.diagnostic(`overlay ready after ${Date.now() - started} ms: ${JSON.stringify(state)}`);
      assert.equal(state.page, 'okta.api.tokens');
      assert.ok(state.items.length >= 1, `expected at least one [data-kf-item], got ${JSON.stringify(state)}`);
      // Not asserted here (the decoy test asserts silence); shown so regressions are visible early.
      const errors = [...session.pageErrors, ...session.extensionErrors];
      if (errors.length) t.diagnostic(`errors logged on this page (not asserted):\n${formatErrors(errors)}`);
    } catch (err) {
      t.diagnostic(`snapshot: ${await session.snapshot(page, 'okta-api-tokens')}`);
      if (session.pageErrors.length) t.diagnostic(`page errors:\n${formatErrors(session.pageErrors)}`);
      if (session.extensionErrors.length) t.diagnostic(`extension errors:\n${formatErrors(session.extensionErrors)}`);
      throw err;
    }
  });

  test('okta dashboard (decoy): no overlay frame and no console/page/extension errors after 3 s', { timeout: 90_000 }, async (t) => {
    const { page, response } = await session.openFixture(DASHBOARD_URL);
    assert.equal(response.status(), 200);
    await sleep(3_000);

    // Report every problem at once, not just the first.
    const problems = [];
    const frames = overlayFrames(page).map((f) => f.url());
    if (frames.length) problems.push(`overlay frame(s) on a non-target page:\n  ${frames.join('\n  ')}`);
    if (session.pageErrors.length) problems.push(`page logged errors:\n${formatErrors(session.pageErrors)}`);
    if (session.extensionErrors.length) problems.push(`extension logged errors:\n${formatErrors(session.extensionErrors)}`);
    if (problems.length) t.diagnostic(`snapshot: ${await session.snapshot(page, 'okta-dashboard')}`);
    assert.deepEqual(problems, []);
  });
});
