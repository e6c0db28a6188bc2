"""Each page with Python examples as a Jupyter notebook, in the page's language:
a button on the page opens it, and its own page offers the .ipynb for download.

The notebook is made from the page itself: its prose as Markdown cells, its
snippet includes as code cells (the same files as the page), and its output
includes as the cells' outputs (the same files, which the snippet tests check
against real runs). Nothing is executed at build time, so five languages cost
what one does. The page `x.md` gets `x-notebook.ipynb`, generated into
.cache/notebooks/<lang>/, and mkdocs-jupyter renders it as a page.

What a reader downloads is `x-<lang>.zip`: a folder `x-<lang>/` with the
notebook `x-<lang>.ipynb` and the files its code reads (the lesson's data
files), so that it runs where it is unzipped. Its links to other pages point
at the published site, or, when the site has no public address yet (site_url
on this machine), are plain text: a downloaded notebook has no site beside it.

That rendering carries JupyterLab's stylesheets, scripts and markup (600 KB a
page, English labels, colours below WCAG contrast). Its page keeps the cells
and drops the rest: code and outputs in the theme's own code blocks (its copy
button, colours and language), the lesson's heading ids and table of contents,
math as MathML, the figure inline.
"""

import base64
import html as htmllib
import io
import ipaddress
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import charts
import records
from bs4 import BeautifulSoup
from examples import lesson_folder, snippet
from latex2mathml.converter import convert
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from pymdownx.slugs import slugify

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "notebooks"
SUFFIX = "-notebook.ipynb"

FENCE = re.compile(r'^```(\w+)[^\n]*\n--8<-- "([^"]+)"\n```\n', re.M)
FIGURE = re.compile(r'<figure[^>]*>\n--8<-- "([^"]+)"\n<figcaption[^>]*>(.*?)</figcaption>\n</figure>', re.S)
CHART = re.compile(r'<figure class="chart"[^>]*>\n```(\w+)([^\n]*)\n--8<-- "([^"]+)"\n```\n<figcaption[^>]*>(.*?)</figcaption>\n</figure>', re.S)
ADMONITION = re.compile(r'^(?:!!!|\?\?\?\+?) \w+ "([^"]*)"\n((?:\n|    .*\n)*)', re.M)  # boxes, collapsed or not
PAGE_LINK = re.compile(r"\[([^\]]+)\]\(([\w/-]+)\.md(#[\w-]+)?\)")
HEADING = re.compile(r"^(#{1,6}) (.+?)(?: *\{ *#([\w-]+) *\})?[ \t]*$", re.M)
CODE = re.compile(r"^(\s*)```.*?^\1```[ \t]*$", re.M | re.S)
MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)
heading_id = slugify(case="lower")


def markdown_cell(text: str, attachments: dict) -> dict | None:
    text = re.sub(r"\s*\{ *[#.][\w-][^}\n]*\}", "", text).strip()  # attribute lists: { #id }, { .class }; not LaTeX's {5.22}
    if not text:
        return None
    cell = {"cell_type": "markdown", "metadata": {}, "source": text}
    used = {name: data for name, data in attachments.items() if f"attachment:{name}" in text}
    if used:
        cell["attachments"] = used
    return cell


def notebook(markdown: str, title_suffix: str, page_url: str | None) -> dict:
    """The notebook of a page, from its Markdown. A link to another page goes to
    page_url + "x.html#anchor" ("" on the site itself), or, if page_url is None,
    becomes its text."""
    markdown = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)  # front matter
    markdown = PAGE_LINK.sub(
        lambda m: m.group(1) if page_url is None else f"[{m.group(1)}]({page_url}{m.group(2)}.html{m.group(3) or ''})", markdown
    )
    markdown = re.sub(r"^# (.*)$", rf"# \1 ({title_suffix})", markdown, count=1, flags=re.M)
    markdown = ADMONITION.sub(lambda m: f"**{m.group(1)}**\n\n" + re.sub(r"^    ", "", m.group(2), flags=re.M), markdown)
    attachments = {}

    def figure(m):
        name = Path(m.group(1)).name
        svg = (ROOT / m.group(1)).read_bytes()
        attachments[name] = {"image/svg+xml": base64.b64encode(svg).decode()}  # as Jupyter stores images
        caption = " ".join(m.group(2).split())
        return f"![{caption}](attachment:{name})\n\n*{caption}*"

    def chart(m):  # a figure that hooks/charts.py draws from an output, as an image
        kind, options, target, caption = m.groups()
        name = f"{Path(target).stem}.{kind}.svg"
        svg = charts.FENCES[kind](snippet(target), kind, "chart", dict(re.findall(r'(\w+)="([^"]*)"', options)), None)
        attachments[name] = {"image/svg+xml": base64.b64encode(svg.encode()).decode()}
        caption = " ".join(re.sub(r"<[^>]+>", "", caption).split())
        return f"![{caption}](attachment:{name})\n\n*{caption}*"

    markdown = FIGURE.sub(figure, markdown)
    markdown = CHART.sub(chart, markdown)
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


def strings(config) -> dict:
    return config.extra["strings"][config.theme["language"]]


def has_examples(markdown: str) -> bool:
    return any(lang == "python" for lang, _ in FENCE.findall(markdown))


def published_url(config) -> str | None:
    """The language's address on the web, or None while site_url is this machine
    (the default that suits --serve): a downloaded file must not link there."""
    host = urlsplit(config.site_url).hostname or ""
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    return None if local else config.site_url


def bundle(folder: str, notebook_text: str, data_files: list[Path]) -> bytes:
    """A zip of one folder: the notebook and the files its code reads."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in [(f"{folder}.ipynb", notebook_text.encode()), *((p.name, p.read_bytes()) for p in data_files)]:
            archive.writestr(zipfile.ZipInfo(f"{folder}/{name}", (2026, 1, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def bundle_name(page: str, lang: str) -> str:
    """The download of the page x (x.md), in Hindi: x-hi.zip."""
    return f"{page}-{lang}.zip"


def as_json(nb: dict) -> str:
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


@event_priority(50)  # after examples.py has checked the includes, before mkdocs-jupyter reads .ipynb files
def on_files(files, config):
    lang = config.theme["language"]
    for page in [f for f in files.documentation_pages() if f.src_uri.endswith(".md")]:
        markdown = Path(page.abs_src_path).read_text(encoding="utf-8")
        if not has_examples(markdown):
            continue
        suffix = strings(config)["notebook"]
        try:
            text = as_json(notebook(markdown, suffix, ""))  # the site's page: links stay on the site
            downloaded = as_json(notebook(markdown, suffix, published_url(config)))
            data = records.data_files(ROOT / lesson_folder(markdown))
        except PluginError as e:
            raise PluginError(f"docs/{lang}/{page.src_uri}: {e}") from None
        name = page.src_uri[: -len(".md")] + SUFFIX
        target = CACHE / lang / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != text:  # keeps mkdocs-jupyter's cache warm
            target.write_text(text, encoding="utf-8")
        files.append(File(name, str(target.parent), config.site_dir, config.use_directory_urls))
        zip_name = bundle_name(page.src_uri[: -len(".md")], lang)
        files.append(File.generated(config, zip_name, content=bundle(zip_name[: -len(".zip")], downloaded, data)))
    return files


def on_page_markdown(markdown, page, config, files):
    """Under a lesson's title, the button that opens its notebook."""
    notebook_uri = page.file.src_uri[: -len(".md")] + SUFFIX
    if not (page.file.src_uri.endswith(".md") and files.get_file_from_path(notebook_uri)):
        return markdown
    button = f"[{strings(config)['open_notebook']}]({Path(notebook_uri).name}){{ .md-button }}"
    return re.sub(r"^(# .*\n)", lambda m: f"{m.group(1)}\n{button}\n", markdown, count=1, flags=re.M)


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, id) of a page's headings: their explicit { #id }, else the slug of their text."""
    markdown = CODE.sub("", re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S))
    return [(len(hashes), anchor or heading_id(text, "-")) for hashes, text, anchor in HEADING.findall(markdown)]


def toc_tokens(found: list[tuple[int, str, str]]) -> list[dict]:
    """The nested tokens of mkdocs.structure.toc.get_toc, from (level, id, name) in order."""
    root: list[dict] = []
    stack: list[dict] = []
    for level, anchor, name in found:
        token = {"level": level, "id": anchor, "name": name, "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def code_block(language: str, inner_html: str, title: str = "") -> str:
    """A code block as pymdownx.highlight writes it, so that the theme styles it and gives it a copy button."""
    title = f'<span class="filename">{htmllib.escape(title)}</span>' if title else ""
    return f'<div class="language-{language} highlight">{title}<pre><span></span><code>{inner_html}</code></pre></div>'


def tidy(notebook_html: str, lesson_headings: list[tuple[int, str]], text: dict) -> tuple[str, list]:
    """The cells of mkdocs-jupyter's rendering, in the theme's markup; and the page's table of contents."""
    soup = BeautifulSoup(notebook_html, "html.parser")
    parts = []
    for cell in soup.select("div.jp-Notebook-cell[id]"):
        if "jp-MarkdownCell" in cell["class"]:
            parts.append(cell.select_one(".jp-RenderedMarkdown").decode_contents())
            continue
        source = cell.select_one(".jp-InputArea pre")
        source.span.decompose()  # Pygments' empty first span; code_block() writes its own
        parts.append(code_block("python", source.decode_contents()))
        for output in cell.select(".jp-OutputArea-output pre"):
            parts.append(code_block("text", htmllib.escape(output.get_text()), text["code_output"]))
    page = BeautifulSoup("".join(parts), "html.parser")
    found = page.find_all(re.compile(r"^h[1-6]$"))
    if [int(h.name[1]) for h in found] != [level for level, _ in lesson_headings]:
        raise PluginError("the notebook's headings are not its page's")
    for h, (_, anchor) in zip(found, lesson_headings):
        for link in h.select("a.anchor-link"):
            link.decompose()
        h["id"] = anchor
        permalink = page.new_tag("a", attrs={"class": "headerlink", "href": f"#{anchor}", "title": text["permalink"]})
        permalink.string = "¶"
        h.append(permalink)
    for img in page.select('img[src^="data:image/svg+xml;base64,"]'):  # the figure, inline as on the page
        svg = BeautifulSoup(base64.b64decode(img["src"].split(",", 1)[1]).decode(), "html.parser").svg
        del svg["aria-labelledby"]
        svg["aria-label"] = img.get("alt", "")
        figure = page.new_tag("figure", attrs={"class": "computational-graph"})
        figure.append(svg)
        (img.parent if img.parent.name == "p" else img).replace_with(figure)
    toc = toc_tokens([(int(h.name[1]), h["id"], h.get_text().rstrip("¶").strip()) for h in found])
    return str(page), toc


def mathml(html: str) -> str:
    """The notebook's $...$ as MathML, as the pages have it (not inside code)."""
    parts = re.split(r"(<pre.*?</pre>)", html, flags=re.S)
    for i in range(0, len(parts), 2):
        parts[i] = MATH.sub(
            lambda m: convert(htmllib.unescape(m.group(1) or m.group(2)).strip(), display="block" if m.group(1) else "inline"),
            parts[i],
        )
    return "".join(parts)


def on_page_content(html, page, config, files):
    """A notebook's page: its cells (see tidy()), with a download button under its title."""
    if not page.file.src_uri.endswith(SUFFIX):
        return html
    page.meta["search"] = {"exclude": True}  # search finds the lesson once: on its page
    lesson = Path(config.docs_dir) / (page.file.src_uri[: -len(SUFFIX)] + ".md")
    try:
        body, toc = tidy(html, headings(lesson.read_text(encoding="utf-8")), strings(config))
    except PluginError as e:
        raise PluginError(f"docs/{config.theme['language']}/{lesson.name}: {e}") from None
    page.toc = get_toc(toc)
    text = strings(config)
    download = files.get_file_from_path(bundle_name(page.file.src_uri[: -len(SUFFIX)], config.theme["language"]))
    size = f"{round(len(download.content_bytes) / 1000)} KB"
    buttons = (
        f'<p><a class="md-button md-button--primary" href="{download.src_uri}" download>{text["download_notebook"].format(size=size)}</a> '
        f'<a class="md-button" href="{lesson.stem}.html">{text["notebook_lesson"]}</a></p>'
    )
    return mathml(re.sub(r"(</h1>)", lambda m: m.group(1) + buttons, body, count=1))


def on_post_page(html, page, config):
    """A notebook's page is outside the navigation, so the theme renders no __toc
    toggle for its table of contents' title to point at: it points at nothing."""
    if page.file.src_uri.endswith(SUFFIX) and 'id="__toc"' not in html:
        html = html.replace('<label class="md-nav__title" for="__toc">', '<label class="md-nav__title">')
    return html
