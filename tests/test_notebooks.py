"""Each lesson's notebook in each language, as a reader downloads it, runs in a
fresh kernel (started beside the lesson's data files) and prints the outputs
that the pages show."""

import asyncio

import pytest
from layout import LANGUAGES, LESSONS, SNIPPETS


def notebook(lesson: str) -> str:
    return f"{lesson}-notebook.ipynb"


def stdout_of(cell) -> str:
    return "".join(o["text"] for o in cell.get("outputs", []) if o.get("name") == "stdout")


@pytest.fixture(scope="module")
def executed(site) -> dict:
    """{(lesson, lang): (the notebook as downloaded, the same notebook run in a fresh
    kernel)}. Kernels run four at a time: most of their time is importing torch."""
    import nbformat
    from nbclient import NotebookClient

    notebooks = {(lesson, lang): site / lang / notebook(lesson) for lesson in LESSONS for lang in LANGUAGES}
    notebooks = {key: path for key, path in notebooks.items() if path.is_file()}
    shown = {key: nbformat.read(path, as_version=4) for key, path in notebooks.items()}
    ran = {key: nbformat.read(path, as_version=4) for key, path in notebooks.items()}

    async def run_all():
        running = asyncio.Semaphore(4)  # a few kernels at a time: each imports torch

        async def run(lesson, nb):
            async with running:
                client = NotebookClient(nb, timeout=120, startup_timeout=120, kernel_name="python3",
                                        resources={"metadata": {"path": str(SNIPPETS / lesson)}})
                await client.async_execute()

        await asyncio.gather(*(run(lesson, nb) for (lesson, _), nb in ran.items()))

    asyncio.run(run_all())
    return {key: (shown[key], ran[key]) for key in notebooks}


@pytest.mark.parametrize("lesson", LESSONS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_notebook_reproduces_the_page_outputs(executed, lang, lesson):
    assert (lesson, lang) in executed, f"{lang}: the site has no notebook to download ({notebook(lesson)})"
    shown, ran = executed[lesson, lang]
    code = [c for c in shown.cells if c.cell_type == "code"]
    assert len(code) >= 5 and any(stdout_of(c) for c in code), f"{lang}: the notebook of {lesson} lost its examples"
    for n, (before, after) in enumerate(zip(shown.cells, ran.cells), 1):
        if before.cell_type == "code":
            assert stdout_of(after) == stdout_of(before), (
                f"{lang}: cell {n} printed\n{stdout_of(after)}\nbut the notebook (and the page) shows\n{stdout_of(before)}"
            )
            errors = [o for o in after.outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
            assert not errors, f"{lang}: cell {n} wrote an error or a warning: {errors}"


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
