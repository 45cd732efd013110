"""What the tests share (benchmarks may use it too): fixture paths, a canvas maker, hostile
images, a server starter and readings of its CPU time and memory."""

import io
import math
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import zlib
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


def start_server(*args: str, env: dict | None = None, timeout: float = 60, module: str = "app"):
    """`python -m app` (or another module serving a page) on a free port, as a user starts it;
    returns (process, url)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", module, "--port", str(port), *args],
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


def read(http, data: list) -> dict:
    """The pad's read of a drawing as js/pad.js asks it (POST /read, data [drawing, model,
    language, checkpoint]); its reply. `http`: an httpx.Client with base_url, logged in."""
    reply = http.post("read", json=data)
    assert reply.status_code == 200, reply.text
    return reply.json()


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


def open_page(browser, url, locale="en-US", size=DESKTOP, login: tuple[str, str] | None = None):
    """The page, loaded and ready to draw on, signed in through Gradio's login form with
    `login` (user, password); page.console collects what the page logged after that."""
    page = browser.new_page(locale=locale, viewport={"width": size[0], "height": size[1]})
    page.console = []
    if login:
        page.goto(url)
        page.locator("input[type=text]").fill(login[0])
        page.locator("input[type=password]").fill(login[1])
        page.locator("button", has_text=re.compile("Login|登录")).click()
        page.wait_for_selector("#network")
    page.on("console", lambda message: page.console.append(f"{message.type}: {message.text}"))
    page.on("response", lambda response: page.console.append(
        f"HTTP {response.status} {response.url}: {response.text()[:300]}") if response.status >= 400 else None)
    if not login:
        page.goto(url)
    page.wait_for_selector("#network .ll-layers canvas")
    # The page takes the browser's language once loaded; a person does not draw before that.
    if locale.startswith("zh"):
        page.wait_for_function("() => document.querySelector('#title').innerText.includes('透视')")
    return page


def shot(page, name):
    """A screenshot in artifacts/, to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png")


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


def seen_text(page, selector: str) -> str:
    """The text a reader can see in an element: innerText, less what is transparent (Gradio keeps
    its hidden progress line, "processing | 0.1s", in the page at opacity 0)."""
    return page.eval_on_selector(selector, """root => {
        const words = [];
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            let seen = true;
            for (let e = node.parentElement; e && seen; e = e === root ? null : e.parentElement) {
                const style = getComputedStyle(e);
                seen = style.opacity !== "0" && style.display !== "none" && style.visibility !== "hidden";
            }
            if (seen) words.push(node.textContent);
        }
        return words.join(" "); }""")


def open_tab(page, panel: str):
    """Select one of the panels' tabs, through Gradio's 'More tabs' menu where the screen is narrow."""
    button = page.locator(f"#{panel}-panel-button")
    if button.is_visible():
        button.click()
        return
    # Gradio renders the open tab's panel alone; its config lists every tab in order.
    order = page.evaluate("""() => window.gradio_config.components
        .filter(c => c.type === 'tabitem').map(c => c.props.elem_id)""")
    labels = page.locator("#panels .tab-container.visually-hidden button")
    label = labels.nth(order.index(f"{panel}-panel")).inner_text()
    page.get_by_label("More tabs").click()
    page.locator(".overflow-dropdown button", has_text=label).click()


def scan_bomb_jpeg(side: int = 512, size: int = 450_000) -> bytes:
    """A valid progressive JPEG whose last scan is repeated until the file is `size` bytes:
    each copy makes the decoder walk every block of the image again."""
    buffer = io.BytesIO()
    Image.new("L", (side, side), 255).save(buffer, "JPEG", progressive=True)
    data = buffer.getvalue()
    # Entropy-coded data stuffs every 0xFF with a zero, so these two are real markers.
    start, end = data.rindex(b"\xff\xda"), data.rindex(b"\xff\xd9")  # last start of scan, end of image
    scan = data[start:end]
    return data[:end] + scan * ((size - len(data)) // len(scan)) + data[end:]


def pixel_bomb_png(side: int = 5792, bit_depth: int = 8, colour_type: int = 6) -> bytes:
    """A blank side×side PNG, RGBA by default (colour type 0: grey): 130 KB on disk at the
    default size, side² × 4 bytes decoded."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    header = side.to_bytes(4, "big") * 2 + bytes([bit_depth, colour_type, 0, 0, 0])
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    packer, row = zlib.compressobj(9), bytes(1 + channels * bit_depth // 8 * side)  # filter byte, the pixels
    pixels = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def float_tiff(side: int = 4096) -> bytes:
    """A blank side×side TIFF of 32-bit floats, deflated: 94 KB at the default size, side² × 4
    bytes decoded and more as the pipeline works on floats."""
    buffer = io.BytesIO()
    Image.fromarray(np.zeros((side, side), np.float32)).save(buffer, "TIFF", compression="tiff_adobe_deflate")
    return buffer.getvalue()


def blank_webp(side: int = 4096) -> bytes:
    """A white side×side lossless WebP: 38 bytes, side² × 4 bytes decoded (Pillow holds RGB as RGBX)."""
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), "white").save(buffer, "WEBP", lossless=True, method=0)
    return buffer.getvalue()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def memory_mb(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory now (VmRSS) or at its peak (VmHWM), in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith(field))) / 1024
