"""The page "Run the examples on your computer" (docs/<lang>/run-locally.md) and
the commands that it shows (snippets/run-locally.sh): every version that it names
is one the tests use, and the commands that can run here run as the page says."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from layout import LANGUAGES, LESSONS, ROOT, SNIPPETS

sys.path.insert(0, str(ROOT / "hooks"))
import records  # noqa: E402
from examples import snippet  # noqa: E402

CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def commands(section: str) -> str:
    return snippet(f"snippets/run-locally.sh:{section}")


def pins() -> dict[str, str]:
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    return dict(re.findall(r"^([\w-]+)==([\w.]+)", text, re.M))


def ci_python() -> str:
    """The Python that CI runs the tests with, which made every CPU record."""
    ci = re.search(r'python-version: "([\d.]+)"', (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")).group(1)
    made = {".".join(r["python"].split(".")[:2]) for lesson in LESSONS for r in records.read(SNIPPETS / lesson) if r["device"] == "cpu"}
    assert made == {ci}, f"CI tests with Python {ci}, but the outputs were recorded with {made}"
    return ci


def run(script: str, cwd: Path, **env) -> subprocess.CompletedProcess:
    """A command of the page, in bash, with this interpreter's folder first on PATH
    (the page's `python` is the reader's virtual environment's)."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PATH": path, **env})


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_version_on_the_page_is_a_tested_one(site, lang):
    page = (site / lang / "run-locally.html").read_text(encoding="utf-8")
    article = re.sub(r"<[^>]+>", "", page.split("<article")[1].split("</article>")[0])  # "", not " ": code is split into spans
    named = set(re.findall(r"(?<![\w.])\d+\.\d+(?:\.\d+)?(?![\w.])", article))
    tested = {ci_python(), pins()["torch"], pins()["numpy"]}
    assert named == tested, f"{lang}: the page names the versions {sorted(named)}; the tested ones are {sorted(tested)}"


def test_the_commands_install_the_pinned_versions_and_the_cpu_build_on_linux():
    from packaging.specifiers import SpecifierSet

    wanted = pins()
    for section in ("torch-linux", "torch"):
        installed = dict(re.findall(r"([\w-]+)==([\w.]+)", commands(section)))
        assert installed == {"torch": wanted["torch"], "numpy": wanted["numpy"]}, f"{section} installs {installed}"
    assert f"torch=={wanted['torch']} --index-url {CPU_INDEX}" in commands("torch-linux")
    assert commands("requirements") == "pip install -r requirements.txt"
    # What the page says of that last command: pip keeps the CPU build, whose version has a local label.
    assert SpecifierSet(f"=={wanted['torch']}").contains(f"{wanted['torch']}+cpu")


def test_a_virtual_environment_is_made_and_activated_as_the_page_says(tmp_path):
    done = run(commands("venv") + '\npython -c "import sys; print(sys.prefix)"', tmp_path)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == tmp_path / ".venv"


def test_an_example_is_checked_against_its_output_as_the_page_says():
    done = run(commands("check"), ROOT)
    assert done.returncode == 0 and done.stdout == "", f"the page's check fails:\n{done.stdout}{done.stderr}"


def test_a_lesson_is_checked_part_by_part_as_the_page_says():
    done = run(commands("check-lesson"), ROOT, PYTEST_ADDOPTS="-p no:cacheprovider")
    assert done.returncode == 0 and re.search(r"\b[1-9]\d* passed", done.stdout), f"the page's test run fails:\n{done.stdout[-2000:]}"
