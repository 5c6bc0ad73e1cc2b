// Capture → carry → fill, end to end in every browser of KF_BROWSERS
// (lib/driver.mjs): the flows of flows.json, the clipboard's Copy and clear,
// then a grep of the browser profile for every secret the flows carried.
// Run from the repo root: node --test tests/e2e/flows.test.mjs   (or tests/e2e/run.sh)

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { E2E_DIR } from './hosts.mjs';
import { grepTree } from './lib/common.mjs';
import { browsers, formatErrors, overlayPick, panelWith, staysFalse, waitFor, waitForOverlay } from './lib/driver.mjs';

const { flows } = JSON.parse(readFileSync(join(E2E_DIR, 'flows.json'), 'utf8'));

const subst = (s, vars) => s.replace(/\$\{(\w+)\}/g, (_, k) => {
  if (!(k in vars)) throw new Error(`flows.json uses \${${k}} before remembering it`);
  return vars[k];
});
const substAll = (obj, vars) => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, subst(v, vars)]));

/** The overlay's notice in `tab`: { kind, text } (null while there is none). */
async function readNotice(tab) {
  for (const p of await tab.panels()) {
    const n = await p.eval(() => {
      const el = document.querySelector('[data-kf-notice]');
      return el && { kind: el.dataset.kfNotice, text: el.textContent };
    }).catch(() => null);
    if (n) return n;
  }
  return null;
}
/** Marks the notice `panel` shows now, runs `act`, then waits for a notice element that is not the marked one. */
async function newNotice(panel, act, what) {
  await panel.eval(() => document.querySelector('[data-kf-notice]')?.setAttribute('data-kf-seen', ''));
  await act();
  return waitFor(() => panel.eval(() => {
    const el = document.querySelector('[data-kf-notice]:not([data-kf-seen])');
    return el && { kind: el.dataset.kfNotice, text: el.textContent };
  }), what);
}
const hostRect = (tab) => tab.eval(() => JSON.stringify(document.querySelector('keyferry-overlay')?.getBoundingClientRect() ?? null));
const hasPanelWith = async (tab, sel) => {
  for (const p of await tab.panels()) if (await p.eval((s) => !!document.querySelector(s), sel).catch(() => false)) return true;
  return false;
};

/** Runs one flow of flows.json; `secrets` collects what it remembers as secret. Returns its last tab. */
async function run(drv, flow, secrets) {
  const vars = {};
  let tab = null;
  for (const [i, step] of flow.steps.entries()) {
    const where = `${flow.name}, step ${i + 1} ${JSON.stringify(step)}`;
    try {
      if (step.open) {
        const previous = tab;
        tab = await drv.open(step.open);
        await previous?.close(); // values travel in the extension, not in tabs (one tab at least stays open)
      } else if (step.click) {
        await tab.click(step.click);
      } else if (step.type) {
        await tab.fill(step.type, '');
        await tab.type(step.type, step.text); // key by key
      } else if (step.wait) {
        await waitFor(() => tab.eval((s) => !!document.querySelector(s), step.wait), step.wait, 15_000);
      } else if (step.remember) {
        const v = await waitFor(async () => {
          const got = await tab.eval((css, prop) => {
            const el = document.querySelector(css);
            return el && (prop === 'value' ? el.value : el.textContent);
          }, step.css, step.prop ?? 'text');
          return got && (!step.match || new RegExp(step.match).test(got)) ? got : null;
        }, `a value in ${step.css}`);
        vars[step.remember] = v.trim();
        if (step.secret) secrets.push({ name: step.remember, value: vars[step.remember] });
      } else if (step.overlay) {
        await waitForOverlay(tab, (s) => s?.page === step.overlay, { what: `overlay ${step.overlay}` });
      } else if (step.pick) {
        await overlayPick(tab, step.pick);
        await waitFor(async () => {
          const [p] = await tab.panels();
          return p && await p.eval((want) => document.querySelector('select[data-kf-action=pick]')?.value === want, step.pick);
        }, `integration ${step.pick}`);
      } else if (step.no_capture) {
        assert.ok(await hasPanelWith(tab, '[data-kf-page]'), 'an overlay');
        await staysFalse(() => hasPanelWith(tab, `[data-kf-action=capture][data-kf-slot="${step.no_capture}"]`), 500,
          `a Capture button for ${step.no_capture} while the page does not show it`);
      } else if (step.capture) {
        const sel = `[data-kf-action=capture][data-kf-slot="${step.capture}"]`;
        const panel = await panelWith(tab, sel, `a Capture button for ${step.capture}`);
        const n = await newNotice(panel, () => panel.click(sel), `the notice of capturing ${step.capture}`);
        const row = await waitFor(() => panel.eval((q) => document.querySelector(q)?.textContent ?? null, `[data-kf-vault="${step.capture}"] code`),
          `a vault row for ${step.capture}`);
        assert.equal(n.kind, 'ok', `capture notice: ${JSON.stringify(n)}`);
        for (const s of secrets) assert.ok(!row.includes(s.value), `the vault row shows ${s.name} masked`);
      } else if (step.fill || step.bind) {
        const sel = step.bind ? `[data-kf-action=bind][data-kf-org="${step.bind}"]`
          : step.fill.overwrite ? '[data-kf-action=fill][data-kf-overwrite=true]' : '[data-kf-action=fill]:not([data-kf-overwrite])';
        const lastNotice = (await readNotice(tab))?.text ?? null;
        // A re-render may replace the button between finding and clicking it.
        await waitFor(async () => { await (await panelWith(tab, sel, `the ${sel} button`)).click(sel, { timeout: 2_000 }); return true; }, `clicking ${sel}`);
        await waitFor(async () => {
          const n = await readNotice(tab);
          return n && n.text !== lastNotice && /^(Filled|Nothing to fill|The page|Not filled)/.test(n.text) ? n : null;
        }, 'the fill result');
      } else if (step.notice) {
        const n = await readNotice(tab);
        assert.equal(n?.kind, step.notice, `notice kind (${n?.text})`);
        for (const part of step.contains ?? []) assert.ok(n.text.includes(part), `notice "${n.text}" contains "${part}"`);
      } else if (step.values) {
        const want = substAll(step.values, vars);
        const read = () => tab.eval((css) => Object.fromEntries(css.map((c) => [c, document.querySelector(c).value])), Object.keys(want));
        // Nothing must appear: watch the fields for a while.
        if (!Object.values(want).some(Boolean)) await staysFalse(async () => Object.values(await read()).some(Boolean) && await read(), 1_000, 'a value in the fields');
        assert.deepEqual(await read(), want, 'the fields\' values');
      } else if (step.items) {
        await waitForOverlay(tab, (s) => s && Object.entries(step.items).every(([id, st]) => s.items.find((x) => x.id === id)?.status === st),
          { what: `items ${JSON.stringify(step.items)}` });
      } else if (step.submitted) {
        await tab.eval(() => document.body.removeAttribute('data-fixture-submitted'));
        await tab.click(step.submitted);
        const sent = await waitFor(() => tab.eval(() => document.body.getAttribute('data-fixture-submitted')), 'the submitted payload');
        assert.deepEqual(JSON.parse(sent), substAll(step.expect, vars), 'what the page framework submits');
      } else if (step.synthetic) {
        // A page script (main world) tries to drive the overlay: untrusted
        // clicks and keys at its host and everything under it, and messages.
        await tab.eval(() => {
          const host = document.querySelector('keyferry-overlay');
          const r = host.getBoundingClientRect();
          for (const t of [host, document.elementFromPoint(r.x + r.width / 2, r.y + r.height - 20)]) {
            t?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: r.x + 40, clientY: r.y + r.height - 20 }));
            t?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
          }
          window.postMessage({ v: 1, msg: { overlay_action: { frame: 0, action: { fill: { overwrite: true } } } } }, '*');
          window.postMessage({ type: 'fill' }, '*');
        });
        await staysFalse(() => readNotice(tab), 1_000, 'an overlay action (a notice)');
      } else if (step.panel) {
        const sel = `[data-kf-action=${step.panel}]`;
        const panel = await panelWith(tab, sel, `the ${step.panel} control`);
        const before = await hostRect(tab);
        await panel.click(sel);
        await waitFor(async () => (await hostRect(tab)) !== before, 'the panel to move');
      } else if (step.overlay_has) {
        await panelWith(tab, step.overlay_has, `${step.overlay_has} in the overlay`);
      } else if (step.overlay_lacks) {
        await waitFor(async () => (await tab.panels()).length > 0 && !(await hasPanelWith(tab, step.overlay_lacks)), `no ${step.overlay_lacks} in the overlay`);
      } else if (step.no_overlay) {
        await staysFalse(async () => (await tab.panels()).length || await tab.eval(() => !!document.querySelector('keyferry-overlay')), 1_500,
          'an overlay frame or host');
      } else {
        throw new Error('unknown step');
      }
    } catch (err) {
      err.message = `${where}: ${err.message}`;
      throw err;
    }
  }
  return tab;
}

// The session store written every second (Firefox), so the profile grep sees what the browser keeps of these tabs.
browsers('capture → carry → fill flows', { firefoxPrefs: { 'browser.sessionstore.interval': 1000 } }, (s) => {
  const secrets = [];

  for (const flow of flows) {
    s.scenario(flow.name, async (drv) => {
      await run(drv, flow, secrets);
      // Uncaught exceptions of the pages (Chromium: pageerror; Firefox: BiDi javascript entries).
      const uncaught = (await drv.errors()).filter((e) => e.kind === 'pageerror' || e.kind === 'javascript');
      assert.deepEqual(uncaught, [], formatErrors(uncaught));
    });
  }

  s.scenario('Copy puts a secret on the clipboard; its clear alarm removes it only if the clipboard still holds it', async (drv) => {
    const secret = secrets.find((x) => x.name === 'wf_client_secret')?.value;
    assert.ok(secret, 'flow 5 captured the Workflows client secret');
    const tab = await drv.open('https://acme.workflows.okta.com/app/connections?kfstate=empty&kfconnector=okta_devices');
    await waitForOverlay(tab, (st) => st?.page === 'workflows.connection.new');
    await overlayPick(tab, 'workflows-okta-devices');
    const copySel = '[data-kf-action=copy][data-kf-field=client_secret]';
    const copy = async () => {
      const panel = await panelWith(tab, copySel, 'the Copy button of Client Secret');
      // The notice may already say "Copied …" (a copy made on this console before): a new notice element is the answer.
      return newNotice(panel, () => panel.click(copySel), 'a new notice after Copy');
    };
    const alarmDue = () => drv.background(async (bg) => (await bg.chrome.alarms.get('kf-clip'))?.scheduledTime ?? null);
    const fireAlarmNow = () => drv.background((bg) => { bg.chrome.alarms.create('kf-clip', { when: Date.now() }); });

    await tab.setClipboard(''); // an empty clipboard to start with (and, in Chromium, the page's clipboard permission)
    const t0 = Date.now();
    const n = await copy();
    assert.equal(n.kind, 'ok', n.text);
    assert.ok(!n.text.includes(secret), 'the notice does not show the secret');
    await waitFor(async () => (await tab.clipboard()) === secret, 'the secret on the clipboard');
    const due = await alarmDue();
    assert.ok(due >= t0 + 59_000 && due <= Date.now() + 60_500, `the clear is scheduled 60 s after the copy (in ${due - t0} ms)`);
    await fireAlarmNow();
    await waitFor(async () => (await tab.clipboard()) === '', 'the clipboard to be cleared');

    await copy(); // the same notice again, after the clear
    await waitFor(async () => (await tab.clipboard()) === secret, 'the secret on the clipboard again');
    await tab.setClipboard('something the admin copied since');
    await fireAlarmNow();
    await waitFor(async () => !(await drv.background(async (bg) => 'clip' in await bg.chrome.storage.session.get('clip'))), 'the clear job to run');
    assert.equal(await tab.clipboard(), 'something the admin copied since', 'what the admin copied since is left alone');
    await tab.close();
  });

  s.scenario('after the flows the profile directory holds none of the secrets', async (drv) => {
    assert.ok(secrets.length === 6, `the flows carried secrets (${secrets.map((x) => x.name)})`);
    // Control: text the admin types into a plain textarea is kept by the
    // browser's session restore, so the grep below does see what it writes.
    const canary = { name: 'canary', value: 'kf-canary-' + '7f3a9c1e'.repeat(4) };
    const tab = await drv.open('https://app.workato.com/connections/new?kfstate=empty');
    await tab.select('select.wk-select:has(option[value=oauth2_client_credentials])', 'oauth2_client_credentials');
    await tab.fill('textarea[name=private_key]', canary.value);
    await waitFor(() => grepTree(drv.profileDir, [canary]).length > 0, 'the typed canary in the profile\'s session files', 20_000);
    assert.deepEqual(grepTree(drv.profileDir, secrets), [], 'files of the running browser\'s profile that contain a secret');
    // And once the browser has quit (everything it keeps written out).
    const errors = await drv.errors();
    await drv.close({ keepProfile: true });
    try {
      assert.deepEqual(grepTree(drv.profileDir, secrets), [], 'files that contain a secret');
    } finally {
      await drv.removeProfile();
    }
    const uncaught = errors.filter((e) => e.kind === 'pageerror' || e.kind === 'javascript');
    assert.deepEqual(uncaught, [], formatErrors(uncaught));
  });
});
