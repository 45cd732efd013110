"""The model line-up: the drawing read by every model at once, each with its answer, how sure
it is and its top guesses, where it disagrees with the others, and what it does inside (the
first maps of a convolutional network; an MLP's hidden units, as strips), beside a table of
each model's measured accuracy (app/cards.py)."""

from collections import Counter

from app import cards, texts
from app.decode import read_data_url
from app.render import packed
from app.ui import api, shown, state
from app.ui.gallery import figure
from app.ui.look import COMPARE_ZOOM


def _inside(clf, result) -> dict:
    """What a model shows of its inside: its first map layer, or its first hidden layer."""
    info = next((info for info in clf.infos if info.is_map), clf.infos[0])
    values = result.activations[info.name]
    if info.is_map:
        zoom = COMPARE_ZOOM["large_map" if info.shape[-1] > 14 else "small_map"]
        return figure(packed(values), info.name, "activation", zoom, columns=info.shape[0])
    return figure(packed(values), info.name, "activation", COMPARE_ZOOM["units"], columns=info.shape[0])


def figures(drawing: str, model: str, language: str, checkpoint=None) -> dict:
    """Every loaded model's reading of the drawing, disagreements marked (the model and
    checkpoint shown only stamp the result: the line-up is every model's shipped weights)."""
    return shown.stamped(_figures(drawing, language), drawing, model, language, checkpoint)


def _figures(drawing: str, language: str) -> dict:
    words = texts.words(language)
    try:
        image = read_data_url(drawing) if drawing else None
    except api.REFUSALS as error:
        raise api.refusal("compare", error, language) from None
    if image is None:
        return {"figures": [], "note": words["draw_hint"]}
    results = {name: clf.predict(image) for name, clf in state.CLASSIFIERS.items()}
    if all(result.label is None for result in results.values()):
        return {"figures": [], "note": words["draw_hint"]}
    majority = Counter(result.label for result in results.values()).most_common(1)[0][0]
    shown = []
    for name, result in results.items():
        top = result.probabilities.argsort()[::-1][:3]
        guesses = ", ".join(f"{d}: {100 * result.probabilities[d]:.0f} %" for d in top)
        verdict = words["compare_unsure"] if not result.confident else ""
        shown.append({"caption": f"{name} → {result.label} {verdict} · {guesses}",
                      "figures": [_inside(state.CLASSIFIERS[name], result)],
                      "differs": result.label != majority})
    return {"figures": shown, "note": words["compare_note"]}


def table(language: str) -> str:
    """Each model's accuracy as its card gives it, as a Markdown table."""
    words = texts.words(language)
    rows = [f"| {words['compare_head']} |", "| --- | --- | --- | --- | --- | --- |"]
    for row in cards.accuracy_table():
        shares = (row.mnist, row.mnist_pipeline, row.drawn, row.drawn_confident)
        rows.append(f"| `{row.model}` | {row.parameters:,} | " + " | ".join(f"{100 * share:.2f} %" for share in shares)
                    + " |")
    return "\n".join(rows)
