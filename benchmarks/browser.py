"""The page in headless Chromium: from pen-up to the final answer on screen, while the page
follows the pen (sending the drawing as it grows), and what that costs the server.

Each stroke is drawn at a steady pace; every change of the network panel is time-stamped in
the page. The final answer is the last change after pen-up, once no request is in flight.
"""

import statistics
import time

import numpy as np
from playwright.sync_api import sync_playwright

from benchmarks.load import cpu_seconds
from tests.helpers.browsers import ONE, SEVEN, ZERO, launch, open_page
from tests.helpers.servers import start_server, stop_server

WATCH = """() => { window.llChanges = [];
  new MutationObserver(() => window.llChanges.push(performance.now()))
    .observe(document.querySelector('#network .ll-net'), { childList: true }); }"""


def strokes(count: int) -> list[str]:
    """Pen-up to final answer per stroke, requests per stroke, and server CPU per stroke."""
    process, url = start_server()
    latencies, requests, cpu = [], [], 0.0
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = open_page(browser, url)
            reads = []
            page.on("request", lambda request: reads.append(time.perf_counter()) if request.url.endswith("/read")
                    else None)
            page.evaluate(WATCH)
            for i in range(count + 1):
                page.click("#pad .ll-clear")
                page.wait_for_timeout(400)
                before_reads, before_cpu = len(reads), cpu_seconds(process.pid)
                box = page.locator("#pad canvas").bounding_box()
                points = (ONE, ZERO, SEVEN)[i % 3]
                xy = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
                page.mouse.move(*xy[0])
                page.mouse.down()
                for point in xy[1:]:
                    page.mouse.move(*point, steps=8)  # ~0.5 s of drawing: live updates happen
                page.mouse.up()
                up = page.evaluate("performance.now()")
                page.wait_for_timeout(1500)  # everything answered
                changes = [t for t in page.evaluate("window.llChanges") if t > up]
                if i:  # the first stroke warms the page up
                    # No change after pen-up: the last live answer was already the final one.
                    latencies.append((changes[-1] - up) / 1000 if changes else 0.0)
                    requests.append(len(reads) - before_reads)
                    cpu += cpu_seconds(process.pid) - before_cpu
            browser.close()
    finally:
        stop_server(process)
    p95 = np.percentile(latencies, 95)
    return [f"| pen-up to final answer on screen, following the pen (headless Chromium) | "
            f"{statistics.median(latencies):.2f} s | {p95:.2f} s | {count} |",
            f"| requests per stroke while following the pen | {statistics.median(requests):.0f} | "
            f"{max(requests)} (most) | {count} |",
            f"| server CPU per stroke, all its requests | {1000 * cpu / count:.0f} ms | | {count} |"]
