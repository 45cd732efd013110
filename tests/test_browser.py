"""The page in a real browser: Playwright driving Debian's chromium against `python -m app`."""

import math
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
BRUSH = "#sketchpad .toolbar-wrap .half-container:first-child button:first-child"


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "install Debian's chromium: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def open_page(browser, url, locale="en-US", size=(1280, 860)):
    page = browser.new_page(locale=locale, viewport={"width": size[0], "height": size[1]})
    page.goto(url)
    page.wait_for_selector("#sketchpad canvas")
    expect(page.locator(BRUSH)).to_have_class(re.compile("highlight"), timeout=15_000)
    return page


def stroke(page, points):
    """One pen stroke through points given in 0–1 canvas coordinates."""
    box = page.locator("#sketchpad canvas").first.bounding_box()
    side = min(box["width"], box["height"]) * 0.8  # the paper is centred in the canvas element
    left, top = box["x"] + (box["width"] - side) / 2, box["y"] + (box["height"] - side) / 2
    xy = [(left + x * side, top + y * side) for x, y in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for point in xy[1:]:
        page.mouse.move(*point, steps=3)
    page.mouse.up()


ONE = [(0.5, 0.15 + 0.7 * i / 10) for i in range(11)]
ZERO = [(0.5 + 0.22 * math.sin(a), 0.5 - 0.33 * math.cos(a)) for a in [i * 2 * math.pi / 24 for i in range(26)]]


def shown_digit(page):
    return page.locator("#prediction h2")


def test_draw_a_one_and_a_zero(browser, server):
    page = open_page(browser, server)
    expect(shown_digit(page)).to_have_text("Draw a digit")
    stroke(page, ONE)
    expect(shown_digit(page)).to_have_text("1", timeout=15_000)
    # Every layer's panel rendered a real image: 7 layers, 5 pipeline stages.
    sizes = page.eval_on_selector_all(
        "#activations img, #pipeline img",
        "imgs => imgs.map(i => [i.naturalWidth, i.getBoundingClientRect().width, i.alt])")
    assert len(sizes) == 12 and all(natural > 0 and shown > 0 for natural, shown, _ in sizes), sizes
    assert [alt.split(" ·")[0] for _, _, alt in sizes] == [
        "ink", "crop", "stroke", "20×20", "28×28", "C1", "S2", "C3", "S4", "C5", "F6", "OUTPUT"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "browser-one.png", full_page=True)

    page.click('#sketchpad button[aria-label="Clear canvas"]')
    expect(shown_digit(page)).to_have_text("Draw a digit", timeout=15_000)
    expect(page.locator(BRUSH)).to_have_class(re.compile("highlight"), timeout=15_000)
    stroke(page, ZERO)
    expect(shown_digit(page)).to_have_text("0", timeout=15_000)
    page.screenshot(path=ARTIFACTS / "browser-zero.png", full_page=True)
    page.close()


def test_chinese_page_on_a_phone(browser, server):
    page = open_page(browser, server, locale="zh-CN", size=(390, 844))
    expect(page.locator("#prediction")).to_contain_text("LeNet 的判断")
    expect(shown_digit(page)).to_have_text("请画一个数字")
    expect(page.locator("body")).to_contain_text("每一层看到了什么")
    stroke(page, ONE)
    expect(shown_digit(page)).to_have_text("1", timeout=15_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "browser-phone-zh.png", full_page=True)
    page.close()


def test_examples_and_model_switch(browser, server):
    page = open_page(browser, server)
    page.locator("#examples button").nth(3).click()  # the MNIST "3"
    expect(shown_digit(page)).to_have_text("3", timeout=15_000)
    page.get_by_label("tutorial").check()
    expect(page.locator("#activations")).to_contain_text("conv1 · conv 5×5 · 6@24×24", timeout=15_000)
    expect(shown_digit(page)).to_have_text("3")
    page.get_by_text("Learned kernels").click()
    page.get_by_role("button", name="Show the first two convolution layers' kernels").click()
    expect(page.locator("#kernels img")).to_have_count(2, timeout=15_000)
    expect(page.locator("#kernels")).to_contain_text("conv2 · 16×6 @ 5×5")
    page.close()
