"""The stress-test lab: the drawing's 28×28 turned, scaled, moved, thickened and made noisy
(app/stress.py), each digit's probability along each sweep as a chart, the variant where
the answer flips, and the pipeline with one step turned off at a time."""

import numpy as np

from app import stress, texts
from app.charts import DIGIT_COLOURS, line_chart
from app.decode import read_data_url
from app.preprocess import SWITCHES
from app.render import packed
from app.ui import api, shown, state
from app.ui.gallery import chart, figure
from app.ui.look import SWITCH_ZOOM, VARIANT_ZOOM

SHOWN = 3  # digits named per chart: the answer and the strongest rivals along the sweep


def _sweep(clf, image, result, sweep: str, words: dict) -> dict:
    """One sweep's chart, with the variant at each flip under it."""
    digit = result.label
    values = stress.SWEEPS[sweep]
    probabilities = clf.stress(image, sweep, values)
    top = [digit] + [int(d) for d in probabilities.max(axis=0).argsort()[::-1] if d != digit][:SHOWN - 1]
    labels = probabilities.argmax(axis=1)
    flips = stress.flips(probabilities, values, stress.NEUTRAL[sweep])
    name = words["sweeps"][sweep]
    # Every digit's probability; the answer and its strongest rivals drawn bold and named.
    svg = line_chart(values, {str(d): probabilities[:, d] for d in range(10)}, name, words["probability"],
                     {str(d): DIGIT_COLOURS[d] for d in range(10)},
                     marks=[(values[i], words["flip"].format(digit=labels[i])) for i in flips], title=name,
                     faint=frozenset(str(d) for d in range(10) if d not in top))
    variants = [figure(packed(stress.variant(result.input, sweep, float(values[i])), 0, 1),
                       words["flip_variant"].format(sweep=name, value=values[i], digit=labels[i]), "grey",
                       VARIANT_ZOOM)
                for i in flips]
    caption = "" if flips else words["no_flip"].format(sweep=name, digit=digit)
    return {**chart(svg, caption), "figures": variants}


def figures(drawing: str, model: str, language: str, checkpoint=None) -> dict:
    """Every sweep and every switch, for the drawing as it is now and the network shown."""
    return shown.stamped(_figures(drawing, model, language, checkpoint), drawing, model, language, checkpoint)


def _figures(drawing: str, model: str, language: str, checkpoint) -> dict:
    words = texts.words(language)
    try:
        clf = state.classifier(model, checkpoint)
        image = read_data_url(drawing) if drawing else None
        result = clf.predict(image, with_activations=False) if image is not None else None
    except api.REFUSALS as error:
        raise api.refusal("lab", error, language) from None
    if result is None or result.label is None:
        return {"figures": [], "note": words["draw_hint"]}
    figures = [_sweep(clf, image, result, sweep, words) for sweep in stress.SWEEP_ORDER]
    switched = []
    for step in SWITCHES:
        changed = clf.predict(image, with_activations=False, skip=(step,))
        switched.append(figure(packed(changed.input, 0, 1), words["switch_reads"].format(
            step=words["switches"][step], digit=changed.label, p=100 * float(np.max(changed.probabilities))),
            "grey", SWITCH_ZOOM))
    figures.append({"caption": words["switches_title"], "figures": switched})
    return {"figures": figures, "note": words["lab_intro"]}
