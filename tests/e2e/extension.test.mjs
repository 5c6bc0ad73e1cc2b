// The built extension as Chromium sees it: the manifest's name, description,
// toolbar title and shortcut description come out of _locales/en (not
// __MSG_… and not empty), every icon the manifest declares is served as a PNG
// of its size, and every message of messages.json resolves through
// chrome.i18n.getMessage with its placeholders substituted (what the Rust UI
// relies on). Firefox: tests/e2e/test_extension.py.
// Run from the repo root: node --test tests/e2e/extension.test.mjs   (or tests/e2e/run.sh)

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { REPO_ROOT } from './hosts.mjs';
import { DIST_CHROME, launch, startFixtureServer } from './lib/chromium.mjs';

const MESSAGES = JSON.parse(readFileSync(join(DIST_CHROME, '_locales/en/messages.json'), 'utf8'));
const MANIFEST = JSON.parse(readFileSync(join(DIST_CHROME, 'manifest.json'), 'utf8'));
const SOURCE_MESSAGES = JSON.parse(readFileSync(join(REPO_ROOT, 'extension/_locales/en/messages.json'), 'utf8'));

/** [substitutions, expected text] for a message, from its placeholders' examples. */
export function expectation(entry) {
  const subs = [];
  const byName = {};
  for (const [name, ph] of Object.entries(entry.placeholders ?? {})) {
    const n = Number(ph.content.slice(1));
    subs[n - 1] = ph.example;
    byName[name.toLowerCase()] = ph.example;
  }
  const text = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (_, name) => byName[name.toLowerCase()]).replace(/\$\$/g, '$');
  return [subs, text];
}
const msgOf = (value) => MESSAGES[value.match(/^__MSG_(\w+)__$/)[1]].message;

describe('chromium: the packaged extension (locales, icons)', () => {
  let server;
  let session;
  let worker;

  before(async () => {
    server = await startFixtureServer();
    session = await launch({ server });
    await session.extensionId();
    worker = session.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  test('dist/chrome carries the source messages.json', () => {
    assert.deepEqual(MESSAGES, SOURCE_MESSAGES, 'rebuild with ./build.sh');
  });

  test('name, description, toolbar title and shortcut description come from _locales/en', async () => {
    const seen = await worker.evaluate(async () => {
      const self = await chrome.management.getSelf();
      const commands = await chrome.commands.getAll();
      return {
        name: self.name,
        description: self.description,
        title: await chrome.action.getTitle({}),
        commands: Object.fromEntries(commands.map((c) => [c.name, c.description])),
      };
    });
    assert.equal(seen.name, msgOf(MANIFEST.name));
    assert.equal(seen.description, msgOf(MANIFEST.description));
    assert.equal(seen.title, msgOf(MANIFEST.action.default_title));
    for (const [name, c] of Object.entries(MANIFEST.commands)) {
      assert.equal(seen.commands[name], msgOf(c.description), `command ${name}`);
    }
    for (const v of [seen.name, seen.description, seen.title]) assert.doesNotMatch(v, /__MSG_|^$/);
  });

  test('every declared icon is served as a PNG of its size', async () => {
    const icons = { ...MANIFEST.icons };
    for (const [s, p] of Object.entries(MANIFEST.action.default_icon)) icons[`action ${s}`] = p;
    const sizes = await worker.evaluate(async (list) => {
      const out = {};
      for (const [k, p] of Object.entries(list)) {
        const r = await fetch(chrome.runtime.getURL(p));
        const b = new DataView(await r.arrayBuffer());
        out[k] = r.ok && b.getUint32(0) === 0x89504e47 ? [b.getUint32(16), b.getUint32(20)] : [r.status];
      }
      return out;
    }, icons);
    for (const [k, size] of Object.entries(sizes)) {
      const n = Number(k.replace('action ', ''));
      assert.deepEqual(size, [n, n], `icon ${k} (${icons[k]})`);
    }
  });

  test('every message resolves through chrome.i18n.getMessage, placeholders substituted', async () => {
    const cases = Object.fromEntries(Object.entries(MESSAGES).map(([k, e]) => [k, expectation(e)]));
    const got = await worker.evaluate((all) => Object.fromEntries(Object.entries(all)
      .map(([k, [subs]]) => [k, chrome.i18n.getMessage(k, subs)])), cases);
    for (const [k, [, want]] of Object.entries(cases)) assert.equal(got[k], want, k);
  });
});
