// The agent's spec evaluation (extension/agent/spec.js, the file the build
// assembles into agent-main.js) as an expression to evaluate in a frame of a
// page without the extension: `(spec) => { landmarks, fields }`, what each
// landmark and field locator of one catalog page (page-specs.json) finds
// there. Used by locators.test.mjs (which locator finds each field) and by
// the bench (when the fields the checklist reads were put in the page).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from '../hosts.mjs';

const part = (p) => readFileSync(join(REPO_ROOT, 'extension', 'agent', `${p}.js`), 'utf8');

// Per field: found / ambiguous / too large / not found, the index of the
// locator that found it (`by`), each locator's match counts (`per`), and
// `at`: when the page put the found element in (its own insertion or an
// ancestor's, up through shadow hosts) if the page records insertions in
// `__kfInsertedAt` (the bench's panel loads), else null.
export const SPEC_HARNESS = `(spec) => {
  const state = { overlay: null, layer: null, located: new Map(), lastValues: new Map() };
${part('spec')}
  const insertedAt = (el) => {
    const times = globalThis.__kfInsertedAt;
    if (!times) return null;
    for (let n = el; n; n = n.parentNode instanceof ShadowRoot ? n.parentNode.host : n.parentNode) {
      if (times.has(n)) return times.get(n);
    }
    return null;
  };
  const landmarks = spec.landmarks.map((l) => l.any_of.some((p) => { try { return withWork(() => probe(p)); } catch { return false; } }));
  const fields = spec.fields.map((f) => {
    const per = f.locators.map((loc) => {
      try {
        return withWork(() => { const c = candidates(loc); return { n: c.length, shown: c.filter((x) => visible(x.el)).length }; });
      } catch (e) { return { n: -1, shown: -1 }; }
    });
    let r = null;
    try { r = resolve(f); } catch { r = null; }
    let by = -1;
    if (r && r.el) by = f.locators.findIndex((loc) => { try { return withWork(() => candidates(loc).some((c) => c.el === r.el)); } catch { return false; } });
    const result = r && r.el ? 'found' : r && r.ambiguous ? 'ambiguous' : r && r.tooLarge ? 'too large' : 'not found';
    return { key: f.key, result, by, per, at: r && r.el ? insertedAt(r.el) : null };
  });
  return { landmarks, fields };
}`;

// The same with the XPath shortcut of \`near\` locators switched off (every
// anchor's own text read, as before it existed): the oracle that
// locators.test.mjs holds the shortcut to.
const SHORTCUT = 'function ownTextHolders(head) {';
if (!SPEC_HARNESS.includes(SHORTCUT)) throw new Error(`spec.js has no "${SHORTCUT}"`);
export const SPEC_HARNESS_FULL_SCAN = SPEC_HARNESS.replace(SHORTCUT, `${SHORTCUT} return null;`);
