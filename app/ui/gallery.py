"""A gallery view (js/gallery.js): small maps with captions, painted in the browser. The
kernels, Why and stress panels each fill one with their own figures."""

from pathlib import Path

import gradio as gr

JS = "\n".join((Path(__file__).parent / "js" / name).read_text() for name in ("paint.js", "gallery.js"))
TEMPLATE = '<div class="ll-gallery"></div>'


def figure(array: dict, caption: str, palette: str, zoom: int, columns: int = 1, numbered: bool = False) -> dict:
    """`palette`: how js/paint.js colours its values (ink, grey, heat, signed, signed-over, activation)."""
    return {"array": array, "caption": caption, "palette": palette, "zoom": zoom, "columns": columns,
            "numbered": numbered}


def chart(svg: str, caption: str = "") -> dict:
    return {"svg": svg, "caption": caption}


def gallery(elem_id: str, value: dict | None = None, live: bool = False) -> gr.HTML:
    """`live`: the view follows the drawing shown, asking for itself again (its 'refresh'
    event) when it was made for another one (js/gallery.js)."""
    return gr.HTML(value=value or {"figures": []}, html_template=TEMPLATE, js_on_load=JS, elem_id=elem_id, live=live)
