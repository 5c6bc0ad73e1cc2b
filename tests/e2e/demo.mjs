// ./build.sh demo: Chromium with the built extension on the bundled console
// replicas (tests/fixtures), served on the consoles' real hostnames.
//
// With a display ($DISPLAY or $WAYLAND_DISPLAY) the browser opens on the demo
// landing page and the script waits until you close it. Without one (a
// server, CI) it visits each demo page headless, saves a screenshot of each
// into dist/demo/ and exits, so the command still proves the demo runs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './hosts.mjs';
import { launch, overlayFrame, overlayState, startFixtureServer } from './lib/chromium.mjs';

export const DEMO_PAGES = [
  'https://acme.lightning.force.com/lightning/setup/NavigationMenus/page?address=%2Fapp%2Fmgmt%2Fforceconnectedapps%2FforceAppEdit.apexp%3FretURL%3D%252Fsetup%252FNavigationMenus%252Fhome&kfstate=partial',
  'https://acme-admin.okta.com/admin/app/oidc_client/instance/0oa1b2c3d4e5f6g7h8i9/?kfstate=partial#tab-general',
  'https://acme-admin.okta.com/admin/access/api/tokens',
  'https://acme.workflows.okta.com/app/connections?kfstate=partial',
  'https://app.workato.com/connections/new?kfstate=partial',
];
const LANDING = 'https://demo.keyferry.test/';

const headed = !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const server = await startFixtureServer({ port: 0 });
const session = await launch({ server, headless: !headed, extraArgs: ['--ignore-certificate-errors'] });
try {
  if (headed) {
    const { page } = await session.openFixture(LANDING);
    console.log(`keyferry demo: Chromium is open on ${page.url()}; close the browser window to stop.`);
    await new Promise((res) => session.context.on('close', res));
  } else {
    const out = join(REPO_ROOT, 'dist', 'demo');
    mkdirSync(out, { recursive: true });
    console.log('keyferry demo: no display, so visiting the demo pages headless and saving screenshots.');
    for (const url of DEMO_PAGES) {
      const { page } = await session.openFixture(url);
      let summary = 'no overlay';
      try {
        const state = await overlayState(await overlayFrame(page, { timeout: 15_000 }));
        summary = `${state.page} ${state.progress}`;
        await page.waitForTimeout(500); // let the panel paint
      } catch (err) {
        summary = `overlay not found: ${err.message}`;
      }
      const u = new URL(url);
      const file = join(out, `${u.host}${u.pathname}`.replace(/[^A-Za-z0-9.-]+/g, '_') + '.png');
      await page.screenshot({ path: file });
      console.log(`  ${url} → ${summary} (${file})`);
      await page.close();
    }
  }
} finally {
  await session.close();
  await server.stop();
}
