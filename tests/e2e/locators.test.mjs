// Which locator finds each field: every catalog page's landmarks and field
// locators (tests/e2e/page-specs.json, written from src/catalog by
// tests/agent_kinds.rs) evaluated on each of its replicas (pages.json, every
// state) with the agent's own code (extension/agent/spec.js,
// run in each frame of the page, in Chromium without the extension), and a
// listing printed per replica: each field, found / ambiguous / not found, and
// by which locator (number, kind and text), with how many controls every
// locator matched (visible ones in brackets).
//
// It fails when a replica's landmarks do not all hold in any of its frames,
// when a field is ambiguous on a replica, or when a field of a page is found
// on none of the page's replicas (a locator list that no fixture exercises;
// the known ones are listed below).
// Run: node --test --test-reporter=spec tests/e2e/locators.test.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { chromium } from 'playwright-core';

import { E2E_DIR } from './hosts.mjs';
import { CHROMIUM_BIN, hostResolverRules, startFixtureServer } from './lib/chromium.mjs';
import { chromiumOnly } from './lib/driver.mjs';
import { SPEC_HARNESS, SPEC_HARNESS_FULL_SCAN } from './lib/spec-harness.mjs';

const SPECS = JSON.parse(readFileSync(join(E2E_DIR, 'page-specs.json'), 'utf8')).pages;
const DATA = JSON.parse(readFileSync(join(E2E_DIR, 'pages.json'), 'utf8'));
const locText = (l) => `${l.kind}${l.id ? ` #${l.id}` : ''}${l.name ? ` name=${l.name}` : ''}${l.css && l.kind === 'css' ? ` ${l.css}` : ''}`
  + `${l.text ? ` "${l.text}"` : ''}${l.kind === 'near' ? ` → ${l.css}` : ''}`;

let server;
let browser;
let context;
chromiumOnly('which locator finds each field (page-specs.json on every replica)', 'it runs the agent\'s spec code in each frame through Chromium\'s own page API, without the extension: a listing, not a browser behaviour', () => {
before(async () => {
  server = await startFixtureServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM_BIN,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', `--host-resolver-rules=${hostResolverRules(server.hosts, server.port)}`],
  });
  context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1440, height: 900 } });
});
after(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

/** Evaluates `spec` in every frame of `page`; the frame where the most landmarks hold, then the most fields are found. */
async function evaluate(page, spec, harness = SPEC_HARNESS) {
  const rows = [];
  for (const frame of page.frames()) {
    const r = await frame.evaluate(`(${harness})(${JSON.stringify(spec)})`).catch(() => null);
    if (r) rows.push({ url: frame.url(), ...r });
  }
  const score = (r) => r.landmarks.filter(Boolean).length * 1000 + r.fields.filter((f) => f.result === 'found').length;
  return rows.sort((a, b) => score(b) - score(a))[0] ?? null;
}

/** Evaluates until the landmarks hold and two evaluations in a row agree (the replica has rendered), at most 15 s. */
async function settled(page, spec) {
  const deadline = Date.now() + 15_000;
  let last = null;
  while (Date.now() < deadline) {
    const r = await evaluate(page, spec);
    if (r && r.landmarks.every(Boolean) && last && JSON.stringify(r) === JSON.stringify(last)) return r;
    last = r;
    await sleep(100); // polling interval, not a wait for time to pass
  }
  return last;
}

const foundOn = new Map(); // page → Set of field keys found on some replica
const specOf = (id) => SPECS.find((s) => s.page === id);

for (const replica of DATA.replicas) {
  for (const [name, st] of Object.entries(replica.states)) {
    test(`${replica.id} (${name}): landmarks and the locator that finds each field of ${replica.page}`, async () => {
      const spec = specOf(replica.page);
      assert.ok(spec, `${replica.page} is in page-specs.json`);
      const page = await context.newPage();
      try {
        await page.goto(st.url, { waitUntil: 'load' });
        const r = await settled(page, spec);
        assert.ok(r, 'the agent code ran in a frame of the page');
        const lines = [`${replica.id} (${name}) ${st.url}`, `  frame ${r.url}`, `  landmarks ${r.landmarks.map((x) => (x ? 'yes' : 'no')).join(' ')}`];
        for (const [i, f] of r.fields.entries()) {
          const fs = spec.fields[i];
          const via = f.by >= 0 ? `locator ${f.by + 1}/${fs.locators.length} ${locText(fs.locators[f.by])}` : '';
          const counts = f.per.map((p) => (p.n < 0 ? 'too large' : `${p.n}[${p.shown}]`)).join(' ');
          lines.push(`  ${fs.key.padEnd(34)} ${f.result.padEnd(9)} ${via.padEnd(70)} matches: ${counts}`);
          if (f.result === 'found') (foundOn.get(replica.page) ?? foundOn.set(replica.page, new Set()).get(replica.page)).add(fs.key);
        }
        console.log(lines.join('\n'));
        // The XPath shortcut of near locators finds what reading every
        // anchor finds (the page evaluated again with and without it; a
        // page that changed in between is read once more).
        const full = await evaluate(page, spec, SPEC_HARNESS_FULL_SCAN);
        const again = await evaluate(page, spec);
        assert.ok(JSON.stringify(full) === JSON.stringify(r) || JSON.stringify(full) === JSON.stringify(again),
          `with and without the near shortcut:\n${JSON.stringify(full)}\n${JSON.stringify(again)}`);
        assert.ok(r.landmarks.every(Boolean), `landmarks of ${replica.page} hold: ${r.landmarks}`);
        const ambiguous = r.fields.filter((f) => f.result === 'ambiguous').map((f) => f.key);
        assert.deepEqual(ambiguous, [], 'fields with more than one equally named visible control');
      } finally {
        await page.close();
      }
    });
  }
}

// Fields of the other authentication routes (private key JWT, API key) and a
// key list no replica state draws yet (measured 2026-12-02): the catalog's
// locators for them are untested by any fixture. Listed here so that the
// test fails both when another field joins them and when a replica starts
// drawing one of them (then remove it from the list).
const NOT_ON_ANY_REPLICA = [
  'okta.app.general private_key',
  'okta.app.general key_status',
  'okta.salesforce.provisioning soap_password_token',
  'workato.connection.new private_key',
  'workato.connection.new api_key',
];

// The near shortcut's edge cases, on a page of their own: case, the two
// non-ASCII letters that lower-case to ASCII, a label split across text
// nodes, a label that is only a descendant's text, labels inside a long list,
// a non-ASCII label (no shortcut), an anchor kind outside ANCHORS.
test('near locators: the XPath shortcut finds the same anchors as reading every anchor', async () => {
  const page = await context.newPage();
  try {
    await page.goto(`https://acme-admin.okta.com/admin/dashboard`, { waitUntil: 'load' });
    await page.evaluate(() => {
      const box = document.createElement('section');
      const row = (anchor, text) => {
        const d = document.createElement('div');
        const a = document.createElement(anchor);
        if (Array.isArray(text)) for (const t of text) a.append(document.createTextNode(t)); else a.textContent = text;
        const i = document.createElement('input');
        d.append(a, i);
        box.append(d);
        return a;
      };
      row('span', 'Token Value');
      row('label', 'TOKEN VALUE:');
      row('span', 'To\u212Aen Value');
      row('td', ['To', 'ken Value']);
      row('p', ['Token', ' ', 'Value']);
      const wrap = row('div', ''); wrap.append(Object.assign(document.createElement('b'), { textContent: 'Token Value' }));
      row('em', 'Token Value');
      row('span', 'URİ Field');
      row('span', 'Größe Wert');
      for (let n = 0; n < 3000; n++) row('span', `row ${n}`);
      document.body.append(box);
    });
    const spec = { landmarks: [], fields: ['Token Value', 'uri', 'Größe Wert', 'row 2999', 'nothing here'].map((text, i) => ({
      key: `f${i}`, label: text, widget: { kind: 'text' },
      locators: [{ kind: 'near', text, css: 'input', deep: false }],
    })) };
    const fast = await page.evaluate(`(${SPEC_HARNESS})(${JSON.stringify(spec)})`);
    const full = await page.evaluate(`(${SPEC_HARNESS_FULL_SCAN})(${JSON.stringify(spec)})`);
    assert.deepEqual(fast, full);
    // Token Value: span, label, Kelvin sign, split td, p of three nodes (not the div whose text is its <b>'s, nor the
    // em); "uri" in URİ's lower case (i and a combining dot); the non-ASCII label; the last row; none.
    assert.deepEqual(fast.fields.map((f) => f.per[0].n), [5, 1, 1, 1, 0]);
  } finally {
    await page.close();
  }
});

test('every field of every page with a replica is found on at least one of its replicas (known gaps listed)', () => {
  const missing = [];
  for (const id of new Set(DATA.replicas.map((r) => r.page))) {
    for (const f of specOf(id).fields) if (!foundOn.get(id)?.has(f.key)) missing.push(`${id} ${f.key}`);
  }
  assert.ok(foundOn.size > 0, 'the replica tests ran first');
  assert.deepEqual(missing, NOT_ON_ANY_REPLICA, 'fields no replica shows to their locators');
});
});
