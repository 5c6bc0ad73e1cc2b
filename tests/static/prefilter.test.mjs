// The agent's prefilter (extension/agent/bootstrap.js, "prefilter" section) gives the
// Rust answer (src/prefilter.rs) for every URL of prefilter-cases.json, which
// tests/prefilter.rs generates from the catalog and the e2e data: false (stay
// quiet), true (hello) or the selector to wait for before the hello.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const root = new URL('../../', import.meta.url);
const agent = readFileSync(new URL('extension/agent/bootstrap.js', root), 'utf8');
const cases = JSON.parse(readFileSync(new URL('tests/static/prefilter-cases.json', root), 'utf8'));

function matcher() {
  const start = agent.indexOf('  // ---- prefilter ---');
  const end = agent.indexOf('  // ---- prefilter end');
  assert.ok(start >= 0 && end > start, 'bootstrap.js has its prefilter section');
  return vm.runInNewContext(`${agent.slice(start, end)}; gateOf`, { URL });
}

test('the JS prefilter agrees with the Rust one on every case', () => {
  const may = matcher();
  assert.ok(cases.length > 100, `${cases.length} cases`);
  const wrong = cases.filter(([url, want]) => may(url) !== want);
  assert.deepEqual(wrong, [], 'URLs where bootstrap.js and src/prefilter.rs disagree (the Rust answer shown)');
});

test('the matcher is not trivially true or false', () => {
  const may = matcher();
  assert.equal(may('https://acme-admin.okta.com/admin/dashboard'), false);
  assert.equal(may('https://acme-admin.okta.com/admin/access/api/tokens'), true);
  assert.equal(may('https://acme-admin.okta.com/admin/apps/active'), '[role=dialog], [role=dialog] [role=tab]');
  assert.equal(may('not a url'), false);
});
