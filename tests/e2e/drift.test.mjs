// Pages that drifted, in every browser of KF_BROWSERS (lib/driver.mjs): a
// candidate URL whose landmarks do not match (the popup says so and copies the
// page signature), a recognized page with a field keyferry cannot locate (the
// panel says so), and no secret of any control in the copied signature.
// Run from the repo root: node --test tests/e2e/drift.test.mjs

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { E2E_DIR, REPO_ROOT } from './hosts.mjs';
import { browsers, formatErrors, overlayPick, panelShown, panelWith, waitFor, waitForOverlay } from './lib/driver.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core in `target` (a Tab or Panel); returns the violations. */
async function axe(target) {
  await target.eval(`() => { ${AXE}; return 0; }`);
  return target.eval(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

const URL_DRIFT = 'https://acme-admin.okta.com/admin/access/api/tokens/drift';
const URL_KNOWN = 'https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=SERVICE';
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

/** The browser's tab id of the page open at `url` (asked in the background). */
function tabIdOf(drv, url) {
  return waitFor(() => drv.background(async (bg, u) => (await bg.chrome.tabs.query({ url: u }))[0]?.id ?? null, url.split('?')[0] + '*'),
    `the tab of ${url}`);
}
const replicaReady = (tab) => waitFor(() => tab.eval(() => document.body.hasAttribute('data-kf-replica-ready')), 'the replica ready');
const textOf = (target, sel) => target.eval((s) => document.querySelector(s)?.textContent ?? null, sel);

browsers('pages that drifted', {}, (s) => {
  s.scenario('a drifted candidate page: the popup says so and names the missed landmark; its signature holds no secret', async (drv, t) => {
    const secrets = replicaSecrets();
    assert.ok(secrets.length >= 25, `the replica holds distinct secrets (${secrets.length})`);
    const page = await drv.open(URL_DRIFT);
    await replicaReady(page);
    // The typed values are in the controls (the test would prove nothing otherwise).
    assert.equal(await page.eval(() => document.getElementById('kf-pass').value), 'KFSECRET-typed-password-4d4d');
    assert.equal(await page.eval(() => document.getElementById('kf-area').value), 'KFSECRET-typed-textarea-5e5e');
    const tab = await tabIdOf(drv, URL_DRIFT);

    const popup = await drv.openExtensionPage(`popup.html?tab=${tab}`);
    await waitFor(() => popup.eval(() => !!document.querySelector('[data-kf-drift]')), 'the drift notice in the popup', 15_000);
    // The panel loaded with the hello (the URL is the page's own) is never
    // shown, and goes once the page has not been recognized in its first 3 s.
    assert.equal(await panelShown(page), false, 'no panel shown on an unrecognized page');
    await waitFor(async () => (await page.panels()).length === 0, 'no panel on an unrecognized page', 5_000);
    assert.match(await textOf(popup, '[data-kf-drift]'), /This page differs from what keyferry knows/);
    assert.match(await textOf(popup, '[data-kf-drift-page="okta.api.tokens"][data-kf-drift-missing=landmarks]'),
      /Okta API Tokens.*"Create token" in `button, a`/);
    assert.deepEqual(await axe(popup), [], 'the popup with its drift notice has 0 axe violations');

    await popup.setClipboard('before');
    await popup.click('[data-kf-action=signature]');
    const notice = await waitFor(() => popup.eval(() => {
      const e = document.querySelector('[data-kf-drift-notice]');
      return e && { kind: e.dataset.kfDriftNotice, text: e.textContent };
    }), 'the signature notice');
    assert.equal(notice.kind, 'ok', notice.text);
    const sig = await waitFor(async () => { const x = await popup.clipboard(); return x !== 'before' && x; }, 'the signature on the clipboard');

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
    const leaked = secrets.filter((x) => sig.toLowerCase().includes(x.toLowerCase()));
    assert.deepEqual(leaked, [], `no control value, placeholder, option or page text secret in the signature\n${sig}`);
    assert.ok(!sig.includes('Admin password') && !sig.includes('Notes'), 'no label of a password field or text area');
    t.diagnostic(`signature: ${sig.length} characters, ${sig.split('\n').filter((l) => l.startsWith('- ')).length} list lines, ` +
      `${secrets.length} secrets absent`);
    const uncaught = (await drv.errors()).filter((e) => e.kind === 'pageerror' || e.kind === 'javascript');
    assert.deepEqual(uncaught, [], formatErrors(uncaught));
    await popup.close();
    await page.close();
  });

  s.scenario('the popup still reports the drift after the background stopped (it asks the tab to report again)', async (drv) => {
    const page = await drv.open(URL_DRIFT);
    await replicaReady(page);
    const tab = await tabIdOf(drv, URL_DRIFT);
    await drv.stopBackground();
    const popup = await drv.openExtensionPage(`popup.html?tab=${tab}`);
    await waitFor(() => popup.eval(() => !!document.querySelector('[data-kf-drift-missing=landmarks]')), 'the drift notice after the restart', 20_000);
    await popup.close();
    await page.close();
  });

  s.scenario('a recognized page with a field keyferry cannot locate: the panel says so, and copies its signature', async (drv) => {
    const page = await drv.open(URL_RENAMED);
    await waitForOverlay(page, (st) => st?.page === 'okta.app.wizard_service', { what: 'the wizard recognized' });
    const panel = await panelWith(page, '[data-kf-drift]', 'the drift notice in the panel');
    assert.equal(await panel.eval(() => document.querySelector('[data-kf-drift]').dataset.kfDrift), 'okta.app.wizard_service');
    assert.match(await textOf(panel, '[data-kf-drift] h2'), /This page differs from what keyferry knows/);
    assert.match(await textOf(panel, '[data-kf-drift-missing=fields]'), /New API Services App Integration.*App integration name/);
    assert.deepEqual(await axe(panel), [], 'the panel with its drift notice has 0 axe violations');

    await page.setClipboard('before');
    await panel.click('[data-kf-action=signature]');
    const sig = await waitFor(async () => { const x = await page.clipboard(); return x !== 'before' && x; }, 'the signature on the clipboard');
    assert.match(sig, /recognized: okta\.app\.wizard_service/);
    assert.match(sig, /drift: okta\.app\.wizard_service fields not located: App integration name/);
    assert.match(sig, /field name "App integration name" \(text\): NOT LOCATED/);
    assert.match(sig, /miss name=client_name/);
    assert.match(sig, /landmark 1: hit/);
    assert.ok(sig.includes('id="display-name"') && sig.includes('name="display_name"') && sig.includes('label="Integration display name"'), sig);
    const notice = await waitFor(() => panel.eval(() => {
      const e = document.querySelector('[data-kf-notice]');
      return e && { kind: e.dataset.kfNotice, text: e.textContent };
    }), 'the panel notice');
    assert.equal(notice.kind, 'ok', notice.text);
    await page.close();
  });

  s.scenario('the page recognized as known shows no drift notice', async (drv) => {
    const page = await drv.open(URL_KNOWN);
    const { panel } = await waitForOverlay(page, (st) => st?.page === 'okta.app.wizard_service' && st.items.length > 0, { what: 'the wizard recognized, its items shown' });
    assert.equal(await panel.eval(() => !!document.querySelector('[data-kf-drift]')), false, 'no drift notice where every expected field is found');
    await page.close();
  });

  s.scenario('no replica state keyferry knows shows a drift notice, except the other-language ones, which do (pages.json, once settled)', { timeout: 400_000 }, async (drv, t) => {
    const { replicas } = JSON.parse(readFileSync(join(E2E_DIR, 'pages.json'), 'utf8'));
    let checked = 0;
    const noticed = [];
    for (const r of replicas) {
      for (const [name, exp] of Object.entries(r.states)) {
        if (!exp.url || exp.known_issue) continue;
        const page = await drv.open(exp.url);
        await waitForOverlay(page, (st) => st?.page === r.page, { timeout: 20_000, what: `${r.id} [${name}] recognized` });
        if (r.integration) await overlayPick(page, r.integration);
        // Settled: every item at the status pages.json expects (as pages.test.mjs checks).
        await waitForOverlay(page, (st) => st?.page === r.page && (!exp.progress || st.progress === exp.progress) &&
          Object.entries(exp.items ?? {}).every(([id, want]) => st.items.some((i) => i.id === id && i.status === want)),
        { timeout: 20_000, what: `${r.id} [${name}] at ${exp.progress}` });
        let shown = null;
        for (const p of await page.panels()) shown ??= await p.eval(() => document.querySelector('[data-kf-drift]')?.textContent ?? null);
        // A replica in another language is expected to differ: the panel must say which fields it missed.
        if (r.drift_expected) assert.match(shown ?? '', /\S/, `${r.id} [${name}]: a drift notice (${r.drift_expected})`);
        else if (shown) noticed.push(`${r.id} [${name}]: ${shown}`);
        checked++;
        await page.close();
      }
    }
    t.diagnostic(`drift notices on known replicas: ${noticed.length} of ${checked} states`);
    assert.ok(checked >= 40, `checked ${checked} states`);
    assert.deepEqual(noticed, []);
  });
});
