"""Each lesson's notebook in each language, as a reader downloads it, runs in a
fresh kernel (started beside the lesson's data files) and prints the outputs
that the pages show.

A lesson's notebooks differ only in their prose: their code cells are the same
files in every language (checked below). So each lesson's code runs once, in a
fresh kernel, and every language's notebook must hold exactly that code and
show exactly what it printed.
"""

import asyncio

import pytest
from layout import LANGUAGES, LESSONS, SNIPPETS


def notebook(lesson: str) -> str:
    return f"{lesson}-notebook.ipynb"


def stdout_of(cell) -> str:
    return "".join(o["text"] for o in cell.get("outputs", []) if o.get("name") == "stdout")


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.fixture(scope="module")
def executed(site) -> dict:
    """{lesson: its English notebook, run in a fresh kernel}; the kernels run side by
    side (most of their time is importing torch)."""
    import nbformat
    from nbclient import NotebookClient

    ran = {lesson: nbformat.read(site / "en" / notebook(lesson), as_version=4) for lesson in LESSONS}

    async def run_all():
        clients = [
            NotebookClient(nb, timeout=120, startup_timeout=120, kernel_name="python3",
                           resources={"metadata": {"path": str(SNIPPETS / lesson)}})
            for lesson, nb in ran.items()
        ]
        await asyncio.gather(*(client.async_execute() for client in clients))

    asyncio.run(run_all())
    return ran


@pytest.mark.parametrize("lesson", LESSONS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_notebook_reproduces_the_page_outputs(site, executed, lang, lesson):
    import nbformat

    path = site / lang / notebook(lesson)
    assert path.is_file(), f"{lang}: the site has no notebook to download ({notebook(lesson)})"
    shown, ran = code_cells(nbformat.read(path, as_version=4)), code_cells(executed[lesson])
    assert len(shown) >= 5 and any(stdout_of(c) for c in shown), f"{lang}: the notebook of {lesson} lost its examples"
    assert [c.source for c in shown] == [c.source for c in ran], f"{lang}/{lesson}: the notebook's code is not the lesson's"
    for n, (before, after) in enumerate(zip(shown, ran), 1):
        assert stdout_of(after) == stdout_of(before), (
            f"{lang}/{lesson}: code cell {n} printed\n{stdout_of(after)}\nbut the notebook (and the page) shows\n{stdout_of(before)}"
        )
        errors = [o for o in after.outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
        assert not errors, f"{lesson}: code cell {n} wrote an error or a warning: {errors}"


@pytest.mark.parametrize("lesson", LESSONS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_lesson_opens_its_notebook_which_offers_its_download(site, lang, lesson):
    notebook_page = notebook(lesson).replace(".ipynb", ".html")
    lesson_page = (site / lang / f"{lesson}.html").read_text(encoding="utf-8")
    assert f'href="{notebook_page}"' in lesson_page, f"{lang}: {lesson} does not link to its notebook"
    page = (site / lang / notebook_page).read_text(encoding="utf-8")
    assert f'href="{notebook(lesson)}" download' in page, f"{lang}: the notebook page has no download button"
    assert (site / lang / notebook(lesson)).is_file()


@pytest.mark.parametrize("lesson", LESSONS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_notebook_page_is_light_and_in_the_page_language(site, lang, lesson):
    """mkdocs-jupyter's rendering, trimmed to the theme's markup: no JupyterLab
    stylesheet or script, no English label, at most 1.5 times its lesson's size (gzip)."""
    import gzip

    page = (site / lang / notebook(lesson).replace(".ipynb", ".html")).read_bytes()
    lesson_page = (site / lang / f"{lesson}.html").read_bytes()
    ratio = len(gzip.compress(page)) / len(gzip.compress(lesson_page))
    assert ratio <= 1.5, f"{lang}: the notebook page is {ratio:.2f} times its lesson (gzip)"
    article = page.decode().split("<article")[1].split("</article>")[0]
    for leftover in ("<style", "<script", "Copy to Clipboard", "jp-Cell", 'src=""'):
        assert leftover not in article, f"{lang}: the notebook page still has {leftover!r}"
    assert article.count('class="language-python highlight"') >= 5, f"{lang}: the notebook page lost its code cells"
