// Enterprise presets with a real policy, in every browser of KF_BROWSERS
// (lib/driver.mjs): the browser runs in a private mount namespace whose policy
// file sets keyferry's storage.managed (tests/e2e/tools/with-policy.sh; nothing
// outside that browser process sees the file). Managed values win over the
// admin's own and the options page shows them as set by the administrator.
// Needs root (the private mount), as the rig does for port 443.
// Run from the repo root: node --test tests/e2e/managed.test.mjs

import assert from 'node:assert/strict';

import { browsers, waitFor } from './lib/driver.mjs';

const POLICY = { data_center: 'jp', custom_hosts: [{ kind: 'okta_admin', host: 'admin.acme-corp.example' }] };
const BAD_ENTRY = { kind: 'jira', host: 'x.example.com' }; // no such kind in managed_schema.json
const value = (sel) => (tab) => tab.eval((s) => document.querySelector(s)?.value ?? null, sel);
const disabled = (tab, sel) => tab.eval((s) => document.querySelector(s)?.disabled ?? null, sel);
const count = (tab, sel) => tab.eval((s) => document.querySelectorAll(s).length, sel);
const textOf = (tab, sel) => tab.eval((s) => document.querySelector(s)?.textContent ?? null, sel);

browsers('enterprise presets (storage.managed)', {}, (s) => {
  s.scenario('managed values win, are shown as set by the administrator, and apply', { fresh: true, options: { managedPolicy: POLICY } }, async (drv) => {
    const options = await drv.openExtensionPage('options.html');
    await waitFor(async () => (await count(options, '[data-kf-managed=data_center]')) > 0, 'the managed data center on the options page', 15_000);
    assert.equal(await value('#kf-dc')(options), 'jp');
    assert.equal(await disabled(options, '#kf-dc'), true);
    assert.match(await textOf(options, '[data-kf-managed=data_center]'), /administrator/);
    assert.equal(await disabled(options, '#kf-minutes'), false, 'not managed: the admin may change it');
    // The policy's host is listed, cannot be removed, and has no access until granted.
    const li = 'li[data-kf-host="admin.acme-corp.example"]';
    await waitFor(async () => (await count(options, `${li}[data-kf-granted=false]`)) > 0, 'the policy host, not granted');
    assert.equal(await count(options, `${li} [data-kf-action=remove-host]`), 0);
    assert.equal(await count(options, `${li} [data-kf-action=grant]`), 1);
    // A local save cannot override the managed data center.
    await options.fill('#kf-minutes', '20');
    await options.click('[data-kf-action=save]');
    await waitFor(async () => (await textOf(options, '[data-kf-notice]')) === 'Saved.', 'saved');
    assert.equal(await value('#kf-dc')(options), 'jp');
    assert.equal(await value('#kf-minutes')(options), '20');
    const local = (await options.eval(() => chrome.storage.local.get('settings'))).settings;
    assert.deepEqual(local.custom_hosts, [], 'policy hosts are not copied into local storage');
    assert.equal(local.data_center, null, 'the managed data center is not copied into the admin\'s own settings (none of their own: not chosen)');
    assert.equal(local.vault_minutes, 20);
    // It applies: the Workato callback in the assembled redirect URI is JP's.
    const page = await drv.open('https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=WEB&kfstate=partial');
    const redirect = await waitFor(async () => {
      const [panel] = await page.panels();
      return panel?.eval(() => document.querySelector('[data-kf-field=redirect_uri] code')?.textContent);
    }, 'the redirect URI row');
    assert.equal(redirect, 'https://app.jp.workato.com/oauth/callback');
  });

  s.scenario('a policy entry keyferry does not know is ignored, and the options page says the administrator policy has a problem', {
    fresh: true, options: { managedPolicy: { ...POLICY, custom_hosts: [...POLICY.custom_hosts, BAD_ENTRY] } },
    only: ['firefox'], why: 'Chromium checks storage.managed against managed_schema.json before keyferry reads it; Firefox has no schema check, so keyferry must catch a bad entry itself',
  }, async (drv) => {
    const options = await drv.openExtensionPage('options.html');
    await waitFor(async () => (await count(options, '[data-kf-managed=data_center]')) > 0, 'the managed data center on the options page', 15_000);
    assert.equal(await value('#kf-dc')(options), 'jp', 'the valid part of the policy applies');
    assert.equal(await count(options, 'li[data-kf-host="admin.acme-corp.example"]'), 1, 'the valid host is listed');
    assert.equal(await count(options, 'li[data-kf-host="x.example.com"]'), 0, 'the bad entry is not');
    assert.match(await textOf(options, 'section[aria-labelledby=kf-problems-h]') ?? '', /administrator policy/);
  });
});
