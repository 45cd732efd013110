"""The page: its layout and which callback each event calls. No logic of its own: the
callbacks live in the panel modules beside this one, the work in the library."""

from pathlib import Path

import gradio as gr

from app import registry, texts
from app.decode import read_data_url
from app.inputs import InputError
from app.ui import answer, api, compare, kernels, lab, network, reading, state, timeline, why
from app.ui.gallery import gallery
from app.ui.look import MODEL_CHOICE
from app.ui.pad import asked, labels, pad
from app.ui.reading import ask_label

CSS = (Path(__file__).parent / "page.css").read_text()
# System fonts: the page loads nothing from outside the server (the default theme asks Google).
THEME = gr.themes.Soft(font=("ui-sans-serif", "system-ui", "sans-serif"),
                       font_mono=("ui-monospace", "DejaVu Sans Mono", "monospace"))
QUIET = dict(api_visibility="undocumented", show_progress="hidden")
# The page's routes outside Gradio, answered by the server's guard (app.server).
ROUTES = {"/read": reading.read, "/predict": api.predict_bytes}


def header(language: str) -> str:
    words = texts.words(language)
    return f"# {words['title']}\n{words['subtitle']}"


def network_heading(model: str, language: str) -> str:
    return f"### {texts.words(language)['network']} · `{model}`: {registry.get(model).about[language]}"


def follow(model: str, language: str, checkpoint):
    """After a switch of model or checkpoint: the pad reads its drawing again with them (js/pad.js),
    and the network's heading names the model."""
    return gr.update(reading=asked(model, language, checkpoint)), network_heading(model, language)


def lens(drawing: str, model: str, language: str, checkpoint, event: gr.EventData):
    """A tapped map cell: the gradient of that unit with respect to the input."""
    data = event._data if isinstance(event._data, dict) else {}
    try:
        cell = {"layer": str(data["layer"]), **{key: int(data[key]) for key in ("channel", "y", "x")}}
    except (KeyError, TypeError, ValueError):
        raise api.refused("lens", InputError("a tap names its cell: layer, channel, y and x", code="tap"),
                          language) from None
    try:
        clf = state.classifier(model, checkpoint)
        result = clf.predict(read_data_url(drawing), with_activations=False) if drawing else None
        if result is None or result.input is None:
            return gr.update()
        return gr.update(gradient=network.lens_payload(clf, result.input, cell, language))
    except api.REFUSED as error:
        raise api.refused("lens", error, language) from None


def translate(model: str, language: str, checkpoint):
    """The language switch (and the page's first load): every word on the page."""
    words = texts.words(language)
    # The pad reads its drawing again in the new language (js/pad.js): one read here, from the
    # drawing the switch was sent with, could land after a stroke drawn meanwhile.
    return (header(language), gr.update(labels=labels(words), reading=asked(model, language, checkpoint)),
            network_heading(model, language), gr.update(label=words["model"]),
            *timeline.moved(model, checkpoint, language),
            words["colours"], *why.retitle(language), *lab.retitle(language),
            gr.update(label=words["compare_tab"]), {"figures": []}, compare.table(language),
            *kernels.retitle(model, language, checkpoint), gr.update(label=words["how"]), how(language))


# The page's first language, from the browser's, read in the browser as the page loads: an
# answer from the server could land after the visitor's own click on the switch and undo it.
FIRST_LANGUAGE = ("() => (navigator.languages?.[0] || navigator.language || '').toLowerCase().startsWith('zh')"
                  " ? 'zh-CN' : 'en'")


def how(language: str) -> str:
    return "\n\n".join([texts.words(language)["how_text"]] + [texts.walkthrough(name, language)
                                                              for name in state.CLASSIFIERS])


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
                model = gr.Radio(list(state.CLASSIFIERS), value=state.DEFAULT, label=words["model"], elem_id="model")
        with gr.Row(equal_height=False, elem_id="main"):
            with gr.Column(scale=0, min_width=320, elem_id="left"):
                drawing = pad(words, state.DEFAULT, language)
                answer.answer()
                ask = gr.Button(ask_label(None, language), elem_id="ask", size="sm",
                                variant="primary")
                steps = gr.Slider(elem_id="timeline", **timeline.settings(state.DEFAULT, language))
                # The checkpoint the page shows (None: the shipped weights), for the panels'
                # events; the pad has it in its `reading` prop.
                chosen = gr.State(None)
                progress = gr.HTML(timeline.chart(state.DEFAULT, None, language), elem_id="timeline-chart")
            with gr.Column(scale=1, min_width=320, elem_id="right"):
                heading = gr.Markdown(network_heading(state.DEFAULT, language), elem_id="network-heading")
                view = network.view(default, language)
                colours = gr.Markdown(words["colours"], elem_id="colours")
        with gr.Tabs(elem_id="panels") as panels:
            with gr.Tab(words["why_tab"], id="why", elem_id="why-panel") as why_tab:
                why_intro = gr.Markdown(words["why_intro"])
                rival = gr.Dropdown(why.rival_choices(language), value="auto", label=words["against"],
                                    elem_id="rival", scale=0, min_width=160)
                why_view = gallery("why", why.waiting(language))
            with gr.Tab(words["lab_tab"], id="lab", elem_id="lab-panel") as lab_tab:
                lab_run = gr.Button(words["lab_run"], elem_id="lab-run", size="sm")
                lab_view = gallery("lab")
            with gr.Tab(words["compare_tab"], id="compare", elem_id="compare-panel") as compare_tab:
                compare_view = gallery("compare")
                compare_table = gr.Markdown(compare.table(language), elem_id="compare-table")
            with gr.Tab(words["kernels"], id="kernels", elem_id="kernels-panel") as kernels_tab:
                kernel_view = gallery("kernels", kernels.figures(default, language))
            with gr.Tab(words["how"], id="how", elem_id="how-panel") as how_tab:
                how_text = gr.Markdown(how(language))

        following = dict(fn=follow, inputs=[model, switch, chosen], outputs=[drawing, heading], **QUIET)
        view.lens(lens, [drawing, model, switch, chosen], view, trigger_mode="always_last", **QUIET)
        # A new model starts at its shipped weights, its slider at the end.
        model.change(timeline.switched, [model, switch], [steps, progress, chosen], **QUIET).then(**following)
        model.change(kernels.show, [model, switch], kernel_view, **QUIET)
        scrubbed = steps.input(timeline.moved, [model, steps, switch], [steps, progress, chosen],
                               trigger_mode="always_last", **QUIET)
        scrubbed.then(**following)
        scrubbed.then(kernels.show, [model, switch, chosen], kernel_view, **QUIET)
        explaining = dict(fn=why.explain, inputs=[drawing, model, switch, rival, chosen], outputs=why_view,
                          trigger_mode="always_last", **QUIET)
        ask.click(lambda: gr.Tabs(selected="why"), None, panels, **QUIET).then(**explaining)
        rival.change(**explaining)
        why_tab.select(**explaining)
        testing = dict(fn=lab.run, inputs=[drawing, model, switch, chosen], outputs=lab_view,
                       trigger_mode="always_last", **QUIET)
        lab_run.click(**testing)
        lab_tab.select(**testing)
        compare_tab.select(compare.line_up, [drawing, switch], compare_view, trigger_mode="always_last", **QUIET)
        # In translate's order: the page's own words, then each panel's.
        everything = [title, drawing, heading, model, steps, progress, chosen, colours,
                      why_tab, why_intro, rival, why_view, lab_tab, lab_run, lab_view,
                      compare_tab, compare_view, compare_table, kernels_tab, kernel_view, how_tab, how_text]
        switch.change(translate, [model, switch, chosen], everything, **QUIET)
        demo.load(None, None, switch, js=FIRST_LANGUAGE)
    return demo
