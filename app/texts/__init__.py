"""Every word the page shows, in English and 简体中文: the dictionaries live in en.py and
zh.py (same keys, checked by a test); this module picks and fills them."""

from app import registry
from app.models import LayerInfo, describe
from app.texts import en, zh

LANGUAGES = {"en": en.WORDS, "zh-CN": zh.WORDS}
SWITCH = [("EN", "en"), ("中文", "zh-CN")]  # the page's language switch: (label, language)


def words(language: str) -> dict:
    return LANGUAGES.get(language, en.WORDS)


def error_text(error: Exception, language: str) -> str:
    """A refusal in the page's language: the library's message in English, else the template
    for its `code`, or the message behind a translated lead-in."""
    if language != "zh-CN":
        return str(error)
    code, values = getattr(error, "code", "unreadable"), getattr(error, "values", {})
    if code in zh.ERRORS:
        try:
            return zh.ERRORS[code].format(detail=error, **values)
        except (KeyError, IndexError, ValueError):
            pass
    return zh.ERRORS["unreadable"].format(detail=error)


def shape_text(shape: tuple[int, ...]) -> str:
    return str(shape[0]) if len(shape) == 1 else f"{shape[0]}@{shape[1]}×{shape[2]}"


def kind_text(info: LayerInfo, language: str = "en") -> str:
    return words(language)["kinds"][info.kind].format(k=info.kernel)


def layer_title(info: LayerInfo, language: str = "en") -> str:
    """'C1 · conv 5×5 · 6@28×28', in the page's language."""
    return f"{info.name} · {kind_text(info, language)} · {shape_text(info.shape)}"


def field_text(layers: list[LayerInfo], index: int, language: str = "en") -> str | None:
    """The receptive-field arithmetic of layers[index], numbers filled in, as the tutorial
    would write it: r_out = r_in + (k − 1)·j_in, j_out = j_in·s."""
    info = layers[index]
    if info.field is None:
        return None
    before = next((layer.field for layer in reversed(layers[:index]) if layer.field), None)
    r_in, j_in = (before.size, before.jump) if before else (1, 1)
    return words(language)["field"].format(r_in=r_in, k=info.kernel, j_in=j_in, r=info.field.size,
                                           s=info.field.jump // j_in, j=info.field.jump)


def walkthrough(name: str, language: str) -> str:
    """The tutorial's shape walk-through for one network, from the 28×28 input, numbers filled in."""
    infos = describe(registry.get(name).layers)
    rows = [f"| {info.name} · {kind_text(info, language)} | {shape_text(info.shape)} | {info.formula or '—'} "
            f"| {info.field.size if info.field else '—'} |" for info in infos]
    head = words(language)["walk_head"]
    return "\n".join([f"**`{name}`**", "", head, "| --- | --- | --- | --- |", words(language)["input_row"], *rows])
