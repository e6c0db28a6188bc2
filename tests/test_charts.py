"""The figures that hooks/charts.py draws from snippets' outputs: on every built
page of every language, each figure carries the numbers of the output file it
includes (which tests/test_snippets.py checks against a real run), and the title
written in that page's language."""

import ast
import html
import re
import sys

import layout
import pytest

sys.path.insert(0, str(layout.ROOT / "hooks"))
import charts  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402

FENCE = re.compile(r'^```(heatmap|curves)([^\n]*)\n--8<-- "([^"]+)"\n```$', re.M)
SVG = re.compile(r'<svg class="chart__svg"[^>]*aria-label="([^"]*)" data-values="([^"]*)"')


def fences(lang: str, page) -> list[tuple[str, dict, str]]:
    text = (layout.DOCS / lang / page).read_text(encoding="utf-8")
    return [(kind, dict(re.findall(r'(\w+)="([^"]*)"', options)), target) for kind, options, target in FENCE.findall(text)]


PAGES = sorted(p.name for p in (layout.DOCS / "en").glob("*.md") if fences("en", p.name))


def test_the_course_has_figures_drawn_from_outputs():
    assert len(PAGES) >= 2, "lesson 4's heatmaps and lesson 5's curves"


@pytest.mark.parametrize("lang", layout.LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_each_figure_shows_the_numbers_its_snippet_printed_titled_in_the_page_language(site, lang, page):
    built = (site / lang / page.replace(".md", ".html")).read_text(encoding="utf-8")
    drawn = SVG.findall(built)
    wanted = fences(lang, page)
    assert len(drawn) == len(wanted), f"{lang}/{page}: {len(drawn)} figures drawn, {len(wanted)} in the page"
    for (title, values), (kind, options, target) in zip(drawn, wanted):
        output = (layout.ROOT / target).read_text(encoding="utf-8")
        parse = charts.parse_heatmap if kind == "heatmap" else charts.parse_curves
        assert ast.literal_eval(html.unescape(values)) == parse(output)[1], f"{lang}/{page}: the figure of {target} is not its numbers"
        assert html.unescape(title) == options["title"] != "", f"{lang}/{page}: the figure of {target} has no title of the page's"
    english = fences("en", page)
    for (kind, options, target), (_, english_options, _) in zip(wanted, english):
        assert ("legend" in options) == ("legend" in english_options), f"{lang}/{page}: the figure of {target} names its curves otherwise than English"
        for name in options.get("legend", "").split(",") if "legend" in options else []:
            assert f">{html.escape(name)}</text>" in built, f"{lang}/{page}: the legend {name!r} is not in the figure"


def test_an_output_that_is_not_a_figure_stops_the_build_saying_why():
    with pytest.raises(PluginError, match="heatmap: expected lines of a label and 2 numbers"):
        charts.parse_heatmap("a 0.5 0.5\nb 0.5\n")
    with pytest.raises(PluginError, match="curves: expected a header of 3 names"):
        charts.parse_curves("x y z\n1 2 3\n4 5\n")
    with pytest.raises(PluginError, match='curves: legend="a" names 1 curves, the output has 2'):
        charts.curves("x y z\n1 2 3\n4 5 6\n", "curves", "chart", {"legend": "a"}, None)
