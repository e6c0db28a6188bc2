"""Run every snippet under snippets/ and compare what it prints with the output
file that the pages show (snippets/output/<name>.txt).

All snippets run in this one process, so they pay for one `import torch`.
"""

import contextlib
import datetime
import difflib
import io
import json
import platform
import re
import runpy
import signal
import warnings
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = sorted((ROOT / "snippets").glob("*.py"))
TIME_LIMIT_S = 60  # generous: a first CUDA call alone can take seconds


def output_file(snippet: Path) -> Path:
    return snippet.parent / "output" / f"{snippet.stem}.txt"


class SnippetTimeout(Exception):
    pass


def run_snippet(snippet: Path, device: str) -> str:
    """Run the file as `python snippets/NAME.py` would, on `device`; return its stdout."""

    def on_alarm(signum, frame):
        raise SnippetTimeout(f"{snippet.name} ran for more than {TIME_LIMIT_S} s")

    stdout = io.StringIO()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TIME_LIMIT_S)
    torch.set_default_device(device)
    try:
        with contextlib.redirect_stdout(stdout), warnings.catch_warnings():
            warnings.simplefilter("error")  # a warning on the reader's screen is a bug
            runpy.run_path(str(snippet), run_name="__main__")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        torch.set_default_device("cpu")
        torch.set_printoptions(profile="default", sci_mode=None)
    return stdout.getvalue()


NUMBER = re.compile(r"-?\d+\.\d+")


def same_output(expected: str, actual: str, device: str) -> bool:
    """Exact on CPU. On another device, the same text once device annotations are
    removed, and each decimal number equal to the precision it is printed with
    (within one unit of its last printed digit)."""
    if device == "cpu":
        return expected == actual
    actual = re.sub(r",\s*device='[a-z]+:\d+'", "", actual)
    if NUMBER.split(expected) != NUMBER.split(actual):
        return False
    pairs = zip(NUMBER.findall(expected), NUMBER.findall(actual))
    return all(
        abs(float(e) - float(a)) <= 10.0 ** -len(e.split(".")[1]) * 1.0001 for e, a in pairs
    )


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.name for s in SNIPPETS])
def test_snippet(snippet: Path, device: str, request):
    if device == "cuda" and not torch.cuda.is_available():
        pytest.fail("--device asked for cuda, but torch.cuda.is_available() is False", pytrace=False)
    shown = output_file(snippet)
    try:
        actual = run_snippet(snippet, device)
    except Exception as e:
        # The traceback that pytest prints goes down into the snippet's own lines
        # (for a time-out: the line where it hung).
        raise AssertionError(f"snippets/{snippet.name} raised {type(e).__name__} on {device}: {e}") from e

    if request.config.getoption("--update-outputs"):
        if device == "cpu":
            shown.parent.mkdir(exist_ok=True)
            shown.write_text(actual, encoding="utf-8")
        return
    if not shown.exists():
        pytest.fail(
            f"snippets/{snippet.name} has no output file {shown.relative_to(ROOT)}; "
            "create it from a real run with: pytest --update-outputs",
            pytrace=False,
        )
    expected = shown.read_text(encoding="utf-8")
    if not same_output(expected, actual, device):
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{shown.relative_to(ROOT)} (shown on the page)",
            tofile=f"python snippets/{snippet.name} (on {device})",
        )
        pytest.fail(
            f"The output of snippets/{snippet.name} drifted from the page:\n{''.join(diff)}\n"
            "If the new output is right: pytest --update-outputs",
            pytrace=False,
        )


VERIFIED = ROOT / "snippets" / "output" / "verified.json"


def test_the_pages_name_the_torch_that_made_their_outputs(request):
    """The pages say with which PyTorch, and when, their outputs were made. Only a
    test run writes that (--update-outputs, after the snippets above ran), and
    every run checks that it names the PyTorch the outputs are checked with."""
    if request.config.getoption("--update-outputs"):
        stamp = {"torch": torch.__version__.split("+")[0], "date": datetime.date.today().isoformat(), "python": platform.python_version()}
        VERIFIED.write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    stamp = json.loads(VERIFIED.read_text(encoding="utf-8"))
    assert stamp["torch"] == torch.__version__.split("+")[0], (
        f"the pages say their outputs were made with PyTorch {stamp['torch']}, but these tests ran "
        f"PyTorch {torch.__version__}: run pytest --update-outputs"
    )


def test_every_output_file_has_its_snippet():
    orphans = {p.stem for p in (ROOT / "snippets" / "output").glob("*.txt")} - {s.stem for s in SNIPPETS}
    assert not orphans, f"output files without a snippet in snippets/: {sorted(orphans)}"


@pytest.mark.parametrize(
    "expected, actual, same",
    [
        ("tensor([-0.0898])\n", "tensor([-0.0898], device='cuda:0')\n", True),
        ("tensor([-0.0898])\n", "tensor([-0.0899], device='cuda:0')\n", True),  # last digit
        ("tensor([-0.0898])\n", "tensor([-0.0900], device='cuda:0')\n", False),
        ("torch.int64\n", "torch.int32\n", False),
        ("a: 0.5\n", "b: 0.5\n", False),
    ],
)
def test_same_output_on_gpu_tolerates_only_device_and_last_digit(expected, actual, same):
    assert same_output(expected, actual, "cuda") is same
