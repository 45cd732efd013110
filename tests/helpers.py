"""What the tests (and only the tests) share: fixture paths, a canvas maker, a server starter."""

import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
from PIL import Image

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DRAWN = sorted((FIXTURES / "drawn").glob("*.png"))


def label_of(path: Path) -> int:
    return int(path.stem.split("label")[1])


def canvas_with(digit: np.ndarray, size=800, top=100, left=200, height=400) -> np.ndarray:
    """An MNIST-style digit (bright ink on black) pasted large onto a white-paper RGBA canvas."""
    ink = np.asarray(Image.fromarray(digit).resize((height, height), Image.Resampling.BILINEAR))
    canvas = np.full((size, size, 4), 255, np.uint8)
    region = canvas[top:top + height, left:left + height, :3]
    region[:] = 255 - ink[:, :, None]
    return canvas


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(*args: str, env: dict | None = None, timeout: float = 60):
    """`python -m app` on a free port, as a user starts it; returns (process, url)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "app", "--port", str(port), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stdout.read()}")
        try:
            urllib.request.urlopen(url + "gradio_api/info", timeout=2)
            return process, url
        except OSError as error:
            if getattr(error, "code", None) == 401:  # up, behind --auth
                return process, url
            time.sleep(0.3)
    process.kill()
    raise TimeoutError(f"server did not start in {timeout} s")


def stop_server(process) -> str:
    """Stop a server from start_server; returns what it printed."""
    process.terminate()
    return process.communicate(timeout=10)[0]


# The page in a real browser: Playwright driving Debian's chromium (never `playwright install`).
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
DESKTOP, PHONE = (1280, 800), (390, 844)

# Strokes in 0–1 canvas coordinates.
ONE = [(0.5, 0.15 + 0.7 * i / 10) for i in range(11)]
ZERO = [(0.5 + 0.22 * math.sin(a), 0.5 - 0.33 * math.cos(a)) for a in [i * 2 * math.pi / 24 for i in range(26)]]
SEVEN = [(0.3, 0.2), (0.5, 0.2), (0.7, 0.2), (0.6, 0.45), (0.5, 0.65), (0.45, 0.85)]


def launch(playwright):
    assert Path(CHROMIUM).exists(), "install Debian's chromium: apt-get install -y chromium"
    return playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)


def open_page(browser, url, locale="en-US", size=DESKTOP):
    """The page, loaded and ready to draw on; page.console collects what the page logged."""
    page = browser.new_page(locale=locale, viewport={"width": size[0], "height": size[1]})
    page.console = []
    page.on("console", lambda message: page.console.append(f"{message.type}: {message.text}"))
    page.on("response", lambda response: page.console.append(
        f"HTTP {response.status} {response.url}: {response.text()[:300]}") if response.status >= 400 else None)
    page.goto(url)
    page.wait_for_selector("#network .ll-layers canvas")
    return page


def stroke(page, points, scale=1.0, at=(0.0, 0.0), release=True):
    """One pen stroke through points in 0–1 canvas coordinates, shrunk by `scale` and moved by `at`."""
    box = page.locator("#pad canvas").bounding_box()
    xy = [(box["x"] + (at[0] + x * scale) * box["width"], box["y"] + (at[1] + y * scale) * box["height"])
          for x, y in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for point in xy[1:]:
        page.mouse.move(*point, steps=3)
    if release:
        page.mouse.up()


def answer(page) -> str:
    """The digit the page shows, or its hint."""
    return page.locator("#answer .ll-digit, #answer .ll-hint").inner_text().strip()


def open_tab(page, panel: str):
    """Select one of the panels' tabs, through Gradio's 'More tabs' menu where the screen is narrow."""
    button = page.locator(f"#{panel}-panel-button")
    if not button.is_visible():
        page.get_by_label("More tabs").click()
        page.locator(".overflow-dropdown button").nth(["why", "lab", "kernels", "how"].index(panel) - 1).click()
    else:
        button.click()
