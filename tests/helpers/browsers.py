"""The page in a real browser: Playwright driving Debian's chromium (never `playwright install`),
opened, drawn on, looked at."""

import math
import re
from pathlib import Path

from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "artifacts"
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


def drawn(page, points, digit: str):
    """Draw a stroke and wait until the page shows `digit` and the stroke's last read is in:
    a live read mid-stroke may show the digit already, and the pen-up read that follows would
    take a tapped cell away."""
    stroke(page, points)
    expect(page.locator("#answer .ll-digit")).to_have_text(digit, timeout=15_000)
    page.wait_for_function("() => document.querySelector('#pad .ll-pad').dataset.settled === 'true'",
                           timeout=15_000)


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
