// The extension pages that start a wasm core (overlay, popup, options) ask
// for its glue and its wasm in their <head>, so the three fetches run in
// parallel with the page's own script instead of one after the other (the
// panel's checklist ~25 ms sooner, issue 15). A preload that names another
// file than the loader imports is worse than none (a wasted fetch, the real
// one still late), so the names are checked against the loader's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ext = fileURLToPath(new URL('../../extension/', import.meta.url));

/** What a loader script imports from pkg/ and which wasm it hands to init. */
export function loaderNeeds(js) {
  const glue = [...js.matchAll(/^\s*import\s[^;]*?from\s+'\.\/(pkg\/[\w-]+\.js)'/gm)].map((m) => m[1]);
  const wasm = [...js.matchAll(/new URL\('\.\/(pkg\/[\w-]+_bg\.wasm)'/g)].map((m) => m[1]);
  return { glue, wasm };
}

/** The <link>s of an HTML head, as attribute maps. */
export function links(html) {
  return [...html.matchAll(/<link\b([^>]*)>/g)].map((m) => Object.fromEntries(
    [...m[1].matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((a) => [a[1], a[2] ?? ''])));
}

/** Problems with a page's preloads against what its loader needs. */
export function preloadProblems(html, js) {
  const { glue, wasm } = loaderNeeds(js);
  const problems = [];
  if (glue.length !== 1 || wasm.length !== 1) problems.push(`the loader should import one glue and one wasm, found ${glue.length} and ${wasm.length}`);
  const ls = links(html);
  for (const g of glue) {
    if (!ls.some((l) => l.rel === 'modulepreload' && l.href === g)) problems.push(`no <link rel="modulepreload" href="${g}">`);
  }
  for (const w of wasm) {
    const l = ls.find((x) => x.rel === 'preload' && x.href === w);
    if (!l) problems.push(`no <link rel="preload" href="${w}">`);
    // init() fetches it with fetch(): a CORS-mode request, which only a
    // preload marked crossorigin (and as="fetch") is matched with.
    else if (l.as !== 'fetch' || !('crossorigin' in l)) problems.push(`${w}: as="fetch" crossorigin is what fetch() matches`);
  }
  for (const l of ls) {
    if ((l.rel === 'preload' || l.rel === 'modulepreload') && !glue.includes(l.href) && !wasm.includes(l.href)) problems.push(`${l.href} is preloaded but the loader does not use it`);
  }
  return problems;
}

for (const page of ['overlay', 'popup', 'options']) {
  test(`${page}.html preloads exactly the glue and wasm that ${page}.js loads`, () => {
    const html = readFileSync(join(ext, `${page}.html`), 'utf8');
    const js = readFileSync(join(ext, `${page}.js`), 'utf8');
    assert.match(html, new RegExp(`<script type="module" src="${page}.js"></script>`));
    assert.deepEqual(preloadProblems(html, js), []);
  });
}

test('the check notices a stale, missing or mismatched preload', () => {
  const js = "import init, { x } from './pkg/keyferry_a.js';\ninit({ module_or_path: new URL('./pkg/keyferry_a_bg.wasm', import.meta.url) });";
  const good = '<link rel="modulepreload" href="pkg/keyferry_a.js"><link rel="preload" href="pkg/keyferry_a_bg.wasm" as="fetch" crossorigin>';
  assert.deepEqual(preloadProblems(good, js), []);
  assert.equal(preloadProblems(good.replaceAll('keyferry_a', 'keyferry_b'), js).length, 4);
  assert.match(preloadProblems(good.replace(' crossorigin', ''), js).join(), /crossorigin/);
  assert.match(preloadProblems('<link rel="preload" href="pkg/keyferry_a_bg.wasm" as="fetch" crossorigin>', js).join(), /modulepreload/);
  assert.match(preloadProblems(good, js.replace('import init', '// import init')).join(), /one glue/);
});
