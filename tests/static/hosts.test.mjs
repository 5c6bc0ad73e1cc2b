// The fixture host rule exists twice: tests/e2e/hosts.mjs (the browsers' host
// mapping) and tests/e2e/hosts.py (the fixture server, which is Python). Both read
// the directory names of a fixture tree; this fails when they disagree on one,
// on the real tree and on a throwaway tree of edge-case names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { FIXTURES_DIR, fixtureHosts, hostAliases } from '../e2e/hosts.mjs';

const E2E = fileURLToPath(new URL('../e2e/', import.meta.url));

function pythonView(dir) {
  const out = execFileSync('python3', ['-c', `import json, sys
import hosts
print(json.dumps({"hosts": hosts.fixture_hosts(sys.argv[1]), "aliases": hosts.host_aliases(sys.argv[1])}))`, dir], { cwd: E2E, encoding: 'utf8' });
  return JSON.parse(out);
}

const sorted = (list) => [...list].sort();

test('hosts.mjs and hosts.py list the same fixture hosts and aliases (the real tree)', () => {
  const py = pythonView(FIXTURES_DIR);
  assert.ok(py.hosts.length > 10, `hosts found: ${py.hosts.length}`);
  assert.deepEqual(sorted(fixtureHosts(FIXTURES_DIR)), sorted(py.hosts));
  assert.deepEqual(hostAliases(FIXTURES_DIR), py.aliases);
});

test('hosts.mjs and hosts.py agree on edge-case directory names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kf-hosts-'));
  try {
    for (const name of ['a.example', 'x-y.example.test', '_parts', '.hidden.example', 'nodot', 'UPPER.example', 'Upper.example',
      '-lead.example', 'trail-.example', 'a..b.example', 'ok1.b2.example', 'xn--kta-red.com']) {
      mkdirSync(join(dir, name));
    }
    writeFileSync(join(dir, 'file.example'), ''); // a file, not a directory
    writeFileSync(join(dir, '_aliases.json'), JSON.stringify({ 'alias.example': 'a.example' }));
    const py = pythonView(dir);
    assert.deepEqual(sorted(fixtureHosts(dir)), sorted(py.hosts));
    assert.deepEqual(hostAliases(dir), py.aliases);
    assert.ok(py.hosts.includes('a.example') && !py.hosts.includes('_parts') && !py.hosts.includes('nodot'), JSON.stringify(py.hosts));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
