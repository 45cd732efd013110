"""What is on screen is what the page explains: the panels follow the drawing, model,
checkpoint and language shown; the best of the page is in view at laptop and phone sizes;
tap-a-map works by keyboard; a link reopens the same screen. Real server, real Chromium."""

import json

import pytest
from playwright.sync_api import expect

from app.inference import DigitClassifier
from tests.helpers.browsers import DESKTOP, ONE, PHONE, SEVEN, drawn, open_page, open_tab, shot, stroke

LAPTOP = (1280, 700)  # a 1280×800 screen less the browser's bars


def fresh(page, panel: str):
    """Wait until a live panel shows what the pad shows: its stamp is the pad's, not stale."""
    page.wait_for_function("""panel => {
        const view = document.querySelector(`#${panel} .ll-gallery`), pad = document.querySelector('#pad .ll-pad');
        return view && pad.dataset.settled === 'true' && view.dataset.shown === pad.dataset.shown
            && !view.classList.contains('ll-stale'); }""", arg=panel, timeout=20_000)


def showing(page, stamp_end: str):
    """Wait until the pad has read its drawing with the model, language and checkpoint a stamp
    ends with (app/ui/shown.py: drawing|model|language|checkpoint)."""
    page.wait_for_function("end => document.querySelector('#pad .ll-pad')?.dataset.shown?.endsWith(end)",
                           arg=stamp_end, timeout=20_000)


def test_why_stress_and_compare_follow_the_drawing_model_checkpoint_and_language(browser, server):
    page = open_page(browser, server)
    page.locator("#pad [data-example='8']").click()  # the first thing a visitor does: an example
    expect(page.locator("#answer .ll-digit")).to_have_text("8", timeout=15_000)
    page.click("#ask")
    fresh(page, "why")
    expect(page.locator("#why .ll-note")).to_contain_text("why 8 rather")
    page.click("#pad .ll-clear")
    drawn(page, SEVEN, "7")
    fresh(page, "why")  # open: it follows by itself
    expect(page.locator("#why .ll-note")).to_contain_text("why 7 rather")
    before = page.eval_on_selector("#why .ll-gallery", "view => view.dataset.shown")
    page.click("#model label:has-text('tutorial')")
    page.wait_for_function("before => document.querySelector('#why .ll-gallery').dataset.shown !== before",
                           arg=before, timeout=15_000)
    fresh(page, "why")
    assert "|tutorial|" in page.eval_on_selector("#why .ll-gallery", "view => view.dataset.shown")
    page.click("#model label:has-text('lenet5')")
    open_tab(page, "lab")
    fresh(page, "lab")
    page.click("#pad .ll-clear")
    drawn(page, ONE, "1")
    fresh(page, "lab")
    expect(page.locator("#lab")).to_contain_text("reads 1")
    page.click("#language label:has-text('中文')")
    fresh(page, "lab")
    expect(page.locator("#lab .ll-note")).to_contain_text("把你的画")  # the Stress panel in Chinese, not empty
    open_tab(page, "compare")  # closed until now: refreshed on opening
    fresh(page, "compare")
    expect(page.locator("#compare")).to_contain_text("lenet5 → 1")
    open_tab(page, "why")  # opened again in Chinese, with 1 on the pad
    fresh(page, "why")
    expect(page.locator("#why .ll-note")).to_contain_text("为什么是 1")
    page.locator("#timeline input[type=range]").fill("3")  # an early checkpoint
    page.wait_for_function("() => document.querySelector('#why .ll-gallery').dataset.shown.endsWith('|3')",
                           timeout=15_000)
    fresh(page, "why")
    assert page.console == [], page.console
    page.close()


def test_the_language_switch_keeps_a_slider_move_made_just_before(browser, server):
    """The switch retitles the slider; it must not put back the checkpoint it saw when clicked."""
    page = open_page(browser, server)
    drawn(page, SEVEN, "7")
    page.locator("#timeline input[type=range]").fill("5")
    page.click("#language label:has-text('中文')")  # before the move's answer is back
    showing(page, "|lenet5|zh-CN|5")
    page.wait_for_timeout(1_000)  # every answer in: nothing puts the slider back
    assert page.locator("#timeline input[type=range]").input_value() == "5"
    step = DigitClassifier.checkpoints("lenet5")[5].step
    expect(page.locator("#timeline")).to_contain_text(f"第 {step:,} 步")  # and its words say so
    assert page.locator("#pad .ll-pad").get_attribute("data-shown").endswith("|lenet5|zh-CN|5")
    page.close()


def test_the_kernels_name_and_follow_the_model_and_checkpoint_shown(browser, server):
    lenet5, mlp = DigitClassifier.checkpoints("lenet5"), DigitClassifier.checkpoints("mlp")
    page = open_page(browser, server)
    open_tab(page, "kernels")
    lead = page.locator("#kernels .ll-lead")
    expect(lead).to_have_text(f"lenet5 at training step {lenet5[-1].step:,} of {lenet5[-1].step:,}")
    page.locator("#timeline input[type=range]").fill("5")
    expect(lead).to_have_text(f"lenet5 at training step {lenet5[5].step:,} of {lenet5[-1].step:,}")
    page.click("#model label:has-text('mlp')")  # a new model starts at its shipped weights, kernels too
    expect(lead).to_have_text(f"mlp at training step {mlp[-1].step:,} of {mlp[-1].step:,}")
    page.wait_for_timeout(1_000)  # every answer in: none puts another checkpoint's kernels back
    expect(lead).to_have_text(f"mlp at training step {mlp[-1].step:,} of {mlp[-1].step:,}")
    page.click("#language label:has-text('中文')")
    expect(lead).to_have_text(f"mlp：训练第 {mlp[-1].step:,} 步（共 {mlp[-1].step:,} 步）")
    page.click("#model label:has-text('tutorial')")
    expect(lead).to_have_text("tutorial：发布的权重")
    page.close()


def test_a_tapped_cell_goes_with_a_new_stroke_and_clear_and_its_note_moves_nothing(browser, server):
    page = open_page(browser, server)
    drawn(page, SEVEN, "7")
    expect(page.locator("#network .ll-layers")).to_be_visible()
    layers = page.locator("#network .ll-layers").bounding_box()
    c1 = page.locator("#network .ll-tappable").first
    box = c1.bounding_box()
    c1.click(position={"x": 20, "y": 20})
    expect(page.locator("#network .ll-note")).to_contain_text("sees input rows", timeout=15_000)
    expect(page.locator("#network .ll-note")).to_contain_text("unit", timeout=15_000)  # the gradient's words
    assert page.locator("#network .ll-layers").bounding_box() == layers  # the note pushed nothing down
    assert page.locator("#network .ll-tappable").first.bounding_box() == box
    stroke(page, ONE, scale=0.3, at=(0.6, 0.6))
    expect(page.locator("#network .ll-cell")).to_have_count(0, timeout=15_000)
    expect(page.locator("#network .ll-note")).to_have_text(
        "Tap a cell of a conv or pool map to see the part of your drawing it looks at.")
    page.locator("#network .ll-tappable").first.click(position={"x": 20, "y": 20})
    expect(page.locator("#network .ll-cell")).to_have_count(1)
    page.click("#pad .ll-clear")
    expect(page.locator("#answer")).to_contain_text("Draw a digit", timeout=15_000)
    expect(page.locator("#network .ll-cell")).to_have_count(0)
    expect(page.locator("#network .ll-note")).not_to_contain_text("This unit")
    page.close()


def test_tap_a_map_by_keyboard(browser, server):
    page = open_page(browser, server)
    drawn(page, SEVEN, "7")
    c3 = page.locator("#network .ll-tappable").nth(2)
    expect(c3).to_have_attribute(
        "aria-label", "C3 · conv 5×5 · 16@10×10: its maps as a grid; Enter, then the arrow keys, pick a cell to see "
        "what it looks at")
    c3.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#network .ll-note")).to_contain_text("C3, map 1, cell (0, 0)")
    for key in ["ArrowRight"] * 12 + ["ArrowDown"] * 3:  # past map 1's 10 columns into map 2
        page.keyboard.press(key)
    expect(page.locator("#network .ll-note")).to_contain_text("C3, map 2, cell (3, 2)")
    expect(page.locator("#network .ll-note")).to_contain_text("unit", timeout=15_000)  # its gradient came
    assert page.evaluate("() => document.activeElement.classList.contains('ll-tappable')")
    page.close()


def test_the_page_language_reaches_html_lang_and_gradios_own_words(browser, server):
    page = open_page(browser, server)
    assert page.evaluate("() => document.documentElement.lang") == "en"
    page.click("#language label:has-text('中文')")
    page.wait_for_function("() => document.documentElement.lang === 'zh-CN'")
    expect(page.locator("footer")).to_contain_text("通过 API 使用", timeout=10_000)
    unnamed = page.evaluate("""() => [...document.querySelectorAll('canvas')]
        .filter(c => !c.getAttribute('aria-label') && c.getAttribute('aria-hidden') !== 'true').length""")
    assert unnamed == 0
    page.close()


@pytest.mark.parametrize("size", [LAPTOP, DESKTOP, PHONE])
@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_answer_layers_and_why_are_in_view(browser, server, locale, size):
    page = open_page(browser, server, locale=locale, size=size)
    drawn(page, SEVEN, "7")
    pad, digit = page.locator("#pad canvas").bounding_box(), page.locator("#answer .ll-digit").bounding_box()
    assert digit["y"] + digit["height"] <= size[1], digit  # the answer in view while drawing
    assert pad["y"] >= 0
    if size != PHONE:  # the whole network beside the pad, OUTPUT's scores included
        scores = page.locator("#network .ll-digits").bounding_box()
        assert scores["y"] + scores["height"] <= size[1], scores
    shot(page, f"screen-{locale}-{size[0]}x{size[1]}")
    page.click("#ask")
    figure = page.locator("#why .ll-fig").first
    expect(figure).to_be_visible(timeout=15_000)
    page.wait_for_timeout(800)  # the smooth scroll on a phone
    box = figure.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= size[1], box
    shot(page, f"screen-why-{locale}-{size[0]}x{size[1]}")
    page.close()


def test_a_phone_has_44_px_touch_targets_and_readable_layers(browser, server):
    page = open_page(browser, server, locale="zh-CN", size=PHONE)
    drawn(page, SEVEN, "7")
    targets = ["#pad .ll-examples button", "#pad .ll-tools button", "#ask", "#language label", "#model label",
               "#panels [role=tab]", "#panels .overflow-menu button"]
    for selector in targets:
        for box in [b for b in (element.bounding_box() for element in page.locator(selector).all()) if b]:
            assert box["height"] >= 44 and box["width"] >= 44, (selector, box)
    c3 = page.locator("#network .ll-layer canvas").nth(2).bounding_box()
    assert c3["height"] >= 60 and c3["width"] <= PHONE[0], c3  # 16 maps in two rows, not a 1-px strip
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE[0]  # nothing runs off sideways
    page.close()


def test_a_link_reopens_the_same_screen_in_another_browser(browser, server):
    page = open_page(browser, server)
    drawn(page, SEVEN, "7")
    # A person moves mlp's slider once it is mlp's, and the pad's stamp says when it is.
    page.click("#model label:has-text('mlp')")
    showing(page, "|mlp|en|None")
    page.locator("#timeline input[type=range]").fill("10")
    showing(page, "|mlp|en|10")
    page.click("#language label:has-text('中文')")
    open_tab(page, "why")
    fresh(page, "why")
    page.wait_for_function("() => location.hash.includes('t=why') && location.hash.includes('c=10')")
    link, answer, why = page.url, page.inner_text("#answer"), page.inner_text("#why .ll-note")
    stamp = page.locator("#pad .ll-pad").get_attribute("data-shown")
    assert len(link) < 1000
    # Another visitor, an English browser, a new context: the same screen.
    other = browser.new_context(locale="en-US", viewport={"width": DESKTOP[0], "height": DESKTOP[1]}).new_page()
    reads = []
    other.on("request", lambda request: reads.append(json.loads(request.post_data)[1:])
             if request.url.endswith("/read") else None)
    other.goto(link)
    showing(other, stamp)
    assert reads == [["mlp", "zh-CN", 10]]  # read once, as linked: never shown with the defaults first
    fresh(other, "why")
    assert other.inner_text("#why .ll-note") == why
    assert other.inner_text("#answer") == answer
    assert other.evaluate("() => document.documentElement.lang") == "zh-CN"
    expect(other.locator("#model input[value=mlp]")).to_be_checked()
    shot(other, "link-reopened")
    other.context.close()
    page.close()


@pytest.mark.parametrize("hash_text", ["d=%%%%", "d=BQAQTTNe", "m=nope&t=why", "d=" + "A" * 5000])
def test_a_hostile_link_is_refused_clearly_and_the_page_works(browser, server, hash_text):
    page = browser.new_page()
    page.goto(f"{server}#{hash_text}")
    page.wait_for_selector("#network .ll-layers canvas", state="attached")
    said = page.locator(".ll-broken:visible, .toast-body")
    expect(said.first).to_be_visible(timeout=15_000)
    drawn(page, SEVEN, "7")
    page.close()
