// Page-cost benchmark (./build.sh bench): Chromium with the extension vs.
// without it, on a matched console page, an unmatched page of the same host,
// and a matched page that makes a 10,000-mutation burst.
//
// Reports medians of N loads: page load time (navigation start → load event
// end) and main-thread task time (CDP Performance.getMetrics TaskDuration,
// which includes content-script work), and their ratios. Prints figures only;
// nothing here asserts a timing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { chromium } from 'playwright-core';

import { CHROMIUM_BIN, DIST_CHROME, hostResolverRules, startFixtureServer } from './lib/chromium.mjs';

const N = Number(process.env.KF_BENCH_RUNS ?? 15);
const CASES = [
  { name: 'matched (okta.api.tokens)', url: 'https://acme-admin.okta.com/admin/access/api/tokens', settle: 1500 },
  { name: 'unmatched (okta dashboard)', url: 'https://acme-admin.okta.com/admin/dashboard', settle: 1500 },
  { name: 'matched + 10k-mutation burst', url: 'https://acme-admin.okta.com/admin/access/api/tokens?kfburst=10000', settle: 3000 },
];

async function browser(server, withExtension) {
  const dir = await mkdtemp(join(tmpdir(), 'kf-bench-'));
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

async function measure(context, url, settle) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(url, { waitUntil: 'load' });
  await sleep(settle); // let the agent (and a burst) finish
  const load = await page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation');
    return nav ? nav.loadEventEnd - nav.startTime : NaN;
  });
  const { metrics } = await cdp.send('Performance.getMetrics');
  const task = metrics.find((m) => m.name === 'TaskDuration')?.value * 1000;
  await page.close();
  return { load, task };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const server = await startFixtureServer({ port: 0 });
const plain = await browser(server, false);
const withExt = await browser(server, true);
try {
  console.log(`page cost in Chromium, median of ${N} loads each (with extension ÷ without)`);
  console.log(`${'case'.padEnd(32)} ${'load ms'.padStart(16)} ${'ratio'.padStart(6)} ${'main-thread ms'.padStart(18)} ${'added'.padStart(8)}`);
  for (const c of CASES) {
    // Warm both (first load pays for the service worker and caches).
    await measure(plain.context, c.url, 200);
    await measure(withExt.context, c.url, c.settle);
    const a = [], b = [];
    for (let i = 0; i < N; i++) {
      a.push(await measure(plain.context, c.url, c.settle));
      b.push(await measure(withExt.context, c.url, c.settle));
    }
    const la = median(a.map((m) => m.load)), lb = median(b.map((m) => m.load));
    const ta = median(a.map((m) => m.task)), tb = median(b.map((m) => m.task));
    console.log(`${c.name.padEnd(32)} ${`${la.toFixed(1)} → ${lb.toFixed(1)}`.padStart(16)} ${(lb / la).toFixed(3).padStart(6)}` +
      ` ${`${ta.toFixed(1)} → ${tb.toFixed(1)}`.padStart(18)} ${`${(((tb - ta) / ta) * 100).toFixed(1)}%`.padStart(8)}`);
  }
} finally {
  await withExt.close();
  await plain.close();
  await server.stop();
}
