"""What every page with Python examples gets: a Jupyter notebook of it, in the
page's language, a button that opens it, and a line that says with which
PyTorch and when its outputs were produced.

The notebook is made from the page itself: its prose as Markdown cells, its
snippet includes as code cells (the same files as the page), and its output
includes as the cells' outputs (the same files, which the snippet tests check
against real runs). So nothing is executed at build time, and the languages
cost no more than one. mkdocs-jupyter renders the notebook as a page; the
.ipynb is written beside it for download.

The page `x.md` gets `x-notebook.ipynb`, generated into .cache/notebooks/<lang>/.
"""

import base64
import html as htmllib
import json
import re
from pathlib import Path

from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "notebooks"
SUFFIX = "-notebook.ipynb"

FENCE = re.compile(r'^```(\w+)[^\n]*\n--8<-- "([^"]+)"\n```\n', re.M)
FIGURE = re.compile(r'<figure[^>]*>\n--8<-- "([^"]+)"\n<figcaption[^>]*>(.*?)</figcaption>\n</figure>', re.S)
ADMONITION = re.compile(r'^\?\?\?\+? \w+ "([^"]*)"\n((?:\n|    .*\n)*)', re.M)


def snippet(target: str) -> str:
    """The text of an include target, `path` or `path:section`, as pymdownx.snippets shows it."""
    path, _, section = target.partition(":")
    if not (ROOT / path).is_file():
        raise PluginError(f"a page includes {path}, which does not exist")
    text = (ROOT / path).read_text(encoding="utf-8")
    if section:
        text = re.search(rf"# --8<-- \[start:{section}\]\n(.*?)# --8<-- \[end:{section}\]", text, re.S).group(1)
    return re.sub(r"^# --8<-- \[(start|end):\w+\]\n", "", text, flags=re.M).strip("\n")


def markdown_cell(text: str, attachments: dict) -> dict | None:
    text = re.sub(r"\s*\{[^}\n]*[#.][\w-][^}\n]*\}", "", text).strip()  # attribute lists: { #id }, { .class }
    if not text:
        return None
    cell = {"cell_type": "markdown", "metadata": {}, "source": text}
    used = {name: data for name, data in attachments.items() if f"attachment:{name}" in text}
    if used:
        cell["attachments"] = used
    return cell


def notebook(markdown: str, title_suffix: str) -> dict:
    """The notebook of a page, from its Markdown."""
    markdown = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)  # front matter
    markdown = re.sub(r"^# (.*)$", rf"# \1 ({title_suffix})", markdown, count=1, flags=re.M)
    markdown = ADMONITION.sub(lambda m: f"**{m.group(1)}**\n\n" + re.sub(r"^    ", "", m.group(2), flags=re.M), markdown)
    attachments = {}

    def figure(m):
        name = Path(m.group(1)).name
        svg = (ROOT / m.group(1)).read_bytes()
        attachments[name] = {"image/svg+xml": base64.b64encode(svg).decode()}  # as Jupyter stores images
        caption = " ".join(m.group(2).split())
        return f"![{caption}](attachment:{name})\n\n*{caption}*"

    markdown = FIGURE.sub(figure, markdown)
    cells, start = [], 0
    for fence in FENCE.finditer(markdown):
        cells.append(markdown_cell(markdown[start : fence.start()], attachments))
        start = fence.end()
        language, target = fence.groups()
        if language == "python":
            cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": snippet(target)})
        else:  # an output block: the output of the code cell before it
            code = next(c for c in reversed(cells) if c and c["cell_type"] == "code")
            code["outputs"].append({"output_type": "stream", "name": "stdout", "text": snippet(target) + "\n"})
    cells.append(markdown_cell(markdown[start:], attachments))
    cells = [c for c in cells if c]
    for n, cell in enumerate(cells, 1):
        cell["id"] = f"cell-{n}"  # nbformat 4.5 wants ids; stable ones keep the file stable
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def has_examples(markdown: str) -> bool:
    return any(lang == "python" for lang, _ in FENCE.findall(markdown))


def strings(config) -> dict:
    return config.extra["strings"][config.theme["language"]]


@event_priority(100)  # before mkdocs-jupyter turns .ipynb files into pages
def on_files(files, config):
    lang = config.theme["language"]
    for page in [f for f in files.documentation_pages() if f.src_uri.endswith(".md")]:
        markdown = Path(page.abs_src_path).read_text(encoding="utf-8")
        if not has_examples(markdown):
            continue
        name = page.src_uri[: -len(".md")] + SUFFIX
        target = CACHE / lang / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            text = json.dumps(notebook(markdown, strings(config)["notebook"]), ensure_ascii=False, indent=1) + "\n"
        except PluginError as e:
            raise PluginError(f"docs/{lang}/{page.src_uri}: {e}") from None
        if not target.exists() or target.read_text(encoding="utf-8") != text:  # keeps mkdocs-jupyter's cache warm
            target.write_text(text, encoding="utf-8")
        files.append(File(name, str(target.parent), config.site_dir, config.use_directory_urls))
    return files


def on_page_markdown(markdown, page, config, files):
    """Under the title, a button to the page's notebook; at the end, when its
    outputs were made (snippets/output/verified.json, written by the tests)."""
    notebook_uri = page.file.src_uri[: -len(".md")] + SUFFIX
    if not (page.file.src_uri.endswith(".md") and files.get_file_from_path(notebook_uri)):
        return markdown
    text = strings(config)
    button = f"[{text['open_notebook']}]({Path(notebook_uri).name}){{ .md-button }}"
    verified = json.loads((ROOT / "snippets" / "output" / "verified.json").read_text(encoding="utf-8"))
    markdown = re.sub(r"^(# .*\n)", lambda m: f"{m.group(1)}\n{button}\n", markdown, count=1, flags=re.M)
    return markdown + f'\n\n<p class="examples-verified"><small>{text["verified"].format(**verified)}</small></p>\n'


MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)


def on_page_content(html, page, config, files):
    """On a notebook's page: a download button for the .ipynb, math as MathML (the
    notebook template would load MathJax from a CDN), and no third-party script."""
    if not page.file.src_uri.endswith(SUFFIX):
        return html
    page.meta["search"] = {"exclude": True}  # search finds the lesson once: on its page
    html = re.sub(r'<script[^>]*src="https?://[^"]*"[^>]*>\s*</script>', "", html)
    html = re.sub(r"<script[^>]*>[^<]*MathJax[^<]*</script>", "", html)
    parts = re.split(r"(<pre.*?</pre>)", html, flags=re.S)  # no math inside code
    for i in range(0, len(parts), 2):
        parts[i] = MATH.sub(
            lambda m: convert(htmllib.unescape(m.group(1) or m.group(2)).strip(), display="block" if m.group(1) else "inline"),
            parts[i],
        )
    name = Path(page.file.src_uri).name
    button = f'<p><a class="md-button md-button--primary" href="{name}" download>{strings(config)["download_notebook"]}</a></p>\n'
    return button + "".join(parts)
