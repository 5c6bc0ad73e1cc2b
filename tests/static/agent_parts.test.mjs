// The page agent is written in parts (extension/agent/*.js) that build.sh
// assembles into the bootstrap (AGENT_BOOT → agent.js) and the main part
// (AGENT_MAIN → agent-main.js, one function the bootstrap calls). Every part
// is listed once (an unlisted file would silently not ship), every listed
// part exists, and both assembled scripts compile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import vm from 'node:vm';

const root = new URL('../../', import.meta.url);
const build = readFileSync(new URL('build.sh', root), 'utf8');
const list = (name) => new RegExp(`^${name}=\\(([^)]*)\\)$`, 'm').exec(build)?.[1].trim().split(/\s+/) ?? [];
const boot = list('AGENT_BOOT');
const main = list('AGENT_MAIN');
const listed = [...boot, ...main];
const files = readdirSync(new URL('extension/agent/', root)).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3));

test('build.sh lists every part of the agent, and only those', () => {
  assert.ok(boot.length >= 1 && main.length >= 3, `AGENT_BOOT / AGENT_MAIN in build.sh: ${boot} / ${main}`);
  assert.deepEqual([...listed].sort(), [...files].sort());
  assert.equal(new Set(listed).size, listed.length, 'a part listed twice');
  assert.equal(main.at(-1), 'lifecycle', 'the part that starts the main part comes last');
});

const read = (ps) => ps.map((p) => readFileSync(new URL(`extension/agent/${p}.js`, root), 'utf8')).join('\n');

test('the assembled bootstrap and main part compile', () => {
  assert.doesNotThrow(() => new vm.Script(`(() => {\n  'use strict';\n${read(boot)}\n})();\n`, { filename: 'agent.js' }));
  assert.doesNotThrow(() => new vm.Script(`var keyferryAgentMain = (boot) => {\n  'use strict';\n${read(main)}\n};\n`, { filename: 'agent-main.js' }));
});

test('the manifest declares only the bootstrap as a content script', () => {
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', root), 'utf8'));
  assert.deepEqual([...new Set(manifest.content_scripts.flatMap((c) => c.js))], ['agent.js']);
  const war = (manifest.web_accessible_resources ?? []).flatMap((w) => w.resources);
  assert.ok(!war.some((r) => /agent/.test(r)), 'no agent script is web-accessible');
});

// Chromium's first i18n.getMessage in a content script loads the extension's
// whole message catalog into the page's process (measured: the largest single
// item of the agent's cost on a setup page, issue 15); the texts the agent
// shows come with the background's verdict instead.
test('no part of the agent reads the message catalog', () => {
  for (const p of listed) {
    const src = readFileSync(new URL(`extension/agent/${p}.js`, root), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    assert.doesNotMatch(src, /\bi18n\b|getMessage|getUILanguage/, `extension/agent/${p}.js`);
  }
});
