// The demo landing page (tests/fixtures/demo.keyferry.test) as data, and a
// driver that follows its walk-through in one tab the way a person would.
// Used by tests/e2e/demo.mjs (./build.sh demo) and tests/e2e/demo.test.mjs.
//
// The landing page marks up what the driver needs:
//   <ol id="walkthrough" data-kf-integration="…">     the integration walked
//     <li data-kf-step="…" [data-kf-demo-capture="slot slot"] [data-kf-demo-fill="N"]>
//       <a data-kf-expect-page="page.id" href="…">      the step's page
//   every other <a data-kf-expect-page> in the page:    one replica per page id

import { setTimeout as sleep } from 'node:timers/promises';

import { overlayFrames, overlayPick, waitForOverlay } from './chromium.mjs';

export const LANDING = 'https://demo.keyferry.test/';

/**
 * What a person does on each walk-through step besides Capture and Fill, as
 * the landing page tells them (selectors of the replicas). After these, every
 * item of the step's checklist is ok.
 */
export const STEP_ACTIONS = {
  'create-dialog': [{ click: '[data-se="radio-OIDC"]' }, { click: '[data-se="radio-WEB"]' }],
  'wizard-web': [
    { click: "xpath=//label[normalize-space(.)='Refresh Token']/input" },
    { fill: 'input[name="uri"]', value: 'https://www.workato.com/oauth/callback' },
  ],
  'api-scopes': [{ click: '[data-se="grant-okta.schemas.read"]' }, { click: '[data-se="grant-okta.users.read"]' }],
};

/** { integration, steps: [{ id, page, url, capture: [slots], fill: N|null }], pages: [{ page, url, text }] } */
export async function readLanding(page) {
  return page.evaluate(() => {
    const ol = document.querySelector('ol#walkthrough');
    const steps = [...(ol?.querySelectorAll(':scope > li') ?? [])].map((li) => {
      const a = li.querySelector('a[data-kf-expect-page]');
      return {
        id: li.dataset.kfStep ?? null,
        page: a?.dataset.kfExpectPage ?? null,
        url: a?.href ?? null,
        capture: (li.dataset.kfDemoCapture ?? '').split(/\s+/).filter(Boolean),
        fill: li.dataset.kfDemoFill ? Number(li.dataset.kfDemoFill) : null,
      };
    });
    const pages = [...document.querySelectorAll('a[data-kf-expect-page]')]
      .filter((a) => !a.closest('ol#walkthrough'))
      .map((a) => ({ page: a.dataset.kfExpectPage, url: a.href, text: a.textContent.trim() }));
    const links = [...document.querySelectorAll('a[href]')].map((a) => a.href);
    return { integration: ol?.dataset.kfIntegration ?? null, steps, pages, links };
  });
}

async function overlayClickWhen(page, selector, { timeout = 10_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const [frame] = overlayFrames(page);
    if (frame && await frame.$(selector).catch(() => null)) {
      await frame.click(selector, { timeout: 5_000 });
      return frame;
    }
    if (Date.now() >= deadline) throw new Error(`no ${selector} in the overlay of ${page.url()}`);
    await sleep(150);
  }
}

async function overlayText(page, selector) {
  const [frame] = overlayFrames(page);
  return frame ? frame.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector).catch(() => null) : null;
}

/**
 * Follow the walk-through in `page` (one tab, like a person clicking through):
 * go to each step, check the overlay shows the step's page, pick the
 * integration, do what the landing page says (STEP_ACTIONS), capture the
 * slots a step names, press Fill on the fill step, and wait until every item
 * of the step is ok. `onStep(step, state)` runs after each
 * step (screenshots). Returns [{ step, before (state on
 * arrival), state (all ok), notice, fill (the Fill button's label) }].
 */
export async function walkThrough(page, landing, { onStep = async () => {}, timeout = 20_000 } = {}) {
  const done = [];
  for (const step of landing.steps) {
    await page.goto(step.url, { waitUntil: 'load' });
    await waitForOverlay(page, (s) => s?.page === step.page, { timeout, what: `step ${step.id}: ${step.page}` });
    await overlayPick(page, landing.integration);
    let { state } = await waitForOverlay(page, (s) => s?.page === step.page && s.items.length > 0, { timeout, what: `step ${step.id} checklist` });
    const before = state;
    for (const a of STEP_ACTIONS[step.id] ?? []) {
      if ('fill' in a) await page.fill(a.fill, a.value);
      else await page.click(a.click);
    }
    let notice = null;
    let fill = null;
    for (const slot of step.capture) {
      await overlayClickWhen(page, `[data-kf-action=capture][data-kf-slot="${slot}"]`);
      const deadline = Date.now() + timeout;
      // Captured once the vault row for the slot is shown.
      for (;;) {
        const [frame] = overlayFrames(page);
        if (frame && await frame.$(`[data-kf-vault="${slot}"]`).catch(() => null)) break;
        if (Date.now() >= deadline) throw new Error(`step ${step.id}: ${slot} was not captured (notice: ${await overlayText(page, '.kf-notice')})`);
        await sleep(150);
      }
      notice = await overlayText(page, '.kf-notice');
    }
    if (step.fill !== null) {
      fill = await fillLabel(page, { timeout });
      await overlayClickWhen(page, '[data-kf-action=fill]:not([data-kf-overwrite])', { timeout });
      ({ state } = await waitForOverlay(page, (s) => s?.page === step.page && s.items.length > 0
        && s.items.every((i) => i.status === 'ok'), { timeout, what: `step ${step.id}: every item ok after Fill` }));
      notice = await overlayText(page, '.kf-notice');
    }
    ({ state } = await waitForOverlay(page, (s) => s?.page === step.page && s.items.length > 0
      && s.items.every((i) => i.status === 'ok'), { timeout, what: `step ${step.id}: every item ok` }));
    await onStep(step, state);
    done.push({ step, before, state, notice, fill });
  }
  return done;
}

/** The label of the overlay's Fill button on `page` (e.g. "Fill 4 fields"), or null. */
export async function fillLabel(page, { timeout = 10_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const t = await overlayText(page, '[data-kf-action=fill]:not([data-kf-overwrite])');
    if (t || Date.now() >= deadline) return t;
    await sleep(150);
  }
}
