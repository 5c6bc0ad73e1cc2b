// keyferry page agent (content script, every frame of the console hosts).
//
// It decides nothing. It reports the frame's URL, evaluates the landmark
// and field specs the background sends back, reports what it found, shows
// the overlay iframe when the background says the page is recognized, and
// follows DOM changes and SPA navigation. All rules live in the Rust core.
//
// Invariants: no HTML sinks (text only via textContent), nothing written to
// the page's globals, every DOM walk bounded, every failure a quiet no-op.
(() => {
  'use strict';
  const api = globalThis.browser ?? globalThis.chrome;
  const V = 1;
  const MAX_TEXT = 60000;        // below the core's 64 KiB limit
  const MAX_NODES = 20000;       // per deep query
  const MAX_DEPTH = 64;          // nested shadow roots
  const SETTLE_MS = 150;         // debounce after DOM changes
  const MIN_GAP_MS = 250;        // at most 4 reports a second

  let specs = [];
  let href = location.href;
  let observer = null;
  let timer = 0;
  let lastSent = 0;
  let lastReport = '';
  let overlay = null;            // { host, frame, collapsed }
  let dismissed = false;
  let dead = false;

  // ---- messaging -------------------------------------------------------
  function alive() {
    try { return !dead && !!api?.runtime?.id; } catch { return false; }
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

  // ---- DOM helpers (bounded) ------------------------------------------
  const fold = (s) => String(s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
  const clip = (s) => { s = String(s ?? ''); return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s; };
  const isOurs = (n) => overlay && (n === overlay.host);

  // querySelectorAll over the document and, if deep, open shadow roots.
  function queryAll(css, deep, root = document) {
    const out = [];
    let seen = 0;
    const walk = (r, depth) => {
      let found;
      try { found = r.querySelectorAll(css); } catch { return; }
      for (const e of found) { if (!isOurs(e)) out.push(e); }
      if (!deep || depth >= MAX_DEPTH) return;
      const it = document.createTreeWalker(r, NodeFilter.SHOW_ELEMENT);
      for (let n = it.nextNode(); n && seen < MAX_NODES; n = it.nextNode()) {
        seen++;
        if (n.shadowRoot && !isOurs(n)) walk(n.shadowRoot, depth + 1);
      }
    };
    walk(root, 0);
    return out;
  }
  const query = (css, deep) => queryAll(css, deep)[0] ?? null;

  function probe(p) {
    switch (p.kind) {
      case 'id': return !!document.getElementById(p.id);
      case 'css': return !!query(p.css, p.deep);
      case 'text': {
        const t = fold(p.text);
        return queryAll(p.css, p.deep).some((e) => fold(e.textContent).includes(t));
      }
      case 'title': return fold(document.title).includes(fold(p.text));
      default: return false;
    }
  }

  const CONTROLS = 'input,select,textarea,[role=checkbox],[role=combobox],[role=listbox],[contenteditable=true]';

  function controlOfLabel(label) {
    if (label.control) return label.control;
    if (label.htmlFor) {
      const root = label.getRootNode();
      const byId = root.getElementById ? root.getElementById(label.htmlFor) : document.getElementById(label.htmlFor);
      if (byId) return byId;
    }
    return label.querySelector(CONTROLS);
  }

  // The first element matching css that follows `anchor` in document order,
  // within a few ancestors of it.
  function near(anchor, css) {
    let box = anchor.parentElement;
    for (let up = 0; box && up < 4; up++, box = box.parentElement) {
      for (const c of box.querySelectorAll(css)) {
        if (c !== anchor && (anchor.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING)) return c;
      }
    }
    return null;
  }

  function locate(loc) {
    switch (loc.kind) {
      case 'id': return document.getElementById(loc.id);
      case 'name': return document.getElementsByName(loc.name)[0] ?? null;
      case 'css': return query(loc.css, loc.deep);
      case 'label_text': {
        const t = fold(loc.text);
        for (const l of queryAll('label', loc.deep)) {
          if (fold(l.textContent).includes(t)) { const c = controlOfLabel(l); if (c) return c; }
        }
        return null;
      }
      case 'aria': {
        const t = fold(loc.text);
        return queryAll('[aria-label]', loc.deep).find((e) => fold(e.getAttribute('aria-label')).includes(t)) ?? null;
      }
      case 'near': {
        const t = fold(loc.text);
        const anchors = queryAll('label,span,div,dt,th,td,p,h1,h2,h3,h4,legend,strong', loc.deep)
          .filter((e) => e.childElementCount <= 2 && fold(e.textContent).includes(t));
        for (const a of anchors) { const c = near(a, loc.css); if (c) return c; }
        return null;
      }
      default: return null;
    }
  }

  function labelText(input) {
    const l = input.labels?.[0] ?? input.closest('label');
    return clip((l?.textContent || input.getAttribute('aria-label') || input.value || '').trim());
  }

  function read(el, widget) {
    const tag = el.tagName;
    switch (widget.kind) {
      case 'text': case 'textarea': case 'display':
        return { t: 'text', v: clip('value' in el && (tag === 'INPUT' || tag === 'TEXTAREA') ? el.value : el.textContent) };
      case 'checkbox':
        return { t: 'checked', v: tag === 'INPUT' ? !!el.checked : el.getAttribute('aria-checked') === 'true' };
      case 'radio_group': {
        const radios = tag === 'INPUT'
          ? (el.name ? [...(el.form ?? document).querySelectorAll('input[type=radio]')].filter((r) => r.name === el.name) : [el])
          : [...el.querySelectorAll('input[type=radio],[role=radio]')];
        const on = radios.find((r) => r.checked || r.getAttribute('aria-checked') === 'true');
        return { t: 'choice', v: on ? labelText(on) : '' };
      }
      case 'select': {
        if (tag === 'SELECT') return { t: 'choice', v: clip(el.selectedOptions[0]?.textContent?.trim() ?? '') };
        return { t: 'choice', v: clip(('value' in el && el.value) || el.textContent || '') };
      }
      case 'dueling_list':
        return { t: 'list', v: [...(el.options ?? [])].slice(0, 500).map((o) => clip(o.textContent.trim())) };
      case 'dual_listbox':
        return { t: 'list', v: queryAll('[role=option]', true, el).slice(0, 500).map((o) => clip(o.textContent.trim())) };
      case 'grant_buttons':
        return {
          t: 'rows',
          v: queryAll('tr,[role=row]', true, el).slice(0, 500).map((r) => ({
            text: clip(r.textContent.replace(/\s+/g, ' ').trim()),
            buttons: [...r.querySelectorAll('button,[role=button]')].slice(0, 16).map((b) => b.textContent.trim().slice(0, 200)),
          })),
        };
      default: return null;
    }
  }

  function findField(field) {
    for (const loc of field.locators) {
      let e = null;
      try { e = locate(loc); } catch { e = null; }
      if (e) return e;
    }
    return null;
  }

  function facts() {
    return specs.map((s) => ({
      page: s.page,
      landmarks: s.landmarks.map((l) => l.any_of.some((p) => { try { return probe(p); } catch { return false; } })),
      fields: s.fields.map((f) => {
        const e = findField(f);
        let value = null;
        try { value = e ? read(e, f.widget) : null; } catch { value = null; }
        return { key: f.key, value };
      }),
    }));
  }

  // ---- overlay ---------------------------------------------------------
  const OVERLAY_CSS = `
    :host { all: initial !important; position: fixed !important; top: 12px !important; right: 12px !important;
            z-index: 2147483647 !important; width: 360px !important; height: min(560px, calc(100vh - 24px)) !important;
            display: block !important; }
    :host(.kf-collapsed) { height: 52px !important; }
    iframe { border: 0; width: 100%; height: 100%; border-radius: 10px; color-scheme: normal;
             box-shadow: 0 6px 24px rgba(0,0,0,.25); background: transparent; }
    .kf-mark { position: absolute; }`;

  function styleRoot(root) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(OVERLAY_CSS);
      root.adoptedStyleSheets = [sheet];
    } catch {
      const st = document.createElement('style');
      st.textContent = OVERLAY_CSS;
      root.appendChild(st);
    }
  }

  function showOverlay(frame) {
    if (dismissed) return;
    if (overlay && overlay.frame === frame && overlay.host.isConnected) return;
    hideOverlay();
    const host = document.createElement('keyferry-overlay');
    const root = host.attachShadow({ mode: 'closed' });
    styleRoot(root);
    const iframe = document.createElement('iframe');
    iframe.title = 'keyferry checklist';
    iframe.src = api.runtime.getURL('overlay.html') + '#' + String(frame);
    root.appendChild(iframe);
    (document.body ?? document.documentElement).appendChild(host);
    overlay = { host, frame, collapsed: false };
  }

  function hideOverlay() {
    if (overlay) { overlay.host.remove(); overlay = null; }
  }

  function layout(collapsed) {
    if (!overlay) return;
    overlay.collapsed = collapsed;
    overlay.host.classList.toggle('kf-collapsed', collapsed);
  }

  function focusField(pageId, key) {
    const spec = specs.find((s) => s.page === pageId);
    const field = spec?.fields.find((f) => f.key === key);
    const e = field && findField(field);
    if (!e) return;
    e.scrollIntoView({ block: 'center', behavior: 'smooth' });
    try { e.focus({ preventScroll: true }); } catch { /* not focusable */ }
  }

  // ---- reporting -------------------------------------------------------
  async function report() {
    timer = 0;
    if (location.href !== href) { restart(); return; }
    if (!specs.length) return;
    lastSent = Date.now();
    const candidates = facts();
    const body = JSON.stringify(candidates);
    if (body === lastReport && overlay?.host.isConnected) return;
    lastReport = body;
    const verdict = await send({ type: 'facts', url: location.href, candidates });
    if (!verdict || verdict.type !== 'verdict') return;
    if (verdict.page) showOverlay(verdict.frame); else hideOverlay();
  }

  function schedule(delay = SETTLE_MS) {
    if (timer || dead) return;
    const wait = Math.max(delay, lastSent + MIN_GAP_MS - Date.now());
    timer = setTimeout(report, wait);
  }

  function observe() {
    if (observer) return;
    observer = new MutationObserver((records) => {
      for (const r of records) {
        if (!isOurs(r.target) && !(overlay && overlay.host.contains(r.target))) { schedule(); return; }
      }
    });
    observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  }

  function unobserve() {
    observer?.disconnect();
    observer = null;
    clearTimeout(timer);
    timer = 0;
  }

  async function restart() {
    href = location.href;
    dismissed = false;
    lastReport = '';
    const reply = await send({ type: 'hello', url: href, top: window === window.top });
    specs = reply?.type === 'specs' && Array.isArray(reply.candidates) ? reply.candidates : [];
    if (specs.length) { observe(); schedule(0); } else { unobserve(); hideOverlay(); }
  }

  function onUrlMaybeChanged() { if (location.href !== href) restart(); }
  const onInput = () => { if (specs.length) schedule(60); };

  // ---- messages from the background -----------------------------------
  function onMessage(env) {
    const m = env?.v === V ? env.msg : null;
    if (!m) return;
    switch (m.type) {
      case 'focus': focusField(m.page, m.field); break;
      case 'layout': layout(!!m.collapsed); break;
      case 'dismiss': dismissed = true; hideOverlay(); break;
      case 'refresh': lastReport = ''; schedule(0); break;
      default: break;
    }
  }

  function teardown() {
    if (dead) return;
    dead = true;
    unobserve();
    hideOverlay();
    removeEventListener('input', onInput, true);
    removeEventListener('change', onInput, true);
    removeEventListener('popstate', onUrlMaybeChanged);
    removeEventListener('hashchange', onUrlMaybeChanged);
    globalThis.navigation?.removeEventListener?.('navigatesuccess', onUrlMaybeChanged);
    clearInterval(poll);
    try { api.runtime.onMessage.removeListener(onMessage); } catch { /* orphaned */ }
  }

  // ---- start -----------------------------------------------------------
  addEventListener('input', onInput, true);
  addEventListener('change', onInput, true);
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
  try { api.runtime.onMessage.addListener(onMessage); } catch { dead = true; }
  if (!dead) restart();
})();
