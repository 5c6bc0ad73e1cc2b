// Loads the wasm core and starts the options UI (src/web/options.rs).
import init, { options_start } from './pkg/keyferry_pages.js';

init({ module_or_path: new URL('./pkg/keyferry_pages_bg.wasm', import.meta.url) }).then(options_start);
