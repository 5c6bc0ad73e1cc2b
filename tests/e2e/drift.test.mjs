// Pages that drifted, in Chromium: a candidate URL whose landmarks do not match
// (the popup says so and copies the page signature), a recognized page with a
// field keyferry cannot locate (the panel says so), and no secret of any control
// in the copied signature. Twin: test_drift.py (Firefox).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { E2E_DIR, REPO_ROOT } from './hosts.mjs';
import { formatErrors, launch, overlayFrames, overlayPick, startFixtureServer, waitFor, waitForOverlay, stopWorker as stopWorkerOf } from './lib/chromium.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core in `target` (a Page or Frame), as popup_options.test.mjs runs it; returns the violations. */
async function axe(target) {
  await target.evaluate(`${AXE};0`);
  return target.evaluate(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

const URL_DRIFT = 'https://acme-admin.okta.com/admin/access/api/tokens/drift';
const URL_RENAMED = 'https://acme-admin.okta.com/admin/apps/oauth2-wizard/create/renamed?applicationType=SERVICE';
const DRIFT_HTML = join(REPO_ROOT, 'tests/fixtures/acme-admin.okta.com/admin/access/api/tokens/drift');

/** Every secret the drift replica puts in a control (HTML and script). */
function replicaSecrets() {
  const text = readFileSync(join(DRIFT_HTML, 'index.html'), 'utf8') + readFileSync(join(DRIFT_HTML, 'drift.js'), 'utf8');
  const found = [...new Set(text.match(/KFSECRET-[A-Za-z0-9-]+|kfsecret-[a-z0-9-]+@acme\.example/g))];
  // Values without the marker: the number and the date.
  return [...found, '4444', '2031-07-17'];
}

/** Controls (id, name) the signature must name, from every kind in the replica. */
const NAMED = [
  ['kf-text', 'key_name'], ['kf-email', 'owner_email'], ['kf-url', 'callback'], ['kf-number', 'lifetime'],
  ['kf-tel', 'phone'], ['kf-search', 'filter'], ['kf-date', 'expires'], ['kf-pass', 'admin_password'],
  ['kf-hidden', 'csrf_hidden'], ['kf-check', 'read_only'], ['kf-radio-any', 'network'], ['kf-select', 'scope'],
  ['kf-area', 'notes'], ['kf-select-in-label', 'region'], ['kf-edit', null], ['kf-shadow-input', 'shadow_token'],
  ['kf-save', 'save'],
];

describe('chromium: pages that drifted', () => {
  let server, session, id;

  before(async () => {
    server = await startFixtureServer();
    session = await launch({ server });
    id = await session.extensionId();
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  /** The tab id of the page open at `url` (asked from an extension page). */
  async function tabIdOf(ext, url) {
    return waitFor(() => ext.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id ?? null, url.split('?')[0] + '*'),
      `the tab of ${url}`);
  }

  test('a drifted candidate page: the popup says so and names the missed landmark; its signature holds no secret', async () => {
    const secrets = replicaSecrets();
    assert.ok(secrets.length >= 25, `the replica holds distinct secrets (${secrets.length})`);
    const { page } = await session.openFixture(URL_DRIFT);
    await page.waitForSelector('body[data-kf-replica-ready]');
    // The typed values are in the controls (the test would prove nothing otherwise).
    assert.equal(await page.inputValue('#kf-pass'), 'KFSECRET-typed-password-4d4d');
    assert.equal(await page.inputValue('#kf-area'), 'KFSECRET-typed-textarea-5e5e');
    // Not recognized: no panel.
    const blank = await session.context.newPage();
    await blank.goto(`chrome-extension://${id}/popup.html`);
    const tab = await tabIdOf(blank, URL_DRIFT);
    await blank.close();

    const popup = await session.context.newPage();
    await popup.goto(`chrome-extension://${id}/popup.html?tab=${tab}`);
    await popup.waitForSelector('[data-kf-drift]', { timeout: 15_000 });
    assert.equal(overlayFrames(page).length, 0, 'no panel on an unrecognized page');
    const text = await popup.textContent('[data-kf-drift]');
    assert.match(text, /This page differs from what keyferry knows/);
    assert.match(await popup.textContent('[data-kf-drift-page="okta.api.tokens"][data-kf-drift-missing=landmarks]'),
      /Okta API Tokens.*"Create token" in `button, a`/);
    assert.deepEqual(await axe(popup), [], 'the popup with its drift notice has 0 axe violations');

    await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'https://acme-admin.okta.com' });
    await page.bringToFront();
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    await popup.bringToFront();
    await popup.click('[data-kf-action=signature]');
    const notice = await waitFor(() => popup.$eval('[data-kf-drift-notice]', (e) => ({ kind: e.dataset.kfDriftNotice, text: e.textContent })).catch(() => null),
      'the signature notice');
    assert.equal(notice.kind, 'ok', notice.text);
    await page.bringToFront();
    const sig = await waitFor(async () => {
      const t = await page.evaluate(() => navigator.clipboard.readText());
      return t !== 'before' && t;
    }, 'the signature on the clipboard');

    if (process.env.KF_SHOW_SIGNATURE) console.log(sig);
    assert.match(sig, /^keyferry page signature/);
    assert.match(sig, /candidates: okta\.api\.tokens/);
    assert.match(sig, /recognized: no/);
    assert.match(sig, /landmark 1: MISS/);
    assert.match(sig, /miss "Create token" in `button, a`/);
    assert.match(sig, /field token_value "Token value" \(display\): NOT LOCATED/i);
    for (const [cid, name] of NAMED) {
      assert.ok(sig.includes(`id="${cid}"`), `the signature names #${cid}\n${sig}`);
      if (name) assert.ok(sig.includes(`name="${name}"`), `the signature names ${name}\n${sig}`);
    }
    assert.ok(sig.includes('label="Key name"') && sig.includes('label="Shadow token"'), sig);
    assert.ok(sig.includes('- "API Keys"'), sig);
    const leaked = secrets.filter((s) => sig.toLowerCase().includes(s.toLowerCase()));
    assert.deepEqual(leaked, [], `no control value, placeholder, option or page text secret in the signature\n${sig}`);
    assert.ok(!sig.includes('Admin password') && !sig.includes('Notes'), 'no label of a password field or text area');
    console.log(`signature: ${sig.length} characters, ${sig.split('\n').filter((l) => l.startsWith('- ')).length} list lines, ` +
      `${secrets.length} secrets absent`);
    assert.deepEqual(session.pageErrors.filter((e) => e.kind === 'pageerror'), [], formatErrors(session.pageErrors));
    await popup.close();
    await page.close();
  });

  const stopWorker = (page) => stopWorkerOf(session, page);

  test('the popup still reports the drift after the service worker restarted (it asks the tab to report again)', async () => {
    const { page } = await session.openFixture(URL_DRIFT);
    await page.waitForSelector('body[data-kf-replica-ready]');
    const helper = await session.context.newPage();
    await helper.goto(`chrome-extension://${id}/popup.html`);
    const tab = await tabIdOf(helper, URL_DRIFT);
    await helper.close();
    await stopWorker(page);
    const popup = await session.context.newPage();
    await popup.goto(`chrome-extension://${id}/popup.html?tab=${tab}`);
    await popup.waitForSelector('[data-kf-drift-missing=landmarks]', { timeout: 15_000 });
    await popup.close();
    await page.close();
  });

  test('a recognized page with a field keyferry cannot locate: the panel says so, and copies its signature', async () => {
    const { page } = await session.openFixture(URL_RENAMED);
    await waitForOverlay(page, (s) => s?.page === 'okta.app.wizard_service', { what: 'the wizard recognized' });
    const frame = await waitFor(async () => {
      for (const f of overlayFrames(page)) if (await f.$('[data-kf-drift]').catch(() => null)) return f;
      return null;
    }, 'the drift notice in the panel');
    assert.equal(await frame.getAttribute('[data-kf-drift]', 'data-kf-drift'), 'okta.app.wizard_service');
    assert.match(await frame.textContent('[data-kf-drift] h2'), /This page differs from what keyferry knows/);
    assert.match(await frame.textContent('[data-kf-drift-missing=fields]'), /New API Services App Integration.*App integration name/);
    assert.deepEqual(await axe(frame), [], 'the panel with its drift notice has 0 axe violations');

    await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'https://acme-admin.okta.com' });
    await page.bringToFront();
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    await frame.click('[data-kf-action=signature]');
    const sig = await waitFor(async () => {
      const t = await page.evaluate(() => navigator.clipboard.readText());
      return t !== 'before' && t;
    }, 'the signature on the clipboard');
    assert.match(sig, /recognized: okta\.app\.wizard_service/);
    assert.match(sig, /drift: okta\.app\.wizard_service fields not located: App integration name/);
    assert.match(sig, /field name "App integration name" \(text\): NOT LOCATED/);
    assert.match(sig, /miss name=client_name/);
    assert.match(sig, /landmark 1: hit/);
    assert.ok(sig.includes('id="display-name"') && sig.includes('name="display_name"') && sig.includes('label="Integration display name"'), sig);
    const notice = await waitFor(() => frame.$eval('[data-kf-notice]', (e) => ({ kind: e.dataset.kfNotice, text: e.textContent })).catch(() => null),
      'the panel notice');
    assert.equal(notice.kind, 'ok', notice.text);
    await page.close();
  });

  test('the page recognized as known shows no drift notice', async () => {
    const { page } = await session.openFixture('https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=SERVICE');
    await waitForOverlay(page, (s) => s?.page === 'okta.app.wizard_service', { what: 'the wizard recognized' });
    const frame = overlayFrames(page)[0];
    await frame.waitForSelector('[data-kf-item]');
    assert.equal(await frame.$('[data-kf-drift]'), null, 'no drift notice where every expected field is found');
    await page.close();
  });

  test('no replica state keyferry knows shows a drift notice, except the other-language ones, which do (pages.json, once settled)', { timeout: 300_000 }, async () => {
    const { replicas } = JSON.parse(readFileSync(join(E2E_DIR, 'pages.json'), 'utf8'));
    let checked = 0;
    const noticed = [];
    for (const r of replicas) {
      for (const [name, exp] of Object.entries(r.states)) {
        if (!exp.url || exp.known_issue) continue;
        const { page } = await session.openFixture(exp.url);
        await waitForOverlay(page, (s) => s?.page === r.page, { timeout: 20_000, what: `${r.id} [${name}] recognized` });
        if (r.integration) await overlayPick(page, r.integration);
        // Settled: every item at the status pages.json expects (as pages.test.mjs checks).
        await waitForOverlay(page, (s) => s?.page === r.page && (!exp.progress || s.progress === exp.progress) &&
          Object.entries(exp.items ?? {}).every(([id, st]) => s.items.some((i) => i.id === id && i.status === st)),
        { timeout: 20_000, what: `${r.id} [${name}] at ${exp.progress}` });
        let shown = null;
        for (const f of overlayFrames(page)) {
          shown ??= await f.$eval('[data-kf-drift]', (e) => e.textContent).catch(() => null);
        }
        // A replica in another language is expected to differ: the panel must say which fields it missed.
        if (r.drift_expected) assert.match(shown ?? '', /\S/, `${r.id} [${name}]: a drift notice (${r.drift_expected})`);
        else if (shown) noticed.push(`${r.id} [${name}]: ${shown}`);
        checked++;
        await page.close();
      }
    }
    console.log(`drift notices on known replicas: ${noticed.length} of ${checked} states`);
    assert.ok(checked >= 40, `checked ${checked} states`);
    assert.deepEqual(noticed, []);
  });
});
