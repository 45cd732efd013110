"""A link to what is on screen: the page's model, checkpoint, language and open panel from its
address's hash, which js/link.js keeps up to date; read once as the page loads. The pad reads
its own drawing from the same hash. Nothing is stored on the server, so a link opens on any
replica. A hash longer than MOST, or naming what this server does not serve, is said to be
so, and the page opens as usual."""

import json
from urllib.parse import parse_qs

import gradio as gr

from app import texts
from app.ui import state

MOST = 4096  # characters of hash (js/link.js LINK.MOST): a digit's strokes take 500–1,500
TABS = ("layers", "why", "lab", "compare", "kernels", "how")
# What the browser sends: the hash (cut at one past MOST) and the browser's own language.
BROWSER_LANGUAGE = ("((navigator.languages?.[0] || navigator.language || '').toLowerCase().startsWith('zh')"
                    " ? 'zh-CN' : 'en')")
OPENED = f"() => JSON.stringify({{hash: location.hash.slice(1, {MOST + 2}), language: {BROWSER_LANGUAGE}}})"
# The page's first language, the link's or else the browser's, set in the browser as the page
# loads: an answer from the server could land after the visitor's own click on the switch.
LANGUAGE = f"""() => {{
  const given = new URLSearchParams(location.hash.slice(1, {MOST + 2})).get('l');
  return ['en', 'zh-CN'].includes(given) ? given : {BROWSER_LANGUAGE};
}}"""


def parse(opened: str) -> tuple[dict, bool]:
    """The page's state from what OPENED sent, and whether the link was whole: any part too
    long, malformed or unknown is left at the page's default."""
    try:
        sent = json.loads(opened)
        link, browser = str(sent.get("hash", "")), sent.get("language")
    except (ValueError, TypeError, AttributeError):
        link, browser = "", None
    language = browser if browser in texts.LANGUAGES else "en"
    page = {"language": language, "model": state.DEFAULT, "checkpoint": None, "tab": "layers"}
    if len(link) > MOST:
        return page, False
    given = {key: values[-1] for key, values in parse_qs(link).items()}
    whole = True
    if "l" in given:
        whole &= given["l"] in texts.LANGUAGES
        page["language"] = given["l"] if given["l"] in texts.LANGUAGES else language
    if "m" in given:
        whole &= given["m"] in state.CLASSIFIERS
        page["model"] = given["m"] if given["m"] in state.CLASSIFIERS else state.DEFAULT
    if "c" in given:
        count = len(state.CHECKPOINTS.get(page["model"], ([], []))[0])
        known = given["c"].isdigit() and int(given["c"]) < count
        whole &= known
        page["checkpoint"] = int(given["c"]) if known and int(given["c"]) < count - 1 else None
    if "t" in given:
        whole &= given["t"] in TABS
        page["tab"] = given["t"] if given["t"] in TABS else "layers"
    return page, whole


def restore(opened: str):
    """The model, checkpoint and open panel as the page's link says, for demo.load (the
    language is set in the browser, LANGUAGE; the slider and the pad follow from these)."""
    page, whole = parse(opened)
    if not whole:
        gr.Warning(texts.words(page["language"])["link_unknown"])
    return page["model"], page["checkpoint"], gr.Tabs(selected=page["tab"])
