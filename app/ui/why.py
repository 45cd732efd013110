"""The Why panel: which strokes pushed the network towards its answer (Integrated
Gradients, app/explain.py), against a rival digit if asked, and an occlusion map as a
second opinion, each over the 28×28 the network saw and over the drawing's crop."""

import numpy as np

from app import texts
from app.decode import read_data_url
from app.models import IMAGE_SIZE
from app.render import onto_crop, packed, thumbnail
from app.ui import api, shown, state
from app.ui.gallery import figure
from app.ui.look import THUMBNAIL, WHY_SIDE
from app.ui.network import crop_placement


def rival_choices(language: str) -> list[tuple[str, str]]:
    words = texts.words(language)
    return [(words["rival_auto"], "auto"), (words["rival_none"], "none")] + [(str(d), str(d)) for d in range(10)]


def _overlay(values: np.ndarray, base: dict, base_palette: str, caption: str, palette: str, zoom: float) -> dict:
    shown = figure(packed(values, -np.abs(values).max(), np.abs(values).max()) if palette == "signed-over"
                   else packed(values, 0, max(values.max(), 1e-6)), caption, palette, zoom)
    return {**shown, "base": {"array": base, "palette": base_palette}}


def figures(drawing: str, model: str, language: str, checkpoint=None, rival: str = "auto") -> dict:
    """The Why panel for the drawing as it is now, with the network shown; 'auto' contrasts
    with the runner-up."""
    return shown.stamped(_figures(drawing, model, language, checkpoint, rival), drawing, model, language, checkpoint)


def _figures(drawing: str, model: str, language: str, checkpoint, rival: str) -> dict:
    words = texts.words(language)
    try:
        clf = state.classifier(model, checkpoint)
        image = read_data_url(drawing) if drawing else None
        result = clf.predict(image, with_activations=False) if image is not None else None
        if result is None or result.label is None:
            return {"figures": [], "note": words["draw_hint"]}
        runner_up = int(result.probabilities.argsort()[-2])
        against = runner_up if rival == "auto" else None if rival in (None, "none") else int(rival)
        if against == result.label:
            against = runner_up
        explanation = clf.explain(image, rival=against)
    except api.REFUSALS as error:
        raise api.refusal("why", error, language) from None
    label = explanation.label
    legend = (words["why_rival"].format(label=label, rival=against) if against is not None
              else words["why_alone"].format(label=label))
    figures = [_overlay(explanation.attribution, packed(explanation.input, 0, 1), "grey",
                        words["why_input"], "signed-over", WHY_SIDE / IMAGE_SIZE)]
    where = crop_placement(result)
    if where is not None:
        crop = thumbnail(result.steps["crop"], THUMBNAIL)
        figures.append(_overlay(onto_crop(explanation.attribution, crop.shape, *where), packed(crop, 0, 1), "ink",
                                words["why_crop"], "signed-over", WHY_SIDE / max(crop.shape)))
    figures.append(_overlay(explanation.occlusion, packed(explanation.input, 0, 1), "grey",
                            words["why_occlusion"].format(label=label, drop=100 * explanation.occlusion.max()),
                            "heat", WHY_SIDE / IMAGE_SIZE))
    total = float(explanation.attribution.sum())
    return {"figures": figures, "note": f"{legend} {words['why_sum'].format(total=total)}"}


def waiting(language: str) -> dict:
    """The panel before anyone asks: how to ask."""
    return {"figures": [], "note": texts.words(language)["why_ask"]}
