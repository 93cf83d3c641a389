#!/usr/bin/env python3
"""Screenshots of every page of the managers' app, in headless Chromium, for a person to look at.

    .venv/bin/python bench/app_screenshots.py [--home DIR] [--out DIR] [--sizes 1440x900,390x844]

Starts the app on 127.0.0.1 against $DEVZONE_HOME (or --home), starts Debian's Chromium
(`apt-get install chromium`) headless, opens each page through the DevTools protocol, waits until
Streamlit has finished rendering (the app element exists, no status widget or skeleton is left),
and saves one PNG of the first screen per page and window size (default: a laptop, 1440×900, and a
phone, 390×844), named <n>_<page>_<width>x<height>.png, plus 总览 of every published month
(0_overview_<month>_<size>.png: its first screen shows a figure with its unit). Prints two times per
page and size:
- full load: a fresh browser load of the page's URL (JavaScript bundle, websocket, script run, drawing);
- in app: the page opened from the sidebar of an app already loaded, as a manager moves between pages.
A page is rendered when its title is the page's, nothing is running or stale, and the element count
has held for 0.2 s; the time is taken at the start of that quiet spell.
"""

from __future__ import annotations

import argparse
import ast
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple

from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parents[1]


class AppPage(NamedTuple):
    script: str  # relative to app/, as st.Page names it
    url_path: str  # "" for the default page
    title: str


def app_pages() -> list[AppPage]:
    """The pages registered with st.Page(...) in app/streamlit_app.py, in their order."""
    pages = []
    for node in ast.walk(ast.parse((ROOT / "app" / "streamlit_app.py").read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Page"):
            continue
        options = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
        script = node.args[0].value
        url_path = "" if options.get("default") else options.get("url_path", Path(script).stem)
        pages.append(AppPage(script, url_path, options.get("title", script)))
    return pages


def rendered_js(title: str) -> str:
    """An expression giving the element count once the page titled `title` is drawn and idle, else -1."""
    return (
        "(() => { const main = document.querySelector('[data-testid=\"stMainBlockContainer\"]');"
        " const h1 = main && main.querySelector('h1');"
        f" if (!h1 || h1.innerText.trim() !== {json.dumps(title)}) return -1;"
        ' if (document.querySelector(\'[data-testid="stStatusWidget"], [data-testid="stSkeleton"], [data-stale="true"]\')) return -1;'
        " return main.querySelectorAll('*').length; })()"
    )


def wait_rendered(tools: DevTools, title: str, started: float, timeout: float = 60) -> float:
    """Seconds from `started` until the page is drawn and has stayed unchanged for 0.2 s."""
    deadline, quiet_since, last = time.time() + timeout, None, None
    while time.time() < deadline:
        count = tools.call("Runtime.evaluate", expression=rendered_js(title), returnByValue=True)["result"].get("value")
        now = time.perf_counter()
        if count is None or count < 0 or count != last:
            quiet_since, last = (now if count is not None and count >= 0 else None), count
        elif now - quiet_since >= 0.2:
            return quiet_since - started
        time.sleep(0.05)
    raise SystemExit(f"page {title} did not finish rendering within {timeout:.0f} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


class DevTools:
    def __init__(self, websocket_url: str):
        self.ws = connect(websocket_url, max_size=None).__enter__()
        self.next_id = 0

    def call(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})


CLICK_NAV = (
    '(() => { const a = document.querySelector(\'[data-testid="stSidebarNavLink"][href$="/{}"]\');'
    " if (!a) return false; a.click(); return true; })()"
)


def click_nav(tools: DevTools, url_path: str) -> bool:
    """Click the sidebar's link to a page; False when the sidebar does not show it."""
    found = tools.call("Runtime.evaluate", expression=CLICK_NAV.replace("{}", url_path), returnByValue=True)
    return bool(found["result"].get("value"))


def shoot(tools: DevTools, path: Path) -> None:
    """A PNG of the first screen (the viewport)."""
    shot = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)
    path.write_bytes(base64.b64decode(shot["data"]))


def published_months(home: Path) -> list[str]:
    """The months with a report in the serving file of `home` (read-only)."""
    import duckdb

    con = duckdb.connect(str(home / "serving.duckdb"), read_only=True)
    try:
        rows = con.execute("select distinct period from rpt_city_month_kpis where has_report order by 1").fetchall()
    finally:
        con.close()
    return [period for (period,) in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("DEVZONE_HOME", ROOT / ".devzone")))
    parser.add_argument("--out", type=Path, default=ROOT / ".devzone" / "screenshots")
    parser.add_argument("--sizes", default="1440x900,390x844", help="window sizes, WIDTHxHEIGHT, comma-separated")
    parser.add_argument("--query", default="", help="query string for every page, e.g. month=2023-06")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("Chromium not found: apt-get install chromium")
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = [tuple(int(n) for n in size.lower().split("x")) for size in args.sizes.split(",")]

    app_port, debug_port = free_port(), free_port()
    env = {**os.environ, "DEVZONE_HOME": str(args.home.resolve())}
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app" / "streamlit_app.py"),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(app_port),
            "--browser.gatherUsageStats",
            "false",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    profile = tempfile.mkdtemp(prefix="devzone-chromium-")
    browser = subprocess.Popen(
        [
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--remote-debugging-port={debug_port}",
            f"--window-size={sizes[0][0]},{sizes[0][1]}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{app_port}/_stcore/health", 60)
        wait_http(f"http://127.0.0.1:{debug_port}/json/version", 30)
        with urllib.request.urlopen(f"http://127.0.0.1:{debug_port}/json/list") as response:
            target = next(t for t in json.load(response) if t["type"] == "page")
        tools = DevTools(target["webSocketDebuggerUrl"])
        tools.call("Page.enable")
        pages = app_pages()
        query = f"?{args.query}" if args.query else ""
        print(f"{'page':<10} {'size':>9} {'full load':>10} {'in app':>8}")
        for width, height in sizes:
            size = f"{width}x{height}"
            tools.call(
                "Emulation.setDeviceMetricsOverride",
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=width < 600,
            )
            for number, (_, path, title) in enumerate(pages, start=1):
                tools.call("Page.navigate", url="about:blank")  # so the wait cannot see the previous page
                started = time.perf_counter()
                tools.call("Page.navigate", url=f"http://127.0.0.1:{app_port}/{path}{query}")
                full_load = wait_rendered(tools, title, started)
                time.sleep(1.0)  # charts draw after the elements exist
                shoot(tools, args.out / f"{number}_{path or 'overview'}_{size}.png")

                # then open it again from the sidebar, coming from another page of the loaded app
                # (on a phone the sidebar may be folded away, its links not drawn: no time then)
                _, other_path, other_title = pages[number % len(pages)]
                in_app = "—"
                if click_nav(tools, other_path):
                    wait_rendered(tools, other_title, time.perf_counter())
                    started = time.perf_counter()
                    if click_nav(tools, path):
                        in_app = f"{wait_rendered(tools, title, started):.2f}s"
                print(f"{path or 'overview':<10} {size:>9} {full_load:>9.2f}s {in_app:>8}")
            # 总览's first screen of every published month
            overview = next(p for p in pages if p.url_path == "")
            for month in published_months(args.home):
                tools.call("Page.navigate", url="about:blank")
                tools.call("Page.navigate", url=f"http://127.0.0.1:{app_port}/?month={month}")
                wait_rendered(tools, overview.title, time.perf_counter())
                time.sleep(0.5)
                shoot(tools, args.out / f"0_overview_{month}_{size}.png")
        print(f"screenshots: {args.out}")
    finally:
        browser.terminate()
        app.terminate()
        browser.wait(10)
        app.wait(10)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
