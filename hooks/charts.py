"""Figures drawn from what a snippet printed, at build time, as inline SVG.

A page draws a figure with a fence whose content is an output file, included
as any output is (the snippet tests check that file against a real run):

    ```heatmap title="Attention weights" rows="token that looks" columns="token looked at"
    --8<-- "snippets/attention/output/self_attention.causal.txt"
    ```

- `heatmap`: the lines of the output that are a label and a row of numbers
  from 0 to 1 (attention weights); the columns carry the rows' labels.
- `curves`: the first line names the columns, each other line is a row of
  numbers; the first column is x, each other column a curve. The option
  legend="a,b" names the curves in the page's language (else the header does).

The title and axis names are options of the fence, written in the page's
language; labels and numbers come from the output. No library draws them: the
SVG takes its colours from the theme (currentColor and CSS variables, so light
and dark mode both read), scales to the screen, and carries its numbers as
data-values, which tests/test_charts.py compares with the output file.
"""

import html
import re

from mkdocs.exceptions import PluginError

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
FONT = 13  # the drawing's units
SCALE = 1.25  # shown at 1.25 px a unit (16 px letters), smaller where the page is narrower
CURVE_COLOURS = ("#3949ab", "#c25100")  # where no stylesheet sets them (extra.css does on the site)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def accept_options(language, inputs, options, attrs, md) -> bool:
    """The fence's options (title="...", rows="...") become the formatter's."""
    options.update(inputs)
    return True


def parse_heatmap(text: str) -> tuple[list[str], list[list[float]]]:
    """The lines of the output that are a label and numbers; other lines (a shape,
    a check) are not part of the figure."""
    labels, rows = [], []
    for line in text.strip().splitlines():
        label, *numbers = line.split() or [""]
        if numbers and all(NUMBER.fullmatch(n) for n in numbers):
            labels.append(label)
            rows.append([float(n) for n in numbers])
    if not rows or any(len(row) != len(labels) for row in rows):
        raise PluginError(f"heatmap: expected lines of a label and {len(labels)} numbers, one for each label")
    return labels, rows


def parse_curves(text: str) -> tuple[list[str], list[list[float]]]:
    header, *lines = text.strip().splitlines()
    names = header.split()
    rows = [[float(n) for n in line.split()] for line in lines]
    if len(rows) < 2 or any(len(row) != len(names) for row in rows):
        raise PluginError(f"curves: expected a header of {len(names)} names, then rows of {len(names)} numbers")
    return names, rows


def _svg(width: float, height: float, title: str, body: str, values) -> str:
    return (
        f'<svg class="chart__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width * SCALE:.0f}" height="{height * SCALE:.0f}" role="img" '
        f'aria-label="{_attr(title)}" data-values="{_attr(repr(values))}" font-size="{FONT}" font-family="sans-serif" fill="currentColor">'
        f"<title>{html.escape(title)}</title>{body}</svg>"
    )


def heatmap(src, language, class_name, options, md, **kwargs) -> str:
    labels, rows = parse_heatmap(src)
    n, cell = len(labels), 56
    left, top = 2 * FONT + 7.5 * max(map(len, labels)), 2 * FONT + 18  # room for the row labels, the titles
    body = [f'<text x="{left + n * cell / 2:.0f}" y="{FONT}" text-anchor="middle">{html.escape(options.get("columns", ""))}</text>',
            f'<text transform="translate({FONT} {top + n * cell / 2:.0f}) rotate(-90)" text-anchor="middle">'
            f'{html.escape(options.get("rows", ""))}</text>']
    for j, label in enumerate(labels):
        body.append(f'<text x="{left + j * cell + cell / 2:.0f}" y="{top - 6}" text-anchor="middle">{html.escape(label)}</text>')
    for i, (label, row) in enumerate(zip(labels, rows)):
        y = top + i * cell
        body.append(f'<text x="{left - 6:.0f}" y="{y + cell / 2 + FONT / 3:.0f}" text-anchor="end">{html.escape(label)}</text>')
        for j, value in enumerate(row):
            x = left + j * cell
            body.append(f'<rect x="{x:.0f}" y="{y}" width="{cell}" height="{cell}" class="chart__cell" fill="#3949ab" fill-opacity="{value:.3f}"/>'
                        f'<text x="{x + cell / 2:.0f}" y="{y + cell / 2 + FONT / 3:.0f}" text-anchor="middle" class="chart__value" '
                        f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{value:.2f}</text>')  # a halo: readable on any cell
    return _svg(left + n * cell + 4, top + n * cell + 4, options.get("title", ""), "".join(body), rows)


def _ticks(low: float, high: float) -> list[float]:
    """About five round numbers from low to high."""
    step = next(s for s in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000) if (high - low) / s <= 6)
    first = -(-low // step) * step
    return [round(first + k * step, 10) for k in range(int((high - first) / step + 1e-9) + 1)]


def curves(src, language, class_name, options, md, **kwargs) -> str:
    names, rows = parse_curves(src)
    xs = [row[0] for row in rows]
    ys = [v for row in rows for v in row[1:]]
    x_ticks, y_ticks = _ticks(min(xs), max(xs)), _ticks(min(ys), max(ys))
    x_low, x_high, y_low, y_high = min(xs + x_ticks), max(xs + x_ticks), min(ys + y_ticks), max(ys + y_ticks)
    left, top, width, height = 46, 28, 300, 200

    def at(x, y):
        return left + (x - x_low) / (x_high - x_low) * width, top + (y_high - y) / (y_high - y_low) * height

    body = [f'<path d="M{left} {top}V{top + height}H{left + width}" fill="none" stroke="currentColor"/>']
    for t in x_ticks:
        x, _ = at(t, y_low)
        body.append(f'<text x="{x:.1f}" y="{top + height + FONT + 4}" text-anchor="middle">{t:g}</text>')
    for t in y_ticks:
        _, y = at(x_low, t)
        body.append(f'<path d="M{left} {y:.1f}H{left + width}" stroke="currentColor" stroke-opacity="0.15"/>'
                    f'<text x="{left - 6}" y="{y + FONT / 3:.1f}" text-anchor="end">{t:g}</text>')
    legend = options["legend"].split(",") if options.get("legend") else names[1:]  # the page's words for the curves
    if len(legend) != len(names) - 1:
        raise PluginError(f"curves: legend=\"{options['legend']}\" names {len(legend)} curves, the output has {len(names) - 1}")
    for k, name in enumerate(legend):
        points = " ".join("{:.1f},{:.1f}".format(*at(row[0], row[k + 1])) for row in rows)
        dashes = ' stroke-dasharray="7 4"' if k % 2 else ""  # the second curve dashed: told apart without colour
        stroke = f'stroke="{CURVE_COLOURS[k % 2]}" stroke-width="2.5"{dashes}'
        body.append(f'<polyline points="{points}" fill="none" {stroke} class="chart__curve chart__curve--{k % 2}"/>')
        body.append(f'<path d="M{left + 10 + 110 * k} 10h24" {stroke} class="chart__curve chart__curve--{k % 2}"/>'
                    f'<text x="{left + 40 + 110 * k}" y="{10 + FONT / 3:.0f}">{html.escape(name)}</text>')
    body.append(f'<text x="{left + width / 2}" y="{top + height + 2 * FONT + 10}" text-anchor="middle" class="chart__axis">'
                f'{html.escape(options.get("x", names[0]))}</text>')
    body.append(f'<text transform="translate({FONT} {top + height / 2}) rotate(-90)" text-anchor="middle" class="chart__axis">'
                f'{html.escape(options.get("y", ""))}</text>')
    return _svg(left + width + 10, top + height + 2 * FONT + 16, options.get("title", ""), "".join(body), rows)


FENCES = {"heatmap": heatmap, "curves": curves}


def on_config(config):
    """Registers the fences with SuperFences: a hook, so that no YAML names a module."""
    fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    for name, draw in FENCES.items():
        if not any(f["name"] == name for f in fences):
            fences.append({"name": name, "class": "chart", "format": draw, "validator": accept_options})
    return config
