"""Firefox rig of test_hostile.py, the last pytest suite (selenium + geckodriver + WebDriver BiDi); every
other suite runs in Node against tests/e2e/lib/driver.mjs (Firefox: lib/firefox.mjs).

    with FixtureServer(port=443) as server:
        session = FirefoxSession.start(server)        # Firefox ESR, headless, extension installed
        session.get("https://acme-admin.okta.com/admin/access/api/tokens")
        ctx = session.overlay_context(timeout=15)     # moz-extension://…/overlay.html browsing context
        state = session.overlay_state(ctx)            # {"page", "progress", "items": [{"id", "status"}]}
        session.trusted_click(ctx, '[data-kf-action="…"]')
        session.errors()                              # console errors of pages + extension
        session.quit()

See /work/shared/docs/toolchain-notes.md for the measured facts behind this.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import http.client
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

E2E_DIR = Path(__file__).resolve().parent.parent
if str(E2E_DIR) not in sys.path:
    sys.path.insert(0, str(E2E_DIR))

from hosts import REPO_ROOT, fixture_hosts  # noqa: E402

# Selenium Manager must never go to the network (no browser/driver downloads).
os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.firefox.service import Service  # noqa: E402

FIREFOX_BIN = os.environ.get("KF_FIREFOX", "/usr/bin/firefox-esr")
GECKODRIVER = os.environ.get("GECKODRIVER") or str(Path.home() / ".cargo" / "bin" / "geckodriver")
DIST_FIREFOX = (REPO_ROOT / os.environ.get("KF_DIST_FIREFOX", "dist/firefox")).resolve()
OUT_DIR = E2E_DIR / ".out" / "firefox"
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; frame-src 'none'; "
    "object-src 'none'; base-uri 'none'"
)


# --------------------------------------------------------------------------- fixture server


class FixtureServer:
    """tests/e2e/fixture_server.py as a child process (context manager)."""

    def __init__(self, port: int = 443, verbose: bool | None = None, timeout: float = 20.0):
        self.port = port
        self.verbose = bool(os.environ.get("KF_E2E_VERBOSE")) if verbose is None else verbose
        self.timeout = timeout
        self.hosts = fixture_hosts()
        self.proc: subprocess.Popen | None = None
        self._dir: str | None = None

    def start(self) -> "FixtureServer":
        self._dir = tempfile.mkdtemp(prefix="kf-e2e-server-")
        ready = Path(self._dir) / "ready"
        cmd = [sys.executable, str(E2E_DIR / "fixture_server.py"), "--port", str(self.port),
               "--ready-file", str(ready)]
        if self.verbose:
            cmd.append("--verbose")
        self.proc = subprocess.Popen(cmd, stdout=None, stderr=None if self.verbose else subprocess.PIPE)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            if ready.is_file() and ready.read_text().strip():
                self.port = int(ready.read_text().strip())
                return self
            time.sleep(0.05)
        err = b""
        if self.proc.poll() is None:
            self.proc.kill()
        if self.proc.stderr:
            err = self.proc.stderr.read()
        self.proc.wait()
        shutil.rmtree(self._dir, ignore_errors=True)
        raise RuntimeError(f"fixture server did not become ready on port {self.port}: "
                           f"{err.decode(errors='replace').strip()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> "FixtureServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def fetch(self, url: str) -> tuple[int, dict[str, str], bytes]:
        """GET `url` from the test process (not the browser), via loopback with its Host header."""
        parts = urlsplit(url)
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE  # throwaway self-signed certificate
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=ctx, timeout=10)
        try:
            conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                         headers={"Host": parts.netloc})
            resp = conn.getresponse()
            body = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
        finally:
            conn.close()


# --------------------------------------------------------------------------- errors


@dataclass
class LoggedError:
    kind: str        # "console" | "javascript" | "stdout-console" | "stdout-javascript"
    text: str
    where: str = ""

    def __str__(self) -> str:
        return f"[{self.kind}] {self.where + ': ' if self.where else ''}{self.text}"


# Chrome-side (browser-internal) modules that print console.error to stdout on an
# offline machine. They are not the page and not the extension.
_CHROME_NOISE = re.compile(r"^(RSLoader|BackupService|Nimbus|RemoteSettings|Normandy|ExperimentAPI|"
                           r"SearchService|AddonManager|TelemetryEnvironment|PushService|"
                           r"FirefoxRelay|Sandbox|UrlbarProvider\w*|ShoppingContainer)\b")
_JS_ERROR = re.compile(r"^JavaScript error: (?P<url>\S+?), line (?P<line>\d+): (?P<msg>.*)$")
_CONSOLE_ERROR = re.compile(r"^console\.error: (?P<msg>.*)$")


def _unquote_console_text(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        try:
            return json.loads(text)
        except ValueError:
            return text[1:-1]
    return text


# --------------------------------------------------------------------------- session


def _walk(infos, depth: int = 0):
    for info in infos or []:
        yield info, depth
        yield from _walk(info.children, depth + 1)


def is_overlay_url(url: str | None) -> bool:
    return bool(url) and url.startswith("moz-extension://") and "/overlay.html" in url


class FirefoxSession:
    """One Firefox ESR instance with the extension installed as a temporary add-on."""

    def __init__(self, driver: webdriver.Firefox, server: FixtureServer, log_path: Path,
                 profile_tmp: str, addon_id: str):
        self.driver = driver
        self.server = server
        self.log_path = log_path
        self.addon_id = addon_id
        self._tmp = profile_tmp
        self._bidi_errors: list[LoggedError] = []
        self._mark = 0
        driver.script.add_console_message_handler(self._on_console)
        driver.script.add_javascript_error_handler(self._on_js_error)

    # ---- construction

    @classmethod
    def start(cls, server: FixtureServer, dist: Path | str = DIST_FIREFOX,
              extra_prefs: dict | None = None) -> "FirefoxSession":
        dist = Path(dist)
        if not (dist / "manifest.json").is_file():
            raise FileNotFoundError(f"no extension at {dist} (manifest.json missing): run ./build.sh first, "
                                    "or set KF_DIST_FIREFOX")
        if not Path(GECKODRIVER).is_file():
            raise FileNotFoundError(f"geckodriver not found at {GECKODRIVER}: `cargo install geckodriver` "
                                    "or set GECKODRIVER")
        if server.port != 443:
            raise ValueError("Firefox resolves fixture hosts via network.dns.localDomains on the URL's own "
                             f"port, so the fixture server must listen on 443 (got {server.port})")
        tmp = tempfile.mkdtemp(prefix="kf-e2e-firefox-")
        log_path = Path(tmp) / "geckodriver.log"

        opts = webdriver.FirefoxOptions()
        opts.binary_location = FIREFOX_BIN
        opts.add_argument("-headless")
        opts.accept_insecure_certs = True
        opts.enable_bidi = True
        prefs = {
            "network.dns.localDomains": ",".join(server.hosts),
            # Console API calls of web content and extension pages go to stdout
            # (= the geckodriver log): the only window onto the extension's own
            # pages (background, overlay iframe), which BiDi log events miss.
            "devtools.console.stdout.content": True,
            # Quiet, offline-friendly profile.
            "app.update.disabledForTesting": True,
            "app.normandy.enabled": False,
            "messaging-system.rsexperimentloader.enabled": False,
            # BackupService measurements at idle made quit() take 7-10 s here.
            "browser.backup.archive.enabled": False,
            "browser.backup.scheduled.enabled": False,
            "browser.backup.restore.enabled": False,
            "app.shield.optoutstudies.enabled": False,
            "datareporting.healthreport.uploadEnabled": False,
            "datareporting.policy.dataSubmissionEnabled": False,
            "toolkit.telemetry.reportingpolicy.firstRun": False,
            "browser.shell.checkDefaultBrowser": False,
            "browser.startup.homepage_override.mstone": "ignore",
            "extensions.getAddons.cache.enabled": False,
            "extensions.update.enabled": False,
            "network.captive-portal-service.enabled": False,
            "network.connectivity-service.enabled": False,
        }
        prefs.update(extra_prefs or {})
        for key, value in prefs.items():
            opts.set_preference(key, value)

        # --allow-system-access: chrome-context scripts (open_extension_page);
        # Firefox 138+ refuses them without it.
        service = Service(executable_path=GECKODRIVER, log_output=str(log_path), service_args=["--allow-system-access"])
        try:
            driver = webdriver.Firefox(options=opts, service=service)
        except Exception:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        try:
            addon_id = driver.install_addon(str(dist), temporary=True)
        except Exception:
            driver.quit()
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return cls(driver, server, log_path, tmp, addon_id)

    def quit(self, grace: float = 2.5) -> None:
        """End the session. Firefox sometimes spends 7-10 s in shutdown on this machine;
        after `grace` seconds the Firefox process we started (its pid from the
        session capabilities) is killed so geckodriver can finish."""
        pid = self.driver.capabilities.get("moz:processID")
        quitter = threading.Thread(target=self._quit_driver, daemon=True)
        quitter.start()
        quitter.join(grace)
        if quitter.is_alive() and pid:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            quitter.join(30)
        shutil.rmtree(self._tmp, ignore_errors=True)

    def _quit_driver(self) -> None:
        try:
            self.driver.quit()
        except Exception as exc:  # the browser may already be gone
            sys.stderr.write(f"[firefox] quit: {exc}\n")

    # ---- navigation

    def open_extension_page(self, path: str, timeout: float = 10.0) -> str:
        """Open one of the extension's own pages (e.g. "popup.html") in a new, selected tab and
        return its browsing context. WebDriver refuses to navigate to moz-extension:// URLs, so
        the tab is opened from the chrome context (geckodriver --allow-system-access). The page
        gets the full extension API, unlike the overlay frame inside a web page."""
        with self.driver.context(self.driver.CONTEXT_CHROME):
            url = self.driver.execute_script(
                """const url = WebExtensionPolicy.getByID(arguments[0]).getURL(arguments[1]);
                   const w = Services.wm.getMostRecentWindow('navigator:browser');
                   w.gBrowser.selectedTab = w.gBrowser.addTab(url, {
                     triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() });
                   return url;""", self.addon_id, path)
        deadline = time.monotonic() + timeout
        while True:
            for info, depth in self.contexts():
                if depth == 0 and info.url == url:
                    ready = self.evaluate(info.context, "document.readyState")
                    if ready == "complete":
                        return info.context
            if time.monotonic() >= deadline:
                raise TimeoutError(f"extension page {url} did not open")
            time.sleep(0.1)

    def get(self, url: str) -> None:
        """Navigate the current tab to a fixture URL and wait for `load`."""
        self.driver.get(url)

    def top_context(self) -> str:
        return self.driver.current_window_handle

    # ---- BiDi helpers

    def evaluate(self, ctx: str, js: str, await_promise: bool = False):
        """Evaluate `js` in browsing context `ctx`; returns the BiDi remote value's plain value."""
        res = self.driver.script._evaluate(js, {"context": ctx}, await_promise)
        if res.exception_details:
            raise RuntimeError(f"script error in {ctx}: {res.exception_details.get('text')}")
        result = res.result or {}
        return result.get("value")

    def evaluate_json(self, ctx: str, js_expr: str):
        """Evaluate `JSON.stringify(<js_expr>)` in `ctx` and parse it (avoids BiDi value trees)."""
        raw = self.evaluate(ctx, f"JSON.stringify({js_expr})")
        return None if raw is None else json.loads(raw)

    def contexts(self):
        """Flattened browsing-context tree: [(info, depth)]."""
        return list(_walk(self.driver.browsing_context.get_tree()))

    def overlay_contexts(self) -> list[str]:
        return [info.context for info, _ in self.contexts() if is_overlay_url(info.url)]

    def overlay_context(self, timeout: float = 15.0, interval: float = 0.1) -> str:
        """Poll the BiDi tree until the moz-extension://…/overlay.html context appears."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.overlay_contexts()
            if found:
                return found[0]
            if time.monotonic() >= deadline:
                seen = ", ".join(f"{info.url}" for info, _ in self.contexts())
                raise TimeoutError(f"no moz-extension://…/overlay.html context within {timeout} s "
                                   f"(contexts: {seen})")
            time.sleep(interval)

    def overlay_state(self, ctx: str, timeout: float = 15.0) -> dict:
        """{"page", "progress", "items": [{"id", "status"}]} once `[data-kf-page]` has rendered."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.evaluate_json(ctx, """(() => {
                const root = document.querySelector('[data-kf-page]');
                if (!root) return null;
                return {
                  page: root.dataset.kfPage ?? null,
                  progress: root.dataset.kfProgress ?? null,
                  items: [...document.querySelectorAll('[data-kf-item]')].map((el) => ({
                    id: el.dataset.kfItem ?? null, status: el.dataset.kfStatus ?? null })),
                };
            })()""")
            if state is not None:
                return state
            if time.monotonic() >= deadline:
                raise TimeoutError(f"[data-kf-page] did not render in the overlay within {timeout} s")
            time.sleep(0.1)

    def trusted_click(self, ctx: str, selector: str, attempts: int = 3, enabled_timeout: float = 10.0) -> None:
        """Real (isTrusted) mouse click on `selector` inside browsing context `ctx`.

        The element is measured, then clicked at its centre. Whatever the click hit is recorded in
        the context (a capture listener), as Playwright's actionability check does: if the content
        moved between the measure and the click (a re-render, a notice above it) and the click hit
        something inert, it is measured and clicked again; if it hit another control, that is an
        error, never a silent pass.

        Like Playwright's actionability check, it first waits (up to `enabled_timeout` s) until the
        element is enabled: the panel marks Capture/Fill/Copy/Bind `aria-disabled` until it has been
        visible long enough to act (clickguard)."""
        deadline = time.monotonic() + enabled_timeout
        while self.evaluate_json(ctx, f"""!!document.querySelector({json.dumps(selector)})?.closest('[aria-disabled=true]')"""):
            if time.monotonic() > deadline:
                raise AssertionError(f"{selector!r} in context {ctx} stayed aria-disabled for {enabled_timeout} s")
            time.sleep(0.05)
        for attempt in range(attempts):
            rect = self.evaluate_json(ctx, f"""(() => {{
                const el = document.querySelector({json.dumps(selector)});
                if (!el) return null;
                el.scrollIntoView({{ block: 'center', inline: 'center' }});
                const r = el.getBoundingClientRect();
                globalThis.__kfClickHit = null;
                globalThis.__kfClickArmed = {attempt};
                document.addEventListener('click', (e) => {{
                    const t = e.target instanceof Element ? e.target : null;
                    const want = document.querySelector({json.dumps(selector)});
                    globalThis.__kfClickHit = {{
                        trusted: e.isTrusted,
                        hit: !!(want && t && (want === t || want.contains(t))),
                        other: t?.closest?.('button, a, input, select, textarea, [data-kf-action]')?.outerHTML?.slice(0, 120) ?? null,
                    }};
                }}, {{ capture: true, once: true }});
                return {{ x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height }};
            }})()""")
            if rect is None:
                raise LookupError(f"no element {selector!r} in context {ctx}")
            if rect["w"] <= 0 or rect["h"] <= 0:
                raise LookupError(f"element {selector!r} has no box (hidden?)")
            x, y = int(rect["x"]), int(rect["y"])
            self.driver.input.perform_actions(ctx, [{
                "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
                "actions": [
                    {"type": "pointerMove", "x": x, "y": y},
                    {"type": "pointerDown", "button": 0},
                    {"type": "pointerUp", "button": 0},
                ],
            }])
            try:
                armed, seen = self.evaluate_json(ctx, "[globalThis.__kfClickArmed ?? null, globalThis.__kfClickHit ?? null]")
            except Exception:  # the click navigated or replaced the context: it landed
                return
            if armed != attempt:
                return  # a new document in the context (the click reloaded it): it landed
            if seen is None:
                # No click event in this context: the browser dropped it (e.g. input
                # suppression right after a frame loads). Nothing was clicked; try again.
                continue
            if seen.get("hit"):
                return
            if seen.get("other"):
                raise AssertionError(f"the click meant for {selector!r} hit another control: {seen['other']}")
        raise AssertionError(f"{attempts} clicks at {selector!r} in context {ctx} did not reach it (the content kept moving?)")

    # ---- errors

    def _on_console(self, entry) -> None:
        if entry.level == "error":
            ctx = (entry.source or {}).get("context", "")
            self._bidi_errors.append(LoggedError("console", str(entry.text), ctx))

    def _on_js_error(self, entry) -> None:
        ctx = (entry.source or {}).get("context", "")
        self._bidi_errors.append(LoggedError("javascript", str(entry.text), ctx))

    def mark(self) -> None:
        """Start a new error window: console.error lines on stdout before this point are ignored."""
        self._mark = self.log_path.stat().st_size if self.log_path.exists() else 0
        self._bidi_errors.clear()

    def _stdout_errors(self) -> list[LoggedError]:
        if not self.log_path.exists():
            return []
        data = self.log_path.read_bytes()
        out: list[LoggedError] = []
        hosts = tuple(f"https://{h}" for h in self.server.hosts)
        offset = 0
        for raw in data.splitlines(keepends=True):
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            start, offset = offset, offset + len(raw)
            m = _JS_ERROR.match(line)
            if m:
                # Uncaught errors count for the whole session (extension startup included),
                # but only those from the extension or a fixture page.
                if m["url"].startswith("moz-extension://") or m["url"].startswith(hosts):
                    out.append(LoggedError("stdout-javascript", m["msg"], f"{m['url']}:{m['line']}"))
                continue
            m = _CONSOLE_ERROR.match(line)
            if m and start >= self._mark:
                text = m["msg"]
                if _CHROME_NOISE.match(text):
                    continue
                out.append(LoggedError("stdout-console", _unquote_console_text(text)))
        return out

    def errors(self) -> list[LoggedError]:
        """Errors logged by pages or the extension since the last mark() (deduplicated)."""
        # BiDi events carry a context id; show the context's URL instead (resolved
        # here, not in the event callback, which runs on the websocket thread).
        try:
            urls = {info.context: info.url for info, _ in self.contexts()}
        except Exception:
            urls = {}
        bidi = [LoggedError(e.kind, e.text, urls.get(e.where, e.where)) for e in self._bidi_errors]
        seen = {e.text for e in bidi}
        extra = [e for e in self._stdout_errors() if e.text not in seen]
        return bidi + extra

    # ---- artifacts

    def snapshot(self, name: str) -> str:
        try:
            OUT_DIR.mkdir(parents=True, exist_ok=True)
            safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name)
            self.driver.save_screenshot(str(OUT_DIR / f"{safe}.png"))
            (OUT_DIR / f"{safe}.html").write_text(self.driver.page_source, encoding="utf-8")
            shutil.copyfile(self.log_path, OUT_DIR / f"{safe}.geckodriver.log")
            return str(OUT_DIR / safe)
        except Exception as exc:  # diagnostics must never mask the real failure
            return f"snapshot failed: {exc}"


# --------------------------------------------------------------------------- helpers of test_hostile.py

_READ_OVERLAY = """(() => {
    const root = document.querySelector('[data-kf-page]');
    if (!root) return null;
    return {
      page: root.dataset.kfPage ?? null,
      progress: root.dataset.kfProgress ?? null,
      items: [...document.querySelectorAll('[data-kf-item]')].map((el) => ({
        id: el.dataset.kfItem ?? null, status: el.dataset.kfStatus ?? null,
        message: el.querySelector('.kf-message')?.textContent ?? null })),
    };
})()"""


_overlay_ctx: dict[int, str] = {}  # session -> last overlay context seen (saves a tree walk per poll)


def read_overlay_state(session: FirefoxSession) -> dict | None:
    """The first overlay's state, or None (no overlay context, or not rendered yet). No waiting."""
    ctx = _overlay_ctx.get(id(session))
    if ctx:
        try:
            return session.evaluate_json(ctx, _READ_OVERLAY)
        except Exception:  # that overlay is gone (removed, or its tab closed)
            _overlay_ctx.pop(id(session), None)
    for ctx in session.overlay_contexts():
        try:
            state = session.evaluate_json(ctx, _READ_OVERLAY)
        except Exception:  # context navigating or gone
            return None
        _overlay_ctx[id(session)] = ctx
        return state
    return None


def wait_for_overlay(session: FirefoxSession, predicate, timeout: float = 15.0, interval: float = 0.15,
                     what: str = "overlay state") -> dict | None:
    """Poll until predicate(state) holds (state is None while there is no overlay); returns the state."""
    deadline = time.monotonic() + timeout
    while True:
        state = read_overlay_state(session)
        if predicate(state):
            return state
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{what} not reached within {timeout} s; last: {json.dumps(state)}")
        time.sleep(interval)


_PICK_INFO = """(() => {
    const s = document.querySelector('select[data-kf-action=pick]');
    if (!s) return null;
    s.focus();
    return { values: [...s.options].map((o) => o.value), index: s.selectedIndex };
})()"""


def overlay_pick(session: FirefoxSession, integration: str, timeout: float = 8.0) -> bool:
    """Make the overlay show `integration` with trusted key presses (ArrowDown/ArrowUp on its
    focused select[data-kf-action=pick]; the overlay ignores untrusted events). False when the
    overlay shows no picker."""
    deadline = time.monotonic() + timeout
    while True:
        ctxs = session.overlay_contexts()
        info = None
        if ctxs:
            try:
                info = session.evaluate_json(ctxs[0], _PICK_INFO)
            except Exception:
                info = {}
            if info is None:
                return False
            if info:
                if integration not in info["values"]:
                    raise LookupError(f"the overlay offers no integration {integration} (options: {info['values']})")
                target = info["values"].index(integration)
                if target == info["index"]:
                    return True
                key = "\ue015" if target > info["index"] else "\ue013"  # ArrowDown / ArrowUp
                session.driver.input.perform_actions(ctxs[0], [{
                    "type": "key", "id": "keyboard",
                    "actions": [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}],
                }])
        if time.monotonic() >= deadline:
            raise TimeoutError(f"could not pick {integration} in the overlay")
        time.sleep(0.25)


def open_in_new_tab(session: FirefoxSession, url: str, before_load=None) -> None:
    """Open `url` in a fresh tab and close the others (the overlay keeps the picked
    integration per tab, so every case starts clean). `before_load()` runs once the old
    tabs are closed, right before the navigation (e.g. session.mark)."""
    driver = session.driver
    old = list(driver.window_handles)
    driver.switch_to.new_window("tab")
    fresh = driver.current_window_handle
    for handle in old:
        driver.switch_to.window(handle)
        driver.close()
    driver.switch_to.window(fresh)
    if before_load:
        before_load()
    driver.get(url)


def find(session: FirefoxSession, selector: str):
    """A page element by CSS, or by XPath when the selector starts with "xpath=" (pages.json style),
    scrolled to the middle of the viewport (sticky console headers would cover it at the top)."""
    from selenium.webdriver.common.by import By
    if selector.startswith("xpath="):
        el = session.driver.find_element(By.XPATH, selector[len("xpath="):])
    else:
        el = session.driver.find_element(By.CSS_SELECTOR, selector)
    session.driver.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", el)
    return el


