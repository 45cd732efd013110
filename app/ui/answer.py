"""The answer: the digit the network reads, how sure it is, and its top three guesses."""

import html
from pathlib import Path

import gradio as gr

from app import confidence, texts
from app.inference import Prediction
from app.ui import state

TOP = 3
UNTRAINED = 0.9  # a checkpoint whose test accuracy is below this is still learning
JS = (Path(__file__).parent / "js" / "answer.js").read_text()


def card(result: Prediction | None, language: str, model: str, checkpoint=None) -> str:
    words = texts.words(language)
    if result is None or (result.label is None and result.doubt != confidence.SPECK_DOUBT):
        return f'<div class="ll-answer ll-empty"><p class="ll-hint">{html.escape(words["draw_hint"])}</p></div>'
    if result.label is None:  # ink, but too little to be a digit: a dot
        return _card("ll-answer ll-unsure", words["not_sure"]["speck"], words["doubts"]["dot"], "")
    order = result.probabilities.argsort()[::-1][:TOP]
    bars = "".join(
        f'<li><b>{digit}</b><span class="ll-bar"><i style="width:{100 * result.probabilities[digit]:.1f}%"></i></span>'
        f'<span>{100 * result.probabilities[digit]:.1f} %</span></li>' for digit in order)
    shown = f'<p class="ll-digit" aria-live="polite">{result.label}</p><ol class="ll-top">{bars}</ol>'
    learning = _learning(model, checkpoint)
    # A network still learning is unsure of everything: its doubt is said to be its own.
    doubt = "learning" if learning and result.doubt == confidence.SCORE_DOUBT else result.doubt
    about = {"step": f"{learning.step:,}", "accuracy": 100 * learning.test_accuracy} if learning else {}
    if result.confident:
        hint = words["doubts"]["learning_sure"].format(**about) if learning else ""
        return _card("ll-answer", words["reads"].format(model=model), hint, shown)
    return _card("ll-answer ll-unsure", words["not_sure"][doubt], words["doubts"][doubt].format(**about), shown)


def _card(style: str, verdict: str, hint: str, shown: str) -> str:
    note = f'<p class="ll-doubt">{html.escape(hint)}</p>' if hint else ""
    return f'<div class="{style}"><p class="ll-verdict">{html.escape(verdict)}</p>{shown}{note}</div>'


def _learning(model: str, checkpoint):
    """The checkpoint shown, when it is one of a network still learning (below UNTRAINED)."""
    entries = state.CHECKPOINTS.get(model, ([], []))[0]
    if checkpoint is None or not 0 <= int(checkpoint) < len(entries):
        return None
    entry = entries[int(checkpoint)]
    return entry if entry.test_accuracy < UNTRAINED else None


def refusal_card(said: str) -> str:
    """The card for a drawing the server would not read: why, in place of an answer."""
    return f'<div class="ll-answer ll-unsure"><p class="ll-doubt">{html.escape(said)}</p></div>'


def answer() -> gr.HTML:
    return gr.HTML(card(None, "en", ""), js_on_load=JS, elem_id="answer")
