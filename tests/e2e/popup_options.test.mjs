// The popup and the options page, opened as pages of the built extension, in
// every browser of KF_BROWSERS (lib/driver.mjs): settings that take effect
// (data center → assembled redirect URI, vault expiry → the expiry of new
// captures, an expired value not offered for fill), custom hosts (permission,
// dynamic content script, recognition, clean removal), the popup's
// cross-console progress, masked vault rows, forget, the redacted report, and
// axe-core with 0 violations on the popup, the options page and the overlay.
//
// Granting a custom host: neither headless browser can answer the prompt that
// permissions.request() opens; drv.allowHostPermission() lets the request
// succeed the way each browser allows (see lib/chromium.mjs, lib/firefox.mjs).
// The extension's code path is unchanged.
// Run from the repo root: node --test tests/e2e/popup_options.test.mjs

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { browsers, formatErrors, overlayPick, panelOf, panelWith, staysFalse, waitFor, waitForOverlay } from './lib/driver.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const SECRET = 'hV3k9QpZ2mX7rT5wL8cN4bJ6yF1dG0sA-uE_iO2kR8tY4nM7vB3xC6zQ9lP1jW5';
const CLIENT_ID = '0oa1b2c3d4e5f6g7h8i9';
const URL_GENERAL = `https://acme-admin.okta.com/admin/app/oidc_client/instance/${CLIENT_ID}/?kfstate=correct#tab-general`;
const URL_WIZARD = 'https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=WEB&kfstate=partial';
const URL_WORKATO = 'https://app.workato.com/connections/new?kfstate=empty';
const CUSTOM = 'admin.acme-corp.example';
const URL_CUSTOM = `https://${CUSTOM}/admin/access/api/tokens`;
const INTEGRATION = 'workato-okta-auth-code';

/** axe-core in `target` (a Tab or Panel); returns the violations. */
async function axe(target) {
  await target.eval(`() => { ${AXE}; return 0; }`);
  return target.eval(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}
const has = (tab, sel) => tab.eval((s) => !!document.querySelector(s), sel);
const textOf = (tab, sel) => tab.eval((s) => document.querySelector(s)?.textContent ?? null, sel);
const valueOf = (tab, sel) => tab.eval((s) => document.querySelector(s)?.value ?? null, sel);
const storage = (tab, key) => tab.eval((k) => chrome.storage.local.get(k), key);

async function openExt(drv, path, ready) {
  const tab = await drv.openExtensionPage(path);
  await waitFor(() => has(tab, ready), `${path}: ${ready}`, 15_000);
  return tab;
}
async function saveOptions(options, { dc, minutes }) {
  if (dc) await options.select('#kf-dc', dc);
  if (minutes) await options.fill('#kf-minutes', String(minutes));
  await options.click('[data-kf-action=save]');
  await waitFor(async () => (await textOf(options, '[data-kf-notice]')) === 'Saved.', 'the settings to be saved');
}
const popupVault = (popup) => popup.eval(() => [...document.querySelectorAll('[data-kf-vault]')].map((r) => ({
  slot: r.dataset.kfVault, masked: r.querySelector('[data-kf-masked]').textContent,
  seconds: Number(r.querySelector('[data-kf-seconds]').dataset.kfSeconds),
})));
async function capture(drv, slots) {
  const page = await drv.open(URL_GENERAL);
  await panelOf(page);
  await overlayPick(page, INTEGRATION);
  for (const slot of slots) {
    const sel = `[data-kf-action=capture][data-kf-slot="${slot}"]`;
    const panel = await panelWith(page, sel, `the ${slot} capture button`);
    await panel.click(sel);
    await waitFor(() => panel.eval((s) => !!document.querySelector(`[data-kf-vault="${s}"]`), slot), `${slot} captured`);
  }
  return page;
}
/** No errors from the pages or the extension since the scenario began. */
async function assertNoErrors(drv) {
  const errors = (await drv.errors()).filter((e) => !/favicon|status of 404/.test(e.text));
  assert.deepEqual(errors, [], formatErrors(errors));
}

browsers('popup and options', {}, (s) => {
  s.scenario('fresh popup and options explain what to do next, with 0 axe violations; only the admin\'s own input picks', async (drv) => {
    const popup = await openExt(drv, 'popup.html', '[data-kf-empty=progress]');
    assert.match(await textOf(popup, '[data-kf-empty=progress]'), /Choose the integration/);
    assert.match(await textOf(popup, '[data-kf-empty=vault]'), /Capture/);
    assert.deepEqual(await axe(popup), []);
    const options = await openExt(drv, 'options.html', '[data-kf-empty=hosts]');
    assert.equal(await valueOf(options, '#kf-minutes'), '15');
    assert.deepEqual(await options.eval(() => [...document.querySelectorAll('#kf-dc option')].map((o) => [o.value, o.textContent])), [
      ['', 'Not chosen'], ['us', 'US'], ['eu', 'EU'], ['jp', 'JP'], ['sg', 'SG'], ['au', 'AU'], ['il', 'IL'], ['kr', 'KR'], ['cn', 'CN'],
      ['trial', 'Developer sandbox']]);
    assert.equal(await valueOf(options, '#kf-dc'), '', 'no data center until the admin chooses one');
    assert.deepEqual(await axe(options), []);
    // The popup's picker shows an integration's steps across the consoles.
    // A script's change event is synthetic (untrusted): the popup ignores it.
    await popup.eval(() => {
      const sel = document.querySelector('[data-kf-action=pick]');
      sel.value = 'workato-okta-api-key';
      sel.dispatchEvent(new Event('input', { bubbles: true }));
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await staysFalse(() => has(popup, '[data-kf-step]'), 500, 'steps shown after a script-made change');
    // The admin's own input (keyboard) picks.
    await popup.eval(() => document.querySelector('[data-kf-action=pick]').focus());
    await popup.press('ArrowDown');
    await waitFor(() => has(popup, '[data-kf-step]'), 'steps');
    await popup.close();
    await options.close();
    await assertNoErrors(drv);
  });

  s.scenario('the data center setting changes the assembled redirect URI; a bad expiry is refused', async (drv) => {
    const page = await drv.open(URL_WIZARD);
    const inPanel = async (sel) => { const [p] = await page.panels(); return p ? textOf(p, sel) : null; };
    const redirect = () => inPanel('[data-kf-field=redirect_uri] code');
    // Unknown is not US: no callback is offered, and the row says why.
    assert.match(await waitFor(() => inPanel('[data-kf-field=redirect_uri].kf-missing'), 'the missing redirect URI row'), /Workato data center/);
    assert.equal(await redirect(), null);
    // Seen in this browser session: a Workato page on www.workato.com (US).
    const workato = await drv.open('https://www.workato.com/connections/new?kfstate=empty');
    await waitForOverlay(workato, (st) => st?.page === 'workato.connection.new', { timeout: 20_000, what: 'Workato on www.workato.com' });
    await waitFor(async () => (await redirect()) === 'https://www.workato.com/oauth/callback', 'the US callback, seen on www.workato.com');
    await workato.close();
    // Chosen wins over seen.
    const options = await openExt(drv, 'options.html', '#kf-dc');
    await saveOptions(options, { dc: 'eu' });
    await waitFor(async () => (await redirect()) === 'https://app.eu.workato.com/oauth/callback', 'the EU callback');
    // Stored under the one settings key, and survives a reload of the page.
    const stored = await storage(options, null);
    assert.deepEqual(Object.keys(stored), ['settings']);
    assert.equal(stored.settings.data_center, 'eu');
    await options.reload();
    await waitFor(() => has(options, '#kf-dc'), 'the options page again');
    assert.equal(await valueOf(options, '#kf-dc'), 'eu');
    // A bad expiry (below or above the range) is refused with a message, nothing saved.
    for (const bad of ['0', '481']) {
      await options.eval(() => document.querySelector('[data-kf-notice]')?.replaceChildren());
      await options.fill('#kf-minutes', bad);
      await options.click('[data-kf-action=save]');
      await waitFor(async () => /outside the allowed range/.test(await textOf(options, '[data-kf-notice]') ?? ''), `the range message for ${bad}`);
      assert.equal((await storage(options, 'settings')).settings.vault_minutes, 15);
    }
    await saveOptions(options, { dc: 'us', minutes: 15 });
    await options.close();
    await page.close();
    await assertNoErrors(drv);
  });

  s.scenario('vault expiry applies to new captures; popup progress, masked values, report without secrets, copy, forget, expiry', { timeout: 240_000 }, async (drv) => {
    const options = await openExt(drv, 'options.html', '#kf-minutes');
    await saveOptions(options, { minutes: 1 });
    const general = await capture(drv, ['okta.client_id', 'okta.client_secret']);

    const popup = await openExt(drv, 'popup.html', '[data-kf-vault="okta.client_secret"]');
    assert.equal(await valueOf(popup, '[data-kf-action=pick]'), INTEGRATION);
    const rows = await popupVault(popup);
    assert.deepEqual(rows.map((r) => r.slot).sort(), ['okta.client_id', 'okta.client_secret']);
    const secretRow = rows.find((r) => r.slot === 'okta.client_secret');
    assert.ok(secretRow.seconds > 0 && secretRow.seconds <= 60, `1 min expiry, got ${secretRow.seconds} s`);
    assert.ok(!secretRow.masked.includes(SECRET.slice(0, 6)), 'the secret is masked');
    assert.ok(!(await popup.eval(() => document.documentElement.outerHTML)).includes(SECRET), 'no secret in the popup DOM');
    // Progress: the General tab was seen on the org's admin host; the next step links there.
    const step = await popup.eval(() => {
      const li = document.querySelector('[data-kf-step="okta.app.general"]');
      return { state: li.dataset.kfState, text: li.textContent, items: li.querySelectorAll('[data-kf-item]').length };
    });
    assert.match(step.text, /Seen on acme-admin\.okta\.com/);
    assert.ok(step.items > 0);
    assert.ok(['done', 'todo', 'problem'].includes(step.state));
    // The requirement texts are _locales messages, resolved by the background (catalog::text).
    const messages = JSON.parse(readFileSync(new URL('../../extension/_locales/en/messages.json', import.meta.url), 'utf8'));
    const summaryOf = (id) => messages[`req_${id.replace(/[^a-z0-9]/gi, '_')}_summary`]?.message;
    const reqs = await popup.eval(() => [...document.querySelectorAll('[data-kf-step] [data-kf-item]')]
      .map((li) => ({ id: li.dataset.kfItem, summary: li.querySelector('.kf-req-summary').textContent })));
    assert.ok(reqs.length >= step.items);
    for (const r of reqs) assert.equal(r.summary, summaryOf(r.id), `${r.id}: popup summary`);
    assert.match(await popup.eval(() => document.querySelector('[data-kf-next]').href), /^https:\/\/acme-admin\.okta\.com\//);

    // The report: verified requirements, hosts, captured names; no secret anywhere.
    for (const format of ['markdown', 'json']) {
      await popup.click(`[data-kf-action=report][data-kf-format=${format}]`);
      const text = await waitFor(() => popup.eval((f) => document.querySelector(`[data-kf-report=${f}]`)?.value, format), `the ${format} report`);
      const blob = await popup.eval(async (f) => (await fetch(document.querySelector(`[data-kf-download=${f}]`).href)).text(), format);
      assert.equal(blob, text);
      for (const t of [text, blob]) {
        assert.ok(!t.includes(SECRET) && !t.includes(SECRET.slice(0, 16)), `${format} report holds the secret`);
        assert.ok(!t.includes(CLIENT_ID), `${format} report holds the client id`);
        assert.match(t, /acme-admin\.okta\.com/);
        assert.match(t, /okta\.general\.client_id/);
        assert.match(t, /okta\.client_secret/);
      }
      if (format === 'json') {
        const r = JSON.parse(text);
        assert.equal(r.integration, INTEGRATION);
        assert.ok(r.steps.some((x) => x.page === 'okta.app.general' && x.host === 'acme-admin.okta.com'));
        const reported = r.steps.flatMap((x) => x.requirements ?? []);
        assert.ok(reported.length > 0, 'requirements in the JSON report');
        for (const q of reported) assert.equal(q.summary, summaryOf(q.id), `${q.id}: report summary`);
      }
    }
    // Nothing secret in storage.local either.
    assert.ok(!JSON.stringify(await storage(popup, null)).includes(SECRET));

    // Copy puts the real value on the clipboard (the row only shows it masked; the popup never receives it).
    await general.setClipboard('before');
    await popup.click('[data-kf-action=copy][data-kf-slot="okta.client_id"]');
    await waitFor(async () => /Copied/.test(await textOf(popup, '[data-kf-notice]') ?? ''), 'the copy notice');
    await waitFor(async () => (await general.clipboard()) === CLIENT_ID, 'the client id on the clipboard');

    // Forget one: that row goes, the other stays.
    await popup.click('[data-kf-action=forget][data-kf-slot="okta.client_id"]');
    await waitFor(async () => (await popupVault(popup)).map((r) => r.slot).join() === 'okta.client_secret', 'one row left');

    // Before expiry the Workato form is offered the secret ...
    const workato = await drv.open(URL_WORKATO);
    await panelOf(workato);
    await overlayPick(workato, INTEGRATION);
    const secretRowState = async () => {
      const [panel] = await workato.panels();
      return panel?.eval(() => {
        const row = document.querySelector('.kf-carry [data-kf-field=client_secret]');
        return row ? (row.classList.contains('kf-missing') ? 'missing' : 'offered') : null;
      });
    };
    assert.equal(await waitFor(secretRowState, 'the client secret fill row'), 'offered');
    // ... and once it expired (1 min), it is not: the popup drops it and the form reports it missing.
    await waitFor(async () => !(await has(popup, '[data-kf-vault]')), 'the value to expire (1 min)', 90_000);
    await waitFor(async () => (await secretRowState()) === 'missing', 'the expired secret to be withdrawn', 15_000);
    await waitFor(() => has(popup, '[data-kf-empty=vault]'), 'the empty vault');
    await workato.close();
    await general.close();
    await popup.close();
    await saveOptions(options, { minutes: 15 });
    await options.close();
    await assertNoErrors(drv);
  });

  s.scenario('forget all in one click', async (drv) => {
    const general = await capture(drv, ['okta.client_secret']);
    const popup = await openExt(drv, 'popup.html', '[data-kf-action=forget-all]');
    await popup.click('[data-kf-action=forget-all]');
    await waitFor(() => has(popup, '[data-kf-empty=vault]'), 'the empty vault');
    assert.match(await textOf(popup, '[data-kf-notice]'), /Forgot 1 value/);
    assert.equal(await has(popup, '[data-kf-action=forget-all]'), false);
    await popup.close();
    await general.close();
    await assertNoErrors(drv);
  });

  s.scenario('custom host: validated, granted, registered, recognized; removal unregisters and revokes', async (drv) => {
    const options = await openExt(drv, 'options.html', '#kf-host');
    // Input the core refuses: clear messages, nothing requested or added.
    for (const [input, message] of [['acme-admin.okta.com.evil.example', /lookalike/], ['http://x.example.com', /https/],
      ['intranet', /full host name/], ['admin.example.com:8443', /port/]]) {
      await options.eval(() => document.querySelector('[data-kf-notice]')?.replaceChildren());
      await options.fill('#kf-host', input);
      await options.click('[data-kf-action=add-host]');
      await waitFor(async () => message.test(await textOf(options, '[data-kf-notice]') ?? ''), `the message for ${input}`);
    }
    assert.equal(await has(options, 'li[data-kf-host]'), false);

    await drv.allowHostPermission(`https://${CUSTOM}/*`);
    await options.select('#kf-kind', 'okta_admin');
    await options.fill('#kf-host', `https://${CUSTOM.toUpperCase()}/admin`);
    await options.click('[data-kf-action=add-host]');
    const li = `li[data-kf-host="${CUSTOM}"]`;
    await waitFor(() => has(options, `${li}[data-kf-granted=true][data-kf-registered=true]`), 'the host to be active', 15_000);
    const scripts = await options.eval(() => chrome.scripting.getRegisteredContentScripts());
    assert.deepEqual(scripts.map((x) => [x.id, x.matches, x.js, x.allFrames]), [[`kf-custom-${CUSTOM}`, [`https://${CUSTOM}/*`], ['agent.js'], true]]);
    assert.deepEqual(await axe(options), []);

    // The page agent runs there and the core recognizes the page for its console.
    const page = await drv.open(URL_CUSTOM);
    await waitForOverlay(page, (st) => st?.page === 'okta.api.tokens', { what: 'okta.api.tokens on the custom host' });

    // Removal: permission revoked, script unregistered, the page left alone.
    await options.click(`${li} [data-kf-action=remove-host]`);
    await waitFor(async () => !(await has(options, li)) && await has(options, '[data-kf-empty=hosts]'), 'the host to be removed');
    assert.deepEqual(await options.eval(() => chrome.scripting.getRegisteredContentScripts()), []);
    assert.equal(await options.eval((o) => chrome.permissions.contains({ origins: [o] }), `https://${CUSTOM}/*`), false);
    assert.deepEqual((await storage(options, 'settings')).settings.custom_hosts, []);
    await page.reload();
    await staysFalse(async () => (await page.panels()).length, 1_500, 'an overlay on a removed host');
    await page.close();
    await options.close();
    await assertNoErrors(drv);
  });

  s.scenario('the overlay has 0 axe violations, and cannot make popup/options requests', async (drv) => {
    const page = await drv.open(URL_GENERAL);
    const panel = await panelOf(page);
    assert.deepEqual(await axe(panel), []);
    // The overlay is an extension page too, but it lives inside a console page:
    // the background answers popup/options requests only to popup.html / options.html.
    const reply = await panel.eval(() => chrome.runtime.sendMessage({ v: 1, msg: { ui: { request: { copy: { integration: 'workato-okta-auth-code', slot: 'okta.client_secret' } } } } }));
    assert.equal(reply.type, 'error');
    assert.match(reply.reason, /only the popup and options pages/);
    await page.close();
    await assertNoErrors(drv);
  });
});
