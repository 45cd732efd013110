"""The kernels panel: what the first two convolution layers learned, one row per output map
and one column per input map, on a blue (subtracts) to red (adds) scale. A network without
convolutions (the MLP) shows what each unit of its first layer weighs instead: one 28×28
picture of weights per unit, the classic view of what a hidden unit looks for."""


from app import texts
from app.inference import DigitClassifier
from app.models import IMAGE_SIZE
from app.render import packed
from app.ui import api, state
from app.ui.gallery import figure
from app.ui.look import KERNEL_ZOOM


def figures(clf: DigitClassifier, language: str) -> dict:
    words = texts.words(language)
    weights = clf.network.state_dict()
    shown = []
    for info in [info for info in clf.infos if info.kind == "conv"][:2]:
        kernels = weights[f"{info.name}.weight"].numpy()  # (out, in, k, k)
        out_maps, in_maps, size, _ = kernels.shape
        limit = float(abs(kernels).max()) or 1.0
        caption = (f"{info.name} · {words['kernels_shape'].format(out=out_maps, inp=in_maps)}"
                   f" · {size}×{size} · ±{limit:.2g}")
        shown.append(figure(packed(kernels.reshape(-1, size, size), -limit, limit), caption, "signed",
                            zoom=KERNEL_ZOOM["many_inputs" if in_maps > 1 else "one_input"], columns=in_maps,
                            numbered=True))
    first = clf.infos[0]
    if not shown and first.kind == "fc":
        units = weights[f"{first.name}.weight"].numpy().T.reshape(-1, IMAGE_SIZE, IMAGE_SIZE)  # Linear stores (in, out)
        limit = float(abs(units).max()) or 1.0
        caption = f"{first.name} · {words['unit_weights'].format(units=len(units))} · ±{limit:.2g}"
        shown.append(figure(packed(units, -limit, limit), caption, "signed", zoom=KERNEL_ZOOM["unit"],
                            columns=8, numbered=True))
    return {"figures": shown, "note": words["kernels_info"]}


def show(model: str, language: str, checkpoint=None) -> dict:
    """The kernels of the model now shown, at the training step shown, which its lead names."""
    try:
        clf = state.classifier(model, checkpoint)
    except api.REFUSALS as error:
        raise api.refusal("kernels", error, language) from None
    words, index = texts.words(language), state.position(model, checkpoint)
    entries = state.CHECKPOINTS.get(model, ([], []))[0]
    lead = (words["kernels_shipped"].format(model=model) if index is None else
            words["kernels_of"].format(model=model, step=f"{entries[index].step:,}", steps=f"{entries[-1].step:,}"))
    return {"lead": lead, **figures(clf, language)}
