"""The answer: the digit the network reads, how sure it is, and its top three guesses."""

import html
from pathlib import Path

import gradio as gr

from app import texts
from app.inference import Prediction

TOP = 3
JS = (Path(__file__).parent / "js" / "answer.js").read_text()


def card(result: Prediction | None, language: str, model: str) -> str:
    words = texts.words(language)
    if result is None or result.label is None:
        return f'<div class="ll-answer ll-empty"><p class="ll-hint">{html.escape(words["draw_hint"])}</p></div>'
    order = result.probabilities.argsort()[::-1][:TOP]
    bars = "".join(
        f'<li><b>{digit}</b><span class="ll-bar"><i style="width:{100 * result.probabilities[digit]:.1f}%"></i></span>'
        f'<span>{100 * result.probabilities[digit]:.1f} %</span></li>' for digit in order)
    if result.confident:
        verdict, hint, style = words["reads"].format(model=model), "", "ll-answer"
    else:  # still the guesses, but said honestly
        verdict, hint, style = words["not_sure"], words["doubts"].get(result.doubt, ""), "ll-answer ll-unsure"
    note = f'<p class="ll-doubt">{html.escape(hint)}</p>' if hint else ""
    return (f'<div class="{style}"><p class="ll-verdict">{html.escape(verdict)}</p>'
            f'<p class="ll-digit" aria-live="polite">{result.label}</p><ol class="ll-top">{bars}</ol>{note}</div>')


def refusal(said: str) -> str:
    """The card for a drawing the server would not read: why, in place of an answer."""
    return f'<div class="ll-answer ll-unsure"><p class="ll-doubt">{html.escape(said)}</p></div>'


def answer() -> gr.HTML:
    return gr.HTML(card(None, "en", ""), js_on_load=JS, elem_id="answer")
