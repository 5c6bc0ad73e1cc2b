// Smoke tests of keyferry in every browser of KF_BROWSERS (lib/driver.mjs), each
// in a fresh browser and profile: no background state or error leaks in.
// Run from the repo root: node --test tests/e2e/smoke.test.mjs   (or tests/e2e/run.sh)

import assert from 'node:assert/strict';

import { STRICT_CSP, fetchFixture } from './lib/common.mjs';
import { browsers, formatErrors, panelOf, readPanelState, staysFalse } from './lib/driver.mjs';

const TOKENS_URL = 'https://acme-admin.okta.com/admin/access/api/tokens';
const DASHBOARD_URL = 'https://acme-admin.okta.com/admin/dashboard';

browsers('smoke', {}, (s) => {
  s.scenario('okta.api.tokens: the overlay frame renders the wasm checklist under the strict page CSP', { fresh: true }, async (drv, t) => {
    // The fixture really carries the strict console CSP (asked from the test process, not the browser).
    const direct = await fetchFixture(drv.server, TOKENS_URL);
    assert.equal(direct.status, 200);
    assert.equal(direct.headers['content-security-policy'], STRICT_CSP);

    const started = Date.now();
    const tab = await drv.open(TOKENS_URL);
    assert.equal(tab.status, 200);
    const state = await (await panelOf(tab)).eval(readPanelState);
    t.diagnostic(`overlay ready after ${Date.now() - started} ms: ${JSON.stringify(state)}`);
    assert.equal(state.page, 'okta.api.tokens');
    assert.ok(state.items.length >= 1, `expected at least one [data-kf-item], got ${JSON.stringify(state)}`);
    // Not asserted here (the decoy test asserts silence); shown so regressions are visible early.
    const errors = await drv.errors();
    if (errors.length) t.diagnostic(`errors logged on this page (not asserted):\n${formatErrors(errors)}`);
    // The browser enforces that CSP: an inline script the page adds does not run.
    const ran = await tab.eval(() => {
      const el = document.createElement('script');
      el.textContent = 'globalThis.__kfInline = 1';
      document.head.append(el); // an inline script that may run, runs on insertion
      return globalThis.__kfInline === 1;
    });
    assert.equal(ran, false, 'an inline script ran: the page has no strict CSP');
  });

  s.scenario('okta dashboard (decoy): no overlay frame for 3 s, no console/page/extension errors', { fresh: true }, async (drv) => {
    const tab = await drv.open(DASHBOARD_URL);
    assert.equal(tab.status, 200);
    await staysFalse(async () => (await tab.panels()).length, 3_000, 'an overlay frame on a non-target page');
    assert.deepEqual(await drv.errors(), [], 'errors logged');
  });
});
