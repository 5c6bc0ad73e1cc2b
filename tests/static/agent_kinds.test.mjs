// The agent's JS handles exactly the Probe, Locator and Widget kinds the
// Rust catalog has (tests/static/agent-kinds.json, written by
// tests/agent_kinds.rs from src/catalog/mod.rs): the `case` labels of
// probe(), candidates() and read() in extension/agent/spec.js. A kind on one
// side only would be a field the agent silently never finds or reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const kinds = JSON.parse(readFileSync(new URL('tests/static/agent-kinds.json', root), 'utf8'));
const spec = readFileSync(new URL('extension/agent/spec.js', root), 'utf8');

/** The body of `function name(` in src (braces balanced; the agent has no braces in its strings' way). */
export function functionBody(src, name) {
  const start = src.indexOf(`function ${name}(`);
  assert.ok(start >= 0, `spec.js has function ${name}`);
  const open = src.indexOf('{', src.indexOf(')', start));
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === '{') depth++;
    else if (src[i] === '}' && --depth === 0) return src.slice(open, i + 1);
  }
  assert.fail(`function ${name} is not closed`);
}

/** The `case 'x':` labels of the first `switch (<subject>.kind)` in a function. */
export function caseLabels(src, name) {
  const body = functionBody(src, name);
  const sw = body.search(/switch \(\w+\.kind\)/);
  assert.ok(sw >= 0, `function ${name} switches on .kind`);
  const labels = new Set();
  let depth = 0;
  const from = body.indexOf('{', sw);
  let end = from;
  for (; end < body.length; end++) {
    if (body[end] === '{') depth++;
    else if (body[end] === '}' && --depth === 0) break;
  }
  for (const m of body.slice(from, end).matchAll(/case '([a-z_]+)':/g)) labels.add(m[1]);
  return [...labels].sort();
}

for (const [what, fn] of [['probe', 'probe'], ['locator', 'candidates'], ['widget', 'read']]) {
  test(`every ${what} kind of the Rust catalog is handled by the agent's ${fn}(), and no other`, () => {
    const rust = [...kinds[what]].sort();
    const js = caseLabels(spec, fn);
    assert.ok(rust.length >= 4, `${rust.length} ${what} kinds in agent-kinds.json`);
    assert.deepEqual({ onlyInRust: rust.filter((k) => !js.includes(k)), onlyInJs: js.filter((k) => !rust.includes(k)) },
      { onlyInRust: [], onlyInJs: [] }, `${what} kinds: Rust (src/catalog/mod.rs) vs JS (${fn}() in extension/agent/spec.js)`);
  });
}

test('the fill widgets are widgets the catalog has', () => {
  const fill = readFileSync(new URL('extension/agent/fill.js', root), 'utf8');
  const js = caseLabels(fill, 'fillOne');
  assert.ok(js.length >= 3);
  assert.deepEqual(js.filter((k) => !kinds.widget.includes(k)), [], 'fillOne() handles a widget kind the catalog does not have');
});
