// keyferry background loader (Chrome service worker / Firefox event page).
// MV3 requires listeners to be registered synchronously at start-up, so they
// are registered here and every event is handed to the wasm core once it is
// ready. All decisions are made in Rust (src/web/background.rs).
import init, * as core from './pkg/keyferry_background.js';
import { clearClipboardIf, writeClipboard } from './clipboard.js';

const api = globalThis.browser ?? globalThis.chrome;
// Session state (the integration picked per tab) survives a stopped worker in
// storage.session, which lives in memory only and is cleared with the browser.
// Settings (not secret) live in storage.local under one key; an
// administrator's preset in storage.managed (absent: rejected, read as {}).
const loadSettings = () => Promise.all([
  api.storage.local.get('settings').then((r) => r?.settings ?? null, () => null),
  (api.storage.managed?.get(null) ?? Promise.resolve({})).then((r) => r ?? {}, () => ({})),
]).then(([local, managed]) => core.background_settings(local, managed));

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

const ready = init({ module_or_path: new URL('./pkg/keyferry_background_bg.wasm', import.meta.url) })
  .then(() => api.storage?.session?.get(null).catch(() => ({})))
  .then((saved) => core.background_restore(saved ?? {}))
  .then(() => loadSettings().catch((e) => console.warn("keyferry: settings not applied", e?.message)));

const later = (fn) => ready.then(fn).catch((e) => console.warn('keyferry: core unavailable', e?.message));

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  ready
    .then(() => core.background_message(msg, sender)) // a reply, or a promise of one
    .then(sendResponse)
    .catch((e) => sendResponse({ type: 'error', reason: `keyferry core failed: ${e?.message}` }));
  return true; // the reply is asynchronous
});
api.runtime.onConnect.addListener((port) => {
  ready.then(() => core.background_connect(port)).catch(() => port.disconnect());
});
api.tabs.onRemoved.addListener((tabId) => later(() => core.background_tab_closed(tabId)));
api.commands?.onCommand.addListener((command) => later(() => core.background_command(command)));
api.alarms?.onAlarm.addListener((alarm) => later(() => core.background_alarm(alarm.name)));
api.storage.onChanged.addListener((changes, area) => {
  if ((area === 'local' && 'settings' in changes) || area === 'managed') later(loadSettings);
});
// A host permission revoked elsewhere (the browser's own settings): unregister
// the page agent there.
api.permissions?.onRemoved?.addListener(() => later(loadSettings));
