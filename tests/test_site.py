"""The built site: strict build of every language, pages that only include
snippets, and pages whose Python blocks, copied in order, print what they show."""

import contextlib
import html
import io
import re
import sys
from pathlib import Path

import layout
import pytest

ROOT = layout.ROOT
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

LANGUAGES = build_site.languages()
PAGES = sorted(p.relative_to(layout.DOCS / "en") for p in (layout.DOCS / "en").rglob("*.md"))
SNIPPET_FILES = sorted((ROOT / "snippets").rglob("*.py")) + sorted((ROOT / "snippets").rglob("*.txt"))
INCLUDE = re.compile(r'^\s*--8<--\s+"([^"]+)"\s*$', re.M)
FENCE = re.compile(r"^(\s*)```(\S*)[^\n]*\n(.*?)^\1```[ \t]*$", re.M | re.S)


def markdown_pages():
    return sorted(layout.DOCS.glob("*/*.md"))


def test_languages_are_the_folders_of_docs():
    assert layout.LANGUAGES == sorted(LANGUAGES), "each docs/<lang>/ needs an entry under extra.alternate in mkdocs.yml, and back"


@pytest.mark.parametrize("page", markdown_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_python_on_pages_is_only_snippet_includes(page: Path):
    for _, lang, body in FENCE.findall(page.read_text(encoding="utf-8")):
        pasted = [line for line in body.splitlines() if line.strip() and not INCLUDE.match(line)]
        assert not pasted, f"{page.relative_to(ROOT)}: a ```{lang} block holds text, not a snippet include: {pasted[0]!r}"


@pytest.mark.parametrize("page", markdown_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_included_files_exist(page: Path):
    for target in INCLUDE.findall(page.read_text(encoding="utf-8")):
        path = target.split(":")[0]
        assert (ROOT / path).is_file(), f"{page.relative_to(ROOT)} includes {path}, which does not exist"


def test_every_snippet_is_on_a_page():
    included = {t.split(":")[0] for p in markdown_pages() for t in INCLUDE.findall(p.read_text(encoding="utf-8"))}
    unused = [str(p.relative_to(ROOT)) for p in SNIPPET_FILES if str(p.relative_to(ROOT)) not in included]
    assert not unused, f"snippet files that no page shows: {unused}"


def test_a_missing_snippet_fails_the_build_naming_it(tmp_path, monkeypatch, caplog):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text('```python\n--8<-- "snippets/no_such_snippet.py"\n```\n', encoding="utf-8")
    options = build_site.language_options("en", tmp_path / "site")
    monkeypatch.chdir(ROOT)
    with pytest.raises(Abort):
        build(load_config(str(build_site.CONFIG), **{**options, "docs_dir": str(docs)}))
    assert "index.md: a page includes snippets/no_such_snippet.py, which does not exist" in caplog.text


CODE_BLOCK = re.compile(
    r'<div class="language-(\w+) highlight">(?:<span class="filename">(.*?)</span>)?<pre>(.*?)</pre>', re.S
)


def code_blocks(page_html: str) -> list[tuple[str, str]]:
    """(language, text) of every code block of a built page, in order."""
    return [
        (lang, html.unescape(re.sub(r"<[^>]+>", "", body)))
        for lang, _title, body in CODE_BLOCK.findall(page_html)
    ]


def built_page(site: Path, lang: str, page: Path) -> str:
    return (site / lang / page.with_suffix(".html")).read_text(encoding="utf-8")  # offline: no directory URLs


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_every_code_block_is_text_of_a_snippet_file(site, lang, page):
    files = [p.read_text(encoding="utf-8") for p in SNIPPET_FILES]
    for kind, text in code_blocks(built_page(site, lang, page)):
        assert any(text.strip() in f for f in files), f"{lang}/{page}: a {kind} block is in no file of snippets/:\n{text}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_copying_the_python_blocks_in_order_prints_the_outputs_shown(site, lang, page):
    """What a reader gets who pastes the page's Python blocks, in order, into one interpreter."""
    namespace: dict = {"__name__": "__main__"}
    printed = ""
    for n, (kind, text) in enumerate(code_blocks(built_page(site, lang, page)), 1):
        if kind == "python":
            stdout = io.StringIO()
            with contextlib.redirect_stdout(stdout):
                exec(compile(text, f"{lang}/{page}, code block {n}", "exec"), namespace)
            printed += stdout.getvalue()
        else:
            assert text == printed, f"{lang}/{page}, block {n} shows an output that the blocks before it do not print"
            printed = ""
    assert printed == "", f"{lang}/{page}: the last Python block prints output that the page does not show"


def test_the_language_selector_links_to_the_same_page(site):
    for lang in LANGUAGES:
        for page_file in (site / lang).rglob("*.html"):
            page_html = page_file.read_text(encoding="utf-8")
            for href, target_lang in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"[^>]*class="md-select__link"', page_html):
                if page_file.name == "404.html":  # served at any address: links to each home page
                    target, same_page = href, f"/../{target_lang}/"
                else:
                    target = (page_file.parent / href).resolve()
                    target = target / "index.html" if target.is_dir() else target
                    same_page = site / target_lang / page_file.relative_to(site / lang)
                assert target == same_page, f"{page_file.relative_to(site)}: the {target_lang} link goes to {href}"


def test_the_site_root_sends_readers_to_a_language(site):
    chooser = (site / "index.html").read_text(encoding="utf-8")
    for lang in LANGUAGES:
        assert f'href="{lang}/index.html"' in chooser


def test_vendored_files_are_the_pinned_npm_packages():
    """What overrides/ vendors from npm is byte for byte the version package.json pins."""
    installed = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
    if not installed.exists():
        pytest.skip("node_modules/ not installed (npm ci)")
    vendored = ROOT / "overrides" / "assets" / "javascripts" / "iframe-worker-shim.js"
    assert vendored.read_bytes() == installed.read_bytes(), f"{vendored.relative_to(ROOT)} differs from iframe-worker in package.json"


EXTERNAL_LOAD = re.compile(
    r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=\"(?:https?:)?//[^\"]*\""
    r"|<link\b(?=[^>]*\brel=\"(?:stylesheet|preload|modulepreload|icon|prefetch)\")[^>]*\bhref=\"(?:https?:)?//[^\"]*\""
    r"|url\((?:['\"])?(?:https?:)?//[^)]*\)"
)


def test_no_built_file_loads_anything_from_another_host(site):
    """Every page (lessons, notebooks, home pages) and stylesheet serves itself: no CDN, no web font."""
    found = [
        f"{path.relative_to(site)}: {match.group(0)[:120]}"
        for path in sorted(site.rglob("*"))
        if path.suffix in (".html", ".css")
        for match in EXTERNAL_LOAD.finditer(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not found, "files that load from another host:\n" + "\n".join(found)
