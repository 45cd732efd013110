"""The answer: the digit the network reads, how sure it is, and its top three guesses."""

import html

import gradio as gr

from app import texts
from app.inference import Prediction

TOP = 3


def card(result: Prediction | None, language: str) -> str:
    words = texts.words(language)
    if result is None or result.label is None:
        return f'<div class="ll-answer ll-empty"><p class="ll-hint">{html.escape(words["draw_hint"])}</p></div>'
    order = result.probabilities.argsort()[::-1][:TOP]
    bars = "".join(
        f'<li><b>{digit}</b><span class="ll-bar"><i style="width:{100 * result.probabilities[digit]:.1f}%"></i></span>'
        f'<span>{100 * result.probabilities[digit]:.1f} %</span></li>' for digit in order)
    verdict = words["reads"]
    return (f'<div class="ll-answer"><p class="ll-verdict">{html.escape(verdict)}</p>'
            f'<p class="ll-digit" aria-live="polite">{result.label}</p><ol class="ll-top">{bars}</ol></div>')


def answer() -> gr.HTML:
    return gr.HTML(card(None, "en"), elem_id="answer")
