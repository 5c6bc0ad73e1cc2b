// Static checks of the source manifest and the built per-browser manifests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { forBrowser } from '../../extension/tools/manifest.mjs';

const root = new URL('../../', import.meta.url);
const src = JSON.parse(readFileSync(new URL('manifest.json', root), 'utf8'));

const FORBIDDEN_PERMISSIONS = ['tabs', 'history', 'cookies', 'webRequest', 'webRequestBlocking', 'scripting', 'debugger', '<all_urls>'];

test('no broad or unneeded permissions', () => {
  const all = [...(src.permissions ?? []), ...(src.host_permissions ?? []), ...(src.optional_permissions ?? [])];
  for (const p of FORBIDDEN_PERMISSIONS) assert.ok(!all.includes(p), `manifest asks for ${p}`);
  for (const h of src.host_permissions) {
    assert.match(h, /^https:\/\/(\*\.)?[a-z0-9.-]+\.[a-z]+\/\*$/, `host pattern ${h} is not an exact https pattern`);
    assert.ok(!h.startsWith('*://') && !h.includes('://*/'), `host pattern ${h} is too broad`);
  }
});

test('content scripts, web-accessible resources and host permissions cover the same hosts', () => {
  const hosts = [...src.host_permissions].sort();
  assert.equal(src.content_scripts.length, 1);
  assert.deepEqual([...src.content_scripts[0].matches].sort(), hosts);
  assert.equal(src.content_scripts[0].all_frames, true);
  assert.deepEqual(src.web_accessible_resources.length, 1);
  assert.deepEqual(src.web_accessible_resources[0].resources, ['overlay.html']);
  assert.deepEqual([...src.web_accessible_resources[0].matches].sort(), hosts);
});

test('the consoles of console-pages.md section 1 are covered', () => {
  for (const h of ['https://*.salesforce.com/*', 'https://*.force.com/*', 'https://*.salesforce-setup.com/*',
    'https://*.visualforce.com/*', 'https://*.okta.com/*', 'https://*.oktapreview.com/*', 'https://*.okta-emea.com/*',
    'https://*.okta-gov.com/*', 'https://app.workato.com/*', 'https://app.eu.workato.com/*', 'https://app.trial.workato.com/*']) {
    assert.ok(src.host_permissions.includes(h), `missing ${h}`);
  }
});

test('extension page CSP allows wasm and nothing looser', () => {
  assert.equal(src.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
});

test('gecko settings for AMO', () => {
  const g = src.browser_specific_settings.gecko;
  assert.ok(g.id);
  assert.ok(parseFloat(g.strict_min_version) >= 142);
  assert.deepEqual(g.data_collection_permissions, { required: ['none'] });
});

test('per-browser manifests', () => {
  const chrome = forBrowser(src, 'chrome');
  assert.equal(chrome.background.service_worker, 'background.js');
  assert.equal(chrome.background.scripts, undefined);
  assert.equal(chrome.browser_specific_settings, undefined);
  assert.equal(chrome.web_accessible_resources[0].use_dynamic_url, true);
  const firefox = forBrowser(src, 'firefox');
  assert.deepEqual(firefox.background.scripts, ['background.js']);
  assert.equal(firefox.background.service_worker, undefined);
  assert.equal(firefox.background.type, 'module');
  assert.ok(firefox.browser_specific_settings.gecko.id);
  // The source manifest is not changed by the transformation.
  assert.ok(src.background.service_worker && src.background.scripts);
});

test('built manifests match the transformation', { skip: !existsSync(new URL('dist/chrome/manifest.json', root)) }, () => {
  for (const b of ['chrome', 'firefox']) {
    const built = JSON.parse(readFileSync(new URL(`dist/${b}/manifest.json`, root), 'utf8'));
    assert.deepEqual(built, forBrowser(src, b));
  }
});
