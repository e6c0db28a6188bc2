"""Each lesson's notebook in each language, as a reader downloads it (a .zip of
the notebook and the files its code reads), runs in a fresh kernel in the folder
where it is unzipped, and prints the outputs that the pages show.

A lesson's bundles differ only in their prose: their code cells are the same
files in every language, and so are their data files (both checked below). So
the bundles that hold the same code and the same files run once, unzipped in an
empty folder, in a fresh kernel, and every one of them must show exactly what
that run printed. A bundle whose code or files differed would run on its own.
"""

import asyncio
import re
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from layout import LANGUAGES, LESSONS, ROOT, SNIPPETS

sys.path.insert(0, str(ROOT / "hooks"))
import records  # noqa: E402

# With pytest-xdist, this module's tests stay on one worker: its notebooks then run once.
pytestmark = pytest.mark.xdist_group("notebooks")


def bundle(site: Path, lang: str, lesson: str) -> Path:
    return site / lang / f"{lesson}-{lang}.zip"


def stdout_of(cell) -> str:
    return "".join(o["text"] for o in cell.get("outputs", []) if o.get("name") == "stdout")


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def unzipped(site: Path, lang: str, lesson: str, into: Path) -> Path:
    """The bundle, unzipped into an empty folder: the notebook's path."""
    with zipfile.ZipFile(bundle(site, lang, lesson)) as archive:
        archive.extractall(into)
    return into / f"{lesson}-{lang}" / f"{lesson}-{lang}.ipynb"


@pytest.fixture(scope="module")
def executed(site, tmp_path_factory) -> dict:
    """{(lang, lesson): the notebook of its bundle, as it ran}. The kernels run side
    by side (most of their time is importing torch)."""
    import nbformat
    from nbclient import NotebookClient

    runs, ran = {}, {}
    for lesson in LESSONS:
        for lang in LANGUAGES:
            with zipfile.ZipFile(bundle(site, lang, lesson)) as archive:
                notebook = nbformat.reads(archive.read(f"{lesson}-{lang}/{lesson}-{lang}.ipynb").decode(), as_version=4)
                files = tuple((Path(n).name, archive.read(n)) for n in sorted(archive.namelist()) if not n.endswith(".ipynb"))
            same = (tuple(c.source for c in code_cells(notebook)), files)
            if same not in runs:
                path = unzipped(site, lang, lesson, tmp_path_factory.mktemp(f"{lesson}-{lang}"))
                runs[same] = (nbformat.read(path, as_version=4), path.parent)
            ran[lang, lesson] = runs[same][0]

    async def run_all():
        clients = [
            NotebookClient(nb, timeout=120, startup_timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
            for nb, folder in runs.values()
        ]
        await asyncio.gather(*(client.async_execute() for client in clients))

    asyncio.run(run_all())
    return ran


@pytest.mark.parametrize("lesson", LESSONS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_downloaded_notebook_runs_where_it_is_unzipped_and_prints_the_page_outputs(site, executed, lang, lesson, tmp_path):
    import nbformat

    assert bundle(site, lang, lesson).is_file(), f"{lang}: the site has no {bundle(site, lang, lesson).name} to download"
    path = unzipped(site, lang, lesson, tmp_path)
    data = records.data_files(SNIPPETS / lesson)
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, *(d.name for d in data)]), (
        f"{lang}/{lesson}: the bundle does not hold the notebook and the lesson's data files"
    )
    assert all((path.parent / d.name).read_bytes() == d.read_bytes() for d in data), f"{lang}/{lesson}: a data file differs"
    shown, ran = code_cells(nbformat.read(path, as_version=4)), code_cells(executed[lang, lesson])
    assert len(shown) >= 5 and any(stdout_of(c) for c in shown), f"{lang}: the notebook of {lesson} lost its examples"
    english = code_cells(executed["en", lesson])
    assert [c.source for c in shown] == [c.source for c in english], f"{lang}/{lesson}: the notebook's code is not the lesson's"
    for n, (before, after) in enumerate(zip(shown, ran), 1):
        assert stdout_of(after) == stdout_of(before), (
            f"{lang}/{lesson}: code cell {n} printed\n{stdout_of(after)}\nbut the notebook (and the page) shows\n{stdout_of(before)}"
        )
        errors = [o for o in after.outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
        assert not errors, f"{lesson}: code cell {n} wrote an error or a warning: {errors}"


MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_downloaded_notebook_links_only_to_its_own_files_or_the_web(site, lang, tmp_path):
    """Not to this machine's address (the default site_url): there, a link would be dead."""
    import nbformat

    for lesson in LESSONS:
        path = unzipped(site, lang, lesson, tmp_path / lesson)
        assert not re.search(r"127\.0\.0\.1|localhost", path.read_text(encoding="utf-8")), f"{lang}/{lesson}: the notebook names this machine"
        for cell in nbformat.read(path, as_version=4).cells:
            for target in MARKDOWN_LINK.findall(cell.source):
                attached = target.startswith("attachment:") and target.split(":", 1)[1] in cell.get("attachments", {})
                assert target.startswith("https://") or attached or (path.parent / target.split("#")[0]).is_file(), (
                    f"{lang}/{lesson}: the notebook links to {target}, which is neither on the web nor in its folder"
                )


def test_a_published_site_gets_the_notebooks_links_to_its_pages():
    import notebooks

    markdown = "# 1. Tokenizing\n\nIt builds on [lesson 0](basic-llm-concepts.md#tensors), with [a text](the-verdict.txt).\n"
    published = SimpleNamespace(site_url="https://llm.example.org/pl/")
    assert notebooks.published_url(published) == "https://llm.example.org/pl/"
    cell = notebooks.notebook(markdown, "notatnik", notebooks.published_url(published))["cells"][0]["source"]
    assert "[lesson 0](https://llm.example.org/pl/basic-llm-concepts.html#tensors)" in cell and "](the-verdict.txt)" in cell
    for local in ("http://127.0.0.1:8000/pl/", "http://localhost:8000/pl/"):
        assert notebooks.published_url(SimpleNamespace(site_url=local)) is None
    cell = notebooks.notebook(markdown, "notatnik", None)["cells"][0]["source"]
    assert "builds on lesson 0, with [a text](the-verdict.txt)" in cell


@pytest.mark.parametrize("lesson", LESSONS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_lesson_opens_its_notebook_which_offers_its_bundle_and_leads_back(site, lang, lesson):
    notebook_page = f"{lesson}-notebook.html"
    lesson_page = (site / lang / f"{lesson}.html").read_text(encoding="utf-8")
    assert f'href="{notebook_page}"' in lesson_page, f"{lang}: {lesson} does not link to its notebook"
    page = (site / lang / notebook_page).read_text(encoding="utf-8")
    article = page.split("<article")[1]
    download = bundle(site, lang, lesson)
    button = re.search(rf'<a class="md-button md-button--primary" href="{download.name}" download>([^<]+)</a>', article)
    assert button, f"{lang}: the notebook page does not offer {download.name}"
    assert f"{round(download.stat().st_size / 1000)} KB" in button.group(1), f"{lang}: the button says {button.group(1)!r}"
    assert f'<a class="md-button" href="{lesson}.html">' in article, f"{lang}: the notebook page does not lead back to {lesson}"


@pytest.mark.parametrize("lesson", LESSONS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_notebook_page_is_light_and_in_the_page_language(site, lang, lesson):
    """mkdocs-jupyter's rendering, trimmed to the theme's markup: no JupyterLab
    stylesheet or script, no English label, at most 1.5 times its lesson's size (gzip)."""
    import gzip

    page = (site / lang / f"{lesson}-notebook.html").read_bytes()
    lesson_page = (site / lang / f"{lesson}.html").read_bytes()
    ratio = len(gzip.compress(page)) / len(gzip.compress(lesson_page))
    assert ratio <= 1.5, f"{lang}: the notebook page is {ratio:.2f} times its lesson (gzip)"
    article = page.decode().split("<article")[1].split("</article>")[0]
    for leftover in ("<style", "<script", "Copy to Clipboard", "jp-Cell", 'src=""'):
        assert leftover not in article, f"{lang}: the notebook page still has {leftover!r}"
    assert article.count('class="language-python highlight"') >= 5, f"{lang}: the notebook page lost its code cells"
