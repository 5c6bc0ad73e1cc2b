// Capture → carry → fill, end to end in Chromium: the flows of flows.json
// (shared with test_flows.py for Firefox), then a grep of the browser
// profile for every secret the flows carried.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { E2E_DIR } from './hosts.mjs';
import { formatErrors, grepTree, launch, overlayFrames, overlayPick, startFixtureServer, waitFor, waitForOverlay } from './lib/chromium.mjs';

const { flows } = JSON.parse(readFileSync(join(E2E_DIR, 'flows.json'), 'utf8'));

const subst = (s, vars) => s.replace(/\$\{(\w+)\}/g, (_, k) => {
  if (!(k in vars)) throw new Error(`flows.json uses \${${k}} before remembering it`);
  return vars[k];
});
const substAll = (obj, vars) => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, subst(v, vars)]));


/** The overlay frame of `page` once `selector` is in it. */
async function frameWith(page, selector, what) {
  return waitFor(async () => {
    for (const f of overlayFrames(page)) {
      if (await f.$(selector).catch(() => null)) return f;
    }
    return null;
  }, what);
}

/** The overlay's notice: { kind, text } (null while there is none). */
async function readNotice(page) {
  for (const f of overlayFrames(page)) {
    const n = await f.evaluate(() => {
      const el = document.querySelector('[data-kf-notice]');
      return el && { kind: el.dataset.kfNotice, text: el.textContent };
    }).catch(() => null);
    if (n) return n;
  }
  return null;
}

async function run(session, flow, secrets) {
  const vars = {};
  let page = null;
  let lastNotice = null; // the notice text before the last overlay action
  for (const [i, step] of flow.steps.entries()) {
    const where = `${flow.name}, step ${i + 1} ${JSON.stringify(step)}`;
    try {
      if (step.open) {
        ({ page } = await session.openFixture(step.open));
      } else if (step.click) {
        await page.click(step.click, { timeout: 10_000 });
      } else if (step.type) {
        await page.fill(step.type, ''); await page.type(step.type, step.text);
      } else if (step.wait) {
        await page.waitForSelector(step.wait, { timeout: 15_000 });
      } else if (step.remember) {
        const value = await waitFor(async () => {
          const v = await page.$eval(step.css, (el, prop) => (prop === 'value' ? el.value : el.textContent), step.prop ?? 'text');
          const ok = v && (!step.match || new RegExp(step.match).test(v));
          return ok ? { v } : null;
        }, `a value in ${step.css}`);
        vars[step.remember] = value.v.trim();
        if (step.secret) secrets.push({ name: step.remember, value: vars[step.remember] });
      } else if (step.overlay) {
        await waitForOverlay(page, (s) => s?.page === step.overlay, { what: `overlay ${step.overlay}` });
      } else if (step.pick) {
        await overlayPick(page, step.pick);
        await waitFor(async () => {
          const f = overlayFrames(page)[0];
          return f && await f.$eval('select[data-kf-action=pick]', (s, want) => s.value === want, step.pick);
        }, `integration ${step.pick}`);
      } else if (step.no_capture) {
        const [f] = overlayFrames(page);
        assert.ok(f, 'an overlay');
        await sleep(500);
        const n = await f.$$(`[data-kf-action=capture][data-kf-slot="${step.no_capture}"]`);
        assert.equal(n.length, 0, `no Capture button for ${step.no_capture} while the page does not show it`);
      } else if (step.capture) {
        const sel = `[data-kf-action=capture][data-kf-slot="${step.capture}"]`;
        const f = await frameWith(page, sel, `a Capture button for ${step.capture}`);
        await f.click(sel);
        const row = await waitFor(async () => {
          const fr = overlayFrames(page)[0];
          return fr && await fr.$eval(`[data-kf-vault="${step.capture}"] code`, (c) => ({ text: c.textContent })).catch(() => null);
        }, `a vault row for ${step.capture}`);
        const n = await readNotice(page);
        assert.equal(n?.kind, 'ok', `capture notice: ${JSON.stringify(n)}`);
        for (const s of secrets) assert.ok(!row.text.includes(s.value), `the vault row shows ${s.name} masked`);
      } else if (step.fill || step.bind) {
        const sel = step.bind ? `[data-kf-action=bind][data-kf-org="${step.bind}"]`
          : step.fill.overwrite ? '[data-kf-action=fill][data-kf-overwrite=true]' : '[data-kf-action=fill]:not([data-kf-overwrite])';
        const f = await frameWith(page, sel, `the ${sel} button`);
        lastNotice = (await readNotice(page))?.text ?? null;
        // A re-render may replace the button between finding and clicking it.
        await waitFor(async () => { await f.click(sel, { timeout: 2_000 }); return true; }, `clicking ${sel}`);
        await waitFor(async () => {
          const n = await readNotice(page);
          return n && n.text !== lastNotice && /^(Filled|Nothing to fill|The page|Not filled)/.test(n.text) ? n : null;
        }, 'the fill result');
      } else if (step.notice) {
        const n = await readNotice(page);
        assert.equal(n?.kind, step.notice, `notice kind (${n?.text})`);
        for (const part of step.contains ?? []) assert.ok(n.text.includes(part), `notice "${n.text}" contains "${part}"`);
      } else if (step.values) {
        if (!Object.values(step.values).some(Boolean)) await sleep(1_000); // nothing must appear: give it time
        for (const [css, want] of Object.entries(substAll(step.values, vars))) {
          assert.equal(await page.$eval(css, (el) => el.value), want, `value of ${css}`);
        }
      } else if (step.items) {
        await waitForOverlay(page, (s) => s && Object.entries(step.items).every(([id, st]) => s.items.find((x) => x.id === id)?.status === st),
          { what: `items ${JSON.stringify(step.items)}` });
      } else if (step.submitted) {
        await page.evaluate(() => document.body.removeAttribute('data-fixture-submitted'));
        await page.click(step.submitted);
        const sent = await waitFor(async () => page.evaluate(() => document.body.getAttribute('data-fixture-submitted')), 'the submitted payload');
        assert.deepEqual(JSON.parse(sent), substAll(step.expect, vars), 'what the page framework submits');
      } else if (step.synthetic) {
        // A page script (main world) tries to drive the overlay: untrusted
        // clicks and keys at its host and everything under it, and messages.
        await page.evaluate(() => {
          const host = document.querySelector('keyferry-overlay');
          const r = host.getBoundingClientRect();
          for (const t of [host, document.elementFromPoint(r.x + r.width / 2, r.y + r.height - 20)]) {
            t?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: r.x + 40, clientY: r.y + r.height - 20 }));
            t?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
          }
          for (const msg of [{ v: 1, msg: { overlay_action: { frame: 0, action: { fill: { overwrite: true } } } } }, { type: 'fill' }]) {
            window.postMessage(msg, '*');
            host.shadowRoot; // closed: null
          }
        });
        await sleep(1_000);
        assert.equal(await readNotice(page), null, 'no action ran');
      } else if (step.panel) {
        const sel = `[data-kf-action=${step.panel}]`;
        const f = await frameWith(page, sel, `the ${step.panel} control`);
        const before = await page.evaluate(() => JSON.stringify(document.querySelector('keyferry-overlay')?.getBoundingClientRect()));
        await f.click(sel);
        await waitFor(async () => (await page.evaluate(() => JSON.stringify(document.querySelector('keyferry-overlay')?.getBoundingClientRect()))) !== before, 'the panel to move');
      } else if (step.overlay_has) {
        await frameWith(page, step.overlay_has, `${step.overlay_has} in the overlay`);
      } else if (step.overlay_lacks) {
        await waitFor(async () => {
          const frames = overlayFrames(page);
          if (!frames.length) return null;
          for (const f of frames) if (await f.$(step.overlay_lacks).catch(() => 'error')) return null;
          return true;
        }, `no ${step.overlay_lacks} in the overlay`);
      } else if (step.no_overlay) {
        await page.waitForLoadState('load');
        await sleep(1_500);
        assert.equal(overlayFrames(page).length, 0, 'no overlay frame');
        assert.equal(await page.evaluate(() => !!document.querySelector('keyferry-overlay')), false, 'no overlay host');
      } else {
        throw new Error('unknown step');
      }
    } catch (err) {
      if (page) await session.snapshot(page, `flow-${flow.name.slice(0, 2)}-step${i + 1}`);
      err.message = `${where}: ${err.message}`;
      throw err;
    }
  }
}

describe('chromium: capture → carry → fill flows', () => {
  let server, session;
  const secrets = [];
  before(async () => {
    server = await startFixtureServer();
    session = await launch({ server });
  });
  after(async () => {
    await session?.close();
    await server?.stop();
  });

  for (const flow of flows) {
    test(flow.name, async () => {
      await run(session, flow, secrets);
      assert.deepEqual(session.pageErrors.filter((e) => e.kind === 'pageerror'), [], formatErrors(session.pageErrors));
    });
  }

  test('Copy puts a secret on the clipboard; its clear alarm removes it only if the clipboard still holds it', async () => {
    const secret = secrets.find((s) => s.name === 'wf_client_secret')?.value;
    assert.ok(secret, 'flow 5 captured the Workflows client secret');
    const { page } = await session.openFixture('https://acme.workflows.okta.com/app/connections?kfstate=empty&kfconnector=okta_devices');
    await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'https://acme.workflows.okta.com' });
    await waitForOverlay(page, (s) => s?.page === 'workflows.connection.new');
    await overlayPick(page, 'workflows-okta-devices');
    const copySel = '[data-kf-action=copy][data-kf-field=client_secret]';
    const clipboard = async () => { await page.bringToFront(); return page.evaluate(() => navigator.clipboard.readText()); };
    const copy = async () => {
      const f = await frameWith(page, copySel, 'the Copy button of Client Secret');
      const before = (await readNotice(page))?.text;
      await f.click(copySel);
      return waitFor(async () => { const n = await readNotice(page); return n && n.text !== before && n; }, 'the copy notice');
    };
    const frame = () => overlayFrames(page)[0];

    const t0 = Date.now();
    const n = await copy();
    assert.equal(n.kind, 'ok', n.text);
    assert.ok(!n.text.includes(secret), 'the notice does not show the secret');
    assert.equal(await clipboard(), secret);
    const due = await frame().evaluate(async () => (await chrome.alarms.get('kf-clip'))?.scheduledTime);
    assert.ok(due >= t0 + 59_000 && due <= Date.now() + 60_500, `the clear is scheduled 60 s after the copy (in ${due - t0} ms)`);
    await frame().evaluate(() => chrome.alarms.create('kf-clip', { when: Date.now() })); // let it fire now
    await waitFor(async () => (await clipboard()) === '' || null, 'the clipboard to be cleared');

    await (await frameWith(page, copySel, 'the Copy button')).click(copySel); // the same notice again
    await waitFor(async () => (await clipboard()) === secret || null, 'the secret on the clipboard again');
    await page.evaluate(() => navigator.clipboard.writeText('something the admin copied since'));
    await frame().evaluate(() => chrome.alarms.create('kf-clip', { when: Date.now() }));
    await waitFor(async () => !(await frame().evaluate(async () => 'clip' in await chrome.storage.session.get('clip'))) || null, 'the clear job to run');
    assert.equal(await clipboard(), 'something the admin copied since', 'what the admin copied since is left alone');
    await page.close();
  });

  test('after the flows the profile directory holds none of the secrets', async () => {
    assert.ok(secrets.length === 6, `the flows carried secrets (${secrets.map((s) => s.name)})`);
    // Control: text the admin types into a plain textarea is kept by the
    // browser's session restore, so the grep below does see what it writes.
    const canary = { name: 'canary', value: 'kf-canary-' + '7f3a9c1e'.repeat(4) };
    const { page } = await session.openFixture('https://app.workato.com/connections/new?kfstate=empty');
    await page.selectOption('select.wk-select:has(option[value=oauth2_client_credentials])', 'oauth2_client_credentials');
    await page.fill('textarea[name=private_key]', canary.value);
    await waitFor(async () => grepTree(session.userDataDir, [canary]).length > 0, 'the typed canary in the session files', 20_000);
    await session.close({ keepProfile: true });
    const hits = grepTree(session.userDataDir, secrets);
    const { extensionErrors } = session;
    await session.removeProfile();
    session = null;
    assert.deepEqual(hits, [], 'files that contain a secret');
    assert.deepEqual(extensionErrors, [], formatErrors(extensionErrors));
  });
});
