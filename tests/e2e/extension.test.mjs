// The built extension as each browser of KF_BROWSERS sees it (lib/driver.mjs):
// the manifest's name, description, toolbar title and shortcut description come
// out of _locales/en (not __MSG_… and not empty), every icon the manifest
// declares is served as a PNG of its size, and every message of messages.json
// resolves through i18n.getMessage with its placeholders substituted (what the
// Rust UI relies on). All evaluated in the extension's background.
// Run from the repo root: node --test tests/e2e/extension.test.mjs   (or tests/e2e/run.sh)

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './hosts.mjs';
import { DIST_CHROME } from './lib/chromium.mjs';
import { DIST_FIREFOX } from './lib/firefox.mjs';
import { browsers } from './lib/driver.mjs';

const DIST = { chromium: DIST_CHROME, firefox: DIST_FIREFOX };
const json = (path) => JSON.parse(readFileSync(path, 'utf8'));
const SOURCE_MESSAGES = json(join(REPO_ROOT, 'extension/_locales/en/messages.json'));

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

browsers('the packaged extension (locales, icons)', {}, (s) => {
  const MESSAGES = json(join(DIST[s.browser], '_locales/en/messages.json'));
  const MANIFEST = json(join(DIST[s.browser], 'manifest.json'));
  const msgOf = (value) => MESSAGES[value.match(/^__MSG_(\w+)__$/)[1]].message;

  s.scenario('the built extension carries the source messages.json', () => {
    assert.deepEqual(MESSAGES, SOURCE_MESSAGES, 'rebuild with ./build.sh');
  });

  s.scenario('name, description, toolbar title and shortcut description come from _locales/en', async (drv) => {
    const seen = await drv.background(async (bg) => {
      const self = await bg.chrome.management.getSelf();
      const commands = await bg.chrome.commands.getAll();
      return {
        name: self.name,
        description: self.description,
        title: await bg.chrome.action.getTitle({}),
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

  s.scenario('every declared icon is served as a PNG of its size', async (drv) => {
    const icons = { ...MANIFEST.icons };
    for (const [size, p] of Object.entries(MANIFEST.action.default_icon)) icons[`action ${size}`] = p;
    const sizes = await drv.background(async (bg, list) => {
      const out = {};
      for (const [k, p] of Object.entries(list)) {
        const r = await bg.fetch(bg.chrome.runtime.getURL(p));
        const b = new DataView(await r.arrayBuffer());
        out[k] = r.ok && b.getUint32(0) === 0x89504e47 ? [b.getUint32(16), b.getUint32(20)] : [r.status];
      }
      return out;
    }, icons);
    assert.deepEqual(Object.keys(sizes).sort(), Object.keys(icons).sort());
    for (const [k, size] of Object.entries(sizes)) {
      const n = Number(k.replace('action ', ''));
      assert.deepEqual(size, [n, n], `icon ${k} (${icons[k]})`);
    }
  });

  s.scenario('every message resolves through i18n.getMessage, placeholders substituted', async (drv) => {
    const cases = Object.fromEntries(Object.entries(MESSAGES).map(([k, e]) => [k, expectation(e)]));
    const got = await drv.background((bg, all) => Object.fromEntries(Object.entries(all)
      .map(([k, [subs]]) => [k, bg.chrome.i18n.getMessage(k, subs)])), cases);
    for (const [k, [, want]] of Object.entries(cases)) assert.equal(got[k], want, k);
  });
});
