// No HTML sinks or dynamic code in the code that runs in extension contexts
// or in the page: the agent, the loaders, the Rust UI, and the generated
// wasm-bindgen glue as built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const JS_SINKS = [/\binnerHTML\b/, /\bouterHTML\b/, /\binsertAdjacentHTML\b/, /\bdocument\.write(ln)?\b/,
  /\beval\s*\(/, /\bnew\s+Function\b/, /\bsetTimeout\s*\(\s*['"`]/, /\bsetInterval\s*\(\s*['"`]/, /\bcreateContextualFragment\b/,
  /\bDOMParser\b/, /\bsrcdoc\b/];
const RUST_SINKS = [/set_inner_html/, /set_outer_html/, /insert_adjacent_html/, /\.write_with_str/, /js_sys::eval/, /Function::new_/];

const files = (dir, ext) => existsSync(dir) ? readdirSync(dir, { recursive: true })
  .filter((f) => f.endsWith(ext)).map((f) => join(dir, f)) : [];

function scan(paths, patterns) {
  const hits = [];
  for (const p of paths) {
    readFileSync(p, 'utf8').split('\n').forEach((line, n) => {
      if (/^\s*(\/\/|\*)/.test(line)) return; // comments may name the sinks
      for (const re of patterns) if (re.test(line)) hits.push(`${p}:${n + 1}: ${line.trim()}`);
    });
  }
  return hits;
}

test('agent and loaders use no HTML sinks or dynamic code', () => {
  const js = files(join(root, 'extension'), '.js').concat(files(join(root, 'extension'), '.mjs'));
  assert.ok(js.length >= 3);
  assert.deepEqual(scan(js, JS_SINKS), []);
});

test('the Rust UI uses no HTML sinks', () => {
  const rs = files(join(root, 'src'), '.rs');
  assert.deepEqual(scan(rs, RUST_SINKS), []);
});

test('the sink scanner finds what it is looking for', () => {
  // Guards against a scanner that can never fail.
  const tmp = join(root, 'tests', 'static', 'fixtures', 'sinks-sample.js.txt');
  assert.equal(scan([tmp], JS_SINKS).length, 4);
});

// One glue file per context's module (build.sh: keyferry_<context>.js).
const pkg = join(root, 'dist', 'chrome', 'pkg');
const glue = existsSync(pkg) ? files(pkg, '.js') : [];
test('generated wasm-bindgen glue: no HTML sinks, no eval', { skip: glue.length === 0 }, () => {
  assert.equal(glue.length, 3); // background, overlay, pages
  assert.deepEqual(scan(glue, JS_SINKS), []);
});
