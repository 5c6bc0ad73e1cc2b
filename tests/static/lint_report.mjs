// Prints web-ext lint's findings and fails on any error, or on a warning
// that is not explained in the README's "web-ext lint" section.
import { readFileSync } from 'node:fs';

const EXPLAINED = new Set([
  // Each code here has its reason in README.md ("web-ext lint").
]);

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { errors = [], warnings = [], notices = [] } = report;
for (const e of errors) console.log(`error   ${e.code}: ${e.message} (${e.file ?? ''})`);
for (const w of warnings) console.log(`warning ${w.code}: ${w.message} (${w.file ?? ''})${EXPLAINED.has(w.code) ? ' [explained in README]' : ''}`);
const unexplained = warnings.filter((w) => !EXPLAINED.has(w.code));
console.log(`web-ext lint: ${errors.length} errors, ${warnings.length} warnings (${unexplained.length} unexplained), ${notices.length} notices`);
process.exit(errors.length || unexplained.length ? 1 : 0);
