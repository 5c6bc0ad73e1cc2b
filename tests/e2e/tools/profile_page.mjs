// Where keyferry's main-thread time goes on one page (a diagnostic, not a
// test): loads the URL in Chromium with dist/chrome (or KF_DIST_CHROME),
// samples the page's renderer with the CDP Profiler until the panel shows
// its checklist and 2.5 s more, and prints self time per function of the
// extension's scripts plus TaskDuration at load, at the checklist and at
// the end.   node tests/e2e/tools/profile_page.mjs URL [URL...]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { CHROMIUM_BIN, DIST_CHROME, hostResolverRules, isOverlayFrameUrl, startFixtureServer } from '../lib/chromium.mjs';

const urls = process.argv.slice(2);
const server = await startFixtureServer({ port: 0 });
const dir = await mkdtemp(join(tmpdir(), 'kf-prof-'));
const context = await chromium.launchPersistentContext(dir, {
  executablePath: CHROMIUM_BIN, headless: false, ignoreDefaultArgs: ['--disable-extensions'], ignoreHTTPSErrors: true,
  viewport: { width: 1280, height: 800 },
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-quic',
    `--host-resolver-rules=${hostResolverRules(server.hosts, server.port)}`,
    `--disable-extensions-except=${DIST_CHROME}`, `--load-extension=${DIST_CHROME}`],
});
const taskMs = async (cdp) => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value * 1000;
try {
  for (const url of urls) {
    for (let warm = 0; warm < 2; warm++) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
      const t0 = Date.now();
      await page.goto(url, { waitUntil: 'load' });
      const atLoad = await taskMs(cdp);
      let atPanel = null, panelMs = null;
      while (Date.now() - t0 < 8000 && atPanel === null) {
        for (const f of page.frames()) {
          if (!isOverlayFrameUrl(f.url())) continue;
          if (await f.evaluate(() => !!document.querySelector('[data-kf-page] [data-kf-item]')).catch(() => false)) { atPanel = await taskMs(cdp); panelMs = Date.now() - t0; }
        }
        if (atPanel === null) await sleep(20);
      }
      await sleep(2500);
      const atEnd = await taskMs(cdp);
      const { profile } = await cdp.send('Profiler.stop');
      await page.close();
      if (!warm) continue;
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const dt = new Map();
      profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
      const self = new Map();
      for (const [id, ms] of dt) {
        const n = byId.get(id);
        const cf = n.callFrame;
        const ext = cf.url.startsWith('chrome-extension://');
        const key = ext ? `${cf.url.split('/').pop()}:${cf.functionName || '(anon)'}:${cf.lineNumber + 1}` : cf.url ? '(page scripts)' : cf.functionName;
        self.set(key, (self.get(key) ?? 0) + ms);
      }
      console.log(`\n${url}\n  TaskDuration load ${atLoad.toFixed(1)} panel ${atPanel?.toFixed(1)} (${panelMs} ms) end ${atEnd.toFixed(1)}`);
      for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) if (k !== '(idle)') console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${k}`);
    }
  }
} finally {
  await context.close(); await rm(dir, { recursive: true, force: true }); await server.stop();
}
