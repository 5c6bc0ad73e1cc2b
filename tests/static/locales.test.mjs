// _locales/en/messages.json against the code: every key the manifest, the Rust
// UI (i18n::t / i18n::tf), the JS (getMessage) or the HTML (data-i18n*) uses is
// defined; every defined key is used; every message has a description; keys are
// sorted (so branches adding keys merge cleanly); placeholders match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MESSAGES = join(root, 'extension/_locales/en/messages.json');
const messages = JSON.parse(readFileSync(MESSAGES, 'utf8'));
const manifestText = readFileSync(join(root, 'manifest.json'), 'utf8');
const manifest = JSON.parse(manifestText);

const files = (dir, exts) => existsSync(join(root, dir)) ? readdirSync(join(root, dir), { recursive: true })
  .filter((f) => exts.some((e) => f.endsWith(e)) && !f.includes('node_modules')).map((f) => join(dir, f)) : [];
const RUST = files('src', ['.rs']);
const JS = files('extension', ['.js', '.mjs']).filter((f) => !f.startsWith('extension/tools/'));
const HTML = files('extension', ['.html']);
const read = (f) => readFileSync(join(root, f), 'utf8');

/** [{key, where}] for every use found by `re` (capture group 1 = key). */
function uses(paths, re) {
  const out = [];
  for (const p of paths) {
    read(p).split('\n').forEach((line, n) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      for (const m of line.matchAll(re)) out.push({ key: m[1], where: `${p}:${n + 1}` });
    });
  }
  return out;
}

const RUST_CALL = /\b(?:i18n::)?tf?\(\s*"([^"]*)"/g;
const used = [
  ...[...manifestText.matchAll(/__MSG_(\w+)__/g)].map((m) => ({ key: m[1], where: 'manifest.json' })),
  ...uses(RUST, RUST_CALL),
  ...uses(RUST, /\bMsg\(\s*"([^"]*)"/g), // the catalog's texts (catalog::text)
  ...uses(JS, /\bgetMessage\(\s*['"]([^'"]+)['"]/g),
  ...uses(HTML, /\bdata-i18n(?:-[a-z-]+)?="([^"]+)"/g),
].filter((u) => !u.key.startsWith('@@')); // predefined messages (@@ui_locale, …)

test('the manifest uses the catalog for its name, description, action title and command', () => {
  assert.equal(manifest.default_locale, 'en');
  assert.match(manifest.name, /^__MSG_\w+__$/);
  assert.match(manifest.description, /^__MSG_\w+__$/);
  assert.match(manifest.action.default_title, /^__MSG_\w+__$/);
  for (const [name, c] of Object.entries(manifest.commands ?? {})) {
    assert.match(c.description, /^__MSG_\w+__$/, `command ${name}`);
  }
  const msg = (v) => messages[v.match(/^__MSG_(\w+)__$/)[1]].message;
  assert.ok(msg(manifest.name).length <= 45, 'name: at most 45 characters (Chrome shows 45)');
  assert.ok(msg(manifest.description).length <= 132, 'description: at most 132 characters (Chrome Web Store)');
});

test('every key used is defined', () => {
  assert.ok(used.length > 4, `found only ${used.length} uses: the scanner is broken`);
  const missing = used.filter((u) => !(u.key in messages)).map((u) => `${u.key} (${u.where})`);
  assert.deepEqual(missing, [], 'keys used but not in messages.json');
});

test('the Rust UI passes only literal keys to i18n::t / i18n::tf', () => {
  // A computed key could not be checked above.
  const bad = uses(RUST, /(?<!\bfn\s+)\b(?:i18n::)?tf?\(\s*([^"\s)][^,)]*)/g)
    .filter((u) => !u.where.startsWith('src/web/i18n.rs'))
    .map((u) => `${u.where}: t(${u.key})`);
  assert.deepEqual(bad, []);
});

test('the popup and options pages use keys under their own prefix', () => {
  const pages = uses(['src/web/popup.rs', 'src/web/options.rs'], RUST_CALL);
  assert.ok(pages.length > 50, `found only ${pages.length} keys: the scanner is broken`);
  assert.deepEqual(pages.filter((u) => !/^(popup|options)_/.test(u.key)).map((u) => `${u.key} (${u.where})`), []);
  const usedHere = new Set(pages.map((u) => u.key));
  assert.deepEqual(Object.keys(messages).filter((k) => /^(popup|options)_/.test(k) && !usedHere.has(k)), [],
    'popup/options keys in messages.json that neither page uses');
});

test('every defined key is used somewhere', () => {
  const text = [manifestText, ...RUST.map(read), ...JS.map(read), ...HTML.map(read)].join('\n');
  const unused = Object.keys(messages).filter((k) => !new RegExp(`["'_]${k}["'_]`).test(text));
  assert.deepEqual(unused, [], 'keys in messages.json that nothing uses');
});

test('keys are sorted, well-formed, and every message has a description', () => {
  const keys = Object.keys(messages);
  assert.deepEqual(keys, [...keys].sort(), 'messages.json keys must be in sorted order');
  for (const [k, v] of Object.entries(messages)) {
    assert.match(k, /^[a-z][a-z0-9_]*$/, `key ${k}: lower case, digits and _ only`);
    assert.equal(typeof v.message, 'string', `${k}.message`);
    assert.ok(v.message.trim().length > 0, `${k}: empty message`);
    assert.equal(typeof v.description, 'string', `${k}: no description`);
    assert.ok(v.description.trim().length >= 10, `${k}: the description must tell a translator where the text appears`);
    assert.deepEqual(Object.keys(v).filter((x) => !['message', 'description', 'placeholders'].includes(x)), [], `${k}: unknown fields`);
    // $name$ placeholders must be declared, and declared ones used.
    const named = [...v.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1].toLowerCase());
    const declared = Object.keys(v.placeholders ?? {}).map((p) => p.toLowerCase());
    assert.deepEqual([...new Set(named)].sort(), [...declared].sort(), `${k}: placeholders`);
    for (const [p, def] of Object.entries(v.placeholders ?? {})) {
      assert.match(def.content, /^\$[1-9]$/, `${k}.placeholders.${p}.content must be $1..$9`);
      assert.ok(def.example, `${k}.placeholders.${p}: add an example for translators`);
    }
  }
});

/** String literals on a Rust line that read like English prose ("Forget all", "Why"). */
export function englishLiterals(line) {
  if (/^\s*\/\//.test(line) || /\bwarn\(|debug_assert|assert|panic!|expect\(/.test(line)) return [];
  // Drop a trailing // comment (one outside string literals: an even number of quotes before it).
  const c = line.indexOf(' //');
  if (c >= 0 && (line.slice(0, c).match(/"/g) ?? []).length % 2 === 0) line = line.slice(0, c);
  const out = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    if (/^\s*[A-Z][a-z]+[ ,.:]/.test(m[1]) || (/^[A-Z][a-z]+$/.test(m[1]) && m[1].length > 2)) out.push(m[1]);
  }
  return out;
}

test('the Rust UI has no user-visible English left in the overlay, popup, options and background notices', () => {
  // Strings a user reads are looked up; what remains in these files are ids,
  // CSS classes, attribute names and log lines.
  const UI = ['src/web/overlay.rs', 'src/web/carry.rs', 'src/web/ui.rs', 'src/web/background.rs', 'src/web/popup.rs',
    'src/web/options.rs', 'src/session/mod.rs', 'src/session/view.rs', 'src/session/carry.rs', 'src/session/ui.rs']
    .filter((f) => existsSync(join(root, f)));
  const hits = [];
  for (const f of UI) {
    read(f).split('\n').forEach((line, n) => {
      for (const lit of englishLiterals(line)) hits.push(`${f}:${n + 1}: "${lit}"`);
    });
  }
  assert.deepEqual(hits, []);
});

test('the scanners find what they look for', () => {
  const keys = (re, text) => [...text.matchAll(re)].map((m) => m[1]);
  assert.deepEqual(keys(RUST_CALL, 'el(doc, "h2", &[], Some(&t("overlay_why"))); i18n::tf("overlay_step", &[&a, &b]); t("popup_x", "fallback")'),
    ['overlay_why', 'overlay_step', 'popup_x']);
  assert.deepEqual(keys(/\bgetMessage\(\s*['"]([^'"]+)['"]/g, "api.i18n.getMessage('popup_title')"), ['popup_title']);
  assert.deepEqual(keys(/\bdata-i18n(?:-[a-z-]+)?="([^"]+)"/g, '<h1 data-i18n="options_title" data-i18n-title="options_tip">'),
    ['options_title', 'options_tip']);
  assert.deepEqual(keys(/(?<!\bfn\s+)\b(?:i18n::)?tf?\(\s*([^"\s)][^,)]*)/g, 'fn t(key: &str) {} t(key) t("ok")'), ['key']);
  assert.deepEqual(englishLiterals('let _ = sec.append_child(&button(doc, "forget", "Forget all", &[]));'), ['Forget all']);
  assert.deepEqual(englishLiterals('el(doc, "summary", &[], Some("Why")); // a "Why" section'), ['Why']);
  assert.deepEqual(englishLiterals('notice(key, false, "The page did not answer; reload it.")'), ['The page did not answer; reload it.']);
  assert.deepEqual(englishLiterals('self.fit(); // a "Why" or "Notes" section opened'), []);
  assert.deepEqual(englishLiterals('el(doc, "p", &[("class", "kf-hint")], Some(&t("overlay_fill_nothing")))'), []);
});
