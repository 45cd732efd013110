"""Small line charts as SVG text, with axes, ticks, labels and a legend: the stress sweeps
and the accuracy over training. Pure Python; every number is formatted here, so nothing a
caller passes ends up as markup."""

from html import escape

WIDTH, HEIGHT = 300, 170
# LEFT: the y ticks (up to "0.75" in 9 px mono, 22 px) right of the turned y label (10 px, CJK
# glyphs full width), with a gap between them.
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 10, 34
LEGEND = 14  # a row above the plot for the legend, where it covers no curve
# Ten colours, one per digit (matplotlib's tab10, its grey darkened), placed so that digits
# often mistaken for each other (2 and 7, 1 and 7, 4 and 9, 3, 5 and 8) get different hues.
DIGIT_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                 "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#3d3d3d")


def _scale(value: float, low: float, high: float, start: float, end: float) -> float:
    return start + (value - low) / ((high - low) or 1) * (end - start)


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    return [low + (high - low) * i / (count - 1) for i in range(count)]


def _number(value: float) -> str:
    return f"{value:.2g}"


def line_chart(xs, series: dict[str, list[float]], x_label: str, y_label: str, colours: dict[str, str],
               marks: list[tuple[float, str]] = (), y_range=(0.0, 1.0), title: str = "",
               x_ticks: list[tuple[float, str]] | None = None, height: int = HEIGHT,
               faint: frozenset[str] = frozenset()) -> str:
    """`series`: legend label → y per x. `marks`: (x, label) vertical dashed lines.
    `x_ticks`: (x, label) to write under the axis instead of five evenly spaced values.
    `faint`: series drawn thin and pale, behind the others and out of the legend. One series
    has no legend: the y label names it."""
    xs = [float(x) for x in xs]
    x_low, x_high = min(xs), max(xs)
    y_low, y_high = y_range
    legend = [label for label in series if label not in faint]
    legend = legend if len(legend) > 1 else []
    top = TOP + LEGEND if legend else TOP
    plot_right, plot_bottom = WIDTH - RIGHT, height - BOTTOM

    def point(x, y):
        return (f"{_scale(x, x_low, x_high, LEFT, plot_right):.1f},"
                f"{_scale(y, y_low, y_high, plot_bottom, top):.1f}")

    parts = [f'<svg class="ll-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
             f'role="img" aria-label="{escape(title)}">',
             f'<rect x="{LEFT}" y="{top}" width="{plot_right - LEFT}" height="{plot_bottom - top}" class="ll-plot"/>']
    for y in _ticks(y_low, y_high):
        at = _scale(y, y_low, y_high, plot_bottom, top)
        parts.append(f'<line x1="{LEFT}" x2="{plot_right}" y1="{at:.1f}" y2="{at:.1f}" class="ll-grid"/>'
                     f'<text x="{LEFT - 4}" y="{at + 3:.1f}" text-anchor="end">{_number(y)}</text>')
    for x, label in x_ticks or [(x, _number(x)) for x in _ticks(x_low, x_high)]:
        at = _scale(float(x), x_low, x_high, LEFT, plot_right)
        anchor = "end" if at > plot_right - 20 else "middle"  # the last label ends inside the chart
        parts.append(f'<text x="{at:.1f}" y="{plot_bottom + 12}" text-anchor="{anchor}">{escape(label)}</text>')
    for x, label in marks:
        at = _scale(float(x), x_low, x_high, LEFT, plot_right)
        # Written on the side with room: left of the line, or right of it near the y axis.
        side = (at + 2, "start") if at - LEFT < 50 else (at - 2, "end")
        parts.append(f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{top}" y2="{plot_bottom}" class="ll-mark-line"/>'
                     f'<text x="{side[0]:.1f}" y="{plot_bottom - 4}" text-anchor="{side[1]}" class="ll-mark-text">'
                     f'{escape(label)}</text>')
    for label, ys in sorted(series.items(), key=lambda item: item[0] not in faint):
        points = " ".join(point(x, float(y)) for x, y in zip(xs, ys, strict=True))
        style = 'stroke-width="0.8" stroke-opacity="0.45"' if label in faint else 'stroke-width="1.8"'
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colours[label]}" {style}/>')
    parts.append(f'<text x="{(LEFT + plot_right) / 2:.1f}" y="{height - 4}" text-anchor="middle" '
                 f'class="ll-axis">{escape(x_label)}</text>'
                 f'<text x="10" y="{(top + plot_bottom) / 2:.1f}" text-anchor="middle" class="ll-axis" '
                 f'transform="rotate(-90 10 {(top + plot_bottom) / 2:.1f})">{escape(y_label)}</text>')
    legend_x = LEFT
    for label in legend:
        parts.append(f'<rect x="{legend_x}" y="{TOP - 6}" width="8" height="8" fill="{colours[label]}"/>'
                     f'<text x="{legend_x + 11}" y="{TOP + 1}" class="ll-legend">{escape(label)}</text>')
        legend_x += 11 + 7 * len(label) + 8
    parts.append("</svg>")
    return "".join(parts)
