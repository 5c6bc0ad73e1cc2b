// Prints what the last e2e run defined per browser (tests/e2e/.out/scenarios/*.json,
// written by lib/driver.mjs): scenario counts per browser and the list of
// exceptions, i.e. scenarios that run only in some browsers, with the reason.
//   node tests/e2e/lib/summary.mjs

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { SCENARIO_DIR } from './driver.mjs';

const records = existsSync(SCENARIO_DIR)
  ? readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(SCENARIO_DIR, f), 'utf8')))
  : [];
const byBrowser = {};
for (const r of records) {
  const b = (byBrowser[r.browser] ??= { scenarios: 0, exceptions: 0 });
  b.scenarios += r.scenarios;
  b.exceptions += r.exceptions.length;
}
console.log('e2e scenarios per browser (run / not run here: exceptions):');
for (const [browser, c] of Object.entries(byBrowser)) console.log(`  ${browser}: ${c.scenarios} run, ${c.exceptions} exceptions`);
const exceptions = new Map();
for (const r of records) {
  for (const e of r.exceptions) exceptions.set(`${r.file} › ${e.name}`, `only in ${e.only.join(', ')}: ${e.why}`);
}
console.log(`exceptions (${exceptions.size}):`);
for (const [name, why] of exceptions) console.log(`  ${name}\n      ${why}`);
