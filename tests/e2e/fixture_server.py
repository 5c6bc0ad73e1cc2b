#!/usr/bin/env python3
"""HTTPS fixture server for keyferry's end-to-end tests (stdlib only).

Serves replicas of admin-console pages on their real hostnames. The browsers
are told to resolve those hostnames to 127.0.0.1 (Chromium: --host-resolver-rules,
Firefox: network.dns.localDomains), so the extension's production match
patterns run against these pages.

Mapping (see tests/fixtures/README.md):
  Host header (without port)  -> tests/fixtures/<host>/
  URL path                    -> file below it
    * an existing file is served as is;
    * an existing directory serves its index.html;
    * otherwise the nearest ancestor directory that holds a `_spa` marker file
      serves its index.html (SPA app shell);
    * otherwise 404.
  Fixture metadata (_headers.json, _spa, names starting with '.') is never served,
  nor is anything in tests/fixtures/_parts (also not through a symlink).

Composition: an HTML file may hold include directives, each on a line of its own,
  <!--#include part="okta-admin/header" -->
  <!--#include part="okta-admin/sidenav" section="security" current="api" -->
replaced by tests/fixtures/_parts/<part>.html (its last newline dropped). In a part,
{{name}} is the include's attribute `name`, and {{name=value?then|else}} is `then`
when that attribute equals `value`, else `else`. Parts may include parts. A missing
part, an unknown or unused attribute, a cycle or a bad name is an HTTP 500 that
names the part. `--check` composes every HTML file of the tree and exits 1 on
any such error.

Headers: every `_headers.json` from the host directory down to the directory of
the served file is merged (nearer wins; a null value removes a header). HTML
responses get a strict default Content-Security-Policy unless a `_headers.json`
sets (or removes) it.

A throwaway self-signed certificate is generated at start with the openssl CLI
into a temporary directory (SAN = every fixture host + localhost + 127.0.0.1)
and deleted at exit. No key is ever written into the repository.

Usage: fixture_server.py [--port N] [--bind ADDR] [--ready-file PATH]
                         [--fixtures DIR] [--verbose] [--check]
  --port 0 picks a free port; the ready file receives the actual port.
"""

from __future__ import annotations

import argparse
import email.utils
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hosts import FIXTURES_DIR, fixture_hosts, host_aliases, is_host_dir_name  # noqa: E402

DEFAULT_PORT = 8443
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; frame-src 'none'; "
    "object-src 'none'; base-uri 'none'"
)
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".txt": "text/plain; charset=utf-8",
    ".wasm": "application/wasm",
}
HEADERS_FILE = "_headers.json"
SPA_MARKER = "_spa"
INDEX = "index.html"
PARTS_DIR = "_parts"

VERBOSE = False


def log(msg: str) -> None:
    if VERBOSE:
        sys.stderr.write(f"[fixture_server] {msg}\n")
        sys.stderr.flush()


# --------------------------------------------------------------------------- certificate


def make_certificate(hosts: list[str], workdir: Path) -> tuple[Path, Path]:
    """Self-signed EC certificate for every fixture host, valid 2 days."""
    key = workdir / "key.pem"
    cert = workdir / "cert.pem"
    san = ",".join([f"DNS:{h}" for h in hosts] + ["DNS:localhost", "IP:127.0.0.1", "IP:::1"])
    cmd = [
        "openssl", "req", "-x509", "-nodes", "-newkey", "ec",
        "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-keyout", str(key), "-out", str(cert), "-days", "2",
        "-subj", "/O=keyferry e2e fixtures/CN=keyferry-fixtures",
        "-addext", f"subjectAltName={san}",
        "-addext", "basicConstraints=critical,CA:FALSE",
        "-addext", "extendedKeyUsage=serverAuth",
    ]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.chmod(key, 0o600)
    return cert, key


# --------------------------------------------------------------------------- resolution


class Resolved:
    __slots__ = ("file", "headers_dirs")

    def __init__(self, file: Path, headers_dirs: list[Path]):
        self.file = file
        self.headers_dirs = headers_dirs


def _safe_segments(url_path: str) -> list[str] | None:
    path = urllib.parse.unquote(url_path.split("?", 1)[0].split("#", 1)[0])
    if "\x00" in path or "\\" in path:
        return None
    segments = [s for s in path.split("/") if s not in ("", ".")]
    for s in segments:
        # Fixture metadata (_headers.json, _spa) is not served; Salesforce's
        # own /_ui/... paths are.
        if s == ".." or s.startswith(".") or s in ("_headers.json", "_spa"):
            return None
    return segments


def _servable(fixtures: Path, path: Path) -> bool:
    """Inside the fixture tree after following symlinks, and not a shared part
    (parts are composed into pages, never served on their own)."""
    try:
        inside = path.resolve().relative_to(fixtures.resolve())
    except ValueError:
        return False
    return inside.parts[:1] != (PARTS_DIR,)


def resolve(fixtures: Path, host: str, url_path: str) -> Resolved | None:
    # An alias host (tests/fixtures/_aliases.json) serves another host's tree.
    host = host_aliases(fixtures).get(host, host)
    host_dir = fixtures / host
    if not host or not host_dir.is_dir() or host.startswith((".", "_")) or "/" in host:
        return None
    segments = _safe_segments(url_path)
    if segments is None:
        return None
    target = host_dir.joinpath(*segments)
    # Must stay inside the fixture tree even through symlinks (a host may
    # link a shared script from another host's directory instead of a copy).
    if not _servable(fixtures, target):
        return None

    file: Path | None = None
    if target.is_file():
        file = target
    elif target.is_dir() and (target / INDEX).is_file():
        file = target / INDEX
    else:
        # SPA fallback: nearest existing ancestor directory with a _spa marker.
        for depth in range(len(segments) - 1, -1, -1):
            ancestor = host_dir.joinpath(*segments[:depth])
            if (ancestor / SPA_MARKER).exists() and (ancestor / INDEX).is_file():
                file = ancestor / INDEX
                break
    if file is None or not _servable(fixtures, file):
        return None

    # Directories from the host dir down to the served file's directory.
    rel = file.parent.relative_to(host_dir)
    dirs = [host_dir]
    for part in rel.parts:
        dirs.append(dirs[-1] / part)
    return Resolved(file, dirs)


def merged_headers(dirs: list[Path]) -> dict[str, str | None]:
    headers: dict[str, str | None] = {}
    for d in dirs:
        f = d / HEADERS_FILE
        if f.is_file():
            data = json.loads(f.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError(f"{f}: expected a JSON object")
            for name, value in data.items():
                # Case-insensitive override: drop an earlier spelling of the same header.
                for existing in [k for k in headers if k.lower() == name.lower()]:
                    del headers[existing]
                headers[name] = value if value is None else str(value)
    return headers


# --------------------------------------------------------------------------- composition


class ComposeError(Exception):
    """A page cannot be composed from its parts (served as HTTP 500)."""


INCLUDE_RE = re.compile(r'<!--#include\s+part="([^"]*)"((?:\s+[a-z][a-z0-9_-]*="[^"]*")*)\s*-->')
ATTR_RE = re.compile(r'([a-z][a-z0-9_-]*)="([^"]*)"')
SLOT_RE = re.compile(r"\{\{([a-z][a-z0-9_-]*)(?:=([^?{}]*)\?([^|{}]*)\|([^{}]*))?\}\}")
PART_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*(?:/[a-z0-9][a-z0-9-]*)*$")
MAX_DEPTH = 8


def _fill(part: str, text: str, attrs: dict[str, str]) -> str:
    """Fill a part's {{name}} / {{name=value?then|else}} slots from the include's attributes."""
    used: set[str] = set()

    def slot(m: re.Match) -> str:
        name, value, then, other = m.groups()
        if name not in attrs:
            raise ComposeError(f'part "{part}": no value for {{{{{name}}}}} (add {name}="..." to its include)')
        used.add(name)
        if value is None:
            return attrs[name]
        return then if attrs[name] == value else other

    out = SLOT_RE.sub(slot, text)
    if "{{" in out:
        raise ComposeError(f'part "{part}": malformed slot near {out[out.index("{{"):][:40]!r}')
    unused = sorted(set(attrs) - used)
    if unused:
        raise ComposeError(f'part "{part}" has no slot {", ".join(unused)} (a typo in the include?)')
    return out


def compose(fixtures: Path, text: str, where: str, stack: tuple[str, ...] = ()) -> str:
    """Replace every include directive in `text` (from `where`) by its part, recursively."""
    def include(m: re.Match) -> str:
        name, raw_attrs = m.group(1), m.group(2)
        if not PART_NAME_RE.match(name):
            raise ComposeError(f'{where}: bad part name "{name}" (lowercase words and "/" only)')
        if name in stack:
            raise ComposeError(f'{where}: include cycle: {" -> ".join(stack + (name,))}')
        if len(stack) >= MAX_DEPTH:
            raise ComposeError(f'{where}: parts nested deeper than {MAX_DEPTH} at "{name}"')
        parts = (fixtures / PARTS_DIR).resolve()
        file = parts / f"{name}.html"
        if not file.is_file() or not file.resolve().is_relative_to(parts):
            raise ComposeError(f'{where}: missing part "{name}" (no file {PARTS_DIR}/{name}.html)')
        attrs = dict(ATTR_RE.findall(raw_attrs))
        body = _fill(name, file.read_text(encoding="utf-8"), attrs)
        body = body[:-1] if body.endswith("\n") else body
        return compose(fixtures, body, f'part "{name}"', stack + (name,))

    out = INCLUDE_RE.sub(include, text)
    if "<!--#include" in out:
        bad = out[out.index("<!--#include"):].split("\n", 1)[0]
        raise ComposeError(f"{where}: malformed include directive {bad!r}")
    return out


class Response:
    __slots__ = ("status", "headers", "body")

    def __init__(self, status: HTTPStatus, headers: dict[str, str | None], body: bytes):
        self.status = status
        self.headers = headers
        self.body = body


def _response(status: HTTPStatus, body: bytes, ctype: str,
              extra: dict[str, str | None], html: bool = False) -> Response:
    headers: dict[str, str | None] = {
        "Content-Type": ctype,
        "Content-Length": str(len(body)),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    if html:
        headers["Content-Security-Policy"] = DEFAULT_CSP
        headers["X-Frame-Options"] = "SAMEORIGIN"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    for name, value in extra.items():
        for existing in [k for k in headers if k.lower() == name.lower()]:
            del headers[existing]
        headers[name] = value
    return Response(status, headers, body)


def render(fixtures: Path, host: str, url_path: str) -> Response:
    """The response for a request (no Date header), composed from parts when the file is HTML."""
    try:
        found = resolve(fixtures, host, url_path)
        if found is None:
            body = (
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404 Not Found</title>"
                "</head><body><h1>Not Found</h1><p>No fixture for this URL.</p></body></html>\n"
            ).encode()
            return _response(HTTPStatus.NOT_FOUND, body, CONTENT_TYPES[".html"], {}, html=True)
        extra = merged_headers(found.headers_dirs)
        body = found.file.read_bytes()
        ctype = CONTENT_TYPES.get(found.file.suffix.lower(), "application/octet-stream")
        html = ctype.startswith("text/html")
        if html and b"<!--#include" in body:
            where = str(found.file.relative_to(fixtures))
            body = compose(fixtures, body.decode("utf-8"), where).encode("utf-8")
        return _response(HTTPStatus.OK, body, ctype, extra, html=html)
    except Exception as exc:  # broken _headers.json, missing part, ...: make it loud
        sys.stderr.write(f"[fixture_server] error serving {host}{url_path}: {exc}\n")
        return _response(HTTPStatus.INTERNAL_SERVER_ERROR, f"{exc}\n".encode(),
                         "text/plain; charset=utf-8", {})


def check(fixtures: Path) -> int:
    """Compose every HTML file of every host; print what fails. 0 when all compose."""
    errors, pages, composed = [], 0, 0
    for host_dir in sorted(d for d in fixtures.iterdir() if d.is_dir() and is_host_dir_name(d.name)):
        for file in sorted(host_dir.rglob("*.html")):
            pages += 1
            text = file.read_text(encoding="utf-8")
            if "<!--#include" not in text:
                continue
            composed += 1
            try:
                compose(fixtures, text, str(file.relative_to(fixtures)))
            except ComposeError as exc:
                errors.append(str(exc))
    for e in errors:
        print(f"FAIL {e}")
    print(f"{pages} HTML files, {composed} composed from parts, {len(errors)} errors")
    return 1 if errors else 0


# --------------------------------------------------------------------------- HTTP


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "keyferry-fixtures/1"
    sys_version = ""
    timeout = 30  # idle keep-alive connections end after this

    server: "FixtureServer"

    def log_message(self, fmt: str, *args) -> None:  # noqa: D401 - stdlib signature
        log(f"{self.address_string()} {fmt % args}")

    def log_error(self, fmt: str, *args) -> None:
        log(f"error: {fmt % args}")

    def _host(self) -> str:
        raw = (self.headers.get("Host") or "").strip().lower()
        if raw.startswith("["):  # [::1]:443
            return raw.split("]", 1)[0] + "]"
        return raw.rsplit(":", 1)[0] if ":" in raw else raw

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _method_not_allowed(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"Method Not Allowed\n",
                   "text/plain; charset=utf-8", {"Allow": "GET, HEAD"}, head=False)

    do_POST = do_PUT = do_DELETE = do_PATCH = _method_not_allowed

    def do_OPTIONS(self) -> None:
        self._method_not_allowed()

    def _serve(self, head: bool) -> None:
        r = render(self.server.fixtures, self._host(), self.path)
        self._write(r, head)

    def _send(self, status: HTTPStatus, body: bytes, ctype: str,
              extra: dict[str, str | None], head: bool) -> None:
        self._write(_response(status, body, ctype, extra), head)

    def _write(self, r: Response, head: bool) -> None:
        headers = dict(r.headers)
        headers["Date"] = email.utils.formatdate(usegmt=True)
        self.send_response_only(r.status)
        for name, value in headers.items():
            if value is not None:
                self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(r.body)
        self.log_request(r.status.value, len(r.body))


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr, fixtures: Path, ssl_context: ssl.SSLContext):
        self.fixtures = fixtures
        self.ssl_context = ssl_context
        family = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
        self.address_family = family
        super().__init__(addr, Handler)

    def finish_request(self, request, client_address):
        # TLS handshake happens here, in the per-connection thread, so a slow or
        # broken client (speculative preconnects, plain HTTP) never blocks accept().
        request.settimeout(Handler.timeout)
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            log(f"TLS handshake with {client_address[0]} failed: {exc}")
            return
        try:
            Handler(tls, client_address, self)
        except (ConnectionError, TimeoutError, ssl.SSLError) as exc:
            log(f"connection from {client_address[0]} ended: {exc}")
        finally:
            try:
                tls.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        if VERBOSE:
            super().handle_error(request, client_address)


# --------------------------------------------------------------------------- main


def write_ready_file(path: Path, port: int) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(f"{port}\n", encoding="utf-8")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    global VERBOSE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0 = any free port; default 8443)")
    ap.add_argument("--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    ap.add_argument("--ready-file", type=Path, help="write the listening port here once ready")
    ap.add_argument("--fixtures", type=Path, default=FIXTURES_DIR, help="fixture tree (default tests/fixtures)")
    ap.add_argument("--verbose", action="store_true", help="log requests to stderr")
    ap.add_argument("--check", action="store_true", help="compose every HTML file, report errors, exit")
    args = ap.parse_args(argv)
    VERBOSE = args.verbose

    fixtures = args.fixtures.resolve()
    if args.check:
        return check(fixtures)
    hosts = fixture_hosts(fixtures)
    if not hosts:
        sys.stderr.write(f"[fixture_server] no fixture hosts under {fixtures}\n")
        return 2

    tmpdir = Path(tempfile.mkdtemp(prefix="kf-fixture-cert-"))
    httpd: FixtureServer | None = None
    try:
        cert, key = make_certificate(hosts, tmpdir)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_alpn_protocols(["http/1.1"])
        ctx.load_cert_chain(cert, key)

        httpd = FixtureServer((args.bind, args.port), fixtures, ctx)
        port = httpd.server_address[1]

        stopping = threading.Event()

        def on_signal(signum, _frame):
            if not stopping.is_set():
                stopping.set()
                log(f"signal {signum}: shutting down")
                threading.Thread(target=httpd.shutdown, daemon=True).start()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

        if args.ready_file:
            write_ready_file(args.ready_file, port)
        log(f"listening on https://{args.bind}:{port} for {', '.join(hosts)}")
        started = time.monotonic()
        httpd.serve_forever(poll_interval=0.2)
        log(f"stopped after {time.monotonic() - started:.1f}s")
        return 0
    except subprocess.CalledProcessError as exc:
        sys.stderr.write(f"[fixture_server] openssl failed: {exc.stderr.decode(errors='replace')}\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"[fixture_server] cannot listen on {args.bind}:{args.port}: {exc}\n")
        return 1
    finally:
        if httpd is not None:
            httpd.server_close()
        shutil.rmtree(tmpdir, ignore_errors=True)
        if args.ready_file:
            try:
                args.ready_file.unlink()
            except FileNotFoundError:
                pass


if __name__ == "__main__":
    sys.exit(main())
