// Loads the wasm core and starts the popup UI (src/web/popup.rs).
import init, { popup_start } from './pkg/keyferry_pages.js';

init({ module_or_path: new URL('./pkg/keyferry_pages_bg.wasm', import.meta.url) }).then(popup_start);
