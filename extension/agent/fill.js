  // keyferry page agent: fill (see bootstrap.js for how the parts fit).

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
    const spec = state.specs.find((s) => s.page === pageId);
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
    state.lastReport = '';
    return spec;
  }
