"""CI proves the README: .ci/run runs the README's install and test commands."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_install_and_test_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = re.findall(r"```sh\n(.*?)\n```", readme.split("## Set up, serve, test")[1], re.S)[:2]
    install_and_serve, test = commands
    install = install_and_serve.split(" && ")[0]
    assert install == "pip install -r requirements.txt"
    assert any(line.startswith(install) for line in ci), f".ci/run does not run the README's install: {install}"
    assert test in ci, f".ci/run does not run the README's test command: {test}"
