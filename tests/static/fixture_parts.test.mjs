// Fixture composition (tests/fixtures/README.md, "Shared parts"): every replica in
// tests/fixtures composes from its parts, and tests/e2e/fixture_server.py, run for
// real over HTTPS on a throwaway fixture tree, fills parts, reports a broken include
// as HTTP 500 naming the part, refuses cycles and names that leave _parts, and never
// serves a part directly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = join(root, 'tests', 'e2e', 'fixture_server.py');

function check(fixtures) {
  try {
    return { code: 0, out: execFileSync('python3', [SERVER, '--check', '--fixtures', fixtures], { encoding: 'utf8' }) };
  } catch (e) {
    return { code: e.status, out: String(e.stdout) };
  }
}

test('every replica in tests/fixtures composes from its parts (fixture_server.py --check)', () => {
  const { code, out } = check(join(root, 'tests', 'fixtures'));
  assert.equal(code, 0, out);
  const m = out.match(/(\d+) HTML files, (\d+) composed from parts, 0 errors/);
  assert.ok(m, out);
  assert.ok(Number(m[2]) >= 15, `expected the console pages to use parts: ${out}`);
});

// ------------------------------------------------------------------ a throwaway tree, served for real

const tree = mkdtempSync(join(tmpdir(), 'kf-fixture-parts-'));
const files = {
  '_parts/shell.html':
    '<header>{{title}}</header>\n' +
    '<nav><a href="/a"{{current=a? aria-current="page"|}}>A</a><a href="/b"{{current=b? aria-current="page"|}}>B</a></nav>\n' +
    '<!--#include part="deep/inner" who="{{title}}" -->\n',
  '_parts/deep/inner.html': '<p>inner for {{who}}</p>\n',
  '_parts/loop-a.html': '<!--#include part="loop-b" -->\n',
  '_parts/loop-b.html': '<!--#include part="loop-a" -->\n',
  '_parts/secret.html': '<p>part only</p>\n',
  'outside.html': '<p>outside _parts</p>\n',
  'good.test/index.html': '<body>\n<!--#include part="shell" title="Home" current="b" -->\n<main>page</main>\n</body>\n',
  'good.test/plain.js': '// <!--#include part="secret" --> is only composed in HTML\n',
  'good.test/missing/index.html': '<!--#include part="nope/none" -->\n',
  'good.test/cycle/index.html': '<!--#include part="loop-a" -->\n',
  'good.test/escape/index.html': '<!--#include part="../outside" -->\n',
  'good.test/absolute/index.html': '<!--#include part="/etc/passwd" -->\n',
  'good.test/linkout/index.html': '<!--#include part="link-out" -->\n',
  'good.test/noslot/index.html': '<!--#include part="shell" current="a" -->\n',
  'good.test/typo/index.html': '<!--#include part="secret" tilte="x" -->\n',
  'good.test/malformed/index.html': "<!--#include part='shell' -->\n",
};
for (const [rel, text] of Object.entries(files)) {
  mkdirSync(dirname(join(tree, rel)), { recursive: true });
  writeFileSync(join(tree, rel), text);
}
symlinkSync('../_parts/secret.html', join(tree, 'good.test', 'leak.html'));
symlinkSync('../outside.html', join(tree, '_parts', 'link-out.html'));
symlinkSync('../_parts', join(tree, 'good.test', 'parts-dir'));

let server;
let port;

before(async () => {
  const ready = join(tree, 'ready');
  server = spawn('python3', [SERVER, '--port', '0', '--fixtures', tree, '--ready-file', ready],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (d) => { stderr += d; });
  const deadline = Date.now() + 15000;
  while (!existsSync(ready)) {
    if (server.exitCode !== null) throw new Error(`fixture_server.py exited ${server.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`fixture_server.py wrote no ready file within 15 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  port = Number(readFileSync(ready, 'utf8'));
});

after(() => {
  server?.kill('SIGTERM');
  rmSync(tree, { recursive: true, force: true });
});

function get(host, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { Host: host }, rejectUnauthorized: false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
    req.on('error', reject);
    req.end();
  });
}

test('an include is replaced by its part, slots filled, nested parts included', async () => {
  const r = await get('good.test', '/');
  assert.equal(r.status, 200, r.body);
  assert.equal(r.body,
    '<body>\n<header>Home</header>\n' +
    '<nav><a href="/a">A</a><a href="/b" aria-current="page">B</a></nav>\n' +
    '<p>inner for Home</p>\n<main>page</main>\n</body>\n');
  assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.body));
  assert.match(r.headers['content-security-policy'], /script-src 'self'/);
});

test('only HTML is composed', async () => {
  const r = await get('good.test', '/plain.js');
  assert.equal(r.status, 200);
  assert.equal(r.body, files['good.test/plain.js']);
});

test('a missing part is an HTTP 500 that names it', async () => {
  const r = await get('good.test', '/missing');
  assert.equal(r.status, 500);
  assert.match(r.body, /missing part "nope\/none"/);
  assert.match(r.body, /good\.test\/missing\/index\.html/);
});

test('an include cycle is an HTTP 500 that shows the cycle', async () => {
  const r = await get('good.test', '/cycle');
  assert.equal(r.status, 500);
  assert.match(r.body, /include cycle: loop-a -> loop-b -> loop-a/);
});

test('a part name cannot leave _parts', async () => {
  for (const path of ['/escape', '/absolute']) {
    const r = await get('good.test', path);
    assert.equal(r.status, 500, path);
    assert.match(r.body, /bad part name/, path);
    assert.doesNotMatch(r.body, /outside _parts|root:/, path);
  }
  const r = await get('good.test', '/linkout'); // a part that is a symlink out of _parts
  assert.equal(r.status, 500);
  assert.match(r.body, /missing part "link-out"/);
  assert.doesNotMatch(r.body, /outside _parts/);
});

test('a slot without a value, an attribute without a slot and a malformed include are errors', async () => {
  let r = await get('good.test', '/noslot');
  assert.equal(r.status, 500);
  assert.match(r.body, /part "shell": no value for \{\{title\}\}/);
  r = await get('good.test', '/typo');
  assert.equal(r.status, 500);
  assert.match(r.body, /part "secret" has no slot tilte/);
  r = await get('good.test', '/malformed');
  assert.equal(r.status, 500);
  assert.match(r.body, /malformed include directive/);
});

test('parts are never served directly', async () => {
  const tries = [
    ['good.test', '/_parts/secret.html'],
    ['good.test', '/../_parts/secret.html'],
    ['good.test', '/%2e%2e/_parts/secret.html'],
    ['good.test', '/leak.html'],            // a symlink into _parts
    ['good.test', '/parts-dir/secret.html'], // a directory symlink into _parts
    ['_parts', '/secret.html'],
  ];
  for (const [host, path] of tries) {
    const r = await get(host, path);
    assert.equal(r.status, 404, `${host}${path}: ${r.status} ${r.body}`);
    assert.doesNotMatch(r.body, /part only/, `${host}${path}`);
  }
});

test('--check names every broken page and fails', () => {
  const { code, out } = check(tree);
  assert.equal(code, 1, out);
  for (const want of ['missing part "nope/none"', 'include cycle', 'bad part name "../outside"', 'no value for {{title}}', 'malformed include']) {
    assert.ok(out.includes(want), `--check output lacks ${want}: ${out}`);
  }
});
