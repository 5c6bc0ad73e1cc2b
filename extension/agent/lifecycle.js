  // keyferry page agent: lifecycle (see bootstrap.js for how the parts fit).

  // ---- reporting -------------------------------------------------------
  let observer = null;
  let timer = 0;
  let lastSent = 0;
  let asking = false;            // a report is on its way to the background
  let refreshed = false;         // ... and the background asked for one meanwhile

  async function report() {
    timer = 0;
    lookBack(false);
    if (location.href !== state.href) { urlChanged(); return; }
    if (!state.specs.length) return;
    lastSent = Date.now();
    const t0 = performance.now();
    watchShadows();
    const candidates = facts();
    lastCost = performance.now() - t0;
    // Out of budget: the fields not read are "too_large"; try again later
    // (a page that was busy may have settled), without a loop.
    clearTimeout(overTimer);
    if (lastOver === 'time') { overTimer = setTimeout(() => schedule(0), overRetry); overRetry = Math.min(overRetry * 2, 60000); }
    else overRetry = OVER_RETRY_MS;
    watchLocated();
    rechecks(true);
    const body = JSON.stringify(candidates);
    if (body === state.lastReport) {
      // Nothing changed on the page's fields; only put back what the page
      // may have removed.
      if (state.shown && !state.dismissed && state.overlay && (!state.overlay.host.isConnected || movedByPage())) showOverlay(state.shown.frame, state.overlay.dock);
      if (state.layer && !state.layer.host.isConnected) { state.layer = null; if (state.shown) showMarkers(state.shown.page, state.shown.markers); }
      return;
    }
    state.lastReport = body;
    let verdict;
    asking = true;
    refreshed = false;
    try { verdict = await send({ facts: { url: location.href, candidates, token: TOKEN } }); } finally { asking = false; }
    if (verdict?.type === 'busy') { busyRetry(verdict, () => { state.lastReport = ''; schedule(0); }); return; }
    if (!verdict || verdict.type !== 'verdict') { if (refreshed) { state.lastReport = ''; schedule(0); } return; }
    state.shown = verdict.page ? verdict : null;
    if (state.shown) { showOverlay(state.shown.frame, state.shown.dock); showMarkers(state.shown.page, state.shown.markers); }
    else if (state.overlay?.early) clearMarkers(); // the page may still be drawing: hidden until its window ends (dropEarly)
    else hideOverlay();
  }

  let lastCost = 0;              // ms the last report took to read the page
  let begun = 0;
  function schedule(delay) {
    if (timer || state.dead) return;
    const early = !state.shown && Date.now() - begun < EARLY_MS;
    delay ??= early ? EARLY_SETTLE_MS : SETTLE_MS;
    const wait = Math.max(delay, lastSent + Math.max(early ? EARLY_GAP_MS : MIN_GAP_MS, 4 * lastCost) - Date.now());
    timer = setTimeout(report, wait);
  }

  // A change in the page at large (see SHOWN_SETTLE_MS).
  const still = coalesce(SHOWN_SETTLE_MS, SHOWN_MAX_MS, () => schedule(0));
  const pageChanged = () => (state.shown ? still.poke() : schedule());

  const OBSERVE = { subtree: true, childList: true, attributes: true, characterData: true };
  const hasOurs = (list) => { for (let i = 0; i < list.length; i++) if (isOurs(list[i])) return true; return false; };
  function observe() {
    if (observer) return;
    observer = new MutationObserver((records) => {
      // A report is already due: nothing more to look at (with a panel shown,
      // what the page does to it is answered at once; a panel loaded with
      // the hello is not shown yet).
      if (timer && (!state.overlay || state.overlay.early)) { lookAway(); return; }
      // The page's own changes (not only our panel or marker layer going
      // in); the page removing ours is answered without waiting for it to
      // be still.
      for (const r of records) {
        if (hasOurs(r.removedNodes)) { if (state.overlay) guardWake(); schedule(); lookAway(); return; }
        if (!isOurs(r.target) && !hasOurs(r.addedNodes)) {
          if (state.overlay) guardWake();
          pageChanged();
          lookAway();
          return;
        }
      }
    });
    attach();
    watchShadows();
  }
  // The document and the shadow roots found so far (those still in the page).
  function attach() {
    observer.observe(document.documentElement, OBSERVE);
    roots = roots.filter((r) => {
      if (r.isConnected) { try { observer.observe(r, OBSERVE); return true; } catch { /* not observable */ } }
      watched.delete(r); // found again if it comes back
      return false;
    });
  }

  // See LOOK_AWAY_MS. Called right after a change was answered (a report or
  // a settle is pending), so what changes meanwhile is read by that report.
  let away = 0;
  function lookAway() {
    if (away || !observer) return;
    observer.disconnect();
    away = setTimeout(() => lookBack(true), LOOK_AWAY_MS);
  }
  // Observes again. After the full look-away (not when a report comes
  // first), what the page may have done to our panel or markers meanwhile is
  // answered as the observer would have: at once.
  function lookBack(timeUp) {
    if (!away) return;
    clearTimeout(away);
    away = 0;
    if (!observer) return;
    attach();
    const oursGone = (state.overlay && (!state.overlay.host.isConnected || movedByPage())) || (state.layer && !state.layer.host.isConnected);
    if (timeUp && oursGone) { guardWake(); schedule(); }
  }

  // A document observer does not see inside shadow roots, and Lightning
  // draws setup pages into nested open shadow roots, late. Each open root
  // found (bounded walk, as a deep query) is observed too; a report looks
  // for new ones, so roots drawn inside observed roots are picked up in turn.
  // Only on a visit where some spec looks into shadow roots (the catalog's
  // `deep` probes and locators; tests/agent_kinds.rs checks that every `deep`
  // of the wire shape is where anyDeep looks): each walk visits every element
  // of the page. Returns how many roots were new.
  let watched = new WeakSet();
  let roots = [];                // the observed ones, to observe again after a look-away
  let deep = false;              // some spec of this visit is deep (set by begin)
  const anyDeep = (specs) => specs.some((s) => s.landmarks?.some((l) => l.any_of?.some((p) => p.deep))
    || s.fields?.some((f) => f.locators?.some((l) => l.deep)));
  function watchShadows() {
    if (!observer || !deep) return 0;
    let seen = 0;
    let added = 0;
    const walk = (root, depth) => {
      if (depth >= MAX_DEPTH) return;
      const it = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
      for (let n = it.nextNode(); n && seen < MAX_NODES; n = it.nextNode()) {
        seen++;
        const sr = n.shadowRoot;
        if (!sr || isOurs(n)) continue;
        if (!watched.has(sr)) {
          watched.add(sr);
          roots.push(sr);
          added++;
          if (!away) try { observer.observe(sr, OBSERVE); } catch { /* not observable */ }
        }
        walk(sr, depth + 1);
      }
    };
    try { walk(document, 0); } catch { /* quiet no-op */ }
    return added;
  }

  // The narrow observer: only the located controls (their attributes,
  // and the text of display fields), re-attached after each report.
  let fieldObserver = null;
  function watchLocated() {
    fieldObserver?.disconnect();
    fieldObserver = null;
    if (!state.located.size || state.dead) return;
    fieldObserver = new MutationObserver(() => schedule());
    for (const el of [...state.located.keys()].slice(0, 64)) {
      try { fieldObserver.observe(el, { attributes: true, characterData: true, childList: true, subtree: true }); } catch { /* gone */ }
    }
  }
  // Cheap check of the located controls only (no locating, no page walk): a
  // script may set .value without any event. A report only if one changed.
  function recheckLocated() {
    if (!state.located.size) return false;
    const spec = state.shown && state.specs.find((x) => x.page === state.shown.page);
    if (!spec) return false;
    for (const [el, key] of state.located) {
      if (!el.isConnected) return true;
      const f = spec.fields.find((x) => x.key === key);
      if (!f) continue;
      let v = null;
      try { v = JSON.stringify(withWork(() => read(el, f.widget))); } catch { v = null; }
      if (state.lastValues.get(el) !== v) return true;
    }
    return false;
  }
  let overTimer = 0;
  let overRetry = OVER_RETRY_MS;

  let recheckTimer = 0;
  let recheckStep = 0;
  function rechecks(restart) {
    if (restart) recheckStep = 0;
    clearTimeout(recheckTimer);
    recheckTimer = 0;
    if (state.dead || !state.specs.length || document.hidden || recheckStep >= RECHECK_STEPS.length) return;
    recheckTimer = setTimeout(recheck, RECHECK_STEPS[recheckStep++]);
  }
  function recheck() {
    recheckTimer = 0;
    if (document.hidden || !state.specs.length || state.dead) return; // onVisible starts them again
    let changed = false;
    try { changed = state.shown ? !state.dismissed && recheckLocated() : watchShadows() > 0; } catch { changed = false; }
    if (changed) schedule(0); else rechecks(false);
  }
  function onVisible() { if (!document.hidden) rechecks(true); }

  function unobserve() {
    fieldObserver?.disconnect();
    fieldObserver = null;
    state.located = new Map();
    state.lastValues = new Map();
    observer?.disconnect();
    observer = null;
    clearTimeout(away);
    away = 0;
    watched = new WeakSet();
    roots = [];
    clearTimeout(timer);
    timer = 0;
    still.cancel();
    clearTimeout(recheckTimer);
    recheckTimer = 0;
  }

  // Calls `done` once the document has had no mutation for `quietMs`, or
  // after `maxMs` whatever happens.
  function afterQuiet(quietMs, maxMs, done) {
    let timer = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer); clearTimeout(cap); mo.disconnect();
      done();
    };
    const mo = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(finish, quietMs); });
    mo.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    timer = setTimeout(finish, quietMs);
    const cap = setTimeout(finish, maxMs);
  }

  // Typing or a change in a located field (or anywhere while the page is not
  // recognized yet) reads the page again.
  const onInput = (e) => {
    if (!state.specs.length) return;
    const t = e.composedPath?.()[0] ?? e.target;
    if (!state.shown || state.located.has(t) || [...state.located.keys()].some((el) => el.contains?.(t))) schedule(60);
  };

  // ---- messages from the background -----------------------------------
  function onMessage(env, _sender, sendResponse) {
    const m = env?.v === V ? env.msg : null;
    if (!m) return;
    if (m.type === 'fill') {
      // Let the page's framework settle before reading back: a checkbox may
      // re-render the form from the server (Visualforce), so wait until the
      // DOM has been quiet for 300 ms (at most 3 s).
      const spec = applyFill(m.page, m.steps);
      afterQuiet(300, 3000, () => sendResponse({ v: V, msg: { filled: { page: m.page, fields: spec ? readFields(spec) : [] } } }));
      return true;
    }
    if (m.type === 'describe') { sendResponse(describePage()); return; } // page signature (drift)
    if (m.type === 'check') { // a click in our panel is about to act (clickguard)
      let r;
      try { r = checkClick(m.x, m.y); } catch { r = { v: V, msg: { checked: { present: false } } }; }
      sendResponse(r);
      return;
    }
    switch (m.type) {
      case 'focus': focusField(m.page, m.field); break;
      case 'fit': fit(Number(m.height)); break;
      case 'dismiss': state.dismissed = true; hideOverlay(); break;
      case 'dock': dock(m.corner); break;
      case 'toggle': toggle(); break;
      // Not while a report is on its way there (a preloaded panel's port
      // can reach the background before the first report does).
      case 'refresh': if (asking) refreshed = true; else { state.lastReport = ''; schedule(0); } break;
      default: break;
    }
  }

  // A panel loaded with the hello that no verdict has shown by the end of
  // the page's early window: removed.
  let earlyTimer = 0;
  function dropEarly() { earlyTimer = 0; if (state.overlay?.early) hideOverlay(); }

  // Everything the main part put in the page and left running, removed
  // (the page left the candidate paths for good, or the agent is orphaned).
  function stopMain() {
    unobserve();
    hideOverlay();
    state.layer?.host.remove();
    removeEventListener('input', onInput, true);
    removeEventListener('change', onInput, true);
    clearTimeout(recheckTimer);
    document.removeEventListener('visibilitychange', onVisible);
    stopGuard(); // and the panel's listeners
    clearTimeout(overTimer);
    clearTimeout(earlyTimer);
  }

  // ---- start (of the main part, on a candidate page) --------------------
  addEventListener('input', onInput, true);
  addEventListener('change', onInput, true);
  document.addEventListener('visibilitychange', onVisible); // the guard's, the markers' and the fit's come with the panel (listenPanel)
  return {
    // The background has sent specs: follow the page and report.
    begin() { begun = Date.now(); deep = anyDeep(state.specs); observe(); schedule(0); },
    // The background expects the panel in this frame: load it now, hidden,
    // so that its document and core start while the page draws itself. A
    // verdict shows it; one that does not recognize the page removes it once
    // the page has had EARLY_MS to draw (reveal, dropEarly). A hidden one
    // still there from the previous URL (an SPA move within its window)
    // stays, and its window starts again with the new page's.
    preload(frame) {
      if (!Number.isSafeInteger(frame) || (state.overlay && !state.overlay.early)) return;
      showOverlay(frame, 0, true); // (a no-op when it is in the page)
      clearTimeout(earlyTimer);
      earlyTimer = setTimeout(dropEarly, Math.max(0, begun + EARLY_MS - Date.now()));
    },
    // Not a candidate (any more): stop following the page.
    quiet() { unobserve(); hideOverlay(); },
    onMessage,
    stop: stopMain,
  };
