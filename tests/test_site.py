"""The built site: strict build of every language, pages that only include
snippets, and pages whose Python blocks, copied in order, print what they show."""

import contextlib
import functools
import html
import io
import json
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import layout
import pytest

ROOT = layout.ROOT
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "hooks"))
import build_site  # noqa: E402

LANGUAGES = build_site.languages()
PAGES = sorted(p.relative_to(layout.DOCS / "en") for p in (layout.DOCS / "en").rglob("*.md"))
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
    unused = [str(p.relative_to(ROOT)) for p in layout.SNIPPET_FILES if str(p.relative_to(ROOT)) not in included]
    assert not unused, f"snippet files that no page shows: {unused}"


BAD_INCLUDES = {
    "a missing file": (
        '```python\n--8<-- "snippets/no_such_snippet.py"\n```\n',
        'docs/en/index.md: includes "snippets/no_such_snippet.py", but snippets/no_such_snippet.py does not exist',
    ),
    "a missing section": (
        '```python\n--8<-- "snippets/basic-llm-concepts/gpt2_config.py:nosuch"\n```\n',
        'docs/en/index.md: includes "snippets/basic-llm-concepts/gpt2_config.py:nosuch", '
        'but snippets/basic-llm-concepts/gpt2_config.py has no section "nosuch" (its sections: config, exercise_embeddings)',
    ),
    "a section without its end": (
        '```python\n--8<-- "{unended}:part"\n```\n',
        'docs/en/index.md: includes "{unended}:part", but the section "part" of {unended} has no end marker "# --8<-- [end:part]"',
    ),
    "an output before any Python block": (
        '```text title="Output"\n--8<-- "snippets/basic-llm-concepts/output/tensor_dtypes.txt"\n```\n\n'
        '```python\n--8<-- "snippets/basic-llm-concepts/tensor_dtypes.py"\n```\n',
        'docs/en/index.md: the output block "snippets/basic-llm-concepts/output/tensor_dtypes.txt" comes before any Python block',
    ),
    "a missing file, indented in a collapsed block": (
        '??? example "Example"\n\n    ```python\n    --8<-- "snippets/nothing_here.py"\n    ```\n',
        'docs/en/index.md: includes "snippets/nothing_here.py", but snippets/nothing_here.py does not exist',
    ),
}


@pytest.mark.parametrize("case", BAD_INCLUDES)
def test_a_malformed_include_stops_the_build_with_one_line_naming_page_include_and_fault(case, tmp_path, monkeypatch, caplog):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    unended = tmp_path / "unended.py"  # a snippet whose section starts and never ends
    unended.write_text("# --8<-- [start:part]\nprint(1)\n", encoding="utf-8")
    page, message = (text.format(unended=os.path.relpath(unended, ROOT)) for text in BAD_INCLUDES[case])
    docs = tmp_path / "docs" / "en"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text(f"# A page\n\n{page}", encoding="utf-8")
    options = build_site.language_options("en", tmp_path / "site")
    monkeypatch.chdir(ROOT)
    with pytest.raises(Abort):
        build(load_config(str(build_site.CONFIG), **{**options, "docs_dir": str(docs)}))
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert [r.getMessage() for r in errors] == [message]
    assert not any(r.exc_info for r in errors), "the error came with a traceback"


CODE_BLOCK = re.compile(
    r'<div class="language-(\w+) highlight">(?:<span class="filename">(.*?)</span>)?<pre>(.*?)</pre>', re.S
)


def code_blocks(page_html: str) -> list[tuple[str, str, str]]:
    """(language, title, text) of every code block of a built page, in order."""
    return [
        (lang, html.unescape(title), html.unescape(re.sub(r"<[^>]+>", "", body)))
        for lang, title, body in CODE_BLOCK.findall(page_html)
    ]


def built_page(site: Path, lang: str, page: Path) -> str:
    return (site / lang / page.with_suffix(".html")).read_text(encoding="utf-8")  # offline: no directory URLs


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_every_code_block_is_text_of_a_snippet_file(site, lang, page):
    files = [p.read_text(encoding="utf-8") for p in layout.SNIPPET_FILES]
    for kind, _, text in code_blocks(built_page(site, lang, page)):
        assert any(text.strip() in f for f in files), f"{lang}/{page}: a {kind} block is in no file of snippets/:\n{text}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_copying_the_python_blocks_in_order_runs_the_notebook_that_prints_the_outputs_shown(site, lang, page):
    """A reader who pastes a lesson's Python blocks, in order, into one interpreter
    runs its notebook: the page's blocks are the notebook's code cells, and each
    output the page shows is the output of the cell before it. tests/test_notebooks.py
    runs that notebook (unzipped with the lesson's data files, in a fresh kernel)
    and checks what it prints, once for all the languages, whose cells are the same."""
    if not (site / lang).is_dir():
        pytest.skip(f"{lang} not built (SITE_LANGUAGES)")
    shown = [(kind, text.rstrip("\n")) for kind, _, text in code_blocks(built_page(site, lang, page)) if kind in ("python", "text")]
    download = site / lang / f"{page.stem}-{lang}.zip"
    if not download.exists():
        assert not shown, f"{lang}/{page} shows code, but offers no notebook that runs it"
        return
    with zipfile.ZipFile(download) as archive:
        notebook = json.loads(archive.read(f"{page.stem}-{lang}/{page.stem}-{lang}.ipynb"))
    cells = []
    for cell in (c for c in notebook["cells"] if c["cell_type"] == "code"):
        cells.append(("python", "".join(cell["source"]).rstrip("\n")))
        cells += [("text", "".join(o["text"]).rstrip("\n")) for o in cell["outputs"] if o.get("name") == "stdout"]
    assert shown == cells, f"{lang}/{page}: the code blocks and outputs shown are not the notebook's cells and outputs, in order"


@functools.cache
def name_missing_alone(code: str, folder: Path) -> str | None:
    """The name that the code misses when it runs on its own, in a fresh interpreter
    session started in the folder (None: it runs)."""
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, "<block>", "exec"), {"__name__": "__main__"})
    except NameError as e:
        return e.name
    finally:
        os.chdir(cwd)
    return None


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_python_block_says_that_it_continues_the_code_above_exactly_when_it_fails_alone(site, lang, page):
    """Its title (hooks/continued_code.py) names what it needs from the blocks above;
    run on its own, it misses one of those names. Every other block runs on its own."""
    before, after = build_site.site_config()["extra"]["strings"][lang]["continues_code"].split("{names}")
    folder = layout.SNIPPETS / page.stem if (layout.SNIPPETS / page.stem).is_dir() else ROOT
    for n, (kind, title, text) in enumerate(code_blocks(built_page(site, lang, page)), 1):
        if kind != "python":
            continue
        says = title.startswith(before) and title.endswith(after)
        needs = title[len(before) : len(title) - len(after)].split(", ") if says else []
        missing = name_missing_alone(text, folder)
        assert says == (missing is not None), (
            f"{lang}/{page}, block {n}: " + (f"fails alone ({missing} is not defined) but its title is {title!r}" if missing
                                             else f"runs alone, but its title says {title!r}")
        )
        assert missing is None or missing in needs, f"{lang}/{page}, block {n}: alone, it misses {missing}, which its title {title!r} does not name"


def test_the_language_selector_links_to_the_same_page(site):
    for lang in LANGUAGES:
        for page_file in (site / lang).rglob("*.html"):
            page_html = page_file.read_text(encoding="utf-8")
            for href, target_lang in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"[^>]*class="md-select__link"', page_html):
                if page_file.name == "404.html":  # served at any address: links to each home page
                    target, same_page = href, f"{urlsplit(build_site.site_root()).path}{target_lang}/"
                else:
                    target = (page_file.parent / href).resolve()
                    target = target / "index.html" if target.is_dir() else target
                    same_page = site / target_lang / page_file.relative_to(site / lang)
                assert target == same_page, f"{page_file.relative_to(site)}: the {target_lang} link goes to {href}"


def test_each_lesson_names_exactly_the_devices_whose_records_check_its_outputs(site):
    import examples
    import records

    for lang in LANGUAGES:
        for page in PAGES:
            folder = examples.lesson_folder((layout.DOCS / lang / page).read_text(encoding="utf-8"))
            note = re.search(r'<div class="examples-verified">(.*?)</div>', built_page(site, lang, page), re.S)
            if folder is None:
                assert not note, f"{lang}/{page} has no examples, but a verification note"
                continue
            assert note, f"{lang}/{page}: no note of where its outputs were checked"
            named = re.findall(r'data-device="([^"]+)"', note.group(1))
            assert named == [r["device"] for r in records.current(ROOT / folder)], f"{lang}/{page} names {named}"
            if named == ["cpu"]:
                assert not re.search(r"GPU|CUDA", note.group(1)), f"{lang}/{page}: the note speaks of a GPU that no run used"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_cuda_record_is_named_in_the_note_of_every_language(lang):
    """The note with a made-up GPU record (the real ones come from real runs only)."""
    import examples
    from mkdocs.utils.yaml import yaml_load

    with open(build_site.CONFIG, encoding="utf-8") as f:
        text = yaml_load(f)["extra"]["strings"][lang]
    cpu = {"device": "cpu", "torch": "2.13.0", "cuda": None, "python": "3.11.7", "date": "2026-11-23"}
    gpu = {"device": "FAKE GPU 80GB", "torch": "2.11.0", "cuda": "13.0", "python": "3.12.3", "date": "2026-11-24"}
    both = examples.verification_note([cpu, gpu], text)
    assert re.findall(r'data-device="([^"]+)"', both) == ["cpu", "FAKE GPU 80GB"]
    assert all(v in both for v in ("FAKE GPU 80GB", "2.11.0", "13.0", "3.12.3", "2026-11-24", "2.13.0", "3.11.7"))
    assert "FAKE" not in examples.verification_note([cpu], text)


def test_the_navigation_is_in_reading_order_and_next_leads_on(site):
    """Home, then the lessons, as mkdocs.yml lists them; a notebook only from its lesson."""
    order = [entry.replace(".md", ".html") for entry in build_site.site_config()["nav"]]
    for lang in LANGUAGES:
        home = built_page(site, lang, Path("index.md"))
        nav = home.split('class="md-nav md-nav--primary"')[1].split("md-sidebar--secondary")[0]
        links = re.findall(r'href="([^"#]+)" class="md-nav__link', nav)
        assert links == order, f"{lang}: the navigation lists {links}"
        following = re.search(r'<a href="([^"]+)" class="md-footer__link md-footer__link--next"', home)
        assert following and following.group(1) == order[1], f"{lang}: the home page's Next leads to {following and following.group(1)}"


def test_the_navigation_names_each_page_by_its_title_in_every_language(site):
    """Also when a translation is behind English, and its page opens with a notice."""
    def text(fragment: str) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split()).rstrip("¶").strip()

    for lang in LANGUAGES:
        home = built_page(site, lang, Path("index.md"))
        nav = home.split('class="md-nav md-nav--primary"')[1].split("md-sidebar--secondary")[0]
        for href, name in re.findall(r'href="([^"#]+)" class="md-nav__link[^"]*">(.*?)</a>', nav, re.S):
            title = text(re.search(r"<h1[^>]*>(.*?)</h1>", built_page(site, lang, Path(href).with_suffix(".md")), re.S).group(1))
            assert text(name) == title, f"{lang}: the navigation names {href} {text(name)!r}, but its title is {title!r}"


def test_each_lesson_is_a_page_and_a_folder_of_snippets():
    """Adding a lesson adds docs/<lang>/<lesson>.md and snippets/<lesson>/, no code:
    a page shows the snippets of the folder that bears its name."""
    import examples

    for page in markdown_pages():
        folder = examples.lesson_folder(page.read_text(encoding="utf-8"))
        assert folder in (None, Path("snippets") / page.stem), (
            f"{page.relative_to(ROOT)} shows the snippets of {folder}/; its examples belong in snippets/{page.stem}/"
        )
    for lesson in layout.LESSONS:
        missing = [lang for lang in LANGUAGES if not (layout.DOCS / lang / f"{lesson}.md").is_file()]
        assert not missing, f"snippets/{lesson}/ has no page docs/<lang>/{lesson}.md in {missing}"


def test_the_course_leads_from_lesson_to_lesson(site):
    """The navigation lists every lesson, numbered in reading order; the home page
    links to each; each lesson ends with a link to the next; the files that a
    lesson's snippets read are published beside it."""
    import records

    lessons = [entry[: -len(".md")] for entry in build_site.site_config()["nav"] if entry[: -len(".md")] in layout.LESSONS]
    assert sorted(lessons) == layout.LESSONS, "mkdocs.yml's nav must list every lesson (snippets/<lesson>/)"
    for lang in LANGUAGES:
        home = built_page(site, lang, Path("index.md"))
        for n, lesson in enumerate(lessons):
            page = built_page(site, lang, Path(f"{lesson}.md"))
            title = html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)))
            assert title.startswith(f"{n}. "), f"{lang}/{lesson}: the title {title!r} does not begin with its number {n}."
            assert f'href="{lesson}.html#' in home, f"{lang}: the home page does not link to lesson {n} by an anchor"
            last_section = page.split("<article")[1].split("</article>")[0].rsplit("<h2", 1)[1]
            if n + 1 < len(lessons):
                assert f'href="{lessons[n + 1]}.html#' in last_section, f"{lang}/{lesson}: its last section does not lead to lesson {n + 1}"
            for data in records.data_files(layout.SNIPPETS / lesson):
                assert (site / lang / data.name).read_bytes() == data.read_bytes(), f"{lang}: {data.name} is not published beside {lesson}"


def test_each_lesson_says_which_it_is_how_long_it_takes_and_what_it_builds_on(site):
    """Under its title, "lesson N of lessons 0-M" (N from the navigation's order) and
    the time estimated from the English page, the same in every language; its
    "In this lesson" box names what it needs: some Python, or an earlier lesson. A
    translation says there that the code, comments included, is in English."""
    import lesson_header

    lessons = [entry[: -len(".md")] for entry in build_site.site_config()["nav"] if entry[: -len(".md")] in layout.LESSONS]
    for lang in LANGUAGES:
        text = build_site.site_config()["extra"]["strings"][lang]
        for n, lesson in enumerate(lessons):
            page = built_page(site, lang, Path(f"{lesson}.md"))
            header = re.search(r'<p class="lesson-header">(.*?)</p>', page)
            assert header, f"{lang}/{lesson}: no line under its title says which lesson it is"
            position = text["lesson_position"].format(number=n, first=0, last=len(lessons) - 1)
            minutes = lesson_header.minutes((layout.DOCS / "en" / f"{lesson}.md").read_text(encoding="utf-8"))
            for said in (position, text["lesson_time"].format(minutes=minutes), text["code_in_english"], 'href="run-locally.html"'):
                assert said in header.group(1), f"{lang}/{lesson}: the line under its title does not say {said!r}"
            box = page.split('<div class="admonition abstract">', 1)[1].split("</div>", 1)[0]
            needs = ["Python"] if n == 0 else [f'href="{earlier}.html#' for earlier in lessons[:n]]
            assert any(need in box for need in needs), f"{lang}/{lesson}: its box does not name what it builds on"


def test_a_lessons_time_counts_its_words_and_its_lines_of_code():
    """200 words a minute, 10 lines of code a minute, rounded up to 5 minutes."""
    import math

    import examples
    import lesson_header

    assert lesson_header.minutes("word " * 1000) == 5
    assert lesson_header.minutes("word " * 1001) == 10
    target = "snippets/data-sampling/sliding_windows.py:loader"
    lines = len(examples.snippet(target).splitlines())
    block = f'```python\n--8<-- "{target}"\n```\n\n'
    for copies in (1, 7, 20):
        assert lesson_header.minutes("word " * 600 + "\n\n" + block * copies) == 5 * math.ceil((3 + copies * lines / 10) / 5)


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


def test_the_search_worker_of_every_language_folds_terms_once(site, tmp_path):
    """hooks/search_folding.py appends its function to the theme's worker once, even
    when it runs again on a built site (a live-reload build keeps the theme's files)."""
    import search_folding
    from mkdocs.exceptions import PluginError

    for lang in [lang for lang in LANGUAGES if (site / lang).is_dir()]:  # SITE_LANGUAGES may build some
        [worker] = (site / lang / "assets" / "javascripts" / "workers").glob("search.*.js")
        assert worker.read_text(encoding="utf-8").count(search_folding.FOLDING) == 1, f"{lang}: {worker.name} does not fold terms"
    again = tmp_path / "site"
    shutil.copytree(site / lang / "assets" / "javascripts" / "workers", again / "assets" / "javascripts" / "workers")
    search_folding.on_post_build(SimpleNamespace(site_dir=str(again)))
    [worker] = (again / "assets" / "javascripts" / "workers").glob("search.*.js")
    assert worker.read_text(encoding="utf-8").count(search_folding.FOLDING) == 1, "a second build folds twice"
    with pytest.raises(PluginError, match=r"^hooks/search_folding.py: the theme's one search worker .* is not in the site"):
        search_folding.on_post_build(SimpleNamespace(site_dir=str(tmp_path / "empty")))
