// Icons: the manifest names every size the stores and browsers ask for, each
// file is a PNG of exactly that size, and the committed PNGs are what
// extension/tools/icons.py draws (pixels compared, not bytes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));

function pngSize(path) {
  const b = readFileSync(path);
  assert.deepEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${path} is not a PNG`);
  assert.equal(b.toString('latin1', 12, 16), 'IHDR');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

function checkSet(icons, sizes, what) {
  for (const s of sizes) assert.ok(icons?.[s], `${what} has no ${s}px icon`);
  for (const [s, rel] of Object.entries(icons)) {
    assert.deepEqual(pngSize(join(root, 'extension', rel)), [Number(s), Number(s)], `${what} ${s}: ${rel}`);
  }
}

test('extension icons at 16, 32, 48, 96 and 128 px', () => {
  // 16 favicon/menus, 32 Windows taskbar and hi-dpi 16, 48 extension pages,
  // 96 Firefox add-ons manager on hi-dpi, 128 Chrome Web Store and install dialog.
  checkSet(manifest.icons, [16, 32, 48, 96, 128], 'manifest icons');
});

test('toolbar action icons at 16, 24 and 32 px', () => {
  checkSet(manifest.action.default_icon, [16, 24, 32], 'action.default_icon');
});

test('the committed icons are what extension/tools/icons.py draws', () => {
  const out = execFileSync('python3', [join(root, 'extension/tools/icons.py'), '--check'], { encoding: 'utf8' });
  assert.match(out, /match/);
});
