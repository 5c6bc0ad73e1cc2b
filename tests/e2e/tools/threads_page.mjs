// Where keyferry's CPU goes on one page, thread by thread (a diagnostic, not
// a test): each URL is loaded KF_TRACE_REPS times (default 5, after one
// warm-up) in two Chromiums, without and with dist/chrome (or
// KF_DIST_CHROME), each load traced from navigation to load + 2.5 s. Prints,
// per load, with − without:
//   - the CPU of every thread (the trace's tdur of its top-level events),
//     by process (the page's renderers, the extension's process: the panel's
//     frame and the worker, the others: browser, GPU/viz, utilities);
//   - the page's main thread by event, self CPU (children's CPU removed).
// KF_TRACE_MAIN=ext: the second list for the extension process's main
// thread (the panel's frame) instead.
//   node tests/e2e/tools/threads_page.mjs URL [URL...]
import { mkdtemp, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { CHROMIUM_BIN, DIST_CHROME, hostResolverRules, startFixtureServer } from '../lib/chromium.mjs';

const urls = process.argv.slice(2);
const REPS = Number(process.env.KF_TRACE_REPS ?? 5);
const SETTLE_MS = 2500;
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink', 'loading',
  'toplevel', '__metadata'];
const server = await startFixtureServer({ port: 0 });

// Launched by hand with a debugging port: tracing is a browser-wide domain,
// which a persistent Playwright context does not expose.
async function launch(ext, port) {
  const dir = await mkdtemp(join(tmpdir(), 'kf-threads-'));
  const proc = spawn(CHROMIUM_BIN, ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--ignore-certificate-errors',
    `--host-resolver-rules=${hostResolverRules(server.hosts, server.port)}`, `--remote-debugging-port=${port}`,
    `--user-data-dir=${dir}`, '--window-size=1280,800',
    ...(ext ? [`--disable-extensions-except=${DIST_CHROME}`, `--load-extension=${DIST_CHROME}`] : []), 'about:blank'],
  { stdio: 'ignore' });
  let browser = null;
  for (let i = 0; i < 100 && !browser; i++) {
    try { browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`); } catch { await sleep(100); }
  }
  if (!browser) throw new Error('Chromium did not start');
  await sleep(1500);
  return {
    browser, context: browser.contexts()[0],
    close: async () => {
      const gone = proc.exitCode !== null || proc.signalCode !== null ? null : new Promise((r) => proc.once('exit', r));
      await browser.close().catch(() => {});
      proc.kill();
      await gone;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function load(b, url) {
  const p = await b.context.newPage();
  await p.goto(url);
  await sleep(SETTLE_MS);
  await p.close();
}

async function measure(b, url) {
  await load(b, url); // warm-up
  const cdp = await b.browser.newBrowserCDPSession();
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
  for (let r = 0; r < REPS; r++) await load(b, url);
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();

  const thread = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') thread.set(`${e.pid}:${e.tid}`, e.args.name);
  const nameOf = (e) => thread.get(`${e.pid}:${e.tid}`) ?? '?';
  // A renderer is the extension's when its main thread's events name the
  // extension's pages and never the page's origin; the page's when they name
  // the page's origin.
  const origin = new URL(url).origin;
  const ext = new Set(), page = new Set();
  for (const e of events) {
    if (nameOf(e) !== 'CrRendererMain' || !e.args) continue;
    const j = JSON.stringify(e.args);
    if (j.includes(origin)) page.add(e.pid);
    else if (/chrome-extension:\/\/[a-z]+\/(overlay|popup|options)\.html/.test(j)) ext.add(e.pid);
  }
  for (const pid of page) ext.delete(pid);
  const kind = (pid) => (page.has(pid) ? 'page' : ext.has(pid) ? 'extension' : 'other');

  const byThread = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || e.tdur === undefined) continue;
    const k = `${e.pid}:${e.tid}`;
    if (!byThread.has(k)) byThread.set(k, []);
    byThread.get(k).push(e);
  }
  const threads = new Map(); // "page CrRendererMain" → ms per load
  const selfCpu = new Map(); // event name → ms per load, on the chosen main thread
  const want = process.env.KF_TRACE_MAIN === 'ext' ? 'extension' : 'page';
  for (const [k, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const pid = Number(k.split(':')[0]);
    const label = `${kind(pid)} ${nameOf(list[0])}`;
    let end = -1;
    let top = 0;
    const stack = [];
    for (const e of list) {
      if (e.ts >= end) { top += e.tdur; end = e.ts + e.dur; }
      if (label !== `${want} CrRendererMain`) continue;
      while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
      const d = e.args?.data ?? {};
      const u = String(d.url ?? d.scriptName ?? '');
      const name = e.name + (u ? (u.startsWith('chrome-extension://') ? ` ${u.split('/').pop()}` : ' (page)') : '');
      selfCpu.set(name, (selfCpu.get(name) ?? 0) + e.tdur / 1000 / REPS);
      if (stack.length) {
        const parent = stack.at(-1);
        selfCpu.set(parent.key, selfCpu.get(parent.key) - e.tdur / 1000 / REPS);
      }
      stack.push({ ts: e.ts, dur: e.dur, key: name });
    }
    threads.set(label, (threads.get(label) ?? 0) + top / 1000 / REPS);
  }
  return { threads, selfCpu };
}

const fmt = (v) => v.toFixed(1).padStart(8);
function diff(title, a, b, n) {
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const d = (k) => (b.get(k) ?? 0) - (a.get(k) ?? 0);
  console.log(`  ${title} (ms per load: without, with, added)`);
  for (const k of keys.sort((x, y) => d(y) - d(x)).slice(0, n)) console.log(`  ${fmt(a.get(k) ?? 0)}${fmt(b.get(k) ?? 0)}${fmt(d(k))}  ${k}`);
  const sum = (m) => [...m.values()].reduce((s, v) => s + v, 0);
  console.log(`  ${fmt(sum(a))}${fmt(sum(b))}${fmt(sum(b) - sum(a))}  (all)`);
}

const port = 9300 + (process.pid % 500);
const none = await launch(false, port);
const kf = await launch(true, port + 1);
try {
  for (const url of urls) {
    const a = await measure(none, url);
    const b = await measure(kf, url);
    console.log(`\n${url} (${REPS} loads each)`);
    diff('CPU by thread', a.threads, b.threads, 16);
    diff(`${process.env.KF_TRACE_MAIN === 'ext' ? "the extension's" : "the page's"} main thread, self CPU by event`, a.selfCpu, b.selfCpu, 24);
  }
} finally { await none.close(); await kf.close(); await server.stop(); }
