// The popup and the options page in Chromium, opened as pages of the built
// extension (chrome-extension://<id>/popup.html, /options.html): settings that
// take effect (data center → assembled redirect URI, vault expiry → the expiry
// of new captures, an expired value not offered for fill), custom hosts
// (permission, dynamic content script, recognition, clean removal), the
// popup's cross-console progress, masked vault rows, forget, the redacted
// report, and axe-core with 0 violations on both pages.
//
// Granting a custom host: the permission prompt that permissions.request()
// opens cannot be answered in headless Chromium (measured: the request never
// settles). The test therefore grants the host the way an admin can in
// chrome://extensions → keyferry → Site access, through that page's own API
// (chrome.developerPrivate.addHostPermission), *before* the admin clicks Add.
// The extension's code path is unchanged: its permissions.request() call
// runs and resolves true because the browser already holds the grant.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

import { formatErrors, launch, overlayFrame, overlayFrames, overlayPick, overlayState, startFixtureServer, waitFor, waitForOverlay } from './lib/chromium.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const SECRET = 'hV3k9QpZ2mX7rT5wL8cN4bJ6yF1dG0sA-uE_iO2kR8tY4nM7vB3xC6zQ9lP1jW5';
const CLIENT_ID = '0oa1b2c3d4e5f6g7h8i9';
const URL_GENERAL = `https://acme-admin.okta.com/admin/app/oidc_client/instance/${CLIENT_ID}/?kfstate=correct#tab-general`;
const URL_WIZARD = 'https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=WEB&kfstate=partial';
const URL_WORKATO = 'https://app.workato.com/connections/new?kfstate=empty';
const CUSTOM = 'admin.acme-corp.example';
const URL_CUSTOM = `https://${CUSTOM}/admin/access/api/tokens`;
const INTEGRATION = 'workato-okta-auth-code';


/** axe-core in `target` (a Page or Frame); returns the violations. */
async function axe(target) {
  await target.evaluate(`${AXE};0`); // devtools evaluation is not subject to the page's CSP
  return target.evaluate(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

describe('chromium: popup and options', () => {
  let server, session, id;
  const ext = (path) => `chrome-extension://${id}/${path}`;
  const openExt = async (path, ready) => {
    const page = await session.context.newPage();
    await page.goto(ext(path));
    await page.waitForSelector(ready, { state: 'attached', timeout: 15_000 });
    return page;
  };
  const saveOptions = async (page, { dc, minutes }) => {
    if (dc) await page.selectOption('#kf-dc', dc);
    if (minutes) await page.fill('#kf-minutes', String(minutes));
    await page.click('[data-kf-action=save]');
    await waitFor(async () => (await page.textContent('[data-kf-notice]')) === 'Saved.', 'the settings to be saved');
  };
  const popupVault = (page) => page.evaluate(() => [...document.querySelectorAll('[data-kf-vault]')].map((r) => ({
    slot: r.dataset.kfVault, masked: r.querySelector('[data-kf-masked]').textContent,
    seconds: Number(r.querySelector('[data-kf-seconds]').dataset.kfSeconds),
  })));
  const capture = async (slots) => {
    const { page } = await session.openFixture(URL_GENERAL);
    await overlayState(await overlayFrame(page));
    await overlayPick(page, INTEGRATION);
    for (const slot of slots) {
      const { frame } = await waitForOverlay(page, (s) => s?.page === 'okta.app.general', { what: 'the General tab overlay' });
      await frame.click(`[data-kf-action=capture][data-kf-slot="${slot}"]`);
      await waitFor(() => frame.evaluate((s) => !!document.querySelector(`[data-kf-vault="${s}"]`), slot), `${slot} captured`);
    }
    return page;
  };

  before(async () => {
    server = await startFixtureServer();
    session = await launch({ server });
    id = await session.extensionId();
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  test('fresh popup and options explain what to do next, with 0 axe violations', async () => {
    const popup = await openExt('popup.html', '[data-kf-empty=progress]');
    assert.match(await popup.textContent('[data-kf-empty=progress]'), /Choose the integration/);
    assert.match(await popup.textContent('[data-kf-empty=vault]'), /Capture/);
    assert.deepEqual(await axe(popup), []);
    const options = await openExt('options.html', '[data-kf-empty=hosts]');
    assert.equal(await options.inputValue('#kf-minutes'), '15');
    assert.deepEqual(await options.evaluate(() => [...document.querySelectorAll('#kf-dc option')].map((o) => o.textContent)),
      ['Not chosen', 'US', 'EU', 'JP', 'SG', 'AU', 'IL', 'KR', 'CN', 'Developer sandbox']);
    assert.equal(await options.inputValue('#kf-dc'), '', 'no data center until the admin chooses one');
    assert.deepEqual(await axe(options), []);
    // The popup's picker shows an integration's steps across the consoles.
    // selectOption's change event is synthetic (untrusted): the popup ignores it.
    await popup.selectOption('[data-kf-action=pick]', 'workato-okta-api-key');
    await sleep(500);
    assert.equal(await popup.locator('[data-kf-step]').count(), 0, 'a script-made change must not act');
    // The admin's own input (keyboard) picks.
    await popup.focus('[data-kf-action=pick]');
    await popup.keyboard.press('ArrowDown');
    await waitFor(() => popup.evaluate(() => document.querySelectorAll('[data-kf-step]').length > 0), 'steps');
    await popup.close();
    await options.close();
  });

  test('the data center setting changes the assembled redirect URI', async () => {
    const { page } = await session.openFixture(URL_WIZARD);
    const redirect = async () => {
      const [frame] = overlayFrames(page);
      return frame?.evaluate(() => document.querySelector('[data-kf-field=redirect_uri] code')?.textContent ?? null);
    };
    // Unknown is not US: no callback is offered, and the row says why.
    const missing = async () => {
      const [frame] = overlayFrames(page);
      return frame?.evaluate(() => document.querySelector('[data-kf-field=redirect_uri].kf-missing')?.textContent ?? null);
    };
    assert.match(await waitFor(missing, 'the missing redirect URI row'), /Workato data center/);
    assert.equal(await redirect(), null);
    // Seen in this browser session: a Workato page on www.workato.com (US).
    const { page: workato } = await session.openFixture('https://www.workato.com/connections/new?kfstate=empty');
    await waitForOverlay(workato, (st) => st?.page === 'workato.connection.new', { timeout: 20_000, what: 'Workato on www.workato.com' });
    await waitFor(async () => (await redirect()) === 'https://www.workato.com/oauth/callback', 'the US callback, seen on www.workato.com');
    await workato.close();
    // Chosen wins over seen.
    const options = await openExt('options.html', '#kf-dc');
    await saveOptions(options, { dc: 'eu' });
    await waitFor(async () => (await redirect()) === 'https://app.eu.workato.com/oauth/callback', 'the EU callback');
    // Stored under the one settings key, and survives a reload of the page.
    const stored = await options.evaluate(() => chrome.storage.local.get(null));
    assert.deepEqual(Object.keys(stored), ['settings']);
    assert.equal(stored.settings.data_center, 'eu');
    await options.reload();
    await options.waitForSelector('#kf-dc');
    assert.equal(await options.inputValue('#kf-dc'), 'eu');
    // A bad expiry is refused with a message, nothing saved.
    await options.fill('#kf-minutes', '0');
    await options.click('[data-kf-action=save]');
    await waitFor(async () => /outside the allowed range/.test(await options.textContent('[data-kf-notice]')), 'the range message');
    assert.equal((await options.evaluate(() => chrome.storage.local.get('settings'))).settings.vault_minutes, 15);
    await saveOptions(options, { dc: 'us', minutes: 15 });
    await options.close();
    await page.close();
  });

  test('vault expiry applies to new captures; popup progress, masked values, report without secrets, forget, expiry', async () => {
    const options = await openExt('options.html', '#kf-minutes');
    await saveOptions(options, { minutes: 1 });
    const general = await capture(['okta.client_id', 'okta.client_secret']);

    const popup = await openExt('popup.html', '[data-kf-vault="okta.client_secret"]');
    assert.equal(await popup.inputValue('[data-kf-action=pick]'), INTEGRATION);
    const rows = await popupVault(popup);
    assert.deepEqual(rows.map((r) => r.slot).sort(), ['okta.client_id', 'okta.client_secret']);
    const secretRow = rows.find((r) => r.slot === 'okta.client_secret');
    assert.ok(secretRow.seconds > 0 && secretRow.seconds <= 60, `1 min expiry, got ${secretRow.seconds} s`);
    assert.ok(!secretRow.masked.includes(SECRET.slice(0, 6)), 'the secret is masked');
    assert.ok(!(await popup.content()).includes(SECRET), 'no secret in the popup DOM');
    // Progress: the General tab was seen on the org's admin host; the next step links there.
    const step = await popup.evaluate(() => {
      const li = document.querySelector('[data-kf-step="okta.app.general"]');
      return { state: li.dataset.kfState, text: li.textContent, items: li.querySelectorAll('[data-kf-item]').length };
    });
    assert.match(step.text, /Seen on acme-admin\.okta\.com/);
    assert.ok(step.items > 0);
    assert.ok(['done', 'todo', 'problem'].includes(step.state));
    // The requirement texts are _locales messages, resolved by the background (catalog::text).
    const messages = JSON.parse(readFileSync(new URL('../../extension/_locales/en/messages.json', import.meta.url), 'utf8'));
    const summaryOf = (id) => messages[`req_${id.replace(/[^a-z0-9]/gi, '_')}_summary`]?.message;
    const reqs = await popup.evaluate(() => [...document.querySelectorAll('[data-kf-step] [data-kf-item]')]
      .map((li) => ({ id: li.dataset.kfItem, summary: li.querySelector('.kf-req-summary').textContent })));
    assert.ok(reqs.length >= step.items);
    for (const r of reqs) assert.equal(r.summary, summaryOf(r.id), `${r.id}: popup summary`);
    const next = await popup.getAttribute('[data-kf-next]', 'href');
    assert.match(next, /^https:\/\/acme-admin\.okta\.com\//);

    // The report: verified requirements, hosts, captured names; no secret anywhere.
    for (const format of ['markdown', 'json']) {
      await popup.click(`[data-kf-action=report][data-kf-format=${format}]`);
      const text = await waitFor(() => popup.evaluate((f) => document.querySelector(`[data-kf-report=${f}]`)?.value, format), `the ${format} report`);
      const blob = await popup.evaluate(async (f) => (await fetch(document.querySelector(`[data-kf-download=${f}]`).href)).text(), format);
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
        assert.ok(r.steps.some((s) => s.page === 'okta.app.general' && s.host === 'acme-admin.okta.com'));
        const reported = r.steps.flatMap((s) => s.requirements ?? []);
        assert.ok(reported.length > 0, 'requirements in the JSON report');
        for (const q of reported) assert.equal(q.summary, summaryOf(q.id), `${q.id}: report summary`);
      }
    }
    // Nothing secret in storage.local either.
    assert.ok(!JSON.stringify(await popup.evaluate(() => chrome.storage.local.get(null))).includes(SECRET));

    // Copy puts the real value on the clipboard (the row only shows it masked).
    await popup.click('[data-kf-action=copy][data-kf-slot="okta.client_id"]');
    await waitFor(async () => /Copied/.test(await popup.textContent('[data-kf-notice]')), 'the copy notice');
    // Read it back where reading is allowed: a console page granted clipboard-read.
    await session.context.grantPermissions(['clipboard-read'], { origin: 'https://acme-admin.okta.com' });
    await general.bringToFront();
    assert.equal(await general.evaluate(() => navigator.clipboard.readText()), CLIENT_ID);
    await popup.bringToFront();

    // Forget one: that row goes, the other stays.
    await popup.click('[data-kf-action=forget][data-kf-slot="okta.client_id"]');
    await waitFor(async () => (await popupVault(popup)).map((r) => r.slot).join() === 'okta.client_secret', 'one row left');

    // Before expiry the Workato form is offered the secret ...
    const { page: workato } = await session.openFixture(URL_WORKATO);
    await overlayState(await overlayFrame(workato));
    await overlayPick(workato, INTEGRATION);
    const secretRowState = async () => {
      const [frame] = overlayFrames(workato);
      return frame?.evaluate(() => {
        const row = document.querySelector('.kf-carry [data-kf-field=client_secret]');
        return row ? (row.classList.contains('kf-missing') ? 'missing' : 'offered') : null;
      });
    };
    assert.equal(await waitFor(secretRowState, 'the client secret fill row'), 'offered');
    // ... and once it expired (1 min), it is not: the popup drops it and the form reports it missing.
    await popup.waitForSelector('[data-kf-vault]', { state: 'detached', timeout: 90_000 });
    await waitFor(async () => (await secretRowState()) === 'missing', 'the expired secret to be withdrawn', 15_000);
    await popup.waitForSelector('[data-kf-empty=vault]');
    await workato.close();
    await general.close();
    await popup.close();
    await saveOptions(options, { minutes: 15 });
    await options.close();
  });

  test('forget all in one click', async () => {
    const general = await capture(['okta.client_secret']);
    const popup = await openExt('popup.html', '[data-kf-action=forget-all]');
    await popup.click('[data-kf-action=forget-all]');
    await popup.waitForSelector('[data-kf-empty=vault]');
    assert.match(await popup.textContent('[data-kf-notice]'), /Forgot 1 value/);
    assert.equal(await popup.locator('[data-kf-action=forget-all]').count(), 0);
    await popup.close();
    await general.close();
  });

  test('custom host: validated, granted, registered, recognized; removal unregisters and revokes', async () => {
    const options = await openExt('options.html', '#kf-host');
    // Input the core refuses: clear messages, nothing requested or added.
    for (const [input, message] of [['acme-admin.okta.com.evil.example', /lookalike/], ['http://x.example.com', /https/], ['intranet', /full host name/]]) {
      await options.fill('#kf-host', input);
      await options.click('[data-kf-action=add-host]');
      await waitFor(async () => message.test(await options.textContent('[data-kf-notice]')), `the message for ${input}`);
    }
    assert.equal(await options.locator('li[data-kf-host]').count(), 0);

    // The admin's grant in chrome://extensions → Site access (see the header comment).
    const settingsPage = await session.context.newPage();
    await settingsPage.goto('chrome://extensions');
    await settingsPage.evaluate(([extId, origin]) => chrome.developerPrivate.addHostPermission(extId, origin), [id, `https://${CUSTOM}/*`]);
    await settingsPage.close();

    await options.selectOption('#kf-kind', 'okta_admin');
    await options.fill('#kf-host', `https://${CUSTOM.toUpperCase()}/admin`);
    await options.click('[data-kf-action=add-host]');
    const li = `li[data-kf-host="${CUSTOM}"]`;
    await options.waitForSelector(`${li}[data-kf-granted=true][data-kf-registered=true]`, { timeout: 15_000 });
    const scripts = await options.evaluate(() => chrome.scripting.getRegisteredContentScripts());
    assert.deepEqual(scripts.map((s) => [s.id, s.matches, s.js, s.allFrames]), [[`kf-custom-${CUSTOM}`, [`https://${CUSTOM}/*`], ['agent.js'], true]]);
    assert.deepEqual(await axe(options), []);

    // The page agent runs there and the core recognizes the page for its console.
    const { page } = await session.openFixture(URL_CUSTOM);
    const state = await overlayState(await overlayFrame(page));
    assert.equal(state.page, 'okta.api.tokens');

    // Removal: permission revoked, script unregistered, the page left alone.
    await options.click(`${li} [data-kf-action=remove-host]`);
    await options.waitForSelector(li, { state: 'detached' });
    await options.waitForSelector('[data-kf-empty=hosts]');
    assert.deepEqual(await options.evaluate(() => chrome.scripting.getRegisteredContentScripts()), []);
    assert.equal(await options.evaluate((o) => chrome.permissions.contains({ origins: [o] }), `https://${CUSTOM}/*`), false);
    assert.deepEqual((await options.evaluate(() => chrome.storage.local.get('settings'))).settings.custom_hosts, []);
    await page.reload();
    await page.waitForLoadState('load');
    await sleep(1500); // give a (wrongly) registered agent the time to show up
    assert.equal(overlayFrames(page).length, 0, 'no overlay on a removed host');
    await page.close();
    await options.close();
  });

  test('the overlay has 0 axe violations, and cannot make popup/options requests', async () => {
    const { page } = await session.openFixture(URL_GENERAL);
    const frame = await overlayFrame(page);
    await overlayState(frame);
    assert.deepEqual(await axe(frame), []);
    // The overlay is an extension page too, but it lives inside a console page:
    // the background answers popup/options requests only to popup.html / options.html.
    const reply = await frame.evaluate(() => chrome.runtime.sendMessage({ v: 1, msg: { ui: { request: { copy: { integration: 'workato-okta-auth-code', slot: 'okta.client_secret' } } } } }));
    assert.equal(reply.type, 'error');
    assert.match(reply.reason, /only the popup and options pages/);
    await page.close();
  });

  test('no errors from the pages or the extension', () => {
    const pageErrors = session.pageErrors.filter((e) => !/favicon|status of 404/.test(e.text));
    assert.deepEqual(pageErrors, [], formatErrors(pageErrors));
    assert.deepEqual(session.extensionErrors, [], formatErrors(session.extensionErrors));
  });
});
