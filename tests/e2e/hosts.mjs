// Fixture hostnames, derived at runtime from the tests/fixtures directory names.
//
// Every directory directly under tests/fixtures whose name looks like a hostname
// (contains a dot, does not start with '.' or '_') is a fixture host. Adding a
// new host needs no code change: create tests/fixtures/<host>/.
//
// Keep the rule in sync with hosts.py (the fixture server's half reads the same tree;
// tests/static/hosts.test.mjs fails when the two lists differ).

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(E2E_DIR, '..', '..');
export const FIXTURES_DIR = resolve(process.env.KF_FIXTURES_DIR ?? join(REPO_ROOT, 'tests', 'fixtures'));

const HOST_RE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

export function isHostDirName(name) {
  return HOST_RE.test(name);
}

/** tests/fixtures/_aliases.json: alias host -> the host directory it serves. */
export function hostAliases(fixturesDir = FIXTURES_DIR) {
  const path = join(fixturesDir, '_aliases.json');
  if (!existsSync(path)) return {};
  const raw = JSON.parse(readFileSync(path, 'utf8'));
  return Object.fromEntries(Object.entries(raw).filter(([k, v]) => isHostDirName(k) && isHostDirName(v)));
}

/** Sorted list of fixture hostnames (lowercase, punycode as on disk), aliases included. */
export function fixtureHosts(fixturesDir = FIXTURES_DIR) {
  const dirs = readdirSync(fixturesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && isHostDirName(entry.name))
    .map((entry) => entry.name);
  const aliases = Object.entries(hostAliases(fixturesDir)).filter(([, t]) => dirs.includes(t)).map(([a]) => a);
  return [...new Set([...dirs, ...aliases])].sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(fixtureHosts().join('\n'));
}
