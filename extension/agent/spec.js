  // keyferry page agent: spec evaluation (see bootstrap.js for how the parts fit).
  // The first part of agent-main.js: the limits every part of it uses.
  const MAX_TEXT = 60000;        // below the core's 64 KiB limit
  const MAX_NODES = 20000;       // per deep query
  const MAX_DEPTH = 64;          // nested shadow roots
  const SETTLE_MS = 150;         // debounce after DOM changes
  const MIN_GAP_MS = 250;        // at most 4 reports a second
  // While a candidate page draws itself (its first seconds, not recognized
  // yet), the panel should follow its fields closely: a shorter debounce and gap.
  const EARLY_MS = 3000;
  const EARLY_SETTLE_MS = 30;
  const EARLY_GAP_MS = 100;
  // Once the page is recognized, a change elsewhere in the page (not in a
  // located field: those are followed at once) is read when the page has
  // been still for SHOWN_SETTLE_MS, at the latest SHOWN_MAX_MS after the
  // first change: one report after a re-render, not one every MIN_GAP_MS.
  const SHOWN_SETTLE_MS = 400;
  const SHOWN_MAX_MS = 2000;
  // After a change in the page the document observer looks away (is
  // disconnected) for LOOK_AWAY_MS: a report is due anyway and reads the page
  // as it then is, so the records of a long re-render (thousands of
  // mutations) need not be made. A report looks back first.
  const LOOK_AWAY_MS = 100;
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
  const MAX_READ = 2000;         // characters of one label, anchor or heading text
  const MAX_CANDIDATES = 8000;   // controls one locator may match (more: "too large")
  const CLOCK_UNITS = 64;        // units of work between two looks at the clock
  const OVER_RETRY_MS = 2000;    // a report that ran out of time is tried again after this, doubling while it keeps
                                 // running out (the machine may have been busy); out of nodes: only on a page change

  // ---- DOM helpers (bounded) ------------------------------------------
  const fold = (s) => String(s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
  const clip = (s) => { s = String(s ?? ''); return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s; };
  const isOurs = (n) => (state.overlay && n === state.overlay.host) || (state.layer && n === state.layer.host);

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
    work = { until: performance.now() + REPORT_MS, visits: 0, clock: 0, over: false, shown: new Map(), hides: new Map(), boxes: new Map(),
      queries: new Map(), texts: new Map(), ownTexts: new Map() };
    try { return fn(); } finally { lastOver = work.over && work.visits <= MAX_VISITS ? 'time' : work.over ? 'nodes' : false; work = null; }
  }
  let lastOver = false;          // the last budget's outcome: false, 'time' or 'nodes'
  // Counts `n` units; throws TOO_LARGE once the report's budget is spent.
  // The clock is read once per CLOCK_UNITS units: reading it costs more than
  // most units do.
  function spend(n = 1) {
    if (!work) return;
    if (!work.over) {
      work.visits += n;
      if (work.visits > MAX_VISITS) work.over = true;
      else if (work.visits >= work.clock) {
        work.clock = work.visits + CLOCK_UNITS;
        if (performance.now() > work.until) work.over = true;
      }
    }
    if (work.over) throw TOO_LARGE;
  }
  // An element's text (all of it, or only its own text nodes), at most
  // MAX_READ characters: { text, cut } (cut: there was more). Read once per
  // report (work.texts, work.ownTexts): the fields of a page, and the
  // candidate pages of a URL, look at the same labels and anchors. A cached
  // answer still stops once the budget is spent (spend(0)).
  function textOf(e, own = false) {
    const memo = work && (own ? work.ownTexts : work.texts);
    const hit = memo?.get(e);
    if (hit) { spend(0); return hit; }
    const got = readText(e, own);
    memo?.set(e, got);
    return got;
  }
  function readText(e, own) {
    let s = '';
    if (own) {
      for (let n = e.firstChild; n; n = n.nextSibling) {
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
  // Folding only changes whitespace and case, so a text can hold `t` only if
  // its lower case holds t's first word: most texts are ruled out without
  // folding them.
  const firstWord = (t) => { const sp = t.indexOf(' '); return sp < 0 ? t : t.slice(0, sp); };
  function textHas(e, t, own = false) {
    const got = textOf(e, own);
    const head = firstWord(t);
    got.lower ??= got.text.toLowerCase();
    if (got.lower.includes(head) && (got.folded ??= fold(got.text)).includes(t)) return true;
    return got.cut ? null : false;
  }

  // The document and its open shadow roots (not ours), nested ones after the
  // root that holds them, in tree order: the places a deep query looks.
  // Found by one bounded walk, kept for the rest of the report (work.roots):
  // a report runs in one task, so the page cannot change meanwhile.
  function rootsOf(root) {
    if (work?.roots && root === document) return work.roots;
    const out = [];
    let seen = 0;
    const walk = (r, depth) => {
      out.push(r);
      if (depth >= MAX_DEPTH) return;
      const it = document.createTreeWalker(r, NodeFilter.SHOW_ELEMENT);
      for (let n = it.nextNode(); n && seen < MAX_NODES; n = it.nextNode()) {
        seen++;
        if ((seen & 255) === 0) spend(256);
        if (n.shadowRoot && !isOurs(n)) walk(n.shadowRoot, depth + 1);
      }
    };
    walk(root, 0);
    if (work && root === document) work.roots = out;
    return out;
  }

  // querySelectorAll over the document and, if deep, open shadow roots.
  // A query of the whole document is made once per report (work.queries;
  // callers never change the array they get).
  function queryAll(css, deep, root = document) {
    const memo = work && root === document ? work.queries : null;
    const key = memo && `${deep ? 'deep ' : ''}${css}`;
    const hit = memo?.get(key);
    if (hit) { spend(0); return hit; }
    const out = queryAllNow(css, deep, root);
    memo?.set(key, out);
    return out;
  }
  function queryAllNow(css, deep, root) {
    const out = [];
    for (const r of deep ? rootsOf(root) : [root]) {
      let found;
      try { found = r.querySelectorAll(css); } catch { return out; }
      spend(Math.min(found.length, MAX_NODES));
      for (const e of found) {
        if (out.length >= MAX_NODES) return out;
        if (!isOurs(e)) out.push(e);
      }
    }
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
        const anchors = (!loc.deep && ownTextHolders(firstWord(t))) || queryAll(ANCHORS, loc.deep);
        for (const a of anchors) {
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

  // The elements that can be a `near` anchor.
  const ANCHORS = 'label,span,div,dt,th,td,p,h1,h2,h3,h4,legend,strong';
  // The anchors whose own text can hold a word `head` (folded, no spaces), in
  // document order, found by the browser's XPath instead of reading the own
  // text of every anchor of the page (a long list or table has thousands):
  // the parents of the text nodes that hold `head` (ASCII case folded; İ and
  // the Kelvin sign are the only other characters that lower-case to ASCII),
  // and the elements with two non-blank text nodes of their own (a word split
  // across them). A superset of the anchors textHas() can accept; it still
  // decides. null (read every anchor) when `head` is not plain ASCII. Once
  // per word per report (work.queries), as queryAll: labels of one page
  // often share their first word.
  const XPATH_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ\u0130\u212A';
  const XPATH_LOWER = 'abcdefghijklmnopqrstuvwxyzik';
  function ownTextHolders(head) {
    if (!/^[a-z0-9!#-&(-~]+$/.test(head)) return null; // ASCII without a quote or a space
    const key = `:own-text(${head})`; // not a selector the browser accepts, so no queryAll key
    const hit = work?.queries.get(key);
    if (hit) { spend(0); return hit; }
    const xpath = `//text()[contains(translate(., '${XPATH_UPPER}', '${XPATH_LOWER}'), '${head}')]/parent::*`
      + ' | //*[text()[normalize-space()][2]]';
    let found;
    try { found = document.evaluate(xpath, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null); } catch { return null; }
    const out = [];
    for (let i = 0, n = Math.min(found.snapshotLength, MAX_NODES); i < n; i++) {
      spend();
      const e = found.snapshotItem(i);
      if (e.matches(ANCHORS) && !isOurs(e)) out.push(e);
    }
    work?.queries.set(key, out);
    return out;
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


  function readFields(spec) {
    return spec.fields.map((f) => {
      let found = null;
      try { found = resolve(f); } catch { found = null; }
      if (found?.ambiguous) return { key: f.key, value: { ambiguous: found.ambiguous } };
      if (found?.tooLarge) return { key: f.key, value: 'too_large' };
      let value = null;
      try { value = found?.el ? withWork(() => read(found.el, f.widget)) : null; } catch (e) { value = e === TOO_LARGE ? 'too_large' : null; }
      if (found?.el) { state.located.set(found.el, f.key); state.lastValues.set(found.el, JSON.stringify(value)); }
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
  function facts() {
    state.located = new Map();
    state.lastValues = new Map();
    return withWork(() => state.specs.map((s) => ({
      page: s.page,
      landmarks: s.landmarks.map((l) => l.any_of.some((p) => { try { return probe(p); } catch { return false; } })),
      fields: readFields(s),
    })));
  }
