// Loads the wasm core and starts the overlay UI (src/web/overlay.rs).
// A panic in the core (a wasm trap, `RuntimeError`) surfaces here as an
// uncaught error: the panel then says so (text only) instead of freezing, and
// the admin can reload the panel; the background and other tabs are separate
// instances and keep working.
import init, { overlay_start, fault_arm_click } from './pkg/keyferry_overlay.js';

const i18n = (globalThis.browser ?? globalThis.chrome)?.i18n;
const msg = (key, fallback, subs) => i18n?.getMessage(key, subs) || fallback;
let failed = false;

function fail(text) {
  if (failed) return; // the first error is the one to show
  failed = true;
  const old = document.getElementById('kf-root');
  if (!old) return;
  // A new mount: the stopped instance still holds the old one, so nothing it
  // might still render can replace this notice.
  const mount = old.cloneNode(false);
  const box = document.createElement('section');
  box.className = 'kf kf-gone';
  const p = document.createElement('p');
  p.className = 'kf-notice kf-notice-bad';
  p.setAttribute('role', 'alert');
  p.dataset.kfError = 'overlay';
  p.textContent = text;
  const again = document.createElement('button');
  again.type = 'button';
  again.dataset.kfAction = 'reload-panel';
  again.textContent = msg('overlay_reload_panel', 'Reload the panel');
  again.addEventListener('click', (e) => { if (e.isTrusted) location.reload(); });
  box.append(p, again);
  mount.append(box);
  old.replaceWith(mount);
}

const internal = () => msg('overlay_internal_error', 'keyferry hit an internal error in this panel. Nothing was changed on the page.');
addEventListener('error', (e) => {
  if (e.error instanceof WebAssembly.RuntimeError) { e.preventDefault(); fail(internal()); }
});
addEventListener('unhandledrejection', (e) => {
  if (e.reason instanceof WebAssembly.RuntimeError) { e.preventDefault(); fail(internal()); }
});

// Fault injection for the robustness tests (SECURITY.md, "wasm panic"): the
// panel's click handler panics at the start of the next trusted click, as a
// bug there would. Only code in this extension frame's own realm can arm it
// (the page cannot reach into the extension origin's frame); no input.
Object.defineProperty(globalThis, 'keyferryFault', { value: Object.freeze({ panicOnNextClick: () => fault_arm_click() }) });

// The agent posts this panel its token once, when the frame has loaded, which
// can be before the core has started: keep what arrives until then.
const early = [];
const keep = (e) => early.push(e);
addEventListener('message', keep);

init({ module_or_path: new URL('./pkg/keyferry_overlay_bg.wasm', import.meta.url) })
  .then(() => { removeEventListener('message', keep); overlay_start(early); })
  .catch((e) => fail(msg('overlay_could_not_start', `keyferry could not start here: ${e?.message ?? e}`, [String(e?.message ?? e)])));
