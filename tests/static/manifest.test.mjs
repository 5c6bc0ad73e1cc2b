// Static checks of the source manifest and the built per-browser manifests:
// permissions (each one justified in the README's permissions table, the
// sensitive ones refused unless justified there, never <all_urls>), host
// patterns, and the extension pages' CSP (nothing looser than
// 'wasm-unsafe-eval'). Every checker is also run on bad samples, so a checker
// that cannot fail fails the suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { forBrowser } from '../../extension/tools/manifest.mjs';

const root = new URL('../../', import.meta.url);
const src = JSON.parse(readFileSync(new URL('manifest.json', root), 'utf8'));
const readme = readFileSync(new URL('README.md', root), 'utf8');

// Permissions that reach beyond the consoles (other sites' data, browsing
// history, network traffic, code injection): refused unless the README's
// permissions table has a row for them that says why.
export const SENSITIVE = ['tabs', 'history', 'cookies', 'webRequest', 'webRequestBlocking', 'webNavigation',
  'scripting', 'debugger', 'management', 'nativeMessaging', 'proxy', 'downloads', 'bookmarks', 'topSites',
  'declarativeNetRequest', 'declarativeNetRequestWithHostAccess', 'pageCapture', 'tabCapture', 'desktopCapture',
  'clipboardRead', 'unlimitedStorage', 'geolocation', 'privacy', 'browsingData', 'contentSettings'];
// Never, whatever the README says.
const NEVER_HOSTS = ['<all_urls>', '*://*/*', 'http://*/*', '*://*/', 'file:///*'];
// Every https site: never granted at install (host permissions, content
// scripts); only as optional host permissions (the admin grants one exact host
// at a time) and for the overlay's web-accessible entry, each when the README's
// table has a row for it.
const ANY_HTTPS = 'https://*/*';

/**
 * The README's "Permissions, and why" table: { name -> reason }. A row
 * justifies every `backticked` name in its first cell that is not a host
 * pattern, e.g. `storage`, `scripting`, `optional_host_permissions`.
 */
export function justifiedPermissions(markdown) {
  const section = markdown.split(/^## /m).find((s) => /^Permissions\b/i.test(s));
  const out = new Map();
  if (!section) return out;
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || /^-+$/.test(cells[1]) || cells[1] === 'permission') continue;
    const [first, reason] = [cells[1], cells.slice(2, -1).join('|').trim()];
    if (/^host\b/i.test(first)) continue; // host rows justify hosts, not APIs
    for (const m of first.matchAll(/`([^`]+)`/g)) {
      // `storage`, `scripting`, `optional_host_permissions: https://*/*`, ...
      const name = m[1].split(/[:\s]/)[0];
      if (name && !name.includes('/') && !name.startsWith('*') && reason.length >= 10) out.set(name, reason);
    }
  }
  return out;
}

/** Problems with a manifest's permissions, given the README's justifications. */
export function permissionProblems(manifest, justified) {
  const problems = [];
  const apis = [...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? [])];
  const hosts = [...(manifest.host_permissions ?? []), ...(manifest.optional_host_permissions ?? [])];
  for (const p of [...apis, ...hosts]) {
    if (NEVER_HOSTS.includes(p)) problems.push(`${p} is never allowed`);
  }
  for (const p of apis) {
    if (p.includes('://') || p.startsWith('<')) { problems.push(`host pattern ${p} among API permissions`); continue; }
    if (!justified.has(p)) {
      problems.push(`${SENSITIVE.includes(p) ? 'sensitive ' : ''}permission ${p} is not justified in the README's permissions table`);
    }
  }
  for (const h of manifest.host_permissions ?? []) {
    if (!/^https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+\/\*$/.test(h)) problems.push(`host pattern ${h} is not an exact https pattern`);
  }
  for (const h of [...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? []), ...(manifest.host_permissions ?? [])]) {
    if (h === ANY_HTTPS) problems.push(`${h} is never granted at install`);
  }
  if ((manifest.optional_host_permissions ?? []).length && !justified.has('optional_host_permissions')) {
    problems.push('optional_host_permissions are not justified in the README\'s permissions table');
  }
  for (const h of manifest.optional_host_permissions ?? []) {
    if (!/^https:\/\//.test(h)) problems.push(`optional host pattern ${h} is not https-only`);
  }
  for (const cs of manifest.content_scripts ?? []) {
    for (const m of cs.matches ?? []) if (NEVER_HOSTS.includes(m) || m === ANY_HTTPS) problems.push(`content script on ${m}`);
  }
  for (const war of manifest.web_accessible_resources ?? []) {
    for (const m of war.matches ?? []) {
      if (NEVER_HOSTS.includes(m)) problems.push(`web-accessible resources exposed to ${m}`);
      if (m === ANY_HTTPS && !justified.has('web_accessible_resources')) {
        problems.push(`web-accessible resources exposed to ${m} without a README row`);
      }
      if (m === ANY_HTTPS && JSON.stringify(war.resources) !== '["overlay.html"]') problems.push(`more than overlay.html exposed to ${m}`);
    }
  }
  return problems;
}

const ALLOWED_SOURCES = {
  'script-src': new Set(["'self'", "'wasm-unsafe-eval'"]),
  'object-src': new Set(["'self'", "'none'"]),
  'worker-src': new Set(["'self'", "'none'"]),
  'default-src': new Set(["'self'", "'none'"]),
};

/** Problems with a CSP for extension pages: nothing looser than 'wasm-unsafe-eval'. */
export function cspProblems(csp) {
  const problems = [];
  if (typeof csp !== 'string' || !csp.trim()) return ['no extension_pages CSP'];
  const directives = new Map();
  for (const part of csp.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [name, ...values] = part.split(/\s+/);
    directives.set(name.toLowerCase(), values);
  }
  if (!directives.has('script-src')) problems.push('no script-src');
  for (const [name, values] of directives) {
    const allowed = ALLOWED_SOURCES[name];
    if (!allowed) continue;
    for (const v of values) if (!allowed.has(v)) problems.push(`${name} allows ${v}`);
  }
  return problems;
}

const justified = justifiedPermissions(readme);

test('every permission is justified in the README; none broad; sensitive ones only if justified', () => {
  assert.deepEqual(permissionProblems(src, justified), []);
  console.log(`permissions: ${(src.permissions ?? []).join(', ')}; optional: ${(src.optional_permissions ?? []).join(', ') || 'none'}; ` +
    `optional hosts: ${(src.optional_host_permissions ?? []).join(', ') || 'none'}`);
});

test('the permission checker fails on what it must refuse', () => {
  const j = justifiedPermissions(`## Permissions, and why\n\n| permission | why |\n|---|---|\n| \`storage\` | session memory for the vault |\n| host \`https://*.okta.com/*\` | the console |\n`);
  assert.deepEqual([...j.keys()], ['storage']);
  const base = { permissions: ['storage'], host_permissions: ['https://*.okta.com/*'] };
  assert.deepEqual(permissionProblems(base, j), []);
  for (const [bad, what] of [
    [{ permissions: ['storage', 'tabs'] }, /sensitive permission tabs/],
    [{ permissions: ['storage', 'scripting'] }, /sensitive permission scripting/],
    [{ permissions: ['cookies'] }, /cookies/],
    [{ permissions: ['history'] }, /history/],
    [{ permissions: ['webRequest'] }, /webRequest/],
    [{ permissions: ['alarms'] }, /permission alarms is not justified/],
    [{ host_permissions: ['<all_urls>'] }, /<all_urls> is never allowed/],
    [{ host_permissions: ['https://*/*'] }, /never granted at install/],
    [{ content_scripts: [{ matches: ['https://*/*'] }] }, /content script/],
    [{ web_accessible_resources: [{ resources: ['overlay.html'], matches: ['https://*/*'] }] }, /without a README row/],
    [{ optional_permissions: ['<all_urls>'] }, /never allowed/],
    [{ optional_host_permissions: ['https://*.example.com/*'] }, /optional_host_permissions are not justified/],
    [{ host_permissions: ['*://*.okta.com/*'] }, /not an exact https pattern/],
    [{ content_scripts: [{ matches: ['<all_urls>'] }] }, /content script/],
  ]) {
    const problems = permissionProblems({ ...base, ...bad }, j);
    assert.ok(problems.some((p) => what.test(p)), `${JSON.stringify(bad)} -> ${JSON.stringify(problems)}`);
  }
  // Justified in the table: accepted (how issue #7's scripting + custom hosts pass).
  const j2 = new Map([...j, ['scripting', 'inject the agent on custom hosts the admin added'],
    ['optional_host_permissions', 'custom console hosts, each granted by the admin']]);
  assert.deepEqual(permissionProblems({ ...base, permissions: ['storage', 'scripting'],
    optional_host_permissions: ['https://*.example.com/*'] }, j2), []);
  // ... but <all_urls> never.
  assert.ok(permissionProblems({ ...base, optional_host_permissions: ['<all_urls>'] }, j2).length > 0);
});

test('content scripts, web-accessible resources and host permissions cover the same hosts', () => {
  const hosts = [...src.host_permissions].sort();
  assert.equal(src.content_scripts.length, 1);
  assert.deepEqual([...src.content_scripts[0].matches].sort(), hosts);
  assert.equal(src.content_scripts[0].all_frames, true);
  assert.deepEqual(src.web_accessible_resources[0].resources, ['overlay.html']);
  assert.deepEqual([...src.web_accessible_resources[0].matches].sort(), hosts);
  // Further entries (custom hosts): overlay.html only, on optional hosts only.
  for (const war of src.web_accessible_resources.slice(1)) {
    assert.deepEqual(war.resources, ['overlay.html']);
    for (const m of war.matches) assert.ok((src.optional_host_permissions ?? []).includes(m), `${m} is not an optional host`);
  }
});

test('the consoles of console-pages.md section 1 are covered', () => {
  for (const h of ['https://*.salesforce.com/*', 'https://*.force.com/*', 'https://*.salesforce-setup.com/*',
    'https://*.visualforce.com/*', 'https://*.okta.com/*', 'https://*.oktapreview.com/*', 'https://*.okta-emea.com/*',
    'https://*.okta-gov.com/*', 'https://app.workato.com/*', 'https://app.eu.workato.com/*', 'https://app.trial.workato.com/*']) {
    assert.ok(src.host_permissions.includes(h), `missing ${h}`);
  }
});

test('extension page CSP allows wasm and nothing looser', () => {
  assert.deepEqual(cspProblems(src.content_security_policy?.extension_pages), []);
  assert.match(src.content_security_policy.extension_pages, /script-src 'self' 'wasm-unsafe-eval'/);
  // Only extension_pages: no sandbox pages with their own (looser) policy.
  assert.deepEqual(Object.keys(src.content_security_policy), ['extension_pages']);
  assert.equal(src.sandbox, undefined);
});

test('the CSP checker fails on looser policies', () => {
  for (const bad of [
    "script-src 'self' 'unsafe-eval'; object-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'",
    "script-src 'self' https://cdn.example.com",
    "script-src *",
    "script-src 'self' data: blob:",
    "object-src 'self'",
    "default-src 'self' 'unsafe-eval'",
    '',
  ]) {
    assert.ok(cspProblems(bad).length > 0, `should refuse: ${bad}`);
  }
  assert.deepEqual(cspProblems("script-src 'self' 'wasm-unsafe-eval'; object-src 'self'"), []);
  assert.deepEqual(cspProblems("script-src 'self'; object-src 'none'"), []);
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

test('built manifests match the transformation and pass the same checks', { skip: !existsSync(new URL('dist/chrome/manifest.json', root)) }, () => {
  for (const b of ['chrome', 'firefox']) {
    const built = JSON.parse(readFileSync(new URL(`dist/${b}/manifest.json`, root), 'utf8'));
    assert.deepEqual(built, forBrowser(src, b));
    assert.deepEqual(permissionProblems(built, justified), [], b);
    assert.deepEqual(cspProblems(built.content_security_policy?.extension_pages), [], b);
  }
});

/**
 * The README's host rows: every concrete host pattern they name
 * (`https://*.okta.com/*`, `*.oktapreview.com`, `www.workato.com`) and the
 * templates (`app.<dc>.workato.com`, a `<dc>` being one DNS label).
 */
export function readmeHosts(markdown) {
  const section = markdown.split(/^## /m).find((s) => /^Permissions\b/i.test(s)) ?? '';
  const names = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !/^host\b/i.test(cells[1])) continue;
    for (const m of cells[1].matchAll(/`([^`]+)`/g)) names.push(m[1].replace(/^https:\/\//, '').replace(/\/\*$/, ''));
  }
  return names;
}

/** Manifest host patterns the README's host rows do not name, and README hosts the manifest lacks. */
export function hostRowProblems(manifestHosts, names) {
  const problems = [];
  const hosts = manifestHosts.map((h) => h.replace(/^https:\/\//, '').replace(/\/\*$/, ''));
  const template = (n) => new RegExp(`^${n.split(/<[a-z]+>/).map((p) => p.replace(/[.*]/g, '\\$&')).join('[a-z0-9-]+')}$`);
  for (const h of hosts) {
    if (!names.some((n) => n === h || (n.includes('<') && template(n).test(h)))) problems.push(`${h} has no README host row`);
  }
  for (const n of names.filter((x) => !x.includes('<'))) {
    if (!hosts.includes(n)) problems.push(`the README names ${n}, which the manifest does not ask for`);
  }
  return problems;
}

test('the README host rows and the manifest name the same hosts', () => {
  const names = readmeHosts(readme);
  assert.deepEqual(hostRowProblems(src.host_permissions, names), []);
  // New in 2026-12 (console-pages.md section 8.3, 8.4), in the existing patterns' style.
  for (const h of ['https://*.workflows.okta.mil/*', 'https://www.workato.com/*']) {
    assert.ok(src.host_permissions.includes(h), `missing ${h}`);
    assert.ok(src.content_scripts[0].matches.includes(h), `no agent on ${h}`);
  }
  // The checker fails on what it must refuse.
  assert.match(hostRowProblems(['https://evil.example/*'], names).join(), /evil.example has no README host row/);
  assert.match(hostRowProblems(['https://app.workato.com/*'], ['app.workato.com', 'www.workato.com']).join(), /README names www.workato.com/);
  assert.deepEqual(hostRowProblems(['https://app.eu.workato.com/*'], ['app.<dc>.workato.com']), []);
  assert.ok(hostRowProblems(['https://app.eu.evil.com/*'], ['app.<dc>.workato.com']).length > 0);
});
