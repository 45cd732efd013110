"""The page in a real browser: Playwright driving Debian's chromium against `python -m app`.
Screenshots go to artifacts/ (look at them after a UI change)."""

import itertools
import re
import time

import pytest
from playwright.sync_api import expect

from tests.helpers.browsers import DESKTOP, ONE, PHONE, SEVEN, ZERO, drawn, open_page, open_tab, seen_text, shot, stroke

# Words that may stay in Latin letters on the Chinese page: names, not captions.
NAMES = {"LeNet", "Lens", "PaddlePaddle", "MNIST", "ReLU", "Sigmoid", "EN", "lenet5", "tutorial", "mlp", "plain",
         "conv1", "conv2", "conv3", "max_pool1", "max_pool2", "fc1", "fc2", "OUTPUT"}
FORMULA = {"out", "r_in", "r_out", "j_in", "j_out"}  # the tutorial's symbols, not words


def seven_drawn(browser, server, locale="en-US", size=DESKTOP):
    """A page with a 7 drawn on it and read."""
    page = open_page(browser, server, locale=locale, size=size)
    drawn(page, SEVEN, "7")
    return page


def painted(page, selector) -> bool:
    """Whether a canvas shows values rather than the empty placeholder colour."""
    return page.eval_on_selector(selector, """canvas => {
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < data.length; i += 4) if (data[i] !== 222 && data[i] !== 250) return true;
        return false; }""")


def test_the_network_is_laid_out_before_the_first_stroke_and_fills_after(browser, server):
    page = open_page(browser, server)
    expect(page.locator("#answer")).to_contain_text("Draw a digit")
    layers = page.locator("#network .ll-layer canvas")
    expect(layers).to_have_count(7)  # C1 … OUTPUT, empty but in place
    before = page.locator("#network .ll-layer").last.bounding_box()
    assert not painted(page, "#network .ll-layer canvas")
    stroke(page, ONE)
    expect(page.locator("#answer .ll-digit")).to_have_text("1", timeout=15_000)
    assert all(painted(page, f"#network .ll-layer:nth-child({i}) canvas") for i in range(1, 8))
    assert page.locator("#network .ll-layer").last.bounding_box()["y"] == pytest.approx(before["y"], abs=2)
    # The whole network on one screen at 1280×800: the canvas, the answer and OUTPUT's scores.
    for selector in ("#pad canvas", "#answer .ll-digit", "#network .ll-output canvas", "#network .ll-digits"):
        box = page.locator(selector).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP[1], (selector, box)
    shot(page, "desktop-en-one")
    page.click("#pad .ll-clear")
    expect(page.locator("#answer")).to_contain_text("Draw a digit", timeout=15_000)
    stroke(page, ZERO)
    expect(page.locator("#answer .ll-digit")).to_have_text("0", timeout=15_000)
    assert page.console == [], page.console
    page.close()


@pytest.mark.parametrize("shape, digit", [(ONE, "1"), (ZERO, "0"), (SEVEN, "7")])
def test_a_small_digit_with_the_default_pen_reads_like_a_big_one(browser, server, shape, digit):
    page = open_page(browser, server)
    stroke(page, shape, scale=0.15, at=(0.6, 0.1))  # 10–15 % of the canvas tall, off in a corner
    expect(page.locator("#answer .ll-digit")).to_have_text(digit, timeout=15_000)
    page.close()


def test_the_answer_follows_the_pen_before_it_lifts(browser, server):
    page = open_page(browser, server)
    stroke(page, ONE, release=False)  # a whole 1, the pen still down and moving along it:
    box = page.locator("#pad canvas").bounding_box()  # the pad reads as the pen moves, not as it rests
    for y in [0.85, 0.65] * 10:
        page.mouse.move(box["x"] + 0.5 * box["width"], box["y"] + y * box["height"], steps=3)
        page.wait_for_timeout(100)
    expect(page.locator("#answer .ll-digit")).to_have_text("1", timeout=15_000)
    page.mouse.up()
    page.close()


def test_the_pad_backs_off_from_a_busy_server_and_its_last_read_arrives(browser, server):
    """A server too busy to read (429, as the guard or the balancer answers one) for the pad's
    first six reads: the pad asks less and less often, shows no error, and the stroke's last
    drawing is read once the server has room. The busy answers are the browser's own (its
    request routing), so the test can say when the server is busy; the reads after are real."""
    page = open_page(browser, server)
    asked, busy = [], 6

    def answer(route):
        nonlocal busy
        asked.append(time.monotonic())
        if busy:
            busy -= 1
            return route.fulfill(status=429, content_type="application/json", body='{"detail": "busy"}')
        return route.continue_()

    page.route("**/read", answer)
    stroke(page, SEVEN)
    expect(page.locator("#answer .ll-digit")).to_have_text("7", timeout=15_000)
    gaps = [later - earlier for earlier, later in itertools.pairwise(asked)]
    # The pen's own reads come every 150 ms; the retries wait twice as long each time, capped at
    # ~1 s (±25 %): uncapped, the sixth would wait 4.8 s or more, so 2.5 s leaves room for a busy machine.
    assert len(asked) >= 7 and max(gaps) > 0.7 and max(gaps) < 2.5 and sum(gaps) > 2, gaps
    assert gaps[-1] > 2 * min(gaps), gaps
    assert [line for line in page.console if "429" not in line] == [], page.console
    page.close()


def test_chinese_on_a_phone_answer_and_layers_under_the_canvas(browser, server):
    page = open_page(browser, server, locale="zh-CN", size=PHONE)
    expect(page.locator("#answer")).to_contain_text("请画一个数字")
    stroke(page, ONE)
    expect(page.locator("#answer .ll-digit")).to_have_text("1", timeout=15_000)
    pad, card, net = (page.locator(s).bounding_box() for s in ("#pad", "#answer", "#network"))
    assert pad["y"] < card["y"] < net["y"] and card["y"] - (pad["y"] + pad["height"]) < 60
    # Touch targets of at least 44 px, and Clear well away from Undo and Redo.
    tools = {name: page.locator(f"#pad .ll-{name}").bounding_box() for name in ("undo", "redo", "clear")}
    assert all(box["width"] >= 44 and box["height"] >= 44 for box in tools.values()), tools
    assert tools["clear"]["x"] - (tools["redo"]["x"] + tools["redo"]["width"]) >= 60
    shot(page, "phone-zh-one")
    page.close()


def test_the_language_switch_translates_every_caption(browser, server):
    page = seven_drawn(browser, server)
    page.locator("#language").get_by_text("中文", exact=True).click()
    expect(page.locator("#answer")).to_contain_text("lenet5 认为是", timeout=15_000)
    seen = [seen_text(page, part) for part in ("#top", "#main")]
    assert "lenet5 认为是" in seen[1]  # the reading sees what is shown
    page.click("#ask")  # "为什么是 7？"
    expect(page.locator("#why figure").first).to_be_visible(timeout=20_000)
    seen.append(seen_text(page, "#why-panel"))
    for panel in ("lab", "kernels", "how"):  # each tab, filled, so its words are on the page
        open_tab(page, panel)
        if panel == "lab":
            expect(page.locator("#lab svg").first).to_be_visible(timeout=20_000)
        seen.append(seen_text(page, f"#{panel}-panel"))
    expect(page.locator("#kernels")).to_contain_text("输出 × 输入特征图")
    english = set(re.findall(r"[A-Za-z][A-Za-z_0-9]{2,}", " ".join(seen))) - NAMES - FORMULA
    assert not english, english
    shot(page, "desktop-zh-seven")
    page.locator("#language").get_by_text("EN", exact=True).click()
    expect(page.locator("#answer")).to_contain_text("lenet5 reads", timeout=15_000)
    page.close()


def test_a_language_chosen_at_once_stays_chosen(browser, server):
    page = browser.new_page(locale="zh-CN", viewport={"width": DESKTOP[0], "height": DESKTOP[1]})
    page.goto(server)
    page.locator("#language").get_by_text("EN", exact=True).click()  # as soon as it can be clicked
    expect(page.locator("#title")).to_contain_text("LeNet Lens", timeout=15_000)
    page.wait_for_timeout(2_000)  # whatever the page set up on loading has landed by now
    expect(page.locator("#title")).not_to_contain_text("透视")
    page.close()


def test_examples_undo_and_the_model_switch(browser, server):
    page = open_page(browser, server)
    page.locator("#pad [data-example='3']").click()
    expect(page.locator("#answer .ll-digit")).to_have_text("3", timeout=15_000)
    page.locator("#pad [data-example='8']").click()
    expect(page.locator("#answer .ll-digit")).to_have_text("8", timeout=15_000)
    stroke(page, ONE, scale=0.2, at=(0.0, 0.0))  # a scratch in the corner
    page.click("#pad .ll-undo")
    page.click("#pad .ll-undo")  # one stroke to undo: the 3 before the 8 does not come back
    expect(page.locator("#answer .ll-digit")).to_have_text("8", timeout=15_000)
    open_tab(page, "kernels")
    expect(page.locator("#kernels figcaption").first).to_contain_text("C1 · output × input maps: 6 × 1")
    reads = []
    page.on("request", lambda request: reads.append(request.url) if request.url.endswith("/read") else None)
    page.get_by_label("tutorial").check()
    expect(page.locator("#network-heading")).to_contain_text("tutorial", timeout=15_000)
    expect(page.locator("#network")).to_contain_text("conv1 · conv 5×5 · 6@24×24")
    expect(page.locator("#kernels figcaption").first).to_contain_text("conv1 · output × input maps: 6 × 1")
    expect(page.locator("#answer .ll-digit")).to_have_text("8")
    page.wait_for_timeout(1000)
    assert len(reads) == 1, reads  # the switch has the drawing read once more, and once only
    page.close()


def test_tapping_a_c3_cell_marks_what_it_sees(browser, server):
    page = seven_drawn(browser, server)
    settled_maps(page)  # the last read repaints the maps: tap once they stay
    c3 = page.locator("#network .ll-layer", has_text="C3 ·").locator("canvas")
    zoom = c3.bounding_box()["width"] / (8 * 11 - 1)  # 8 maps of 10 a row, a pixel apart
    c3.click(position={"x": zoom * 4.5, "y": zoom * 4.5})  # map 1, cell (4, 4)
    expect(page.locator("#network .ll-cell")).to_have_count(1)
    expect(page.locator("#network .ll-box")).to_have_count(3)  # on the crop, the 28×28 and the 32×32
    note = "C3, map 1, cell (4, 4) sees input rows 6–19, columns 6–19"
    expect(page.locator("#network .ll-note")).to_contain_text(note)
    expect(page.locator("#network .ll-heat, #network .ll-note:has-text('is 0')")).not_to_have_count(0, timeout=15_000)
    shot(page, "desktop-en-lens")
    page.close()


@pytest.mark.parametrize("locale, size", [("en-US", DESKTOP), ("zh-CN", PHONE)])
def test_ask_why_and_stress_test_a_drawing(browser, server, locale, size):
    page = seven_drawn(browser, server, locale, size)
    expect(page.locator("#ask")).to_have_text("Why 7?" if locale == "en-US" else "为什么是 7？")
    page.click("#ask")
    figures = page.locator("#why figure")
    expect(figures).to_have_count(3, timeout=20_000)  # over the 28×28, over the drawing, occlusion
    assert page.locator("#why canvas.ll-overlay").count() == 3
    assert page.eval_on_selector("#why canvas.ll-overlay", """canvas => {
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let shown = 0; for (let i = 3; i < data.length; i += 4) shown += data[i] > 64; return shown; }""") > 20
    page.locator("#why-panel").scroll_into_view_if_needed()
    shot(page, f"why-{locale}-{size[0]}")
    page.locator("#rival input").fill("1")
    page.locator("#rival input").press("Enter")
    expect(page.locator("#why .ll-note")).to_contain_text("1", timeout=15_000)
    open_tab(page, "lab")
    charts = page.locator("#lab svg.ll-chart")
    expect(charts).to_have_count(6, timeout=30_000)  # rotation, scale, shift ×2, thickness, noise
    assert all(charts.nth(i).locator("polyline").count() == 10 and charts.nth(i).locator("text").count() > 10
               for i in range(6))
    expect(page.locator("#lab figcaption")).not_to_have_count(0)
    page.locator("#lab-panel").scroll_into_view_if_needed()
    shot(page, f"lab-{locale}-{size[0]}")
    assert page.console == [], page.console
    page.close()


def test_a_dot_or_a_speck_is_not_read_as_a_digit(browser, server):
    page = open_page(browser, server)
    box = page.locator("#pad canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # one dot of the pen
    expect(page.locator("#answer .ll-doubt")).to_have_text("That is only a dot: draw a digit, 0–9.", timeout=15_000)
    expect(page.locator("#answer .ll-verdict")).to_have_text("not sure: too small to read well")
    expect(page.locator("#answer .ll-top li")).to_have_count(0)  # nothing read: no guesses
    stroke(page, ZERO, scale=0.07, at=(0.45, 0.45))  # a blob a few pixels across
    expect(page.locator("#answer .ll-doubt")).to_contain_text("draw it bigger", timeout=15_000)
    expect(page.locator("#answer .ll-verdict")).to_have_text("not sure: too small to read well")
    # The guesses are still shown, and the doubt says why they are not to be trusted.
    expect(page.locator("#answer .ll-top li")).to_have_count(3)
    expect(page.locator("#answer .ll-doubt")).to_contain_text("whatever the bars say")
    shot(page, "desktop-en-speck")
    page.close()


C1_MAPS = """() => [...document.querySelectorAll('#network .ll-layer')]
    .find(layer => layer.innerText.includes('C1 ·')).querySelector('canvas').toDataURL()"""


def settled_maps(page) -> str:
    """C1's maps once the reads sent while drawing have all come back (two looks alike)."""
    maps, deadline = None, time.monotonic() + 30
    while time.monotonic() < deadline:
        page.wait_for_timeout(400)
        seen = page.evaluate(C1_MAPS)
        if seen == maps:
            return seen
        maps = seen
    pytest.fail("C1's maps still changed after 30 s")


@pytest.mark.parametrize("locale, size", [("en-US", DESKTOP), ("zh-CN", PHONE)])
def test_the_training_slider_rewinds_the_network(browser, server, locale, size):
    page = seven_drawn(browser, server, locale, size)
    shipped = settled_maps(page)
    slider = page.locator("#timeline input[type=range]")
    last = int(slider.get_attribute("max"))
    assert last >= 20  # about 25 checkpoints
    slider.fill("0")  # the random start: about one digit in ten right
    expect(page.locator("#timeline")).to_contain_text(re.compile(r"(第 0 步|step 0 of)"), timeout=15_000)
    accuracy = float(re.search(r"(\d+\.\d) %", page.locator("#timeline").inner_text()).group(1))
    assert 7 <= accuracy <= 13, accuracy
    page.wait_for_function(f"shipped => ({C1_MAPS})() !== shipped",
                           arg=shipped, timeout=15_000)
    page.locator("#timeline").scroll_into_view_if_needed()
    shot(page, f"timeline-{locale}-{size[0]}-start")
    slider.fill(str(last))  # back to the shipped weights: the same maps as before
    page.wait_for_function(f"shipped => ({C1_MAPS})() === shipped",
                           arg=shipped, timeout=15_000)
    expect(page.locator("#answer .ll-digit")).to_have_text("7")
    page.close()


@pytest.mark.parametrize("locale, size", [("en-US", DESKTOP), ("zh-CN", PHONE)])
def test_the_line_up_reads_the_drawing_with_every_model(browser, server, locale, size):
    page = seven_drawn(browser, server, locale, size)
    models = page.locator("#model input[type=radio]").count()
    open_tab(page, "compare")
    figures = page.locator("#compare .ll-gallery > figure")
    expect(figures).to_have_count(models, timeout=20_000)
    for i in range(models):
        expect(figures.nth(i)).to_contain_text("→")
        assert page.locator("#compare canvas").nth(i).is_visible()
    rows = page.locator("#compare-table tbody tr")
    expect(rows).to_have_count(models)
    page.locator("#compare-panel").scroll_into_view_if_needed()
    shot(page, f"compare-{locale}-{size[0]}")
    page.close()
