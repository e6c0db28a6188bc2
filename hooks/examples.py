"""What every page with Python examples gets: a Jupyter notebook of it, in the
page's language, a button that opens it, and a note that says on which
devices, with which versions, its outputs were last checked. Every include of
every page is checked first: one that cannot be shown stops the build with
one line naming the page, the include and what is wrong.

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

import records  # the verification records that the tests write
from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "notebooks"
SUFFIX = "-notebook.ipynb"

FENCE = re.compile(r'^```(\w+)[^\n]*\n--8<-- "([^"]+)"\n```\n', re.M)
FIGURE = re.compile(r'<figure[^>]*>\n--8<-- "([^"]+)"\n<figcaption[^>]*>(.*?)</figcaption>\n</figure>', re.S)
ADMONITION = re.compile(r'^\?\?\?\+? \w+ "([^"]*)"\n((?:\n|    .*\n)*)', re.M)


def snippet(target: str) -> str:
    """The text of an include target, `path` or `path:section`, as pymdownx.snippets
    shows it. A target that cannot be shown raises PluginError saying why."""
    path, _, section = target.partition(":")
    if not (ROOT / path).is_file():
        raise PluginError(f'includes "{target}", but {path} does not exist')
    text = (ROOT / path).read_text(encoding="utf-8")
    if section:
        start, end = f"# --8<-- [start:{section}]\n", f"# --8<-- [end:{section}]"
        if start not in text:
            sections = re.findall(r"\[start:(\w+)\]", text)
            raise PluginError(f'includes "{target}", but {path} has no section "{section}" (its sections: {", ".join(sections) or "none"})')
        text = text.split(start, 1)[1]
        if end not in text:
            raise PluginError(f'includes "{target}", but the section "{section}" of {path} has no end marker "{end}"')
        text = text.split(end, 1)[0]
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
            code = next((c for c in reversed(cells) if c and c["cell_type"] == "code"), None)
            if code is None:
                raise PluginError(f'the output block "{target}" comes before any Python block')
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


INCLUDE = re.compile(r'^[ \t]*--8<--[ \t]+"([^"]+)"[ \t]*$', re.M)


def lesson_folder(markdown: str) -> Path | None:
    """The one folder whose snippets a page shows (None: the page has no examples)."""
    found = {Path(t.partition(":")[0]).parent for t in INCLUDE.findall(markdown) if t.partition(":")[0].endswith(".py")}
    if len(found) > 1:
        raise PluginError(f"shows snippets of {len(found)} folders ({', '.join(sorted(map(str, found)))}); a page's examples come from one")
    return found.pop() if found else None


def strings(config) -> dict:
    return config.extra["strings"][config.theme["language"]]


@event_priority(100)  # before mkdocs-jupyter turns .ipynb files into pages
def on_files(files, config):
    """Checks every include of every page, and writes the notebook of each page with examples."""
    lang = config.theme["language"]
    for page in [f for f in files.documentation_pages() if f.src_uri.endswith(".md")]:
        markdown = Path(page.abs_src_path).read_text(encoding="utf-8")
        try:
            for target in INCLUDE.findall(markdown):
                snippet(target)
            lesson_folder(markdown)
            if not has_examples(markdown):
                continue
            text = json.dumps(notebook(markdown, strings(config)["notebook"]), ensure_ascii=False, indent=1) + "\n"
        except PluginError as e:
            raise PluginError(f"docs/{lang}/{page.src_uri}: {e}") from None
        name = page.src_uri[: -len(".md")] + SUFFIX
        target = CACHE / lang / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != text:  # keeps mkdocs-jupyter's cache warm
            target.write_text(text, encoding="utf-8")
        files.append(File(name, str(target.parent), config.site_dir, config.use_directory_urls, inclusion=InclusionLevel.NOT_IN_NAV))
    return files


def verification_note(checks: list[dict], text: dict) -> str:
    """Which devices, with which versions, last checked a page's outputs: one item per record."""
    items = "".join(
        f'<li data-device="{htmllib.escape(r["device"])}">'
        + htmllib.escape(text["verified_cpu" if r["device"] == "cpu" else "verified_gpu"].format(**r))
        + "</li>"
        for r in checks
    )
    return f'<div class="examples-verified"><p>{htmllib.escape(text["verified"])}</p><ul>{items}</ul></div>'


def on_page_markdown(markdown, page, config, files):
    """Under the title, a button to the page's notebook; at the end, on which devices
    its outputs were checked (the records that the tests write: hooks/records.py)."""
    notebook_uri = page.file.src_uri[: -len(".md")] + SUFFIX
    if not (page.file.src_uri.endswith(".md") and files.get_file_from_path(notebook_uri)):
        return markdown
    text = strings(config)
    button = f"[{text['open_notebook']}]({Path(notebook_uri).name}){{ .md-button }}"
    folder = lesson_folder(markdown)
    checks = records.current(ROOT / folder)
    if not checks:
        raise PluginError(
            f"docs/{config.theme['language']}/{page.file.src_uri}: no test run has checked the outputs of {folder}/ "
            "as they are now (pytest tests/test_snippets.py --update-outputs)"
        )
    markdown = re.sub(r"^(# .*\n)", lambda m: f"{m.group(1)}\n{button}\n", markdown, count=1, flags=re.M)
    return markdown + "\n\n" + verification_note(checks, text) + "\n"


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
