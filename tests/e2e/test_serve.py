"""`scholarsite serve`: the site over HTTP on 127.0.0.1, with live reload that never reaches output/."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from generator.serve import STATUS_PATH, LiveServer
from watchkit import ROOT, SEED_NAME, TIMEOUT, Lines, atomic_write, interrupt, settle, wait_for


@pytest.fixture
def server(site):
    lines: list[str] = []
    app = LiveServer(site, port=0, log=lines.append)
    app.url = app.start()
    app.lines = lines
    settle(app.watcher)
    yield app
    app.stop()


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read().decode("utf-8")


def status(server, gen: int = -1, err: int = -1) -> dict:
    return json.loads(get(f"{server.url}{STATUS_PATH.lstrip('/')}?gen={gen}&err={err}")[2])


def test_serves_the_site_with_the_reload_script_only_in_responses(server, site):
    code, kind, body = get(server.url)
    assert code == 200 and kind.startswith("text/html")
    assert STATUS_PATH in body and body.index(STATUS_PATH) < body.rindex("</body>")
    on_disk = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert STATUS_PATH not in on_disk
    assert all(STATUS_PATH.encode() not in p.read_bytes() for p in (site / "output").rglob("*") if p.is_file())
    assert get(server.url + "years/2023/")[0] == 200  # a folder serves its index.html
    code, _, body = get(server.url + "years/2023")  # ...after a redirect that keeps relative links right
    assert code == 200 and "Papers from 2023" in body
    code, kind, css = get(server.url + "static/style.css")
    assert code == 200 and kind.startswith("text/css") and STATUS_PATH not in css
    assert get(server.url + "nothing-here.html")[0] == 404
    assert get(server.url + "..%2f..%2fsite.yaml")[0] == 404
    assert get(server.url + "%2e%2e/site.yaml")[0] == 404


def test_an_edit_is_served_after_the_rebuild_and_the_status_moves_on(server, site):
    gen = status(server)["generation"]
    seed = site / "seeds" / SEED_NAME
    atomic_write(seed, seed.read_text(encoding="utf-8").replace("\nSegment Anything\n", "\nSegment Anything Live\n"))
    assert status(server, gen, 0)["generation"] > gen  # the long poll answers once the rebuild is done
    assert "Segment Anything Live" in get(server.url + "papers/segment-anything/index.html")[2]


def test_a_failed_rebuild_is_reported_and_the_last_good_page_still_served(server, site):
    seed = site / "seeds" / SEED_NAME
    good = seed.read_text(encoding="utf-8")
    atomic_write(seed, good.replace("CVMar 23, 2023", "CVFeb 30, 2023"))
    line = good.split("\n").index("CVMar 23, 2023") + 1
    state = wait_for(lambda: (s := status(server)) and s["error"] and s, what="the error in the status")
    assert any(p["path"] == f"seeds/{SEED_NAME}" and p["line"] == line and "Feb 30, 2023" in p["message"]
               for p in state["error"]["problems"])
    code, _, body = get(server.url + "papers/segment-anything/index.html")
    assert code == 200 and "Segment Anything" in body
    atomic_write(seed, good.replace("\nSegment Anything\n", "\nSegment Anything Fixed\n"))
    wait_for(lambda: status(server)["error"] is None, what="recovery")
    assert "Segment Anything Fixed" in get(server.url + "papers/segment-anything/index.html")[2]


def test_a_taken_port_is_replaced_by_a_free_one(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        lines: list[str] = []
        app = LiveServer(site, port=port, log=lines.append)
        try:
            url = app.start()
            assert url != f"http://127.0.0.1:{port}/"
            assert any(f"port {port} is taken" in line for line in lines)
            assert get(url)[0] == 200
        finally:
            app.stop()
    assert not app.thread.is_alive() and not app.watcher.thread.is_alive()


def test_serve_command_prints_its_address_and_stops_on_ctrl_c(site):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0", "--site", str(site)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT)
    try:
        lines = Lines(proc.stdout)
        url = re.search(r"http://127\.0\.0\.1:\d+/", lines.wait("serving http://127.0.0.1:")).group(0)
        assert get(url)[0] == 200
    finally:
        printed = interrupt(proc, lines)
    assert proc.returncode == 0, printed
    assert not any("Traceback" in line for line in printed)
    assert any("stopping" in line for line in printed)


def test_a_request_during_a_rebuild_waits_for_it(server, site):
    real_build = server.watcher.builder.build

    def slow_build(**options):
        time.sleep(1.0)  # a rebuild long enough for a request to arrive in the middle of it
        return real_build(**options)

    server.watcher.builder.build = slow_build
    seed = site / "seeds" / SEED_NAME
    atomic_write(seed, seed.read_text(encoding="utf-8").replace("\nSegment Anything\n", "\nSegment Anything Slow\n"))
    wait_for(lambda: server.watcher.building, what="the rebuild to start")
    body = get(server.url + "papers/segment-anything/index.html")[2]
    assert "Segment Anything Slow" in body  # never the page from before the rebuild
