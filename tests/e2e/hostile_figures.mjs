// Timing figures for issue 13 §4 (bounded work on hostile DOMs), Chromium,
// with the extension vs. without it, measured in one run. Prints figures
// only; nothing here asserts a timing (the e2e tests assert conditions).
//
//   node tests/e2e/hostile_figures.mjs            (dist/chrome of this tree)
//   KF_DIST_CHROME=/path/to/dist/chrome node ...  (another build, e.g. main's)
//   KF_FIGURES=labels,inputs node ...             (only these scenarios: labels, inputs, pushflood)
//
// 1. labels: 2,000 nested hidden labels of 2,500 characters and an attribute
//    change every 100 ms (TOKENS?kfhostile=labels): over 10 s after load, the
//    page's own 100 ms timer ticks, main-thread task time (CDP TaskDuration,
//    content scripts included) and the longest task (PerformanceObserver).
// 2. inputs: 5,000 look-alike inputs on the Workato form: script time
//    (CDP ScriptDuration) over 10 s of an idle page, after it settled.
// 3. pushflood: 50 frames × 200 pushState calls in tab A; in tab B (the
//    Salesforce form) the time from a trusted click on Fill to the value in
//    the field, with tab A flooding vs. tab A quiet (extension only: Fill is
//    keyferry's); and the time tab A needs for its 10,000 calls.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { chromium } from 'playwright-core';

import { CHROMIUM_BIN, DIST_CHROME, hostResolverRules, overlayFrame, startFixtureServer, waitFor } from './lib/chromium.mjs';

const TOKENS = 'https://acme-admin.okta.com/admin/access/api/tokens';
const WORKATO = 'https://app.workato.com/connections/new?kfstate=empty&kfhostile=inputs';
const PUSHFLOOD = 'https://acme-admin.okta.com/assets/pushflood?kfhostile=pushflood';
const QUIET = 'https://acme-admin.okta.com/assets/pushflood';
const SF_EDIT = 'https://acme.my.salesforce.com/app/mgmt/forceconnectedapps/forceAppEdit.apexp?kfstate=partial';
const CALLBACK_ID = 'appsetup:setupForm:details:consumersection:oauthSection:multiCallbackUrlSection:callbackUrl';
const FILL = '[data-kf-action=fill][data-kf-overwrite=true]';
const WINDOW_MS = 10_000;

async function browser(server, withExtension) {
  const dir = await mkdtemp(join(tmpdir(), 'kf-figures-'));
  const args = [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic',
    `--host-resolver-rules=${hostResolverRules(server.hosts, server.port)}`,
    ...(withExtension ? [`--disable-extensions-except=${DIST_CHROME}`, `--load-extension=${DIST_CHROME}`] : []),
  ];
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_BIN, headless: false, args, ignoreDefaultArgs: ['--disable-extensions'],
    ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 },
  });
  return { context, close: async () => { await context.close(); await rm(dir, { recursive: true, force: true }); } };
}

async function metrics(cdp) {
  const { metrics: m } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(m.map((x) => [x.name, x.value]));
}

/** Loads `url`, lets it settle, then measures a 10 s window. */
async function window10s(context, url, settleMs) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    globalThis.__kfLongest = 0;
    try {
      new PerformanceObserver((l) => { for (const e of l.getEntries()) globalThis.__kfLongest = Math.max(globalThis.__kfLongest, e.duration); })
        .observe({ type: 'longtask', buffered: true });
    } catch { /* no longtask */ }
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(url, { waitUntil: 'load' });
  await sleep(settleMs);
  const t0 = await page.evaluate(() => window.__kfHostile?.ticks ?? 0);
  const m0 = await metrics(cdp);
  await page.evaluate(() => { globalThis.__kfLongest = 0; });
  await sleep(WINDOW_MS);
  const m1 = await metrics(cdp);
  const t1 = await page.evaluate(() => window.__kfHostile?.ticks ?? 0);
  const longest = await page.evaluate(() => globalThis.__kfLongest);
  const overlay = await page.evaluate(() => !!document.querySelector('keyferry-overlay'));
  await page.close();
  return { ticks: t1 - t0, taskMs: (m1.TaskDuration - m0.TaskDuration) * 1000, scriptMs: (m1.ScriptDuration - m0.ScriptDuration) * 1000,
    longestMs: longest, overlay };
}

/** Tab A floods (or not); tab B: ms from the trusted click on Fill to the value in the field. */
async function fillLatency(context, aUrl) {
  const b = await context.newPage();
  await b.goto(SF_EDIT);
  const frame = await overlayFrame(b);
  await frame.waitForSelector(FILL, { timeout: 15_000 });
  const a = await context.newPage();
  await a.goto(aUrl);
  if (aUrl === PUSHFLOOD) await waitFor(async () => (await a.evaluate(() => window.__kfHostile?.pushes ?? 0)) > 500, 'the flood', 20_000);
  else await sleep(1000);
  await b.bringToFront();
  const f = await overlayFrame(b);
  const started = Date.now();
  await f.click(FILL);
  await waitFor(async () => (await b.evaluate((id) => document.getElementById(id)?.value, CALLBACK_ID)).includes('okta.com'), 'the fill', 30_000, 10);
  const ms = Date.now() - started;
  await a.close();
  await b.close();
  return ms;
}

async function floodDuration(context) {
  const a = await context.newPage();
  const started = Date.now();
  await a.goto(PUSHFLOOD);
  await waitFor(async () => (await a.evaluate(() => window.__kfHostile?.pushes ?? 0)) === 10_000, 'all 10,000 pushState calls', 120_000, 50);
  const ms = Date.now() - started;
  await a.close();
  return ms;
}

const ONLY = new Set((process.env.KF_FIGURES ?? 'labels,inputs,pushflood').split(','));
const skipped = { ticks: 0, taskMs: 0, scriptMs: 0, longestMs: 0, overlay: null };
const ratio = (a, b) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
const r0 = (x) => Math.round(x);

const server = await startFixtureServer();
const out = [];
try {
  const runs = {};
  for (const withExt of [false, true]) {
    const { context, close } = await browser(server, withExt);
    try {
      if (withExt) { const warm = await context.newPage(); await warm.goto(TOKENS); await overlayFrame(warm); await warm.close(); }
      runs[withExt] = {
        labels: ONLY.has('labels') ? await window10s(context, `${TOKENS}?kfhostile=labels`, 3000) : skipped,
        inputs: ONLY.has('inputs') ? await window10s(context, WORKATO, 3000) : skipped,
        flood: ONLY.has('pushflood') ? await floodDuration(context) : 0,
        fillQuiet: withExt && ONLY.has('pushflood') ? await fillLatency(context, QUIET) : null,
        fillFlood: withExt && ONLY.has('pushflood') ? await fillLatency(context, PUSHFLOOD) : null,
      };
    } finally {
      await close();
    }
  }
  const [off, on] = [runs[false], runs[true]];
  out.push(`dist: ${DIST_CHROME}`);
  if (ONLY.has('labels')) out.push(`labels (10 s window): page ticks ${on.labels.ticks} with / ${off.labels.ticks} without (ratio ${ratio(on.labels.ticks, off.labels.ticks)}); ` +
    `task time ${r0(on.labels.taskMs)} / ${r0(off.labels.taskMs)} ms (ratio ${ratio(on.labels.taskMs, off.labels.taskMs)}); ` +
    `longest task ${r0(on.labels.longestMs)} / ${r0(off.labels.longestMs)} ms; panel shown: ${on.labels.overlay}`);
  if (ONLY.has('inputs')) out.push(`inputs (10 s idle window): script time ${r0(on.inputs.scriptMs)} / ${r0(off.inputs.scriptMs)} ms (ratio ${ratio(on.inputs.scriptMs, off.inputs.scriptMs)}); ` +
    `task time ${r0(on.inputs.taskMs)} / ${r0(off.inputs.taskMs)} ms (ratio ${ratio(on.inputs.taskMs, off.inputs.taskMs)}); panel shown: ${on.inputs.overlay}`);
  if (ONLY.has('pushflood')) out.push(`pushflood: 10,000 pushState calls in 50 frames took ${on.flood} / ${off.flood} ms (ratio ${ratio(on.flood, off.flood)})`);
  if (ONLY.has('pushflood')) out.push(`another tab's Fill (click to value): ${on.fillFlood} ms while tab A floods / ${on.fillQuiet} ms with tab A quiet (ratio ${ratio(on.fillFlood, on.fillQuiet)})`);
} finally {
  await server.stop();
}
console.log(out.join('\n'));
