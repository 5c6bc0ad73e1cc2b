// No HTML sinks or dynamic code in the code that runs in extension contexts
// or in the page: the agent, the loaders, every extension JS/HTML file, the
// Rust UI (web-sys calls and the names it passes to Reflect), and the
// generated wasm-bindgen glue as built (what its imports actually touch).
// Also: no persistent storage, no page globals and no postMessage channel.
// Every scanner is run on a sample that must trip it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(root, 'tests', 'static', 'fixtures');

export const JS_SINKS = [/\binnerHTML\b/, /\bouterHTML\b/, /\binsertAdjacentHTML\b/, /\bdocument\.write(ln)?\b/,
  /\beval\s*\(/, /\bnew\s+Function\b/, /(^|[^.\w`'"])Function\s*\(/, /\bsetTimeout\s*\(\s*['"`]/, /\bsetInterval\s*\(\s*['"`]/,
  /\bcreateContextualFragment\b/, /\bDOMParser\b/, /\bsrcdoc\b/, /\bexecScript\b/, /\bimport\s*\(/,
  /\bjavascript:/i, /\bsetHTMLUnsafe\b/, /\bparseHTMLUnsafe\b/];
// Secrets only in memory: no persistent or page-readable storage from any
// extension JS; the agent opens no window-message channel and sets no globals.
export const JS_STORAGE = [/\bstorage\.(local(?!\.get\('settings'\))|sync)\b/, /\blocalStorage\b/, /\bsessionStorage\b/,
  /\bindexedDB\b/, /\bdocument\.cookie\b/, /\bcaches\.open\b/];
// One exception to "no postMessage": the agent hands its panel token to its own
// overlay iframe, addressed to the extension's origin (SECURITY.md 4); the page
// can neither read nor answer it, and the agent listens to no message events.
export const AGENT_CHANNELS = [/(?<!overlay\.iframe\.contentWindow\?\.)\bpostMessage\b/, /addEventListener\(\s*['"`]message['"`]/, /\bonmessage\s*=/,
  /\b(window|globalThis|self|top|parent)\.[A-Za-z_$][\w$]*\s*=(?!=)/, /\bwindow\[[^\]]+\]\s*=(?!=)/,
  /\bdocument\.(title|domain)\s*=(?!=)/, /\bconsole\.(log|info|debug|warn|error)\b/];
export const RUST_SINKS = [/set_inner_html/, /set_outer_html/, /insert_adjacent_html/, /\.write_with_str/, /\.writeln_with_str/,
  /js_sys::eval/, /\beval\(/, /Function::new_/, /create_contextual_fragment/, /DomParser/, /set_srcdoc/,
  /local_storage\(/, /session_storage\(/, /indexed_db\(/, /set_cookie/,
  // Names reached through Reflect (get_path / call / Reflect::set), which the
  // glue cannot show: quoted DOM sink names and persistent storage areas.
  /"(innerHTML|outerHTML|insertAdjacentHTML|srcdoc|eval|execScript|write|writeln|cookie|localStorage|sessionStorage|indexedDB)"/,
  /"storage",\s*"sync"/, /\("on[a-z]+",/, /set_attribute\(\s*"on[a-z]+"/];
// What the wasm-bindgen glue's imports may never be.
const GLUE_FORBIDDEN_IMPORTS = /^(innerHTML|outerHTML|set_innerHTML|set_outerHTML|insertAdjacentHTML|write|writeln|eval|Function|srcdoc|set_srcdoc|createContextualFragment|parseFromString|localStorage|sessionStorage|indexedDB|cookie|set_cookie|open|execCommand|setHTMLUnsafe|import)$/;

const files = (dir, ext) => existsSync(dir) ? readdirSync(dir, { recursive: true })
  .filter((f) => f.endsWith(ext) && !f.includes('node_modules')).map((f) => join(dir, f)) : [];

export function scan(paths, patterns) {
  const hits = [];
  for (const p of paths) {
    readFileSync(p, 'utf8').split('\n').forEach((line, n) => {
      if (/^\s*(\/\/|\*|\/\*)/.test(line)) return; // comments may name the sinks
      if (patterns.some((re) => re.test(line))) hits.push(`${p}:${n + 1}: ${line.trim()}`);
    });
  }
  return hits;
}

/** Inline script, inline handlers and javascript: URLs in extension HTML. */
export function htmlProblems(path) {
  const html = readFileSync(path, 'utf8');
  const problems = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bsrc\s*=/.test(m[1]) || m[2].trim()) problems.push(`${path}: inline <script>`);
  }
  if (/\son[a-z]+\s*=/i.test(html)) problems.push(`${path}: inline event handler attribute`);
  if (/javascript:/i.test(html)) problems.push(`${path}: javascript: URL`);
  if (/<(iframe|object|embed)\b/i.test(html)) problems.push(`${path}: embedded frame/object`);
  return problems;
}

/** Names of the wasm-bindgen glue's import functions (`__wbg_<name>_<hash>`). */
export function glueImports(js) {
  const names = new Set();
  for (const m of js.matchAll(/\b__wbg_([A-Za-z0-9_$]+?)_[0-9a-f]{16}\s*:\s*function/g)) names.add(m[1]);
  return [...names].sort();
}

const extensionJs = [...files(join(root, 'extension'), '.js'), ...files(join(root, 'extension'), '.mjs')];
const extensionHtml = files(join(root, 'extension'), '.html');
const agent = files(join(root, 'extension', 'agent'), '.js'); // the agent's parts (build.sh assembles them)

test('no HTML sinks or dynamic code in any extension JS', () => {
  assert.ok(extensionJs.length >= 3);
  assert.deepEqual(scan(extensionJs, JS_SINKS), []);
});

test('no persistent storage from extension JS', () => {
  assert.deepEqual(scan(extensionJs, JS_STORAGE), []);
});

test('the agent: no postMessage channel, no page globals, no console output', () => {
  assert.ok(agent.length >= 2, 'the agent parts are in extension/agent/');
  assert.deepEqual(scan(agent, AGENT_CHANNELS), []);
});

test('extension HTML: no inline script, no inline handlers, no javascript: URLs', () => {
  assert.ok(extensionHtml.length >= 2);
  assert.deepEqual(extensionHtml.flatMap(htmlProblems), []);
});

test('the Rust UI uses no HTML sinks, no persistent storage, no handler attributes', () => {
  const rs = files(join(root, 'src'), '.rs');
  assert.ok(rs.length > 10);
  assert.deepEqual(scan(rs, RUST_SINKS), []);
});

test('the scanners find what they are looking for', () => {
  // Guards against scanners that can never fail.
  const sample = join(FIXTURES, 'sinks-sample.js.txt');
  assert.equal(scan([sample], JS_SINKS).length, 9);
  assert.equal(scan([sample], JS_STORAGE).length, 3);
  assert.equal(scan([sample], AGENT_CHANNELS).length, 5);
  assert.equal(scan([join(FIXTURES, 'sinks-sample.rs.txt')], RUST_SINKS).length, 8);
  assert.equal(htmlProblems(join(FIXTURES, 'sinks-sample.html.txt')).length, 4);
  assert.deepEqual(glueImports('__wbg_set_innerHTML_0123456789abcdef: function(a, b) {}, __wbg_get_fedcba9876543210: function() {}'),
    ['get', 'set_innerHTML']);
});

// One glue file per context's module (build.sh: keyferry_<context>.js).
const pkg = join(root, 'dist', 'chrome', 'pkg');
const glue = existsSync(pkg) ? files(pkg, '.js') : [];
test('generated wasm-bindgen glue: no sinks, no eval, imports only safe DOM calls, fetches only its own wasm', { skip: glue.length === 0 }, () => {
  assert.equal(glue.length, 3); // background, overlay, pages
  assert.deepEqual(scan(glue, JS_SINKS), []);
  assert.deepEqual(scan(glue, JS_STORAGE), []);
  for (const file of glue) {
    const js = readFileSync(file, 'utf8');
    const imports = glueImports(js);
    assert.ok(imports.length > 15, `${file}: only ${imports.length} imports: is the glue format still understood?`);
    assert.deepEqual(imports.filter((n) => GLUE_FORBIDDEN_IMPORTS.test(n)), [], file);
    // Text goes in through textContent; no import writes markup.
    assert.deepEqual(imports.filter((n) => /html/i.test(n) && !/^instanceof_Html/.test(n)), [], file);
    // The one network access is the module's own .wasm (init path).
    assert.equal([...js.matchAll(/\bfetch\s*\(/g)].length, 1, `${file}: fetch() appears once, in the init path`);
    assert.match(js, /module_or_path = fetch\(module_or_path\)/);
    assert.doesNotMatch(js, /XMLHttpRequest|WebSocket|sendBeacon|EventSource/);
    console.log(`glue imports of ${file.split('/').pop()} (${imports.length}): ${imports.join(' ')}`);
    // The Firefox build carries the same glue.
    const ff = file.replace(`${join('dist', 'chrome')}`, join('dist', 'firefox'));
    if (existsSync(ff)) assert.equal(readFileSync(ff, 'utf8'), js);
  }
});
