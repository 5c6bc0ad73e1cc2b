// Writes the per-browser manifest from the one source manifest.json.
//   node extension/tools/manifest.mjs chrome|firefox SRC OUT
// Chrome: service worker background, dynamic web-accessible URLs, no gecko keys.
// Firefox: event-page background (scripts), gecko settings kept, no storage.managed_schema
// (Firefox takes managed settings from policies.json).
import { readFileSync, writeFileSync } from 'node:fs';

export function forBrowser(src, browser) {
  const m = structuredClone(src);
  if (browser === 'chrome') {
    delete m.background.scripts;
    delete m.browser_specific_settings;
  } else if (browser === 'firefox') {
    delete m.background.service_worker;
    delete m.minimum_chrome_version;
    delete m.storage; // managed_schema is Chrome's; Firefox reads policies.json "3rdparty"
    for (const war of m.web_accessible_resources ?? []) delete war.use_dynamic_url;
    // Firefox has no offscreen documents: its event page has a DOM.
    m.permissions = m.permissions.filter((p) => p !== 'offscreen');
  } else {
    throw new Error(`unknown browser ${browser}`);
  }
  return m;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [browser, src, out] = process.argv.slice(2);
  const m = forBrowser(JSON.parse(readFileSync(src, 'utf8')), browser);
  writeFileSync(out, JSON.stringify(m, null, 2) + '\n');
}
