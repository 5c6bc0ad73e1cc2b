// Loads the wasm core and starts the overlay UI (src/web/overlay.rs).
// A panic in the core (a wasm trap, `RuntimeError`) surfaces here as an
// uncaught error: the panel then says so (text only) instead of freezing, and
// the admin can reload the panel; the background and other tabs are separate
// instances and keep working.
import init, { overlay_start } from './pkg/keyferry_overlay.js';

function fail(text) {
  const mount = document.getElementById('kf-root');
  if (!mount) return;
  const box = document.createElement('section');
  box.className = 'kf kf-gone';
  const p = document.createElement('p');
  p.className = 'kf-notice kf-notice-bad';
  p.setAttribute('role', 'alert');
  p.dataset.kfError = 'overlay';
  p.textContent = text;
  const again = document.createElement('button');
  again.type = 'button';
  again.textContent = 'Reload the panel';
  again.addEventListener('click', (e) => { if (e.isTrusted) location.reload(); });
  box.append(p, again);
  mount.replaceChildren(box);
}

addEventListener('error', (e) => {
  if (e.error instanceof WebAssembly.RuntimeError) {
    e.preventDefault();
    fail('keyferry hit an internal error in this panel. Nothing was changed on the page.');
  }
});
addEventListener('unhandledrejection', (e) => {
  if (e.reason instanceof WebAssembly.RuntimeError) {
    e.preventDefault();
    fail('keyferry hit an internal error in this panel. Nothing was changed on the page.');
  }
});

init({ module_or_path: new URL('./pkg/keyferry_overlay_bg.wasm', import.meta.url) })
  .then(overlay_start)
  .catch((e) => fail(`keyferry could not start here: ${e?.message ?? e}`));
