"""A link to what is on screen: the page's model, checkpoint, language and open panel from its
address's hash, which js/link.js keeps up to date; read once as the page loads (the first
three in the browser, `opening`; the panel and any refusal here, `restore`). The pad reads
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


def opening() -> str:
    """The link's language (else the browser's), model and checkpoint, set in the browser as
    the page loads and before any event reads them: a server's answer could land after the
    visitor's own click on the switch, and events started meanwhile would carry the defaults
    and undo the link. Unknown ones are left at the defaults (restore says so)."""
    counts = {name: len(state.CHECKPOINTS.get(name, ([], []))[0]) for name in state.CLASSIFIERS}
    return f"""() => {{
  const link = new URLSearchParams(location.hash.slice(1, {MOST + 2})), counts = {json.dumps(counts)};
  const given = link.get('l'), language = ['en', 'zh-CN'].includes(given) ? given : {BROWSER_LANGUAGE};
  const model = Object.hasOwn(counts, link.get('m')) ? link.get('m') : {json.dumps(state.DEFAULT)};
  const index = /^[0-9]+$/.test(link.get('c') || '') ? Number(link.get('c')) : null;
  return [language, model, index !== null && index < counts[model] - 1 ? index : null];
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
    """The open panel as the page's link says, for demo.load, and a warning for a link that
    names what this server does not serve (its language, model and checkpoint: opening)."""
    page, whole = parse(opened)
    if not whole:
        gr.Warning(texts.words(page["language"])["link_unknown"])
    return gr.Tabs(selected=page["tab"])
