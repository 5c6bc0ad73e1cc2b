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
  const MAX_RESTORES = 3;        // put the overlay back this often if the page removes it, then stay away
  const ALIVE_MS = 1000;         // how often to check that the extension is still there (orphaned after a reload)
  const RECHECK_MS = 2000;       // compare the located fields' values this often while the page is recognized (a
                                 // script may set .value without any event); a report only when one changed
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

  let specs = [];
  let href = location.href;
  let observer = null;
  let timer = 0;
  let lastSent = 0;
  let lastReport = '';
  let overlay = null;            // { host, frame, dock }
  let shown = null;              // the last verdict that recognized the page
  let dismissed = false;
  let dead = false;
  let restores = 0;              // overlays put back after the page removed ours (per visit)
  let evicted = false;           // the page kept removing the overlay: stay away until the next navigation

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
  function mayBeCandidate(href) {
    let path;
    try { path = new URL(href).pathname; } catch { return false; }
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
  const isOurs = (n) => (overlay && n === overlay.host) || (layer && n === layer.host);

  // ---- bounded work (issue 13 §4) -------------------------------------
  // Each report (and each fill, focus or marker lookup) runs under one
  // budget: MAX_VISITS units of work (a node or text looked at, a style
  // computed) and REPORT_MS of time. Past it, whatever is still to be read
  // throws TOO_LARGE, and a field whose reading hit it is reported as
  // "too_large" (the core shows it unknown and never fills it). The budget
  // also holds the report's caches: effective visibility per element and
  // ancestor, and the controls under an anchor's ancestors per query.
  const TOO_LARGE = { tooLarge: true };
  let work = null;
  function withWork(fn) {
    if (work) return fn();
    work = { until: performance.now() + REPORT_MS, visits: 0, over: false, shown: new Map(), hides: new Map(), boxes: new Map() };
    try { return fn(); } finally { lastOver = work.over && work.visits <= MAX_VISITS ? 'time' : work.over ? 'nodes' : false; work = null; }
  }
  let lastOver = false;          // the last budget's outcome: false, 'time' or 'nodes'
  // Counts `n` units; throws TOO_LARGE once the report's budget is spent.
  function spend(n = 1) {
    if (!work) return;
    if (!work.over) {
      work.visits += n;
      if (work.visits > MAX_VISITS || performance.now() > work.until) work.over = true;
    }
    if (work.over) throw TOO_LARGE;
  }
  // An element's text (all of it, or only its own text nodes), at most
  // MAX_READ characters: { text, cut } (cut: there was more).
  function textOf(e, own = false) {
    let s = '';
    if (own) {
      for (const n of e.childNodes) {
        if (n.nodeType !== Node.TEXT_NODE) continue;
        spend();
        s += n.data;
        if (s.length > MAX_READ) return { text: s.slice(0, MAX_READ), cut: true };
      }
      return { text: s, cut: false };
    }
    const it = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let n = it.nextNode(); n; n = it.nextNode()) {
      spend();
      s += n.data;
      if (s.length > MAX_READ) return { text: s.slice(0, MAX_READ), cut: true };
    }
    return { text: s, cut: false };
  }
  // Does the element's text contain `t` (folded)? true / false, or null when
  // the text is longer than the budget and its first MAX_READ characters do
  // not hold `t` (keyferry cannot tell).
  function textHas(e, t, own = false) {
    const { text, cut } = textOf(e, own);
    if (fold(text).includes(t)) return true;
    return cut ? null : false;
  }

  // querySelectorAll over the document and, if deep, open shadow roots.
  function queryAll(css, deep, root = document) {
    const out = [];
    let seen = 0;
    const walk = (r, depth) => {
      let found;
      try { found = r.querySelectorAll(css); } catch { return; }
      spend(Math.min(found.length, MAX_NODES));
      for (const e of found) {
        if (out.length >= MAX_NODES) return;
        if (!isOurs(e)) out.push(e);
      }
      if (!deep || depth >= MAX_DEPTH) return;
      const it = document.createTreeWalker(r, NodeFilter.SHOW_ELEMENT);
      for (let n = it.nextNode(); n && seen < MAX_NODES; n = it.nextNode()) {
        seen++;
        if ((seen & 255) === 0) spend(256);
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
        return queryAll(p.css, p.deep).some((e) => textHas(e, t) === true);
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
  // The matches under each box are queried once per report (many anchors
  // share their ancestors), at most 256 of them.
  function near(anchor, css) {
    let box = anchor.parentElement;
    for (let up = 0; box && up < 4; up++, box = box.parentElement) {
      let byBox = work?.boxes.get(css);
      if (work && !byBox) { byBox = new Map(); work.boxes.set(css, byBox); }
      let found = byBox?.get(box);
      if (!found) {
        spend();
        found = [...box.querySelectorAll(css)].slice(0, 256);
        spend(found.length);
        byBox?.set(box, found);
      }
      for (const c of found) {
        spend();
        if (c !== anchor && (anchor.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING)) return c;
      }
    }
    return null;
  }

  // ---- which control is the field -------------------------------------
  // Facts the agent filters on while it evaluates a locator (the rules of
  // what a field must hold stay in the core):
  // - Visible: only a control the admin can see counts. Not visible: an
  //   <input type=hidden>; inside [inert] or a closed <details> (outside its
  //   <summary>); no box (display:none, [hidden] or an ancestor of it); a box
  //   under 2x2 px; entirely left of or above the page (no scrolling reaches
  //   it); computed visibility not "visible"; opacity under 0.1 on it or an
  //   ancestor. Visible controls of any locator come first; only if no
  //   locator finds a visible one is the first hidden match used (a real
  //   field in a collapsed section, e.g. Workato's Advanced settings).
  // - Named: a text that equals the expected one (after folding, a trailing
  //   "*" or ":" dropped) beats one that only contains it. The text is the
  //   label, aria-label or anchor the locator matched; for id, name and css
  //   locators the control's own labels and aria-label against the field's
  //   label, and when none of them names it, document order decides (the
  //   catalog's structural hooks, e.g. Okta's sign-in redirect URI is the
  //   first input[name=uri]).
  // - Ambiguous: when more than one visible control ties for the best name,
  //   the field is reported as { ambiguous: n } and its value is not read.
  //   The core never fills it and shows it as unknown.
  const MIN_OPACITY = 0.1;
  const MAX_UP = 64;             // ancestors looked at for opacity, inert, <details>
  // Bounded: one answer per element per report (work.shown), and each
  // ancestor's verdict memoized (work.hides), so candidates that share
  // their ancestors cost one style lookup per ancestor per report.
  const parentOf = (n) => {
    const p = n.parentNode;
    return p instanceof ShadowRoot ? p.host : p;
  };
  // Does `n` itself hide what is inside it (for a child `via`)?
  function hidesInside(n, via) {
    if (n.nodeType !== Node.ELEMENT_NODE) return false;
    if (n.hasAttribute('inert')) return true;
    if (n.tagName === 'DETAILS' && !n.open) {
      const summary = [...n.children].find((c) => c.tagName === 'SUMMARY');
      if (!(summary && via === summary)) return true;
    }
    spend();
    const o = parseFloat(getComputedStyle(n).opacity);
    return Number.isFinite(o) && o < MIN_OPACITY;
  }
  // Is `n`'s content (reached through its child `via`) hidden by `n` or an
  // ancestor? Memoized per node, except through a closed <details>'s summary.
  function hiddenFrom(n, via, up = 0) {
    if (!n || up >= MAX_UP) return false;
    const special = n.tagName === 'DETAILS' && !n.open;
    const memo = work && !special ? work.hides : null;
    if (memo?.has(n)) return memo.get(n);
    const hidden = hidesInside(n, via) || hiddenFrom(parentOf(n), n, up + 1);
    memo?.set(n, hidden);
    return hidden;
  }
  function visible(el) {
    if (work?.shown.has(el)) return work.shown.get(el);
    const v = visibleNow(el);
    work?.shown.set(el, v);
    return v;
  }
  function visibleNow(el) {
    if (!el || !el.isConnected) return false;
    if (el.tagName === 'INPUT' && String(el.getAttribute('type') ?? '').trim().toLowerCase() === 'hidden') return false;
    spend();
    const r = el.getBoundingClientRect();
    if (!el.getClientRects().length || r.width < 2 || r.height < 2) return false;
    if (r.right + scrollX <= 0 || r.bottom + scrollY <= 0) return false;
    const cs = getComputedStyle(el);
    if (cs.visibility !== 'visible') return false;
    const o = parseFloat(cs.opacity);
    if (Number.isFinite(o) && o < MIN_OPACITY) return false;
    if (el.hasAttribute('inert')) return false;
    // Ancestors across shadow boundaries: opacity, inert, closed <details>.
    return !hiddenFrom(parentOf(el), el, 1);
  }

  // How well `text` names a field called `want`: 2 equal, 1 contains, 0 neither.
  const bare = (s) => fold(s).replace(/[\s*:]+$/u, '');
  function naming(text, want) {
    const t = bare(text), w = bare(want);
    if (!w) return 0;
    return t === w ? 2 : t.includes(w) ? 1 : 0;
  }
  // A control's own names: its labels and its aria-label.
  function ownNames(el) {
    const out = [];
    try { for (const l of [...(el.labels ?? [])].slice(0, 8)) out.push(textOf(l).text); } catch (e) { if (e === TOO_LARGE) throw e; }
    const wrap = el.closest?.('label');
    if (wrap) out.push(textOf(wrap).text);
    const aria = el.getAttribute?.('aria-label');
    if (aria) out.push(aria.slice(0, MAX_READ));
    return out;
  }

  // Every control the locator matches, in document order, with the text it
  // was matched by: [{ el, text }] (text null: name it by its own labels).
  function candidates(loc) {
    switch (loc.kind) {
      case 'id': {
        let found = [];
        try { found = [...document.querySelectorAll(`[id="${CSS.escape(String(loc.id))}"]`)]; } catch { found = []; }
        return found.slice(0, 64).map((el) => ({ el, text: null }));
      }
      case 'name': return [...document.getElementsByName(loc.name)].slice(0, 64).map((el) => ({ el, text: null }));
      case 'css': return queryAll(loc.css, loc.deep).slice(0, 256).map((el) => ({ el, text: null }));
      case 'label_text': {
        const t = fold(loc.text);
        const out = [];
        for (const l of queryAll('label', loc.deep)) {
          if (out.length >= MAX_CANDIDATES) throw TOO_LARGE;
          const has = textHas(l, t);
          if (has === null) throw TOO_LARGE; // a label longer than the budget: cannot tell
          if (has) { spend(); const c = controlOfLabel(l); if (c) out.push({ el: c, text: textOf(l).text }); }
        }
        return out;
      }
      case 'aria': {
        const t = fold(loc.text);
        return queryAll('[aria-label]', loc.deep).filter((e) => fold(clip(e.getAttribute('aria-label')).slice(0, MAX_READ)).includes(t))
          .slice(0, MAX_CANDIDATES).map((el) => ({ el, text: el.getAttribute('aria-label').slice(0, MAX_READ) }));
      }
      case 'near': {
        const t = fold(loc.text);
        // An anchor is an element whose own text (not its descendants') holds
        // the label, so a page wrapper never counts as the label.
        const out = [];
        for (const a of queryAll('label,span,div,dt,th,td,p,h1,h2,h3,h4,legend,strong', loc.deep)) {
          if (out.length >= MAX_CANDIDATES) throw TOO_LARGE;
          const has = textHas(a, t, true);
          if (has === null) throw TOO_LARGE;
          if (!has) continue;
          const c = near(a, loc.css);
          if (c) out.push({ el: c, text: textOf(a, true).text });
        }
        return out;
      }
      default: return [];
    }
  }

  // The first control the locator matches (the page signature's hit test).
  function locate(loc) {
    return withWork(() => candidates(loc)[0]?.el ?? null);
  }

  // The field's control: { el } or { ambiguous: n } or null (see above).
  // { tooLarge: true } when reading the field ran out of the report's budget.
  function resolve(field) {
    try { return withWork(() => resolveIn(field)); } catch (e) { if (e === TOO_LARGE) return TOO_LARGE; throw e; }
  }
  function resolveIn(field) {
    let hidden = null;
    for (const loc of field.locators) {
      let found = [];
      try { found = candidates(loc); } catch (e) { if (e === TOO_LARGE) throw e; found = []; }
      if (!found.length) continue;
      const want = 'text' in loc ? loc.text : field.label;
      const ranked = found.map((c) => {
        const texts = c.text === null ? ownNames(c.el) : [c.text];
        return { el: c.el, rank: Math.max(0, ...texts.map((x) => naming(x, want))) };
      });
      // The best-named visible controls (visibility is looked at tier by
      // tier, best name first, so thousands of look-alikes that only contain
      // the name cost no style lookups once an exact one is visible).
      const key = (e) => (e.tagName === 'INPUT' && e.type === 'radio' && e.name ? `radio:${e.name}` : e); // a radio group is one control
      for (const rank of [2, 1, 0]) {
        const top = ranked.filter((c) => c.rank === rank && visible(c.el));
        if (!top.length) continue;
        const distinct = new Set(top.map((c) => key(c.el)));
        if (rank > 0 && distinct.size > 1) return { ambiguous: distinct.size };
        return { el: top[0].el };
      }
      hidden ??= found[0].el;
    }
    return hidden ? { el: hidden } : null;
  }

  // The text of an element's own text nodes, without its children's.
  function ownText(e) {
    let s = '';
    for (const n of e.childNodes) if (n.nodeType === Node.TEXT_NODE) s += n.data;
    return s;
  }

  // Rendered text: cells and blocks separated as the admin sees them (React
  // tables put no whitespace between cells), hidden text left out.
  const shownText = (e) => String(e.innerText ?? e.textContent ?? '');

  // A choice's name is the first line of its label: Okta puts a hint under
  // each option ("Web Application" / "Server-side applications…").
  function labelText(input) {
    const l = input.labels?.[0] ?? input.closest('label');
    const text = l ? shownText(l).split('\n').map((x) => x.trim()).find(Boolean) : '';
    return clip((text || input.getAttribute('aria-label') || input.value || '').trim());
  }

  function read(el, widget) {
    const tag = el.tagName;
    switch (widget.kind) {
      case 'text': case 'textarea': case 'display':
        return { text: clip('value' in el && (tag === 'INPUT' || tag === 'TEXTAREA') ? el.value : shownText(el)) };
      case 'checkbox':
        return { checked: tag === 'INPUT' ? !!el.checked : el.getAttribute('aria-checked') === 'true' };
      case 'radio_group': {
        const radios = tag === 'INPUT'
          ? (el.name ? [...el.getRootNode().querySelectorAll('input[type=radio]')].filter((r) => r.name === el.name) : [el])
          : [...el.querySelectorAll('input[type=radio],[role=radio]')];
        const on = radios.find((r) => r.checked || r.getAttribute('aria-checked') === 'true');
        return { choice: on ? labelText(on) : '' };
      }
      case 'select': {
        if (tag === 'SELECT') return { choice: clip(el.selectedOptions[0]?.textContent?.trim() ?? '') };
        return { choice: clip(('value' in el && el.value) || el.textContent || '') };
      }
      case 'dueling_list':
        return { list: [...(el.options ?? [])].slice(0, 500).map((o) => clip(o.textContent.trim())) };
      case 'dual_listbox':
        return { list: queryAll('[role=option]', true, el).slice(0, 500).map((o) => clip(o.textContent.trim())) };
      case 'table':
        return {
          list: queryAll('tr,[role=row]', true, el)
            .filter((r) => !r.querySelector('th,[role=columnheader]'))
            .map((r) => r.querySelectorAll('td,[role=cell],[role=gridcell]'))
            .filter((cells) => cells.length > 0 && !(cells.length === 1 && cells[0].colSpan > 1))
            .slice(0, 500)
            .map((cells) => clip(shownText(cells[0]).trim())),
        };
      case 'grant_buttons':
        return {
          rows: queryAll('tr,[role=row]', true, el).slice(0, 500).map((r) => ({
            text: clip(shownText(r).replace(/\s+/g, ' ').trim()),
            buttons: [...r.querySelectorAll('button,[role=button]')].slice(0, 16).map((b) => b.textContent.trim().slice(0, 200)),
          })),
        };
      default: return null;
    }
  }

  // ---- fill (only on instructions from the background, which acts only on
  // a trusted click in the overlay) --------------------------------------
  // Framework-safe input: the native value setter plus bubbling input/change
  // events reaches React-style controlled inputs; checkboxes and radios are
  // clicked so their own handlers run; selects get the option chosen.
  function setNativeValue(el, value) {
    const proto = el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype
      : el.tagName === 'SELECT' ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
    try { el.focus({ preventScroll: true }); } catch { /* not focusable */ }
    if (setter) setter.call(el, value); else el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    el.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    el.dispatchEvent(new Event('blur', { bubbles: false, composed: true }));
  }

  function chooseOption(el, text) {
    const want = fold(text);
    if (el.tagName === 'SELECT') {
      const opt = [...el.options].find((o) => fold(o.textContent) === want) ?? [...el.options].find((o) => fold(o.textContent).includes(want));
      if (!opt) return false;
      setNativeValue(el, opt.value);
      return true;
    }
    // A combobox: open it, then click the option with that text.
    el.click();
    const opt = queryAll('[role=option]', true).find((o) => fold(o.textContent) === want);
    if (!opt) return false;
    opt.click();
    return true;
  }

  function fillOne(el, widget, value) {
    switch (widget.kind) {
      case 'text': case 'textarea': setNativeValue(el, value); return true;
      case 'checkbox': {
        const on = el.tagName === 'INPUT' ? el.checked : el.getAttribute('aria-checked') === 'true';
        if (on !== (value === 'true')) el.click();
        return true;
      }
      case 'radio_group': {
        const want = fold(value);
        const radios = el.tagName === 'INPUT' && el.name
          ? [...el.getRootNode().querySelectorAll('input[type=radio]')].filter((r) => r.name === el.name)
          : [...el.querySelectorAll('input[type=radio],[role=radio]')];
        const r = radios.find((x) => fold(labelText(x)).includes(want));
        if (!r) return false;
        r.click();
        return true;
      }
      case 'select': return chooseOption(el, value);
      default: return false;
    }
  }

  // Applies fill instructions for the page and reads every field back.
  function applyFill(pageId, steps) {
    const spec = specs.find((s) => s.page === pageId);
    if (!spec || !Array.isArray(steps)) return null;
    for (const st of steps.slice(0, 64)) {
      const field = spec.fields.find((f) => f.key === st.field);
      const el = field && findField(field);
      if (!el) continue;
      // A secret in a field the browser would save for session restore
      // (anything but a password input) is marked autocomplete=off first.
      if (st.secret === true && el.type !== 'password' && (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT')) {
        el.setAttribute('autocomplete', 'off');
      }
      try { fillOne(el, field.widget, String(st.value ?? '')); } catch { /* reported by the read-back */ }
    }
    lastReport = '';
    return spec;
  }

  function readFields(spec) {
    return spec.fields.map((f) => {
      let found = null;
      try { found = resolve(f); } catch { found = null; }
      if (found?.ambiguous) return { key: f.key, value: { ambiguous: found.ambiguous } };
      if (found?.tooLarge) return { key: f.key, value: 'too_large' };
      let value = null;
      try { value = found?.el ? withWork(() => read(found.el, f.widget)) : null; } catch (e) { value = e === TOO_LARGE ? 'too_large' : null; }
      if (found?.el) { located.set(found.el, f.key); lastValues.set(found.el, JSON.stringify(value)); }
      return { key: f.key, value };
    });
  }

  // The field's one control, or null (not found, or ambiguous).
  function findField(field) {
    let found = null;
    try { found = resolve(field); } catch { found = null; }
    return found?.el ?? null;
  }

  // The located controls of the last report (element → field key): input,
  // change and the narrow observer on them drive re-reading.
  let located = new Map();
  let lastValues = new Map();    // element → its value as last reported (JSON)
  function facts() {
    located = new Map();
    lastValues = new Map();
    return withWork(() => specs.map((s) => ({
      page: s.page,
      landmarks: s.landmarks.map((l) => l.any_of.some((p) => { try { return probe(p); } catch { return false; } })),
      fields: readFields(s),
    })));
  }

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
    if (!overlay) return;
    const b = overlay.box;
    const side = (k) => (b[k] === null ? 'auto' : `${b[k]}px`);
    overlay.setPos(`:host { top: ${side('top')} !important; bottom: ${side('bottom')} !important; ` +
      `left: ${side('left')} !important; right: ${side('right')} !important; height: ${b.height}px !important; ` +
      `${hiddenByUser ? 'display: none !important;' : ''} }`);
  }

  function place(dock) {
    const [v, h] = dock.split('-');
    Object.assign(overlay.box, { top: null, bottom: null, left: null, right: null });
    overlay.box[v] = 12;
    overlay.box[h] = 12;
    applyBox();
  }

  function makeGrip(root, host) {
    const grip = document.createElement('div');
    grip.className = 'grip';
    grip.title = api.i18n.getMessage('overlay_grip_title');
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
      if (!overlay) return;
      Object.assign(overlay.box, { top: Math.round(y), left: Math.round(x), bottom: null, right: null });
      applyBox();
    });
    grip.addEventListener('pointerup', () => { start = null; });
    root.appendChild(grip);
  }

  function showOverlay(frame, corner) {
    if (dismissed || evicted || dead) return;
    if (overlay && overlay.frame === frame && overlay.host.isConnected && !movedByPage()) return;
    if (overlay && (!overlay.host.isConnected || movedByPage())) {
      // The page removed our panel. Put it back a few times (a console
      // re-rendering its body), then stay away: no insertion loop.
      if (++restores > MAX_RESTORES) { evicted = true; hideOverlay(); return; }
    }
    hideOverlay();
    const host = document.createElement('keyferry-overlay');
    const root = host.attachShadow({ mode: 'closed' });
    const setPos = sheetFor(root, OVERLAY_CSS);
    makeGrip(root, host);
    const iframe = document.createElement('iframe');
    iframe.title = api.i18n.getMessage('overlay_aria_checklist');
    iframe.allow = 'clipboard-write';
    iframe.src = api.runtime.getURL('overlay.html') + '#' + String(frame);
    root.appendChild(iframe);
    overlay = { host, frame, iframe, dock: cornerIndex(corner), setPos, box: { top: 12, right: 12, bottom: null, left: null, height: 200 },
      since: 0, armed: false, posted: 0, born: Date.now(), loaded: false };
    // Post to the frame only once the panel's own document is in it (before,
    // the frame holds an about:blank of the page's origin).
    iframe.addEventListener('load', () => { if (overlay?.iframe === iframe) overlay.loaded = true; });
    place(DOCKS[overlay.dock]);
    // The last child of <html>, after <body>: a page that re-renders or
    // replaces its body leaves it alone, and nothing of the body's paints
    // over it at the same z-index (tree order). Any move is noticed
    // (movedByPage) and answered with a fresh panel.
    document.documentElement.appendChild(host);
    startGuard();
  }

  function hideOverlay() {
    if (overlay) { overlay.host.remove(); overlay = null; }
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
  const GUARD_MS = 100;          // how often the panel's surroundings are sampled while it is shown
  const MIN_CLEAN_MS = 500;      // clickguard::MIN_VISIBLE_MS
  let guardTimer = 0;

  // Our host is no longer the child of <html> we made it.
  const movedByPage = () => !!overlay && overlay.host.isConnected && overlay.host.parentNode !== document.documentElement;

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
    if (!overlay || !overlay.host.isConnected) return f;
    f.present = true;
    const { host, iframe } = overlay;
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
  function coveredAt(x, y) {
    const host = overlay.host;
    try {
      const top = document.elementsFromPoint(x, y)[0];
      if (top !== host) return true;
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
    for (const sel of [':modal', ':popover-open', ':fullscreen']) {
      let list = [];
      try { list = document.querySelectorAll(sel); } catch { continue; }
      for (const n of list) if (contains(n.getBoundingClientRect(), x, y)) return true;
    }
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

  // Samples the panel's surroundings while it is shown: how long it has been
  // clean (PageFacts.clean_ms), a moved host replaced by a fresh one, and the
  // token and "armed" hint handed to our own frame.
  function guardTick() {
    if (!overlay || document.hidden) return;
    if (movedByPage()) { showOverlay(overlay.frame, overlay.dock); return; }
    const now = Date.now();
    let ok = false;
    try { ok = clean(guardFacts()); } catch { ok = false; }
    if (!ok) overlay.since = 0; else if (!overlay.since) overlay.since = now;
    const armed = !!overlay.since && now - overlay.since >= MIN_CLEAN_MS;
    if (overlay.loaded && (armed !== overlay.armed || now - overlay.posted >= (now - overlay.born < 5000 ? GUARD_MS : 1000))) {
      overlay.armed = armed;
      overlay.posted = now;
      try {
        overlay.iframe.contentWindow?.postMessage({ keyferry: { token: TOKEN, armed } }, api.runtime.getURL('').replace(/\/$/, ''));
      } catch { /* not loaded yet */ }
    }
  }
  function startGuard() { if (!guardTimer) guardTimer = setInterval(guardTick, GUARD_MS); }
  function stopGuard() { clearInterval(guardTimer); guardTimer = 0; }

  function checkClick(x, y) {
    if (overlay && movedByPage()) return { v: V, msg: { checked: { ...guardFacts(x, y), moved: true } } };
    const f = guardFacts(Number(x), Number(y));
    f.clean_ms = overlay?.since && clean(f) ? Date.now() - overlay.since : 0;
    return { v: V, msg: { checked: f } };
  }

  function dock(corner) {
    if (!overlay) return;
    overlay.dock = cornerIndex(corner);
    place(DOCKS[overlay.dock]);
  }

  // The overlay reports its content height; the frame follows (bounded by
  // the viewport).
  // Clamped to the viewport, again whenever the window is resized.
  function fit(height) {
    if (!overlay || !Number.isFinite(height)) return;
    overlay.want = height;
    overlay.box.height = Math.round(Math.max(40, Math.min(height + 14, innerHeight - 24)));
    applyBox();
  }
  const refit = () => { if (overlay?.want !== undefined) fit(overlay.want); };

  let hiddenByUser = false;
  function toggle() {
    if (dismissed) { dismissed = false; lastReport = ''; schedule(0); return; }
    hiddenByUser = !hiddenByUser;
    applyBox();
    layer?.setHidden(hiddenByUser);
  }

  // One absolutely positioned layer holds the field badges and highlights.
  let layer = null;      // { host, root }
  let markers = [];      // [{ el, badge }]
  function ensureLayer() {
    if (layer?.host.isConnected) return layer;
    const host = document.createElement('keyferry-marks');
    const root = host.attachShadow({ mode: 'closed' });
    const setPos = sheetFor(root, LAYER_CSS);
    const setHidden = (hidden) => setPos(hidden ? ':host { display: none !important; }' : '');
    setHidden(hiddenByUser);
    (document.body ?? document.documentElement).appendChild(host);
    layer = { host, root, setHidden };
    return layer;
  }

  function clearMarkers() {
    for (const m of markers) m.badge.remove();
    markers = [];
  }

  function position(el, node, dx, dy, asBox) {
    const r = el.getBoundingClientRect();
    const x = r.left + scrollX, y = r.top + scrollY;
    if (asBox) {
      node.style.setProperty('left', `${x - 4}px`); node.style.setProperty('top', `${y - 4}px`);
      node.style.setProperty('width', `${r.width + 2}px`); node.style.setProperty('height', `${r.height + 2}px`);
    } else {
      node.style.setProperty('left', `${x + r.width + dx}px`); node.style.setProperty('top', `${y + dy + Math.max(0, (r.height - 16) / 2)}px`);
    }
  }

  function showMarkers(pageId, list) {
    clearMarkers();
    const spec = specs.find((s) => s.page === pageId);
    if (!spec || !Array.isArray(list) || !list.length) return;
    const { root } = ensureLayer();
    for (const mk of list.slice(0, 64)) {
      const field = spec.fields.find((f) => f.key === mk.field);
      const el = field && findField(field);
      if (!el || !el.getClientRects().length) continue;
      const badge = document.createElement('span');
      badge.className = `m ${mk.ok ? 'ok' : 'bad'}`;
      badge.textContent = mk.ok ? '✓' : '!';
      const text = String(mk.message || api.i18n.getMessage(mk.ok ? 'overlay_marker_ok' : 'overlay_marker_wrong')).slice(0, 500);
      badge.title = text;
      badge.setAttribute('role', 'img');
      badge.setAttribute('aria-label', text);
      root.appendChild(badge);
      const dx = el.getBoundingClientRect().width < 32 ? -(el.getBoundingClientRect().width + 22) : 6;
      position(el, badge, dx, 0, false);
      markers.push({ el, badge, dx });
    }
  }

  let repositionQueued = false;
  function reposition() {
    if (repositionQueued || !markers.length) return;
    repositionQueued = true;
    requestAnimationFrame(() => {
      repositionQueued = false;
      for (const m of markers) position(m.el, m.badge, m.dx, 0, false);
    });
  }

  function focusField(pageId, key) {
    const spec = specs.find((s) => s.page === pageId);
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

  // ---- reporting -------------------------------------------------------
  async function report() {
    timer = 0;
    if (location.href !== href) { urlChanged(); return; }
    if (!specs.length) return;
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
    const body = JSON.stringify(candidates);
    if (body === lastReport) {
      // Nothing changed on the page's fields; only put back what the page
      // may have removed.
      if (shown && !dismissed && overlay && (!overlay.host.isConnected || movedByPage())) showOverlay(shown.frame, overlay.dock);
      if (layer && !layer.host.isConnected) { layer = null; if (shown) showMarkers(shown.page, shown.markers); }
      return;
    }
    lastReport = body;
    const verdict = await send({ facts: { url: location.href, candidates, token: TOKEN } });
    if (verdict?.type === 'busy') { busyRetry(verdict, () => { lastReport = ''; schedule(0); }); return; }
    if (!verdict || verdict.type !== 'verdict') return;
    shown = verdict.page ? verdict : null;
    if (shown) { showOverlay(shown.frame, shown.dock); showMarkers(shown.page, shown.markers); } else hideOverlay();
  }

  let lastCost = 0;              // ms the last report took to read the page
  function schedule(delay = SETTLE_MS) {
    if (timer || dead) return;
    const wait = Math.max(delay, lastSent + Math.max(MIN_GAP_MS, 4 * lastCost) - Date.now());
    timer = setTimeout(report, wait);
  }

  const OBSERVE = { subtree: true, childList: true, attributes: true, characterData: true };
  function observe() {
    if (observer) return;
    observer = new MutationObserver((records) => {
      if (timer) return; // a report is already due: nothing more to look at
      for (const r of records) {
        const removedOurs = [...r.removedNodes].some(isOurs);
        if (removedOurs || (!isOurs(r.target) && ![...r.addedNodes].some(isOurs))) { schedule(); return; }
      }
    });
    observer.observe(document.documentElement, OBSERVE);
    watchShadows();
  }

  // A document observer does not see inside shadow roots, and Lightning
  // draws setup pages into nested open shadow roots, late. Each open root
  // found (bounded walk, as a deep query) is observed too; a report looks
  // for new ones, so roots drawn inside observed roots are picked up in turn.
  // Returns how many roots were new.
  let watched = new WeakSet();
  function watchShadows() {
    if (!observer) return 0;
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
          try { observer.observe(sr, OBSERVE); added++; } catch { /* not observable */ }
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
    if (!located.size || dead) return;
    fieldObserver = new MutationObserver(() => schedule());
    for (const el of [...located.keys()].slice(0, 64)) {
      try { fieldObserver.observe(el, { attributes: true, characterData: true, childList: true, subtree: true }); } catch { /* gone */ }
    }
  }
  // Cheap check of the located controls only (no locating, no page walk): a
  // script may set .value without any event. A report only if one changed.
  function recheckLocated() {
    if (!located.size) return false;
    const spec = shown && specs.find((x) => x.page === shown.page);
    if (!spec) return false;
    for (const [el, key] of located) {
      if (!el.isConnected) return true;
      const f = spec.fields.find((x) => x.key === key);
      if (!f) continue;
      let v = null;
      try { v = JSON.stringify(withWork(() => read(el, f.widget))); } catch { v = null; }
      if (lastValues.get(el) !== v) return true;
    }
    return false;
  }
  // The background asked this frame to wait (its share is spent, crate::budget).
  let busyTimer = 0;
  function busyRetry(reply, again) {
    const ms = Math.min(Math.max(Number(reply.retry_ms) || 0, 250), 5000);
    clearTimeout(busyTimer);
    busyTimer = setTimeout(again, ms);
  }
  let overTimer = 0;
  let overRetry = OVER_RETRY_MS;

  function unobserve() {
    fieldObserver?.disconnect();
    fieldObserver = null;
    located = new Map();
    lastValues = new Map();
    observer?.disconnect();
    observer = null;
    watched = new WeakSet();
    clearTimeout(timer);
    timer = 0;
  }

  async function restart() {
    href = location.href;
    dismissed = false;
    evicted = false;
    restores = 0;
    shown = null;
    lastReport = '';
    // Not a path keyferry knows: stay quiet, and do not wake the background.
    if (!mayBeCandidate(href)) { specs = []; unobserve(); hideOverlay(); ticking(false); return; }
    const reply = await send({ hello: { url: href, top: window === window.top } });
    if (reply?.type === 'busy') { busyRetry(reply, restart); return; }
    if (href !== location.href) { urlChanged(); return; } // moved on meanwhile
    specs = reply?.type === 'specs' && Array.isArray(reply.candidates) ? reply.candidates : [];
    if (specs.length) { observe(); schedule(0); } else { unobserve(); hideOverlay(); }
    ticking(specs.length > 0);
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

  // URL changes are coalesced: one hello per settle window (a page can call
  // history.pushState thousands of times), at least one per URL_MAX_WAIT_MS
  // while they keep coming.
  let urlTimer = 0;
  let urlFirst = 0;
  function urlChanged() {
    const now = Date.now();
    if (!urlTimer) urlFirst = now;
    clearTimeout(urlTimer);
    const wait = Math.max(0, Math.min(URL_SETTLE_MS, urlFirst + URL_MAX_WAIT_MS - now));
    urlTimer = setTimeout(() => { urlTimer = 0; if (location.href !== href && !dead) restart(); }, wait);
  }
  function onUrlMaybeChanged() { if (location.href !== href) urlChanged(); }
  // Typing or a change in a located field (or anywhere while the page is not
  // recognized yet) reads the page again.
  const onInput = (e) => {
    if (!specs.length) return;
    const t = e.composedPath?.()[0] ?? e.target;
    if (!shown || located.has(t) || [...located.keys()].some((el) => el.contains?.(t))) schedule(60);
  };

  // ---- page signature (drift) -----------------------------------------
  // Only on request (the admin clicked "Copy page signature"): describes the
  // frame for a bug report. Which landmark probes and field locators of each
  // candidate page hit, the form controls by tag, type, role, id, name, label
  // and aria-label, and the headings. It never reads a control's value,
  // value attribute, placeholder, checked state or content; password fields
  // and text areas get no label or aria text either; a label's or heading's
  // words leave out the text of controls inside it. Bounded: 200 controls,
  // 20 headings, 80 characters a text, queryAll's node and shadow-root limits.
  const SIG_CONTROLS = 'input,select,textarea,button,[contenteditable],[role=textbox],[role=combobox],' +
    '[role=listbox],[role=checkbox],[role=radio],[role=switch],[role=spinbutton]';
  const SIG_SKIP = `${SIG_CONTROLS},option,optgroup,datalist,output,script,style,template`;
  const SIG_MAX_CONTROLS = 200;
  const SIG_MAX_HEADINGS = 20;
  const SIG_MAX_TEXT = 80;
  const sigText = (s) => {
    const t = String(s ?? '').replace(/\s+/g, ' ').trim();
    return t.length > SIG_MAX_TEXT ? t.slice(0, SIG_MAX_TEXT) : t;
  };
  const sigAttr = (e, name) => { const v = e.getAttribute(name); return v === null ? null : sigText(v); };

  // An element's own words: its text nodes and those of its non-control
  // descendants (a few levels), never the text of a control inside it.
  function sigWords(e) {
    let s = '';
    const walk = (n, depth) => {
      for (const c of n.childNodes) {
        if (s.length > SIG_MAX_TEXT * 2) return;
        if (c.nodeType === Node.TEXT_NODE) s += `${c.data} `;
        else if (c.nodeType === Node.ELEMENT_NODE && depth < 4 && !c.matches(SIG_SKIP)) walk(c, depth + 1);
      }
    };
    walk(e, 0);
    return sigText(s);
  }

  function sigControl(e) {
    const tag = e.tagName.toLowerCase();
    const type = tag === 'input' ? (e.getAttribute('type') ?? 'text') : tag === 'button' ? e.getAttribute('type') : null;
    const sensitive = tag === 'textarea' || (tag === 'input' && String(type).trim().toLowerCase() === 'password');
    let label = null;
    if (!sensitive) {
      const l = e.labels?.[0] ?? e.closest('label');
      label = l ? sigWords(l) || null : null;
    }
    return {
      tag: sigText(tag),
      type: type === null ? null : sigText(type),
      role: sigAttr(e, 'role'),
      id: sigAttr(e, 'id'),
      name: sigAttr(e, 'name'),
      label,
      aria: sensitive ? null : sigAttr(e, 'aria-label'),
    };
  }

  function describePage() {
    const tryBool = (f) => { try { return !!f(); } catch { return false; } };
    const candidates = specs.slice(0, 16).map((s) => ({
      page: String(s.page),
      landmarks: s.landmarks.slice(0, 64).map((l) => l.any_of.slice(0, 32).map((p) => tryBool(() => probe(p)))),
      fields: s.fields.slice(0, 256).map((f) => f.locators.slice(0, 32).map((loc) => tryBool(() => locate(loc)))),
    }));
    let found = [];
    try { found = queryAll(SIG_CONTROLS, true); } catch { found = []; }
    const controls = [];
    for (const e of found.slice(0, SIG_MAX_CONTROLS)) { try { controls.push(sigControl(e)); } catch { /* skip it */ } }
    let headings = [];
    try {
      headings = queryAll('h1,h2,h3,[role=heading]', true).slice(0, SIG_MAX_HEADINGS).map(sigWords).filter(Boolean);
    } catch { headings = []; }
    return { v: V, msg: { described: { candidates, controls, headings, truncated: found.length > SIG_MAX_CONTROLS } } };
  }

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
      case 'dismiss': dismissed = true; hideOverlay(); break;
      case 'dock': dock(m.corner); break;
      case 'toggle': toggle(); break;
      case 'refresh': lastReport = ''; schedule(0); break;
      default: break;
    }
  }

  function teardown() {
    if (dead) return;
    dead = true;
    unobserve();
    hideOverlay();
    layer?.host.remove();
    removeEventListener('input', onInput, true);
    removeEventListener('change', onInput, true);
    removeEventListener('popstate', onUrlMaybeChanged);
    removeEventListener('scroll', reposition, true);
    removeEventListener('resize', reposition);
    removeEventListener('resize', refit);
    removeEventListener('hashchange', onUrlMaybeChanged);
    globalThis.navigation?.removeEventListener?.('navigatesuccess', onUrlMaybeChanged);
    clearInterval(poll);
    clearInterval(aliveTimer);
    clearInterval(recheckTimer);
    stopGuard();
    clearTimeout(urlTimer);
    clearTimeout(busyTimer);
    clearTimeout(overTimer);
    try { api.runtime.onMessage.removeListener(onMessage); } catch { /* orphaned */ }
  }

  // ---- start -----------------------------------------------------------
  addEventListener('input', onInput, true);
  addEventListener('change', onInput, true);
  addEventListener('popstate', onUrlMaybeChanged);
  addEventListener('hashchange', onUrlMaybeChanged);
  addEventListener('scroll', reposition, { capture: true, passive: true });
  addEventListener('resize', reposition, { passive: true });
  addEventListener('resize', refit, { passive: true });
  // SPA navigation: the Navigation API where the browser has it, else a
  // cheap URL comparison once a second.
  let poll = 0;
  if (globalThis.navigation?.addEventListener) {
    globalThis.navigation.addEventListener('navigatesuccess', onUrlMaybeChanged);
  } else {
    poll = setInterval(onUrlMaybeChanged, 1000);
  }
  // Orphaned (the extension was reloaded, updated or removed while this page
  // stayed open): runtime.id goes away. Remove everything we put in the page
  // and stop observing, without waiting for the next message to fail.
  // Both timers below run only on a candidate page (`ticking`): elsewhere
  // the agent leaves nothing running.
  let aliveTimer = 0;
  // A page script may change a field's .value without any event (e.g. right
  // after a fill): re-read while the page is recognized and visible.
  // Not recognized yet: a shadow root attached to an element already in the
  // page makes no mutation the observers see; look for new roots as often.
  // Recognized: only the located controls are compared (recheckLocated), no
  // full re-scan; the page's own changes reach the agent through the
  // observers and input/change events.
  let recheckTimer = 0;
  function ticking(on) {
    if (on && !aliveTimer) {
      aliveTimer = setInterval(() => { if (!alive()) teardown(); }, ALIVE_MS);
      recheckTimer = setInterval(() => {
        if (document.hidden || !specs.length) return;
        if (shown ? !dismissed && recheckLocated() : watchShadows() > 0) schedule(0);
      }, RECHECK_MS);
    } else if (!on && aliveTimer) {
      clearInterval(aliveTimer);
      clearInterval(recheckTimer);
      aliveTimer = recheckTimer = 0;
    }
  }
  // A previous instance of this agent that could not clean up (Firefox
  // destroys a reloaded or updated add-on's content scripts at once, and
  // injects the new ones into open tabs) may have left its elements behind:
  // remove them before drawing ours.
  for (const stale of document.querySelectorAll('keyferry-overlay, keyferry-marks')) stale.remove();
  let listening = false;
  try { api.runtime.onMessage.addListener(onMessage); listening = true; } catch { /* orphaned already */ }
  if (listening) restart(); else teardown();
})();
