// keyferry page agent: the bootstrap part (constants, the one state object,
// the candidate paths, messaging).
//
// The agent is split by job into the files of extension/agent/, which
// build.sh assembles, in this order, into one content script (agent.js, one
// closure, 'use strict'): bootstrap.js, spec.js (spec evaluation, bounded
// work, reading fields), fill.js, ui.js (the overlay host and frame, the
// clickjacking guard, markers), signature.js (page signature for drift
// reports), lifecycle.js (reporting, observers, SPA navigation, messages,
// start and teardown). Each file sees the others' declarations; the state
// that lives across them is `state`.
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
  const MAX_TEXT = 60000;        // below the core's 64 KiB limit
  const MAX_NODES = 20000;       // per deep query
  const MAX_DEPTH = 64;          // nested shadow roots
  const SETTLE_MS = 150;         // debounce after DOM changes
  const MIN_GAP_MS = 250;        // at most 4 reports a second
  const MAX_RESTORES = 3;        // put the overlay back this often if the page removes it, then stay away
  // After a report, a few checks of what no event announces, further and
  // further apart, then none (no periodic re-scan; a page change, typing or
  // a fill starts them again): recognized, the located fields' values (a
  // script may set .value without any event, e.g. right after a fill); not
  // yet, new shadow roots (one attached to an element already in the page
  // makes no mutation the observers see). Not while the tab is hidden.
  const RECHECK_STEPS = [1000, 2000, 4000, 8000, 16000];
  // Bounded work (issue 13 §4, SECURITY.md): what one report may spend.
  const REPORT_MS = 1000;        // time a report may spend reading the page (a bound on one task, not a target:
                                 // the gap after a report is 4 times its cost, so the agent takes at most ~20%)
  const MAX_VISITS = 1000000;    // nodes, texts and style lookups a report may look at
  const MAX_READ = 2000;
  const MAX_CANDIDATES = 8000;   // controls one locator may match (more: "too large")         // characters of one label, anchor or heading text
  const OVER_RETRY_MS = 2000;    // a report that ran out of time is tried again after this, doubling while it keeps
                                 // running out (the machine may have been busy); out of nodes: only on a page change
  const URL_SETTLE_MS = 300;     // URL changes (pushState floods) coalesced: one hello per settle window
  const URL_MAX_WAIT_MS = 1000;  // ... but at least one a second while they keep coming

  let observer = null;
  let timer = 0;
  let lastSent = 0;

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
    ['prefix', '/admin/apps/active'],
    ['prefix', '/admin/apps/oauth2-wizard/create'],
    ['segments', ['admin', 'app', '*', 'instance', '*']],
    ['prefix', '/admin/access/api/tokens'],
    ['segments', ['admin', 'app', 'salesforce', 'instance', '*']],
    ['prefix', '/app/'],
    ['prefix', '/connections/new'],
    ['prefix', '/connections/'],
  ];
  // generated:end
  function mayBeCandidate(url) {
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
    return PATHS.some(([kind, v]) => {
      switch (kind) {
        case 'exact': return trimEnd(path) === trimEnd(v);
        case 'prefix': return path.startsWith(v) && (v.endsWith('/') || path.length === v.length || path[v.length] === '/');
        case 'suffix': return path.endsWith(v);
        default: return segments(v, path.replace(/^\/+|\/+$/g, '').split('/'));
      }
    });
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
