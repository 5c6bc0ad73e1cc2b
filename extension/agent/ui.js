  // keyferry page agent: the page-side UI (see bootstrap.js for how the parts fit).

  // ---- overlay, markers, highlight ------------------------------------
  // Everything keyferry draws in the page lives in closed shadow roots, styled
  // by constructed sheets (allowed under style-src 'self'), text via
  // textContent only.
  // The host's own box (position, size, visibility) is set by :host rules
  // marked !important inside the closed shadow root: in the cascade they beat
  // every page rule on the host, !important and inline styles included, so
  // the page can neither hide, fade, move nor resize the panel (it can only
  // remove it; see MAX_RESTORES). Nothing is put in the host's style attribute.
  const HOST_LOCK = `opacity: 1 !important; visibility: visible !important; transform: none !important;
            filter: none !important; clip-path: none !important; mask: none !important; pointer-events: auto !important;
            margin: 0 !important; padding: 0 !important; border: 0 !important; zoom: 1 !important; translate: none !important;
            scale: none !important; rotate: none !important; contain: layout paint !important;`;
  const OVERLAY_CSS = `
    :host { all: initial; position: fixed !important; z-index: 2147483647 !important;
            width: 360px !important; max-height: calc(100vh - 24px) !important; display: flex !important;
            flex-direction: column !important; ${HOST_LOCK} }
    .grip { height: 14px; flex: none; cursor: move; border-radius: 8px 8px 0 0; touch-action: none;
            background: repeating-linear-gradient(90deg, #8c959f 0 2px, transparent 2px 6px) center / 36px 4px no-repeat, #eaeef2; }
    iframe { border: 0; width: 100%; flex: 1; border-radius: 0 0 10px 10px; color-scheme: normal;
             box-shadow: 0 6px 24px rgba(0,0,0,.25); background: transparent; }
    @media (prefers-color-scheme: dark) { .grip { background-color: #30363d; } }`;
  const LAYER_CSS = `
    :host { all: initial !important; position: absolute !important; top: 0 !important; left: 0 !important;
            width: 0 !important; height: 0 !important; z-index: 2147483646 !important; display: block !important;
            opacity: 1 !important; visibility: visible !important; transform: none !important; filter: none !important; }
    .m { position: absolute; width: 16px; height: 16px; border-radius: 50%; font: 700 11px/16px system-ui, sans-serif;
         text-align: center; color: #fff; cursor: help; box-shadow: 0 0 0 2px #fff; }
    .ok { background: #1a7f37; } .bad { background: #cf222e; }
    .hl { position: absolute; border: 3px solid #0b62d6; border-radius: 6px; pointer-events: none;
          box-shadow: 0 0 0 4px rgba(11,98,214,.25); transition: opacity .6s; }`;
  const DOCKS = ['top-right', 'top-left', 'bottom-left', 'bottom-right'];
  // The background says which corner (it remembers the admin's choice per
  // console, protocol::DOCK_CORNERS); anything else means the default one.
  const cornerIndex = (c) => (Number.isInteger(c) && c >= 0 && c < DOCKS.length ? c : 0);

  // Returns a setter for a second, changeable sheet (the host's position).
  function sheetFor(root, css) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      const pos = new CSSStyleSheet();
      root.adoptedStyleSheets = [sheet, pos];
      return (text) => pos.replaceSync(text);
    } catch {
      const st = document.createElement('style');
      st.textContent = css;
      const pos = document.createElement('style');
      root.append(st, pos);
      return (text) => { pos.textContent = text; };
    }
  }

  // The panel's place, size and visibility, as :host !important rules.
  function applyBox() {
    if (!state.overlay) return;
    const b = state.overlay.box;
    const side = (k) => (b[k] === null ? 'auto' : `${b[k]}px`);
    state.overlay.setPos(`:host { top: ${side('top')} !important; bottom: ${side('bottom')} !important; ` +
      `left: ${side('left')} !important; right: ${side('right')} !important; height: ${b.height}px !important; ` +
      `${hiddenByUser || state.overlay.early ? 'display: none !important;' : ''} }`);
  }

  function place(dock) {
    const [v, h] = dock.split('-');
    Object.assign(state.overlay.box, { top: null, bottom: null, left: null, right: null });
    state.overlay.box[v] = 12;
    state.overlay.box[h] = 12;
    applyBox();
  }

  // A title the verdict carries (panel_title, grip_title): plain text, bounded.
  const titleOf = (k) => String(state.shown?.[k] ?? '').slice(0, 500);

  function makeGrip(root, host) {
    const grip = document.createElement('div');
    grip.className = 'grip';
    // The texts come with the verdict (the agent never loads the message
    // catalog into the page's process: i18n.getMessage's first call does).
    grip.title = titleOf('grip_title');
    let start = null;
    grip.addEventListener('pointerdown', (e) => {
      const r = host.getBoundingClientRect();
      start = { x: e.clientX - r.left, y: e.clientY - r.top };
      grip.setPointerCapture(e.pointerId);
    });
    grip.addEventListener('pointermove', (e) => {
      if (!start) return;
      const x = Math.min(Math.max(0, e.clientX - start.x), innerWidth - 60);
      const y = Math.min(Math.max(0, e.clientY - start.y), innerHeight - 30);
      if (!state.overlay) return;
      Object.assign(state.overlay.box, { top: Math.round(y), left: Math.round(x), bottom: null, right: null });
      applyBox();
    });
    grip.addEventListener('pointerup', () => { start = null; });
    root.appendChild(grip);
    return grip;
  }

  function showOverlay(frame, corner, early = false) {
    if (state.dismissed || state.evicted || state.dead) return;
    if (state.overlay && state.overlay.frame === frame && state.overlay.host.isConnected && !movedByPage()) {
      if (state.overlay.early && !early) reveal(corner);
      return;
    }
    if (state.overlay && (!state.overlay.host.isConnected || movedByPage())) {
      // The page removed our panel. Put it back a few times (a console
      // re-rendering its body), then stay away: no insertion loop.
      if (++state.restores > MAX_RESTORES) { state.evicted = true; hideOverlay(); return; }
    }
    hideOverlay();
    const host = document.createElement('keyferry-overlay');
    const root = host.attachShadow({ mode: 'closed' });
    const setPos = sheetFor(root, OVERLAY_CSS);
    const grip = makeGrip(root, host);
    const iframe = document.createElement('iframe');
    iframe.title = titleOf('panel_title');
    iframe.allow = 'clipboard-write';
    iframe.src = api.runtime.getURL('overlay.html') + '#' + String(frame);
    root.appendChild(iframe);
    state.overlay = { host, frame, iframe, grip, dock: cornerIndex(corner), setPos, box: { top: 12, right: 12, bottom: null, left: null, height: 200 },
      since: 0, armed: false, loaded: false, early };
    // Post to the frame only once the panel's own document is in it (before,
    // the frame holds an about:blank of the page's origin); overlay.js keeps
    // what arrives before the core has started. A reloaded panel loads again.
    iframe.addEventListener('load', () => {
      if (state.overlay?.iframe !== iframe) return;
      state.overlay.loaded = true;
      postToken();
    });
    place(DOCKS[state.overlay.dock]);
    // The last child of <html>, after <body>: a page that re-renders or
    // replaces its body leaves it alone, and nothing of the body's paints
    // over it at the same z-index (tree order). Any move is noticed
    // (movedByPage) and answered with a fresh panel.
    document.documentElement.appendChild(host);
    if (!early) startGuard();
  }

  // A panel loaded before the verdict (the background's `preload`): in the
  // page, not shown (display: none), so that its document and core start
  // while the page is read; the verdict shows it (reveal) or removes it.
  function reveal(corner) {
    const o = state.overlay;
    o.early = false;
    o.iframe.title = titleOf('panel_title');
    o.grip.title = titleOf('grip_title');
    o.dock = cornerIndex(corner);
    place(DOCKS[o.dock]);
    startGuard();
  }

  function hideOverlay() {
    if (state.overlay) { state.overlay.host.remove(); state.overlay = null; }
    stopGuard();
    clearMarkers();
  }

  // ---- clickjacking guard (facts only; src/clickguard.rs decides) ------
  // The panel's token binds its frame to this agent: it travels only from
  // this isolated world to our own iframe (postMessage to the extension
  // origin) and to the background; the page never sees it.
  const TOKEN = (() => {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  })();
  // Sampling is fast (GUARD_MS) while anything could be changing the panel's
  // surroundings: within GUARD_ACTIVE_MS of a pointer, key, focus, scroll,
  // resize, animation or DOM change in the page (guardWake, which also
  // samples at once). Otherwise it is slow (GUARD_IDLE_MS): a page that
  // changes its looks without any of those (a CSSOM rule on a timer) is
  // still seen within half a second, far below the time an admin takes to
  // read a disguised page, and clean_ms needs MIN_CLEAN_MS of clean samples.
  const GUARD_MS = 100;          // fast sampling
  const GUARD_IDLE_MS = 500;     // slow sampling: nothing happened in the page lately
  const GUARD_ACTIVE_MS = 1500;  // fast for this long after the last event
  const MIN_CLEAN_MS = 500;      // clickguard::MIN_VISIBLE_MS
  let guardTimer = 0;
  let guardDue = 0;              // when the pending sample runs
  let guardActive = 0;           // fast sampling until then

  // Our host is no longer the child of <html> we made it.
  const movedByPage = () => !!state.overlay && state.overlay.host.isConnected && state.overlay.host.parentNode !== document.documentElement;

  const ancestorOf = (e) => e.parentElement ?? (e.parentNode instanceof ShadowRoot ? e.parentNode.host : null);
  const isTranslation = (t) => {
    const m = /^matrix\(([^)]*)\)$/.exec(t);
    if (!m) return false;
    const [a, b, c, d] = m[1].split(',').map(Number);
    return a === 1 && b === 0 && c === 0 && d === 1;
  };
  const contains = (r, x, y) => r.width > 0 && r.height > 0 && x >= r.left && x < r.right && y >= r.top && y < r.bottom;

  // What the page does to the panel: the effects of the host and every
  // ancestor up to the root, then up the frame chain while it is
  // same-origin; whether the host is where we put it; whether anything is
  // drawn over the point (x, y) of the panel frame (its middle if omitted).
  function guardFacts(x, y) {
    const f = { present: false, opacity: 1, filter: false, transform: false, clip: false, mask: false, hidden: false,
      moved: false, covered: false, outside: false, clean_ms: 0 };
    if (!state.overlay || !state.overlay.host.isConnected) return f;
    f.present = true;
    const { host, iframe } = state.overlay;
    f.moved = movedByPage();
    let win = window;
    let el = host;
    for (let hop = 0; el && hop < 8; hop++) {
      for (let e = el, n = 0; e && n < 256; e = ancestorOf(e), n++) {
        let cs;
        try { cs = win.getComputedStyle(e); } catch { f.hidden = true; break; }
        const num = (v, d) => { const x = parseFloat(v); return Number.isFinite(x) ? x : d; };
        f.opacity *= num(cs.opacity, 1);
        if (cs.filter !== 'none' || (cs.mixBlendMode && cs.mixBlendMode !== 'normal')) f.filter = true;
        if ((cs.transform !== 'none' && !isTranslation(cs.transform)) || (cs.scale && cs.scale !== 'none')
          || (cs.rotate && cs.rotate !== 'none') || (cs.zoom && num(cs.zoom, 1) !== 1)) f.transform = true;
        if ((cs.clipPath && cs.clipPath !== 'none') || (cs.clip && cs.clip !== 'auto')) f.clip = true;
        const mask = cs.maskImage ?? cs.webkitMaskImage;
        if (mask && mask !== 'none') f.mask = true;
        if (cs.contentVisibility === 'hidden' || cs.display === 'none') f.hidden = true;
      }
      let owner = null;
      try { owner = win.frameElement; } catch { owner = null; } // cross-origin parent: the browser's own check (IOv2) covers it
      if (!owner) break;
      el = owner;
      win = owner.ownerDocument.defaultView;
    }
    // The page the admin acts on: a form filled while <body> is faded or
    // filtered away is filled behind the admin's back, even if the panel
    // (a child of <html>) shows.
    try {
      const b = document.body ? getComputedStyle(document.body) : null;
      if (b) {
        const o = parseFloat(b.opacity);
        if (Number.isFinite(o)) f.opacity *= o;
        if (b.filter !== 'none') f.filter = true;
        if (b.clipPath && b.clipPath !== 'none') f.clip = true;
        const m = b.maskImage ?? b.webkitMaskImage;
        if (m && m !== 'none') f.mask = true;
      }
    } catch { /* no body */ }
    try { if (getComputedStyle(host).visibility !== 'visible') f.hidden = true; } catch { f.hidden = true; }
    const r = iframe.getBoundingClientRect();
    const h = host.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) f.hidden = true;
    // Where we put it: 360 px wide, inside the viewport.
    if (Math.abs(h.width - 360) > 1 || h.right < 1 || h.bottom < 1 || h.left > innerWidth - 1 || h.top > innerHeight - 1) f.moved = true;
    const px = r.left + (Number.isFinite(x) ? x : r.width / 2);
    const py = r.top + (Number.isFinite(y) ? y : r.height / 2);
    if (!contains(r, px, py) || px < 0 || py < 0 || px >= innerWidth || py >= innerHeight) f.outside = true;
    else f.covered = coveredAt(px, py);
    return f;
  }

  // Anything of the page's drawn over (x, y), including what hit testing
  // skips (pointer-events: none): the hit-test winner, elements after our
  // host in <html>, top-layer elements, and generated content on <html>.
  const TOP_LAYER = [':modal', ':popover-open', ':fullscreen'];
  function coveredAt(x, y) {
    const host = state.overlay.host;
    // elementFromPoint is the first of elementsFromPoint without building
    // the whole list (a long page has many boxes under the point).
    try {
      if (document.elementFromPoint(x, y) !== host) return true;
    } catch { return true; }
    let seen = 0;
    for (let s = host.nextElementSibling; s && seen < 500; s = s.nextElementSibling) {
      const it = document.createTreeWalker(s, NodeFilter.SHOW_ELEMENT);
      for (let n = s; n && seen < 500; n = it.nextNode()) {
        seen++;
        if (isOurs(n)) continue;
        for (const q of n.getClientRects()) if (contains(q, x, y)) return true;
      }
    }
    // One query for the three (one walk of the page); a browser that does
    // not know one of them refuses the list, so then each on its own.
    const tops = (sel) => { try { return [...document.querySelectorAll(sel)]; } catch { return null; } };
    const layer = tops(TOP_LAYER.join(',')) ?? TOP_LAYER.flatMap((sel) => tops(sel) ?? []);
    for (const n of layer) if (contains(n.getBoundingClientRect(), x, y)) return true;
    for (const pseudo of ['::before', '::after']) {
      try {
        const cs = getComputedStyle(document.documentElement, pseudo);
        if (cs.content && cs.content !== 'none' && cs.content !== 'normal' && cs.display !== 'none') return true;
      } catch { /* not there */ }
    }
    return false;
  }

  const clean = (f) => f.present && !f.moved && !f.hidden && f.opacity >= 0.999 && !f.filter && !f.transform && !f.clip
    && !f.mask && !f.covered && !f.outside;

  // The token and the "armed" hint, to our own frame only (the extension's
  // origin): when its document has loaded and when "armed" changes.
  function postToken() {
    if (!state.overlay?.loaded) return;
    try {
      state.overlay.iframe.contentWindow?.postMessage({ keyferry: { token: TOKEN, armed: state.overlay.armed } },
        api.runtime.getURL('').replace(/\/$/, ''));
    } catch { /* gone meanwhile */ }
  }

  // Samples the panel's surroundings while it is shown: how long it has been
  // clean (PageFacts.clean_ms), a moved host replaced by a fresh one, and the
  // "armed" hint handed to our own frame.
  function guardTick() {
    if (!state.overlay || document.hidden) return;
    if (movedByPage()) { showOverlay(state.overlay.frame, state.overlay.dock); return; }
    const now = Date.now();
    let ok = false;
    try { ok = clean(guardFacts()); } catch { ok = false; }
    if (!ok) state.overlay.since = 0; else if (!state.overlay.since) state.overlay.since = now;
    const armed = !!state.overlay.since && now - state.overlay.since >= MIN_CLEAN_MS;
    if (armed !== state.overlay.armed) { state.overlay.armed = armed; postToken(); }
  }
  // A fast sample (something happened in the page lately) reads the page's
  // geometry and styles in the next animation frame, before the browser lays
  // the page out for that frame anyway: a read at any other time can force an
  // extra layout (a page that keeps changing, e.g. a long table re-rendering,
  // would pay for one per sample). A slow sample runs at once: nothing has
  // changed in the page for GUARD_ACTIVE_MS, so there is no layout to force,
  // and asking for a frame twice a second would make the browser produce one
  // for nothing (about 0.8 ms/s on an idle page).
  let guardFrame = 0;
  function guardLoop() {
    guardTimer = 0;
    if (!state.overlay || state.dead) return;
    if (!alive()) { teardown(); return; }
    if (document.hidden) return; // visibilitychange wakes it
    if (Date.now() >= guardActive) guardSample();
    else if (!guardFrame) guardFrame = requestAnimationFrame(guardSample);
  }
  function guardSample() {
    guardFrame = 0;
    if (!state.overlay || state.dead || document.hidden) return;
    guardTick();
    if (!state.overlay) return;
    const now = Date.now();
    // Fast for a while after an event; otherwise slow. A panel that is
    // clean and arming is sampled again when it has been clean for
    // MIN_CLEAN_MS, so that it arms on time.
    let wait = now < guardActive ? GUARD_MS : GUARD_IDLE_MS;
    if (state.overlay.since && !state.overlay.armed) wait = Math.min(wait, Math.max(GUARD_MS, state.overlay.since + MIN_CLEAN_MS - now));
    guardDue = now + wait;
    guardTimer = setTimeout(guardLoop, wait);
  }
  function startGuard() {
    listenPanel(true);
    if (!guardTimer && !guardFrame) { guardDue = Date.now() + GUARD_MS; guardTimer = setTimeout(guardLoop, GUARD_MS); }
  }
  function stopGuard() { listenPanel(false); clearTimeout(guardTimer); guardTimer = 0; cancelAnimationFrame(guardFrame); guardFrame = 0; }
  // The page's events that the guard, the markers and the panel's fit
  // follow: listened to only while the panel is in the page, so a candidate
  // page that never shows one registers none of them.
  let panelListening = false;
  function listenPanel(on) {
    if (on === panelListening) return;
    panelListening = on;
    const opts = { capture: true, passive: true };
    if (on) {
      for (const t of GUARD_EVENTS) addEventListener(t, guardWake, opts);
      addEventListener('scroll', reposition, opts);
      addEventListener('resize', reposition, { passive: true });
      addEventListener('resize', refit, { passive: true });
    } else {
      for (const t of GUARD_EVENTS) removeEventListener(t, guardWake, true);
      removeEventListener('scroll', reposition, true);
      removeEventListener('resize', reposition);
      removeEventListener('resize', refit);
    }
  }
  // Something happened in the page: sample now if the next sample is a
  // slow one, and fast for a while.
  function guardWake() {
    if (!state.overlay || state.overlay.early || state.dead) return; // a hidden panel has no surroundings to sample
    const now = Date.now();
    guardActive = now + GUARD_ACTIVE_MS;
    if (guardFrame || (guardTimer && guardDue - now <= GUARD_MS)) return; // a sample is coming
    clearTimeout(guardTimer);
    guardLoop();
  }
  const GUARD_EVENTS = ['pointerover', 'pointermove', 'pointerdown', 'keydown', 'focusin', 'focusout', 'scroll', 'resize',
    'transitionrun', 'animationstart', 'animationiteration', 'visibilitychange', 'fullscreenchange'];

  function checkClick(x, y) {
    if (state.overlay && movedByPage()) return { v: V, msg: { checked: { ...guardFacts(x, y), moved: true } } };
    const f = guardFacts(Number(x), Number(y));
    f.clean_ms = state.overlay?.since && clean(f) ? Date.now() - state.overlay.since : 0;
    return { v: V, msg: { checked: f } };
  }

  function dock(corner) {
    if (!state.overlay) return;
    state.overlay.dock = cornerIndex(corner);
    place(DOCKS[state.overlay.dock]);
  }

  // The overlay reports its content height; the frame follows (bounded by
  // the viewport).
  // Clamped to the viewport, again whenever the window is resized.
  function fit(height) {
    if (!state.overlay || !Number.isFinite(height)) return;
    state.overlay.want = height;
    state.overlay.box.height = Math.round(Math.max(40, Math.min(height + 14, innerHeight - 24)));
    applyBox();
  }
  const refit = () => { if (state.overlay?.want !== undefined) fit(state.overlay.want); };

  let hiddenByUser = false;
  function toggle() {
    if (state.dismissed) { state.dismissed = false; state.lastReport = ''; schedule(0); return; }
    hiddenByUser = !hiddenByUser;
    applyBox();
    state.layer?.setHidden(hiddenByUser);
  }

  // One absolutely positioned layer holds the field badges and highlights.
  function ensureLayer() {
    if (state.layer?.host.isConnected) return state.layer;
    const host = document.createElement('keyferry-marks');
    const root = host.attachShadow({ mode: 'closed' });
    const setPos = sheetFor(root, LAYER_CSS);
    const setHidden = (hidden) => setPos(hidden ? ':host { display: none !important; }' : '');
    setHidden(hiddenByUser);
    (document.body ?? document.documentElement).appendChild(host);
    state.layer = { host, root, setHidden };
    return state.layer;
  }

  function clearMarkers() {
    for (const m of state.markers) m.badge.remove();
    state.markers = [];
  }

  function position(el, node, dx, dy, asBox) {
    placeAt(node, el.getBoundingClientRect(), scrollX, scrollY, dx, dy, asBox);
  }
  // Writes only: `r` is the field's box and (sx, sy) the page's scroll, read
  // beforehand (reading scrollX after a style write lays the page out again).
  function placeAt(node, r, sx, sy, dx, dy, asBox) {
    const x = r.left + sx, y = r.top + sy;
    if (asBox) {
      node.style.setProperty('left', `${x - 4}px`); node.style.setProperty('top', `${y - 4}px`);
      node.style.setProperty('width', `${r.width + 2}px`); node.style.setProperty('height', `${r.height + 2}px`);
    } else {
      node.style.setProperty('left', `${x + r.width + dx}px`); node.style.setProperty('top', `${y + dy + Math.max(0, (r.height - 16) / 2)}px`);
    }
  }

  function showMarkers(pageId, list) {
    clearMarkers();
    const spec = state.specs.find((s) => s.page === pageId);
    if (!spec || !Array.isArray(list) || !list.length) return;
    // Every read first (one layout at most), then every write: reading a
    // field's box after each badge went in would lay the page out again for
    // each badge. A badge goes by the field the last report located; only a
    // field the page has replaced since is looked for again.
    const located = new Map([...state.located].map(([el, key]) => [key, el]).reverse()); // key → first element
    const todo = [];
    for (const mk of list.slice(0, 64)) {
      const field = spec.fields.find((f) => f.key === mk.field);
      const seen = located.get(mk.field);
      const el = seen?.isConnected ? seen : field && findField(field);
      if (!el || !el.getClientRects().length) continue;
      todo.push({ mk, el, r: el.getBoundingClientRect() });
    }
    if (!todo.length) return;
    const sx = scrollX, sy = scrollY;
    const { root } = ensureLayer();
    for (const { mk, el, r } of todo) {
      const badge = document.createElement('span');
      badge.className = `m ${mk.ok ? 'ok' : 'bad'}`;
      badge.textContent = mk.ok ? '✓' : '!';
      const text = String(mk.message ?? '').slice(0, 500);
      badge.title = text;
      badge.setAttribute('role', 'img');
      badge.setAttribute('aria-label', text);
      const dx = r.width < 32 ? -(r.width + 22) : 6;
      placeAt(badge, r, sx, sy, dx, 0, false);
      root.appendChild(badge);
      state.markers.push({ el, badge, dx });
    }
  }

  let repositionQueued = false;
  function reposition() {
    if (repositionQueued || !state.markers.length) return;
    repositionQueued = true;
    requestAnimationFrame(() => {
      repositionQueued = false;
      const boxes = state.markers.map((m) => m.el.getBoundingClientRect());
      const sx = scrollX, sy = scrollY;
      state.markers.forEach((m, i) => placeAt(m.badge, boxes[i], sx, sy, m.dx, 0, false));
    });
  }

  function focusField(pageId, key) {
    const spec = state.specs.find((s) => s.page === pageId);
    const field = spec?.fields.find((f) => f.key === key);
    const e = field && findField(field);
    if (!e) return;
    e.scrollIntoView({ block: 'center' });
    try { e.focus({ preventScroll: true }); } catch { /* not focusable */ }
    const { root } = ensureLayer();
    const box = document.createElement('div');
    box.className = 'hl';
    root.appendChild(box);
    position(e, box, 0, 0, true);
    setTimeout(() => { box.style.setProperty('opacity', '0'); }, 1600);
    setTimeout(() => box.remove(), 2300);
  }
