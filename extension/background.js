// keyferry background loader (Chrome service worker / Firefox event page).
// MV3 requires listeners to be registered synchronously at start-up, so they
// are registered here and every event is handed to the wasm core once it is
// ready. All decisions are made in Rust (src/web/background.rs).
//
// A panic in the core (release builds abort: `RuntimeError: unreachable`)
// leaves that wasm instance unusable. The loader catches it at this boundary,
// answers the message that hit it with an error the overlay shows, drops the
// overlays' ports (they reconnect, and the agents report again), and carries
// on with a fresh instance restored from storage.session, so other tabs keep
// working. The glue keeps one instance per module, hence one import per spare;
// after the last spare every answer is a clear error.
import init0, * as core0 from './pkg/keyferry_background.js';
import init1, * as core1 from './pkg/keyferry_background.js?instance=1';
import init2, * as core2 from './pkg/keyferry_background.js?instance=2';
import { clearClipboardIf, writeClipboard } from './clipboard.js';

const api = globalThis.browser ?? globalThis.chrome;

// The clipboard helper the core calls (src/web/carry.rs): here when this
// context has a DOM (Firefox event page), else in Chrome's offscreen
// document, created for the job and closed after it.
let clipboardQueue = Promise.resolve(); // one job at a time
function clipboardJob(op, text) {
  const run = clipboardQueue.then(() => runClipboardJob(op, text));
  clipboardQueue = run.catch(() => {});
  return run;
}
async function runClipboardJob(op, text) {
  if (typeof document !== 'undefined') return op === 'write' ? writeClipboard(text) : clearClipboardIf(text);
  if (!(await api.offscreen.hasDocument())) {
    await api.offscreen.createDocument({
      url: 'offscreen.html', reasons: ['CLIPBOARD'],
      justification: 'Copy a value the admin asked for, and clear a copied secret once it expires.',
    }).catch(() => {}); // created meanwhile by a parallel job
  }
  let answer;
  try {
    answer = await api.runtime.sendMessage({ kfClipboard: { op, text } });
  } finally {
    await api.offscreen.closeDocument().catch(() => {});
  }
  if (answer !== 'copied' && answer !== 'cleared' && answer !== 'kept') throw new Error('clipboard job failed');
  return answer;
}
globalThis.keyferryShell = {
  writeClipboard: (text) => clipboardJob('write', text),
  clearClipboardIf: (text) => clipboardJob('clear_if', text),
};
const WASM = new URL('./pkg/keyferry_background_bg.wasm', import.meta.url);
const CORES = [[init0, core0], [init1, core1], [init2, core2]];
const ports = new Set(); // overlay ports handed to the current instance
let generation = 0;
let armed = null;         // keyferryFault.panicNext(needle) (tests; see SECURITY.md)

// Session state (the integration picked per tab, the vault) survives a
// stopped worker or a replaced instance in storage.session, which lives in
// memory only and is cleared with the browser.
function start(n) {
  const [init, core] = CORES[n];
  return init({ module_or_path: WASM })
    .then(() => api.storage?.session?.get(null).catch(() => ({})))
    .then((saved) => { core.background_restore(saved ?? {}); return core; })
    .then((core) => Promise.resolve()
      .then(() => core.background_settings && loadSettingsInto(core, true))
      .catch((e) => console.warn('keyferry: settings not applied', e?.message))
      .then(() => core));
}
// Settings (not secret) live in storage.local under one key; an
// administrator's preset in storage.managed (absent: rejected, read as {}).
// At start, storage.managed can take seconds to answer (Chromium reads its
// policies while the browser starts): the core gets the admin's own settings
// at once and the policy when it comes, so pages are not kept waiting. The
// clicks that depend on it (Capture, Fill, Copy) wait for it, but at most
// POLICY_WAIT_MS (Chromium 156 was seen never to answer): then they run on
// the admin's own settings (Session::policy_late), and the policy is applied
// if it comes later.
const POLICY_WAIT_MS = 10_000;
function loadSettingsInto(core, atStart = false) {
  const local = api.storage.local.get('settings').then((r) => r?.settings ?? null, () => null);
  const managed = (api.storage.managed?.get(null) ?? Promise.resolve({})).then((r) => r ?? {}, () => ({}));
  const both = Promise.all([local, managed]).then(([l, m]) => core.background_settings(l, m));
  if (!atStart) return both;
  both.catch((e) => console.warn('keyferry: settings not applied', e?.message));
  let answered = false;
  managed.then(() => { answered = true; });
  setTimeout(() => {
    if (answered) return;
    console.warn(`keyferry: the administrator policy (storage.managed) has not answered in ${POLICY_WAIT_MS / 1000} s; going on without it`);
    try { core.background_policy_late(); } catch (e) { console.warn('keyferry: settings not applied', e?.message); }
  }, POLICY_WAIT_MS);
  return local.then((l) => core.background_settings_pending(l));
}
let ready = start(0);

function crashed() {
  generation += 1;
  for (const port of ports) { try { port.disconnect(); } catch { /* gone */ } }
  ports.clear();
  if (generation < CORES.length) {
    console.error(`keyferry: the core stopped on an internal error; restarted it (${generation}/${CORES.length - 1})`);
    ready = start(generation);
  } else {
    console.error('keyferry: the core stopped on internal errors too often; reload keyferry');
    ready = Promise.reject(new Error('the core stopped on internal errors too often; reload keyferry'));
  }
  ready.catch(() => {});
}

// Runs fn(core) on the current instance; a trap replaces the instance and
// rethrows, so the caller can answer with an error.
function run(fn, msg) {
  let mine = -1;
  return ready.then((core) => {
    mine = generation;
    if (armed !== null && msg !== undefined && JSON.stringify(msg).includes(armed)) { armed = null; core.fault_panic(); }
    return fn(core); // a value, or a promise of one (async core calls)
  }).catch((e) => {
    if (e instanceof WebAssembly.RuntimeError && mine === generation) crashed();
    throw e;
  });
}

const later = (fn) => run(fn).catch((e) => console.warn('keyferry: core unavailable', e?.message));

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  run((core) => core.background_message(msg, sender), msg)
    .then(sendResponse)
    .catch((e) => sendResponse({
      type: 'error',
      reason: e instanceof WebAssembly.RuntimeError
        ? api.i18n.getMessage('notice_internal_error')
        : api.i18n.getMessage('notice_core_failed', [String(e?.message ?? e)]),
    }));
  return true; // the reply is asynchronous
});
api.runtime.onConnect.addListener((port) => {
  run((core) => {
    ports.add(port);
    port.onDisconnect.addListener(() => ports.delete(port));
    core.background_connect(port);
  }).catch(() => { try { port.disconnect(); } catch { /* gone */ } });
});
api.tabs.onRemoved.addListener((tabId) => later((core) => core.background_tab_closed(tabId)));
api.commands?.onCommand.addListener((command) => later((core) => core.background_command(command)));
api.alarms?.onAlarm.addListener((alarm) => later((core) => core.background_alarm(alarm.name)));

api.storage.onChanged.addListener((changes, area) => {
  if ((area === 'local' && 'settings' in changes) || area === 'managed') later((core) => loadSettingsInto(core));
});
// A host permission revoked elsewhere (the browser's own settings): unregister
// the page agent there.
api.permissions?.onRemoved?.addListener(() => later((core) => loadSettingsInto(core)));

// Fault injection for the robustness tests: the core panics while handling
// the next message whose JSON contains `needle` (e.g. '"collapse"'). Only
// code running in this background realm can reach it (not pages, not content
// scripts, not other extensions); it carries no input. See SECURITY.md.
Object.defineProperty(globalThis, 'keyferryFault', {
  value: Object.freeze({ panicNext(needle) { armed = String(needle); }, generation: () => generation }),
});
