// The page agent is written in parts (extension/agent/*.js) that build.sh
// assembles, in the order of its AGENT_PARTS, into one content script. Every
// part is listed (an unlisted file would silently not ship), every listed
// part exists, and the assembled script compiles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import vm from 'node:vm';

const root = new URL('../../', import.meta.url);
const build = readFileSync(new URL('build.sh', root), 'utf8');
const listed = /^AGENT_PARTS=\(([^)]*)\)$/m.exec(build)?.[1].trim().split(/\s+/) ?? [];
const files = readdirSync(new URL('extension/agent/', root)).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3));

test('build.sh lists every part of the agent, and only those', () => {
  assert.ok(listed.length >= 4, `AGENT_PARTS in build.sh: ${listed}`);
  assert.deepEqual([...listed].sort(), [...files].sort());
  assert.equal(listed[0], 'bootstrap');
  assert.equal(listed.at(-1), 'lifecycle', 'the part that starts the agent comes last');
});

test('the assembled agent compiles as one script', () => {
  const parts = listed.map((p) => readFileSync(new URL(`extension/agent/${p}.js`, root), 'utf8'));
  const src = `(() => {\n  'use strict';\n${parts.join('\n')}\n})();\n`;
  assert.doesNotThrow(() => new vm.Script(src, { filename: 'agent.js' }));
});
