// Browser-independent parts of keyferry's end-to-end rig, used by both drivers
// (lib/chromium.mjs, lib/firefox.mjs): the fixture server process, plain HTTPS
// fetches from the test process, fixture responses read from disk, condition
// waits, and the grep of a profile directory for secrets.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { E2E_DIR, fixtureHosts } from '../hosts.mjs';

export const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'";

// ------------------------------------------------------------------ fixture server

/**
 * Start tests/e2e/fixture_server.py on `port` (0 = any free port) and wait for
 * its ready file. Returns { port, hosts, stop() }.
 */
export async function startFixtureServer({ port = 0, verbose = !!process.env.KF_E2E_VERBOSE, timeout = 20_000 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'kf-e2e-server-'));
  const readyFile = join(dir, 'ready');
  const python = process.env.KF_PYTHON ?? 'python3';
  const args = [join(E2E_DIR, 'fixture_server.py'), '--port', String(port), '--ready-file', readyFile];
  if (verbose) args.push('--verbose');
  const proc = spawn(python, args, { stdio: ['ignore', 'inherit', verbose ? 'inherit' : 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (chunk) => { stderr += chunk; });
  let exited = null;
  const exitPromise = new Promise((res) => proc.on('exit', (code, signal) => { exited = { code, signal }; res(exited); }));

  const deadline = Date.now() + timeout;
  let actualPort = null;
  while (Date.now() < deadline) {
    if (exited) break;
    if (existsSync(readyFile)) {
      const text = readFileSync(readyFile, 'utf8').trim();
      if (text) { actualPort = Number(text); break; }
    }
    await sleep(50);
  }
  if (!actualPort) {
    proc.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`fixture server did not become ready (exit=${JSON.stringify(exited)}): ${stderr.trim()}`);
  }

  return {
    port: actualPort,
    hosts: fixtureHosts(),
    process: proc,
    async stop() {
      if (!exited) {
        proc.kill('SIGTERM');
        const killer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        await exitPromise;
        clearTimeout(killer);
      }
      await rm(dir, { recursive: true, force: true });
      return exited;
    },
  };
}

/**
 * Plain HTTPS GET of a fixture URL from the test process (not the browser),
 * sent to the fixture server on loopback with the URL's Host header.
 * Returns { status, headers, body }.
 */
export function fetchFixture(server, url) {
  const u = new URL(url);
  return new Promise((res, rej) => {
    const req = https.request({
      host: '127.0.0.1',
      port: server.port,
      path: u.pathname + u.search,
      method: 'GET',
      servername: u.hostname,
      headers: { Host: u.host },
      rejectUnauthorized: false, // throwaway self-signed certificate
    }, (resp) => {
      const chunks = [];
      resp.on('data', (c) => chunks.push(c));
      resp.on('end', () => res({ status: resp.statusCode, headers: resp.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', rej);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout fetching ${url}`)));
    req.end();
  });
}

/**
 * Polls `fn` until it returns something truthy, and returns that. A throw
 * (a frame navigating or replaced, an element not there yet) counts as "not
 * yet"; the last result or error is in the timeout message.
 */
export async function waitFor(fn, what, timeout = 10_000, interval = 150) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    let ok = false;
    try { last = await fn(); ok = !!last; } catch (e) { last = `threw ${e?.message ?? e}`; }
    if (ok) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 500)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

// ------------------------------------------------------------------ secrets at rest

/**
 * Firefox's mozLz4 container (session store and others): magic, uint32 size,
 * one LZ4 block. The decompressed bytes, or null when `buf` is not one.
 */
export function mozLz4(buf) {
  if (buf.length < 12 || !buf.subarray(0, 8).equals(Buffer.from('mozLz40\0', 'latin1'))) return null;
  const size = buf.readUInt32LE(8);
  const src = buf.subarray(12);
  const out = Buffer.alloc(size);
  let i = 0;
  let o = 0;
  try {
    while (i < src.length) {
      const token = src[i++];
      let lit = token >> 4;
      if (lit === 15) for (let b = 255; b === 255;) { b = src[i++]; lit += b; }
      src.copy(out, o, i, i + lit); o += lit; i += lit;
      if (i >= src.length) break;
      const off = src[i] | (src[i + 1] << 8); i += 2;
      let ml = token & 15;
      if (ml === 15) for (let b = 255; b === 255;) { b = src[i++]; ml += b; }
      ml += 4;
      if (off === 0 || o - off < 0) return null;
      for (let k = 0; k < ml; k++, o++) out[o] = out[o - off];
    }
  } catch {
    return null;
  }
  return out.subarray(0, Math.min(o, size));
}

/**
 * Every file under `dir` that contains one of `secrets` ({ name, value }),
 * as UTF-8 or UTF-16LE bytes (LevelDB, SQLite and session files store
 * either) or JSON-escaped, whole or by a 32-character piece from its middle
 * (a PEM may be stored re-wrapped); mozLz4 files are searched decompressed
 * too. Returns [{ file, secret, encoding }].
 */
export function grepTree(dir, secrets) {
  const needles = [];
  for (const s of secrets) {
    const flat = s.value.replace(/\s+/g, '');
    const pieces = new Set([s.value, flat.length > 48 ? flat.slice(Math.floor(flat.length / 2) - 16, Math.floor(flat.length / 2) + 16) : flat]);
    for (const p of pieces) {
      needles.push({ secret: s.name, encoding: 'utf-8', bytes: Buffer.from(p, 'utf8') });
      needles.push({ secret: s.name, encoding: 'utf-16le', bytes: Buffer.from(p, 'utf16le') });
      needles.push({ secret: s.name, encoding: 'json', bytes: Buffer.from(JSON.stringify(p).slice(1, -1), 'utf8') }); // a newline as \n
    }
  }
  const hits = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        let buf;
        try { buf = readFileSync(p); } catch { continue; }
        const unpacked = mozLz4(buf);
        for (const [suffix, blob] of [['', buf], ...(unpacked ? [[' (mozLz4)', unpacked]] : [])]) {
          const file = p.slice(dir.length + 1) + suffix;
          for (const n of needles) {
            if (blob.includes(n.bytes) && !hits.some((h) => h.file === file && h.secret === n.secret)) {
              hits.push({ file, secret: n.secret, encoding: n.encoding });
            }
          }
        }
      }
    }
  };
  walk(dir);
  return hits;
}

/** Human-readable list of collected errors ({ kind, url, text }) for assertion messages. */
export function formatErrors(errors) {
  return errors.map((e) => `  [${e.kind}] ${e.url ? e.url + ': ' : ''}${e.text}`).join('\n');
}
