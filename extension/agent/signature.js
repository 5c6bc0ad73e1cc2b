  // keyferry page agent: page signature (see bootstrap.js for how the parts fit).

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
    const candidates = state.specs.slice(0, 16).map((s) => ({
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
