"""``scholarsite serve``: the watcher plus a localhost HTTP server with live reload.

The reload script is added to HTML responses as they are served; output/ never contains it.
"""

from __future__ import annotations

import errno
import json
import mimetypes
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .config import load_config
from .errors import InputError
from .watch import Watcher, run_until_interrupted

STATUS_PATH = "/__scholarsite/status"
LONG_POLL = 10.0  # seconds a status request waits for news before answering "nothing new"
PORT_TRIES = 20

RELOAD_SCRIPT = """<script>/* scholarsite serve: live reload (added by the server, not part of the site) */
(function () {
  var gen = %(generation)d, err = -1, box = null;
  function show(error) {
    if (box) { box.remove(); box = null; }
    if (!error) return;
    box = document.createElement("div");
    box.id = "scholarsite-error";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#2b0b0b;color:#ffe9e9;font:14px/1.45 monospace;padding:12px 16px;border-top:3px solid #e5484d";
    var title = document.createElement("strong");
    title.textContent = "The last rebuild failed; this is the last good page. Fix the problem and save:";
    box.appendChild(title);
    var list = document.createElement("ul");
    error.problems.forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = (p.path || "") + (p.line ? ":" + p.line : "") + ": " + p.message;
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }
  function poll() {
    fetch("%(status)s?gen=" + gen + "&err=" + err, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.generation !== gen) { location.reload(); return; }
        err = s.error_id;
        show(s.error);
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>
"""


def inject(html: bytes, generation: int) -> bytes:
    """The page with the reload script before its last ``</body>`` (or at the end)."""
    script = (RELOAD_SCRIPT % {"generation": generation, "status": STATUS_PATH}).encode("utf-8")
    at = html.lower().rfind(b"</body>")
    return html + script if at < 0 else html[:at] + script + html[at:]


class LiveServer:
    """Watches and serves one site on 127.0.0.1; ``start`` returns the address, ``stop`` ends it all."""

    def __init__(self, site_dir: Path, port: int = 8000, poll: bool = False, log=None, verbose: bool = False):
        self.site_dir = site_dir.resolve()
        self.log = log or (lambda text: print(text, flush=True))
        self.watcher = Watcher(self.site_dir, poll=poll, log=self.log, on_build=self._on_build, verbose=verbose)
        self.port_wanted = port
        self.httpd: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.closing = False
        self.error_id = 0

    @property
    def out(self) -> Path:
        try:
            return self.site_dir / load_config(self.site_dir).output
        except InputError:
            return self.site_dir / "output"

    def _on_build(self, outcome) -> None:
        if not outcome.ok:
            with self.watcher.state:
                self.error_id += 1
                self.watcher.state.notify_all()

    def bind(self) -> ThreadingHTTPServer:
        """The wanted port, else the next free ones, else any free port."""
        handler = type("Handler", (RequestHandler,), {"server_app": self})
        ports = [self.port_wanted + i for i in range(PORT_TRIES)] if self.port_wanted else []
        for port in [*ports, 0]:
            try:
                httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
            except OSError as err:
                if err.errno in (errno.EADDRINUSE, errno.EACCES):
                    continue
                raise
            httpd.daemon_threads = False
            httpd.block_on_close = True  # server_close() joins every request thread
            return httpd
        raise OSError(errno.EADDRINUSE, "no free port on 127.0.0.1")

    def start(self) -> str:
        self.httpd = self.bind()
        port = self.httpd.server_address[1]
        if self.port_wanted and port != self.port_wanted:
            self.log(f"port {self.port_wanted} is taken; using {port}")
        self.watcher.start()
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                       name="scholarsite-http", daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{port}/"

    def stop(self) -> None:
        """Stop serving and watching; waits for every thread to finish."""
        with self.watcher.state:
            self.closing = True
            self.watcher.state.notify_all()
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
        if self.thread is not None:
            self.thread.join()
        self.watcher.stop()

    def status(self, gen: int, err: int) -> dict:
        """Wait (bounded) until the site changes from what the page knows, then describe it."""
        w = self.watcher
        deadline = time.monotonic() + LONG_POLL
        with w.state:
            while (w.generation == gen and self.error_id == err and not self.closing
                   and time.monotonic() < deadline):
                w.state.wait(min(1.0, max(0.0, deadline - time.monotonic())))
            error = None
            if w.error is not None:
                error = {"problems": [{"path": p.path, "line": p.line, "message": p.message}
                                      for p in w.error.problems]}
            return {"generation": w.generation, "error_id": self.error_id, "error": error}


class RequestHandler(BaseHTTPRequestHandler):
    """Files from the output folder (HTML with the reload script), and the status endpoint."""

    server_app: LiveServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def do_GET(self) -> None:
        self.respond(head=False)

    def respond(self, head: bool) -> None:
        app = self.server_app
        url = urlsplit(self.path)
        if url.path == STATUS_PATH:
            query = parse_qs(url.query)
            try:
                gen, err = int(query.get("gen", ["-1"])[0]), int(query.get("err", ["-1"])[0])
            except ValueError:
                gen, err = -1, -1
            body = json.dumps(app.status(gen, err), sort_keys=True).encode("utf-8")
            return self.send(HTTPStatus.OK, "application/json", body, head)
        app.watcher.wait_idle()  # never show half a rebuild
        path = self.file_for(unquote(url.path))
        if path is not None and path.name == "index.html" and not url.path.endswith(("/", ".html")):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)  # so that the page's relative links work
            self.send_header("Location", url.path + "/" + (f"?{url.query}" if url.query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path is None:
            page = b"<!DOCTYPE html><title>Not found</title><body><h1>Not found</h1></body>"
            return self.send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", inject(page, app.watcher.generation),
                             head)
        data = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".js":
            kind = "text/javascript"
        if kind == "text/html":
            data = inject(data, app.watcher.generation)
        if kind.startswith("text/") or kind == "text/javascript":
            kind += "; charset=utf-8"
        self.send(HTTPStatus.OK, kind, data, head)

    def file_for(self, url_path: str) -> Path | None:
        """The file a URL names inside the output folder (folders serve their index.html), or None."""
        out = self.server_app.out.resolve()
        parts = [p for p in url_path.split("/") if p]
        if any(p in (".", "..") or "\\" in p or "\x00" in p for p in parts):
            return None
        path = out.joinpath(*parts)
        if path.is_dir():
            path = path / "index.html"
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if not real.is_relative_to(out) or not real.is_file():
            return None
        return real

    def send(self, status: HTTPStatus, kind: str, body: bytes, head: bool) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away (a reload aborts its pending status request)


def run(site_dir: Path, port: int = 8000, poll: bool = False, verbose: bool = False) -> int:
    """``scholarsite serve``: build, serve with live reload, rebuild on change, until Ctrl-C."""
    server = LiveServer(site_dir, port=port, poll=poll, verbose=verbose)
    return run_until_interrupted(lambda: f"serving {server.start()} (live reload; Ctrl-C to stop)", server.stop)
