"""A link to what is on screen: the page's model, checkpoint, language and open panel from its
address's hash, which js/link.js keeps up to date; read once as the page loads (the first
three in the browser, `opening`; the panel and any refusal here, `restore`). The pad reads
its own drawing from the same hash. Nothing is stored on the server, so a link opens on any
replica. A hash longer than MOST, or naming what this server does not serve, is said to be
so, and the page opens as usual."""

import json
from urllib.parse import parse_qs

import gradio as gr

from app import gradio_internals, texts
from app.ui import state

MOST = 4096  # characters of hash (js/link.js LINK.MOST): a digit's strokes take 500–1,500
TABS = ("layers", "why", "lab", "compare", "kernels", "how")
BROWSER_LANGUAGE = ("((navigator.languages?.[0] || navigator.language || '').toLowerCase().startsWith('zh')"
                    " ? 'zh-CN' : 'en')")


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


def parse(link: str, browser: str) -> tuple[str, str, bool]:
    """The panel a link opens, the language to speak (the link's, else the `browser`'s, as
    opening picks it), and whether the link was whole: a part too long, malformed or unknown is
    left at the page's default."""
    link, language = str(link), "zh-CN" if str(browser).lower().startswith("zh") else "en"
    if len(link) > MOST:
        return "layers", language, False
    given = {key: values[-1] for key, values in parse_qs(link).items()}
    language = given.get("l") if given.get("l") in texts.LANGUAGES else language
    model = given.get("m", state.DEFAULT)
    count = len(state.CHECKPOINTS.get(model, ([], []))[0])
    checkpoint = given.get("c")
    whole = (given.get("l", "en") in texts.LANGUAGES and model in state.CLASSIFIERS and given.get("t", "layers") in TABS
             and (checkpoint is None or (checkpoint.isdigit() and int(checkpoint) < count)))
    return (given.get("t") if given.get("t") in TABS else "layers"), language, whole


def restore(event: gr.EventData):
    """The open panel as the page's link says (the pad's 'linked' event, sent only when the
    address has a hash), and a warning for a link naming what this server does not serve;
    its language, model and checkpoint the browser has set already (opening)."""
    sent = gradio_internals.event_data(event)
    tab, language, whole = parse(sent.get("hash", ""), sent.get("browser", ""))
    if not whole:
        gr.Warning(texts.words(language)["link_unknown"])
    return gr.Tabs(selected=tab)
