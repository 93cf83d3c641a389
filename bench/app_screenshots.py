#!/usr/bin/env python3
"""Screenshots of every page of the managers' app, in headless Chromium, for a person to look at.

    .venv/bin/python bench/app_screenshots.py [--home DIR] [--out DIR] [--width 1400]

Starts the app on 127.0.0.1 against $DEVZONE_HOME (or --home), starts Debian's Chromium
(`apt-get install chromium`) headless, opens each page through the DevTools protocol, waits until
Streamlit has finished rendering (the app element exists, no status widget or skeleton is left),
and saves one PNG per page. Prints each page's render time.
"""
from __future__ import annotations

import argparse
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

from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["", "compare", "trend", "pipeline", "quality", "lineage"]  # url paths; the default page is at /
RENDERED = (
    "!!document.querySelector('[data-testid=\"stApp\"]') && "
    "!document.querySelector('[data-testid=\"stStatusWidget\"]') && "
    "!document.querySelector('[data-testid=\"stSkeleton\"]') && "
    "document.querySelectorAll('[data-testid=\"stMainBlockContainer\"] *').length > 20"
)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("DEVZONE_HOME", ROOT / ".devzone")))
    parser.add_argument("--out", type=Path, default=ROOT / ".devzone" / "screenshots")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1800)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("Chromium not found: apt-get install chromium")
    args.out.mkdir(parents=True, exist_ok=True)

    app_port, debug_port = free_port(), free_port()
    env = {**os.environ, "DEVZONE_HOME": str(args.home.resolve())}
    app = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "streamlit_app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(app_port), "--browser.gatherUsageStats", "false"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    profile = tempfile.mkdtemp(prefix="devzone-chromium-")
    browser = subprocess.Popen(
        [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
         f"--user-data-dir={profile}", f"--remote-debugging-port={debug_port}",
         f"--window-size={args.width},{args.height}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{app_port}/_stcore/health", 60)
        wait_http(f"http://127.0.0.1:{debug_port}/json/version", 30)
        with urllib.request.urlopen(f"http://127.0.0.1:{debug_port}/json/list") as response:
            target = next(t for t in json.load(response) if t["type"] == "page")
        tools = DevTools(target["webSocketDebuggerUrl"])
        tools.call("Page.enable")
        tools.call("Emulation.setDeviceMetricsOverride", width=args.width, height=args.height, deviceScaleFactor=1, mobile=False)
        for page in PAGES:
            started = time.perf_counter()
            tools.call("Page.navigate", url=f"http://127.0.0.1:{app_port}/{page}")
            time.sleep(0.5)
            deadline = time.time() + 60
            while time.time() < deadline:
                if tools.call("Runtime.evaluate", expression=RENDERED, returnByValue=True)["result"].get("value"):
                    break
                time.sleep(0.2)
            rendered = time.perf_counter() - started
            time.sleep(1.0)  # charts draw after the elements exist
            shot = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)
            path = args.out / f"{PAGES.index(page) + 1}_{page or 'overview'}.png"
            path.write_bytes(base64.b64decode(shot["data"]))
            print(f"{page or 'overview':<10} rendered in {rendered:.2f} s -> {path}")
    finally:
        browser.terminate()
        app.terminate()
        browser.wait(10)
        app.wait(10)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
