"""CI proves the README: .ci/run runs the README's install and test commands."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_install_and_test_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = re.findall(r"```sh\n(.*?)\n```", readme.split("## Set up, serve, test")[1], re.S)[:3]
    torch_cpu, install_and_serve, test = commands
    install = install_and_serve.split(" && ")[0]
    assert install == "pip install -r requirements.txt"
    for command in (torch_cpu, install, test):
        assert command in ci, f".ci/run does not run the README's command: {command}"


def test_the_readme_installs_the_cpu_build_of_the_pinned_torch():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pinned = re.search(r"^torch==(\S+)", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M).group(1)
    command = re.findall(r"```sh\n(.*?)\n```", readme.split("## Set up, serve, test")[1], re.S)[0]
    assert command == f"pip install torch=={pinned} --index-url https://download.pytorch.org/whl/cpu"


def test_the_readme_shows_the_table_of_the_last_bench_run(capsys):
    """The README's figures are bench/results.json's, as `python bench/benchmark.py --table` prints them."""
    import runpy
    import sys
    from unittest import mock

    with mock.patch.object(sys, "argv", ["benchmark.py", "--table"]):
        runpy.run_path(str(ROOT / "bench" / "benchmark.py"), run_name="__main__")
    table = capsys.readouterr().out.strip()
    assert table.count("\n") > 5
    assert table in (ROOT / "README.md").read_text(encoding="utf-8"), "the README's bench table is not results.json's: copy `python bench/benchmark.py --table` into it"
