// Where the page's main-thread time goes, with and without keyferry (a
// diagnostic, not a test): loads each URL in two Chromiums (none /
// dist/chrome or KF_DIST_CHROME), traces the page's renderer main thread
// from navigation to load + KF_TRACE_MS (default 2500), and prints the
// top-level task time by kind side by side, plus the script time per
// extension function.   node tests/e2e/tools/trace_page.mjs URL [URL...]
// KF_TRACE_BURST=1: load the page, let it settle, then trace a kf-burst
// (a ?kfburst=N page makes its N mutations; see fixtures burst.js) instead.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { CHROMIUM_BIN, DIST_CHROME, hostResolverRules, startFixtureServer } from '../lib/chromium.mjs';

const urls = process.argv.slice(2);
const SETTLE = Number(process.env.KF_TRACE_MS ?? 2500);
const server = await startFixtureServer({ port: 0 });
async function launch(ext) {
  const dir = await mkdtemp(join(tmpdir(), 'kf-trace-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_BIN, headless: false, ignoreDefaultArgs: ['--disable-extensions'], ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-quic',
      `--host-resolver-rules=${hostResolverRules(server.hosts, server.port)}`,
      ...(ext ? [`--disable-extensions-except=${DIST_CHROME}`, `--load-extension=${DIST_CHROME}`] : [])],
  });
  return { context, close: async () => { await context.close(); await rm(dir, { recursive: true, force: true }); } };
}
async function trace(b, url) {
  const page = await b.context.newPage();
  const cdp = await b.context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  if (process.env.KF_TRACE_BURST) { await page.goto(url, { waitUntil: 'load' }); await sleep(2500); }
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  if (process.env.KF_TRACE_BURST) await page.evaluate(() => dispatchEvent(new Event('kf-burst')));
  else await page.goto(url, { waitUntil: 'load' });
  await sleep(SETTLE);
  await cdp.send('Tracing.end');
  await done;
  await page.close();
  // The page's renderer main thread: the thread of the first ParseHTML/CrRendererMain for the page's URL.
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.pid === e.pid && (x.name === 'ParseHTML' || (process.env.KF_TRACE_BURST && x.name === 'TimerFire'))));
  const mine = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const tasks = mine.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const total = tasks.reduce((s, e) => s + (e.dur ?? 0), 0) / 1000;
  // Attribute each task to the first timeline event inside it.
  const by = new Map(), fn = new Map();
  const inner = mine.filter((e) => e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask').sort((a, b) => a.ts - b.ts);
  let j = 0;
  for (const t of tasks.sort((a, b) => a.ts - b.ts)) {
    while (j < inner.length && inner[j].ts < t.ts) j++;
    const first = inner[j] && inner[j].ts <= t.ts + t.dur ? inner[j] : null;
    let k = first ? first.name : '(other)';
    const d = first?.args?.data;
    if (d?.url?.startsWith('chrome-extension://') || d?.scriptName?.startsWith?.('chrome-extension://')) k += ' [ext]';
    if (first?.name === 'TimerFire' || first?.name === 'FunctionCall') {
      const f = inner.slice(j, j + 3).find((e) => e.args?.data?.url !== undefined || e.args?.data?.functionName);
      const fd = f?.args?.data;
      if (fd?.url?.startsWith?.('chrome-extension://')) { k += ' [ext]'; const n = `${fd.functionName || '(anon)'}:${fd.lineNumber}`; fn.set(n, (fn.get(n) ?? 0) + t.dur / 1000); }
    }
    by.set(k, (by.get(k) ?? 0) + t.dur / 1000);
    if (process.env.KF_TRACE_NESTED) {
      for (let i = j; i < inner.length && inner[i].ts <= t.ts + t.dur; i++) {
        const e = inner[i];
        const u = e.args?.data?.url ?? e.args?.data?.stackTrace?.[0]?.url ?? '';
        const n = `  in ${k}: ${e.name}${String(u).startsWith('chrome-extension://') ? ' [ext]' : ''}`;
        fn.set(n, (fn.get(n) ?? 0) + (e.dur ?? 0) / 1000);
      }
    }
  }
  return { total, by, fn };
}
const none = await launch(false), kf = await launch(true);
try {
  for (const url of urls) {
    await trace(none, url); await trace(kf, url); // warm
    const a = await trace(none, url), b = await trace(kf, url);
    console.log(`\n${url}\n  main-thread tasks: none ${a.total.toFixed(1)} ms, keyferry ${b.total.toFixed(1)} ms`);
    const keys = new Set([...a.by.keys(), ...b.by.keys()]);
    for (const k of [...keys].sort((x, y) => ((b.by.get(y) ?? 0) - (a.by.get(y) ?? 0)) - ((b.by.get(x) ?? 0) - (a.by.get(x) ?? 0))).slice(0, 14)) {
      console.log(`  ${k.padEnd(34)} ${(a.by.get(k) ?? 0).toFixed(1).padStart(7)} ${(b.by.get(k) ?? 0).toFixed(1).padStart(7)}`);
    }
    for (const [n, ms] of [...b.fn].sort((x, y) => y[1] - x[1]).slice(0, process.env.KF_TRACE_NESTED ? 40 : 8)) console.log(`    ext fn ${n.padEnd(30)} ${ms.toFixed(1)}`);
  }
} finally { await none.close(); await kf.close(); await server.stop(); }
