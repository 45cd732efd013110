"""The page: its layout, which callback each event calls, and the few callbacks that span
panels (the pad following a switch, the language switch, a tapped cell). A panel's own
callbacks live in its module beside this one, the work in the library."""

from pathlib import Path

import gradio as gr

from app import gradio_internals, texts
from app.decode import read_data_url
from app.inputs import InputError
from app.ui import answer, api, compare, kernels, lab, link, network, reading, state, timeline, why
from app.ui.gallery import gallery
from app.ui.look import MODEL_CHOICE, TIMELINE_HEIGHT
from app.ui.pad import asked, labels, pad
from app.ui.reading import ask_label

# Sizes page.css shares with the Python that draws (app/ui/look.py), as CSS variables.
CSS = (f"#timeline-chart {{ --ll-timeline-height: {TIMELINE_HEIGHT}px; }}\n"
       + (Path(__file__).parent / "page.css").read_text())
# System fonts: the page loads nothing from outside the server (the default theme asks Google).
THEME = gr.themes.Soft(font=("ui-sans-serif", "system-ui", "sans-serif"),
                       font_mono=("ui-monospace", "DejaVu Sans Mono", "monospace"))
QUIET = {"api_visibility": "undocumented", "show_progress": "hidden"}
# The page's routes outside Gradio, answered by the server's guard (app.server).
ROUTES = {"/read": reading.read, "/predict": api.predict_post}


def header(language: str) -> str:
    words = texts.words(language)
    return f"# {words['title']}\n{words['subtitle']}"


def follow(model: str, language: str, checkpoint):
    """After a switch of model or checkpoint: the pad reads its drawing again with them (js/pad.js),
    and the network's heading names the model."""
    return gr.update(reading=asked(model, language, checkpoint)), network.heading(model, language)


def follow_link(model: str, language: str, checkpoint):
    """`follow` once a link is restored: the reading is marked as the link's, a change the pad
    sees even where the link names the page's defaults, and only then does it read the
    link's drawing (js/pad.js)."""
    return (gr.update(reading={**asked(model, language, checkpoint), "linked": True}),
            network.heading(model, language))


def retold(model: str, language: str, checkpoint):
    """After the language switch, what names the checkpoint shown (the slider's words, its
    chart, the kernels), read when the switch's words are in, so that a slider move made
    meanwhile is neither undone nor misnamed; and the pad reads its drawing again."""
    slider, chart = timeline.in_language(model, checkpoint, language)
    return slider, chart, kernels.show(model, language, checkpoint), *follow(model, language, checkpoint)


def lens(drawing: str, model: str, language: str, checkpoint, event: gr.EventData):
    """A tapped map cell: the gradient of that unit with respect to the input."""
    data = gradio_internals.event_data(event)
    try:
        cell = {"layer": str(data["layer"]), **{key: int(data[key]) for key in ("channel", "y", "x")}}
    except (KeyError, TypeError, ValueError):
        raise api.refusal("lens", InputError("a tap names its cell: layer, channel, y and x", code="tap"),
                          language) from None
    try:
        clf = state.classifier(model, checkpoint)
        result = clf.predict(read_data_url(drawing), with_activations=False) if drawing else None
        if result is None or result.input is None:
            return gr.update()
        return gr.update(gradient=network.lens_payload(clf, result.input, cell, language))
    except api.REFUSALS as error:
        raise api.refusal("lens", error, language) from None


LANGUAGE = (Path(__file__).parent / "js" / "language.js").read_text()
# "Why 7?" opens its panel; where the panels sit below the pad (a phone), it brings them into view.
PANELS_IN_VIEW = """() => {
  const panels = document.getElementById('panels'), box = panels.getBoundingClientRect();
  if (box.top > 0.6 * window.innerHeight) panels.scrollIntoView({ behavior: 'smooth', block: 'start' });
}"""


def how(language: str) -> str:
    """The Shapes panel: the arithmetic, then each model's walk through its layers; a model
    whose layers have the same shapes as one above is named, not tabled again."""
    parts, tables = [texts.words(language)["how_text"]], {}
    for name in state.CLASSIFIERS:
        table = texts.walkthrough(name, language)
        rows = table.split("\n", 1)[1]  # the table without its title line
        parts.append(texts.words(language)["same_shapes"].format(model=name, same=tables[rows]) if rows in tables
                     else table)
        tables.setdefault(rows, name)
    return "\n\n".join(parts)


def build() -> gr.Blocks:
    language = "en"
    words = texts.words(language)
    default = state.classifier(state.DEFAULT)
    with gr.Blocks(title="LeNet Lens") as demo:
        # The served API first: Gradio's page client takes the endpoint named /predict as
        # event 0's description, and warned "Too many arguments" on every stroke otherwise.
        api.wire()
        with gr.Row(elem_id="top"):
            with gr.Column(scale=1, min_width=220):
                title = gr.Markdown(header(language), elem_id="title")
            with gr.Column(scale=0, min_width=140, elem_id="language-column"):
                switch = gr.Radio(texts.SWITCH, value=language, label="EN / 中文", show_label=False, container=False,
                                  elem_id="language")
            with gr.Column(scale=0, min_width=MODEL_CHOICE * len(state.CLASSIFIERS), elem_id="model-column"):
                model = gr.Radio(list(state.CLASSIFIERS), value=state.DEFAULT, label=words["model"], show_label=False,
                                 container=False, elem_id="model")
        with gr.Row(equal_height=False, elem_id="main"):
            with gr.Column(scale=0, min_width=320, elem_id="left"):
                drawing = pad(words, state.DEFAULT, language)
                answer.answer()
                ask = gr.Button(ask_label(None, language), elem_id="ask", size="sm", variant="primary")
                slider = gr.Slider(elem_id="timeline", buttons=[], **timeline.settings(state.DEFAULT, language))
                # The checkpoint the page shows (None: the shipped weights), for the panels'
                # events; the pad has it in its reading prop.
                checkpoint = gr.Number(None, precision=0, visible=False)  # set in the browser by a link too
                progress = gr.HTML(timeline.chart(state.DEFAULT, None, language), elem_id="timeline-chart")
            # The panels sit beside the pad, where the eye already is: a click on "Why 7?"
            # changes what is on screen, and each live panel follows the pen (js/gallery.js).
            with gr.Column(scale=1, min_width=320, elem_id="right"), gr.Tabs(elem_id="panels") as panels:
                with gr.Tab(words["layers_tab"], id="layers", elem_id="layers-panel") as layers_tab:
                    heading = gr.Markdown(network.heading(state.DEFAULT, language), elem_id="network-heading")
                    view = network.view(default, language)
                    colours = gr.Markdown(words["colours"], elem_id="colours")
                with gr.Tab(words["why_tab"], id="why", elem_id="why-panel") as why_tab:
                    why_intro = gr.Markdown(words["why_intro"])
                    rival = gr.Dropdown(why.rival_choices(language), value="auto", label=words["against"],
                                        elem_id="rival", scale=0, min_width=160)
                    why_view = gallery("why", why.waiting(language), live=True)
                with gr.Tab(words["lab_tab"], id="lab", elem_id="lab-panel") as lab_tab:
                    lab_view = gallery("lab", live=True)
                with gr.Tab(words["compare_tab"], id="compare", elem_id="compare-panel") as compare_tab:
                    compare_view = gallery("compare", live=True)
                    compare_table = gr.Markdown(compare.table(language), elem_id="compare-table")
                with gr.Tab(words["kernels"], id="kernels", elem_id="kernels-panel") as kernels_tab:
                    kernel_view = gallery("kernels", kernels.show(state.DEFAULT, language))
                with gr.Tab(words["how"], id="how", elem_id="how-panel") as how_tab:
                    how_text = gr.Markdown(how(language))

        following = dict(fn=follow, inputs=[model, switch, checkpoint], outputs=[drawing, heading], **QUIET)
        view.lens(lens, [drawing, model, switch, checkpoint], view, trigger_mode="always_last", **QUIET)
        # A new model chosen starts at its shipped weights, its slider at the end (a link's
        # model comes with its own checkpoint: app/ui/link.py).
        new_model = model.input(timeline.switched, [model, switch], [slider, progress, checkpoint], **QUIET)
        new_model.then(**following)
        new_model.then(kernels.show, [model, switch, checkpoint], kernel_view, **QUIET)  # at the new checkpoint
        scrubbed = slider.input(timeline.moved, [model, slider, switch], [slider, progress, checkpoint],
                               trigger_mode="always_last", **QUIET)
        scrubbed.then(**following)
        scrubbed.then(kernels.show, [model, switch, checkpoint], kernel_view, **QUIET)
        # What the page shows now; a live panel made for anything else asks again.
        shown = [drawing, model, switch, checkpoint]
        live = dict(trigger_mode="always_last", **QUIET)
        why_view.refresh(why.figures, [*shown, rival], why_view, **live)
        rival.change(why.figures, [*shown, rival], why_view, **live)
        lab_view.refresh(lab.figures, shown, lab_view, **live)
        compare_view.refresh(compare.figures, shown, compare_view, **live)
        ask.click(lambda: gr.Tabs(selected="why"), None, panels, js=PANELS_IN_VIEW, **QUIET)

        def translate(model_name: str, language: str) -> dict:
            """The language switch (and the page's first load): every word on the page but
            those that name a checkpoint, which `retold` gives after it."""
            words = texts.words(language)
            return {title: header(language), heading: network.heading(model_name, language),
                    drawing: gr.update(labels=labels(words)),
                    model: gr.update(label=words["model"]), colours: words["colours"],
                    layers_tab: gr.update(label=words["layers_tab"]), why_tab: gr.update(label=words["why_tab"]),
                    why_intro: words["why_intro"],
                    rival: gr.update(label=words["against"], choices=why.rival_choices(language)),
                    lab_tab: gr.update(label=words["lab_tab"]), compare_tab: gr.update(label=words["compare_tab"]),
                    compare_table: compare.table(language), kernels_tab: gr.update(label=words["kernels"]),
                    how_tab: gr.update(label=words["how"]), how_text: how(language)}

        retitled = [title, heading, drawing, model, colours, layers_tab, why_tab, why_intro, rival, lab_tab,
                    compare_tab, compare_table, kernels_tab, how_tab, how_text]
        translated = switch.change(translate, [model, switch], retitled, **QUIET)
        translated.then(retold, [model, switch, checkpoint], [slider, progress, kernel_view, drawing, heading], **QUIET)
        switch.change(None, switch, None, js=LANGUAGE, **QUIET)
        # The page as its address says (a shared link), else in the browser's language.
        demo.load(None, None, [switch, model, checkpoint], js=link.opening())
        restored = drawing.linked(link.restore, None, panels, **QUIET)  # only a link: a plain visit asks nothing
        restored = restored.then(timeline.moved, [model, checkpoint, switch], [slider, progress, checkpoint], **QUIET)
        restored = restored.then(follow_link, [model, switch, checkpoint], [drawing, heading], **QUIET)
        restored.then(kernels.show, [model, switch, checkpoint], kernel_view, **QUIET)
    return demo
