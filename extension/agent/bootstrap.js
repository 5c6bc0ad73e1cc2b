// keyferry page agent: the bootstrap (the content script on every page of
// the console hosts): the one state object, the candidate paths, messaging,
// the hello, SPA navigation, start and teardown.
//
// The agent is split by job into the files of extension/agent/, which
// build.sh assembles into two scripts: agent.js, this file alone (in a
// closure, 'use strict'), and agent-main.js, one function made of spec.js
// (spec evaluation, bounded work, reading fields), fill.js, ui.js (the
// overlay host and frame, the clickjacking guard, markers), signature.js
// (page signature for drift reports) and lifecycle.js (reporting,
// observers, re-checks, messages from the background). The background
// injects agent-main.js only into a frame whose hello it answers with specs
// (see load() below). The state that lives across the parts is `state`.
//
// It decides nothing. It reports the frame's URL, evaluates the landmark
// and field specs the background sends back, reports what it found, shows
// the overlay iframe when the background says the page is recognized, and
// follows DOM changes and SPA navigation. All rules live in the Rust core.
//
// Invariants: no HTML sinks (text only via textContent), nothing written to
// the page's globals, every DOM walk bounded, every failure a quiet no-op.
  const api = globalThis.browser ?? globalThis.chrome;
  const V = 1;
  const URL_SETTLE_MS = 300;     // URL changes (pushState floods) coalesced: one hello per settle window
  const URL_MAX_WAIT_MS = 1000;  // ... but at least one a second while they keep coming


  // The one state of this frame's agent (per visit of a URL, reset by restart()):
  const state = {
    specs: [],
    href: location.href,
    shown: null, // the last verdict that recognized the page
    dismissed: false,
    dead: false,
    restores: 0, // overlays put back after the page removed ours (per visit)
    evicted: false, // the page kept removing the overlay: stay away until the next navigation
    overlay: null, // { host, frame, dock }
    layer: null, // { host, root }
    markers: [], // [{ el, badge }]
    located: new Map(),
    lastValues: new Map(), // element → its value as last reported (JSON)
    lastReport: '',
  };

  // ---- prefilter -------------------------------------------------------
  // Could this frame's path be a page keyferry knows? Answered here, so that
  // the other pages of the console hosts never wake the background. The
  // paths are the catalog's (src/prefilter.rs), matched as recognition
  // matches them; hosts, fragments and queries are the background's to check.
  // generated:begin (tests/prefilter.rs from src/catalog; do not edit)
  const PATHS = [
    ['exact', '/app/mgmt/forceconnectedapps/forceAppEdit.apexp'],
    ['segments', ['lightning', 'setup', '*', 'page']],
    ['exact', '/app/mgmt/forceconnectedapps/forceAppDetail.apexp'],
    ['exact', '/_ui/core/application/force/connectedapp/ForceConnectedApplicationPage/d'],
    ['prefix', '/app/mgmt/forceconnectedapps/'],
    ['exact', '/_ui/core/application/force/connectedapp/ForceConnectedApplicationPage/e'],
    ['segments', ['lightning', 'setup', 'ManageExternalClientApplication', '**']],
    ['segments', ['lightning', 'setup', 'ExternalClientAppManager', '**']],
    ['segments', ['lightning', 'setup', 'ExternalClientAppsManager', '**']],
    ['prefix', '/admin/apps/active', '[role=dialog], [role=dialog] [role=tab]'],
    ['prefix', '/admin/apps/oauth2-wizard/create'],
    ['segments', ['admin', 'app', '*', 'instance', '*']],
    ['prefix', '/admin/access/api/tokens'],
    ['segments', ['admin', 'app', 'salesforce', 'instance', '*']],
    ['prefix', '/app/', '[role=dialog], dialog, [class*=modal], [class*=Modal]'],
    ['prefix', '/connections/new'],
    ['prefix', '/connections/'],
  ];
  // generated:end
  // What to do on `url`: false (no catalog page has its path: stay quiet),
  // true (say hello), or a CSS selector (say hello once the page has an
  // element it finds: a dialog that opens over pages at their own URL).
  function gateOf(url) {
    let path;
    try { path = new URL(url).pathname; } catch { return false; }
    const trimEnd = (p) => p.replace(/\/+$/, '');
    const segments = (want, got) => {
      for (let i = 0; ; i++) {
        const w = want[i];
        if (w === '**') return true;
        if (w === undefined) return i === got.length;
        if (i >= got.length || (w === '*' ? !got[i] : w !== got[i])) return false;
      }
    };
    const wait = [];
    for (const [kind, v, css] of PATHS) {
      let hit;
      switch (kind) {
        case 'exact': hit = trimEnd(path) === trimEnd(v); break;
        case 'prefix': hit = path.startsWith(v) && (v.endsWith('/') || path.length === v.length || path[v.length] === '/'); break;
        case 'suffix': hit = path.endsWith(v); break;
        default: hit = segments(v, path.replace(/^\/+|\/+$/g, '').split('/'));
      }
      if (!hit) continue;
      if (css === undefined) return true;
      wait.push(css);
    }
    return wait.length ? wait.join(', ') : false;
  }
  // ---- prefilter end

  // ---- messaging -------------------------------------------------------
  function alive() {
    try { return !state.dead && !!api?.runtime?.id; } catch { return false; }
  }
  async function send(msg) {
    if (!alive()) { teardown(); return null; }
    try {
      return await api.runtime.sendMessage({ v: V, msg });
    } catch (e) {
      if (!alive()) teardown(); // extension reloaded or removed: orphaned
      return null;
    }
  }

  // ---- the rest of the agent --------------------------------------------
  // agent-main.js (spec evaluation, fill, the page-side UI, observers) is
  // not declared in the manifest: the background injects it into a frame
  // (scripting.executeScript, the extension's own isolated world) when it
  // answers that frame's hello with specs, so the console pages that are
  // not candidates never parse it. It defines one function of this isolated
  // world (never the page's), called once here with what it shares.
  let main = null;
  function load() {
    if (main) return true;
    if (typeof keyferryAgentMain !== 'function') return false; // not injected (no permission): stay quiet
    try {
      // eslint-disable-next-line no-undef
      main = keyferryAgentMain({ api, V, state, send, alive, busyRetry, urlChanged, teardown, coalesce });
    } catch { main = null; }
    return !!main;
  }

  // The background asked this frame to wait (its share is spent, crate::budget).
  let busyTimer = 0;
  function busyRetry(reply, again) {
    const ms = Math.min(Math.max(Number(reply.retry_ms) || 0, 250), 5000);
    clearTimeout(busyTimer);
    busyTimer = setTimeout(again, ms);
  }

  // ---- waiting for a dialog ---------------------------------------------
  // On a path whose rule carries a selector (gateOf), the agent says hello
  // only once the page has an element the selector finds, and watches the
  // DOM for one meanwhile: a mutation only arms a timer (the next task, or
  // WAIT_CHECK_MS after the previous check in a burst), the check is one
  // querySelector, and nothing else is read.
  const WAIT_CHECK_MS = 50;
  let waiting = null; // { observer, timer, last }
  function found(css) {
    try { return !!document.querySelector(css); } catch { return true; } // a selector the browser refuses: ask
  }
  function waitFor(css) {
    stopWaiting();
    const w = { observer: null, timer: 0, last: 0 };
    const check = () => {
      w.timer = 0;
      w.last = Date.now();
      if (!alive()) { teardown(); return; } // orphaned: stop watching
      if (waiting === w && found(css)) { stopWaiting(); restart(); }
    };
    w.observer = new MutationObserver(() => {
      if (!w.timer) w.timer = setTimeout(check, Math.max(0, w.last + WAIT_CHECK_MS - Date.now()));
    });
    w.observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['id', 'role', 'class', 'open'] });
    waiting = w;
  }
  function stopWaiting() {
    if (!waiting) return;
    waiting.observer.disconnect();
    clearTimeout(waiting.timer);
    waiting = null;
  }

  async function restart() {
    state.href = location.href;
    state.dismissed = false;
    state.evicted = false;
    state.restores = 0;
    state.shown = null;
    state.lastReport = '';
    // Not a path keyferry knows, or one where a dialog opens and none is
    // there yet: stay quiet, and do not wake the background.
    const gate = gateOf(state.href);
    stopWaiting();
    if (gate === false) { state.specs = []; main?.quiet(); return; }
    if (gate !== true && !found(gate)) { state.specs = []; main?.quiet(); waitFor(gate); return; }
    const reply = await send({ hello: { url: state.href, top: window === window.top } });
    if (reply?.type === 'busy') { busyRetry(reply, restart); return; }
    if (state.href !== location.href) { urlChanged(); return; } // moved on meanwhile
    state.specs = reply?.type === 'specs' && Array.isArray(reply.candidates) ? reply.candidates : [];
    // The background loads the rest of the agent into this frame before it
    // answers a hello with specs (agent-main.js; see the loader below).
    if (state.specs.length && load()) { main.begin(); if (reply.preload !== undefined) main.preload(reply.preload); } else { state.specs = []; main?.quiet(); }
  }

  // Calls `fn` once a burst of pokes has been still for `settleMs`, and at
  // the latest `maxMs` after the burst's first poke.
  function coalesce(settleMs, maxMs, fn) {
    let timer = 0;
    let first = 0;
    return {
      poke() {
        const now = Date.now();
        if (!timer) first = now;
        clearTimeout(timer);
        timer = setTimeout(() => { timer = 0; fn(); }, Math.max(0, Math.min(settleMs, first + maxMs - now)));
      },
      cancel() { clearTimeout(timer); timer = 0; },
    };
  }

  // URL changes are coalesced: one hello per settle window (a page can call
  // history.pushState thousands of times), at least one per URL_MAX_WAIT_MS
  // while they keep coming.
  const url = coalesce(URL_SETTLE_MS, URL_MAX_WAIT_MS, () => { if (location.href !== state.href && !state.dead) restart(); });
  const urlChanged = url.poke;
  function onUrlMaybeChanged() { if (location.href !== state.href) urlChanged(); }

  // ---- messages from the background (only for the main part) ---------
  const onMessage = (env, sender, sendResponse) => (main ? main.onMessage(env, sender, sendResponse) : undefined);

  function teardown() {
    if (state.dead) return;
    state.dead = true;
    try { main?.stop(); } catch { /* quiet */ }
    removeEventListener('popstate', onUrlMaybeChanged);
    removeEventListener('hashchange', onUrlMaybeChanged);
    globalThis.navigation?.removeEventListener?.('navigatesuccess', onUrlMaybeChanged);
    clearInterval(poll);
    stopWaiting();
    url.cancel();
    clearTimeout(busyTimer);
    try { api.runtime.onMessage.removeListener(onMessage); } catch { /* orphaned */ }
  }

  // ---- start -----------------------------------------------------------
  addEventListener('popstate', onUrlMaybeChanged);
  addEventListener('hashchange', onUrlMaybeChanged);
  // SPA navigation: the Navigation API where the browser has it, else a
  // cheap URL comparison once a second.
  let poll = 0;
  if (globalThis.navigation?.addEventListener) {
    globalThis.navigation.addEventListener('navigatesuccess', onUrlMaybeChanged);
  } else {
    poll = setInterval(onUrlMaybeChanged, 1000);
  }
  // Orphaned (the extension was reloaded, updated or removed while this page
  // stayed open): runtime.id goes away. The guard's samples (only while the
  // panel is shown) notice it and remove everything we put in the page;
  // elsewhere the next message that fails does.
  // A previous instance of this agent that could not clean up (Firefox
  // destroys a reloaded or updated add-on's content scripts at once, and
  // injects the new ones into open tabs) may have left its elements behind:
  // remove them before drawing ours.
  for (const stale of document.querySelectorAll('keyferry-overlay, keyferry-marks')) stale.remove();
  let listening = false;
  try { api.runtime.onMessage.addListener(onMessage); listening = true; } catch { /* orphaned already */ }
  if (listening) restart(); else teardown();
