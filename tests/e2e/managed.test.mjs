// Enterprise presets in Chromium, with a real policy: the browser runs in a
// private mount namespace whose /etc/chromium/policies/managed/keyferry.json
// sets keyferry's storage.managed (tests/e2e/tools/with-policy.sh; nothing
// outside that browser process sees the file). Managed values win over the
// admin's own and the options page shows them as set by the administrator.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const policyDir = mkdtempSync(join(tmpdir(), 'kf-policy-'));
process.env.KF_POLICY_DIR = policyDir;
process.env.KF_POLICY_MOUNT = '/etc/chromium';
process.env.KF_POLICY_BROWSER = process.env.KF_CHROMIUM ?? '/usr/bin/chromium';
process.env.KF_CHROMIUM = join(HERE, 'tools', 'with-policy.sh');
const { DIST_CHROME, launch, overlayFrames, startFixtureServer, waitFor } = await import('./lib/chromium.mjs');

/** The id Chromium gives an unpacked extension: its absolute path, SHA-256, a-p. */
function unpackedId(path) {
  const hex = createHash('sha256').update(resolve(path)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}


describe('chromium: enterprise presets (storage.managed)', { skip: process.getuid?.() !== 0 && 'needs root for the private mount' }, () => {
  let server, session, id;
  before(async () => {
    if (existsSync('/etc/chromium/master_preferences')) copyFileSync('/etc/chromium/master_preferences', join(policyDir, 'master_preferences'));
    mkdirSync(join(policyDir, 'policies', 'managed'), { recursive: true });
    writeFileSync(join(policyDir, 'policies', 'managed', 'keyferry.json'), JSON.stringify({
      '3rdparty': { extensions: { [unpackedId(DIST_CHROME)]: {
        data_center: 'jp',
        custom_hosts: [{ kind: 'okta_admin', host: 'admin.acme-corp.example' }],
      } } },
    }));
    server = await startFixtureServer();
    session = await launch({ server });
    id = await session.extensionId();
    assert.equal(id, unpackedId(DIST_CHROME));
  });
  after(async () => {
    await session?.close();
    await server?.stop();
    rmSync(policyDir, { recursive: true, force: true });
  });

  test('managed values win, are shown as set by the administrator, and apply', async () => {
    const options = await session.context.newPage();
    await options.goto(`chrome-extension://${id}/options.html`);
    await options.waitForSelector('[data-kf-managed=data_center]', { timeout: 15_000 });
    assert.equal(await options.inputValue('#kf-dc'), 'jp');
    assert.equal(await options.isDisabled('#kf-dc'), true);
    assert.match(await options.textContent('[data-kf-managed=data_center]'), /administrator/);
    assert.equal(await options.isDisabled('#kf-minutes'), false, 'not managed: the admin may change it');
    // The policy's host is listed, cannot be removed, and has no access until granted.
    const li = 'li[data-kf-host="admin.acme-corp.example"]';
    await options.waitForSelector(`${li}[data-kf-granted=false]`);
    assert.equal(await options.locator(`${li} [data-kf-action=remove-host]`).count(), 0);
    assert.equal(await options.locator(`${li} [data-kf-action=grant]`).count(), 1);
    // A local save cannot override the managed data center.
    await options.fill('#kf-minutes', '20');
    await options.click('[data-kf-action=save]');
    await waitFor(async () => (await options.textContent('[data-kf-notice]')) === 'Saved.', 'saved');
    assert.equal(await options.inputValue('#kf-dc'), 'jp');
    assert.equal(await options.inputValue('#kf-minutes'), '20');
    const local = (await options.evaluate(() => chrome.storage.local.get('settings'))).settings;
    assert.deepEqual(local.custom_hosts, [], 'policy hosts are not copied into local storage');
    assert.equal(local.data_center, null, 'the managed data center is not copied into the admin\'s own settings (none of their own: not chosen)');
    assert.equal(local.vault_minutes, 20);
    // It applies: the Workato callback in the assembled redirect URI is JP's.
    const page = await session.context.newPage();
    await page.goto('https://acme-admin.okta.com/admin/apps/oauth2-wizard/create?applicationType=WEB&kfstate=partial');
    const redirect = await waitFor(async () => {
      const [frame] = overlayFrames(page);
      return frame?.evaluate(() => document.querySelector('[data-kf-field=redirect_uri] code')?.textContent);
    }, 'the redirect URI row');
    assert.equal(redirect, 'https://app.jp.workato.com/oauth/callback');
  });
});
