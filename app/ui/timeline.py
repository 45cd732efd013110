"""The training time machine: a slider over a model's checkpoints (app/checkpoints.py) that
re-reads the drawing with the network as it was at that step, and a small chart of the test
accuracy over training that marks where the slider stands."""

import gradio as gr

from app import texts
from app.charts import line_chart
from app.ui import state
from app.ui.look import TIMELINE_HEIGHT


def chart(model: str, checkpoint: int | None, language: str) -> str:
    """Test accuracy over training, checkpoints evenly spaced (their steps are log-spaced);
    the mark at `checkpoint` (None: the last, the shipped weights)."""
    entries, index = state.CHECKPOINTS.get(model, ([], []))[0], state.position(model, checkpoint)
    if index is None:
        return ""
    words = texts.words(language)
    positions = range(len(entries))
    ticks = [(i, f"{entries[i].step:,}") for i in sorted({0, len(entries) // 2, len(entries) - 1})]
    return line_chart(positions, {words["accuracy"]: [entry.test_accuracy for entry in entries]},
                      words["step"], words["accuracy"], {words["accuracy"]: "#4e79a7"},
                      marks=[(index, f"{100 * entries[index].test_accuracy:.1f} %")], x_ticks=ticks,
                      title=words["timeline"], height=TIMELINE_HEIGHT)


def settings(model: str, language: str, checkpoint: int | None = None) -> dict:
    """The slider for a model: at `checkpoint` (None: the last, the shipped weights);
    hidden for a model shipped without checkpoints."""
    entries, index = state.CHECKPOINTS.get(model, ([], []))[0], state.position(model, checkpoint)
    words = texts.words(language)
    if index is None:
        return {"visible": False, "value": 0, "label": words["timeline"]}
    return {"visible": True, "minimum": 0, "maximum": len(entries) - 1, "value": index, "step": 1,
            "label": words["timeline"],
            "info": words["timeline_info"].format(step=f"{entries[index].step:,}", steps=f"{entries[-1].step:,}",
                                                  accuracy=100 * entries[index].test_accuracy)}


def moved(model: str, checkpoint, language: str):
    """The slider's words and the chart's mark follow it; the page keeps the checkpoint
    (None for the last: the shipped weights)."""
    entries, index = state.CHECKPOINTS.get(model, ([], []))[0], state.position(model, checkpoint)
    shown = None if index is None or index == len(entries) - 1 else index
    return gr.update(**settings(model, language, checkpoint)), chart(model, checkpoint, language), shown


def in_language(model: str, checkpoint, language: str):
    """The slider's words and the chart in another language; the slider's position left as it is."""
    words = settings(model, language, checkpoint)
    words.pop("value")
    return gr.update(**words), chart(model, checkpoint, language)


def switched(model: str, language: str):
    """Another model: its own slider (at its shipped weights) and chart."""
    return gr.update(**settings(model, language)), chart(model, None, language), None
