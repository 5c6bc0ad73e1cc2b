// Loads the wasm core and starts the overlay UI (src/web/overlay.rs).
import init, { overlay_start } from './pkg/keyferry_overlay.js';

init({ module_or_path: new URL('./pkg/keyferry_overlay_bg.wasm', import.meta.url) }).then(overlay_start);
