// ./build.sh demo: Chromium with the built extension on the bundled console
// replicas (tests/fixtures), served on the consoles' real hostnames, starting
// at the demo landing page (tests/fixtures/demo.keyferry.test), which walks
// through one integration end to end.
//
// With a display ($DISPLAY or $WAYLAND_DISPLAY) the browser opens on the
// landing page and the script waits until you close it. Without one (a
// server, CI) it follows the walk-through headless (tests/e2e/lib/demo.mjs:
// capture on Okta, Fill on Workato), saves a screenshot of the landing page
// and of each step into dist/demo/ and exits, so the command still proves the
// demo runs.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './hosts.mjs';
import { launch, startFixtureServer } from './lib/chromium.mjs';
import { LANDING, readLanding, walkThrough } from './lib/demo.mjs';

const headed = !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const server = await startFixtureServer({ port: 0 });
const session = await launch({ server, headless: !headed, extraArgs: ['--ignore-certificate-errors'] });
let failed = false;
try {
  const { page } = await session.openFixture(LANDING);
  if (headed) {
    console.log(`keyferry demo: Chromium is open on ${page.url()}; close the browser window to stop.`);
    await new Promise((res) => session.context.on('close', res));
  } else {
    const out = join(REPO_ROOT, 'dist', 'demo');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    console.log('keyferry demo: no display, so following the walk-through headless and saving screenshots.');
    await page.setViewportSize({ width: 1280, height: 800 });
    const landing = await readLanding(page);
    await page.screenshot({ path: join(out, '0-landing.png'), fullPage: true });
    console.log(`  landing page → ${join(out, '0-landing.png')} (${landing.steps.length} steps, ${landing.pages.length} replica links)`);
    let n = 0;
    await walkThrough(page, landing, {
      onStep: async (step, state) => {
        n += 1;
        await page.waitForTimeout(500); // let the panel paint
        const file = join(out, `${n}-${step.id}.png`);
        await page.screenshot({ path: file });
        console.log(`  step ${n} ${step.page} ${state.progress} → ${file}`);
      },
    }).catch((err) => {
      failed = true;
      console.error(`keyferry demo: the walk-through failed: ${err.message}`);
    });
  }
} finally {
  await session.close();
  await server.stop();
}
process.exit(failed ? 1 : 0);
