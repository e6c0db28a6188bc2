"""Run every snippet under snippets/ and compare what it prints with the output
file that the pages show (<folder>/output/<name>.txt).

All snippets run in this one process, so they pay for one `import torch`;
tests/snippet_runner.py keeps each from changing what the next one prints.
Outputs are made on the CPU with the pinned PyTorch and compared exactly there;
on CUDA, or under another PyTorch, snippet_runner.same_output says what may differ.
"""

import contextlib
import difflib
import re
import warnings
from pathlib import Path

import pytest
import torch
from conftest import ROOT, records
from snippet_runner import SnippetError, run_snippet, same_output

RUNNING_TORCH = torch.__version__.split("+")[0]


def output_file(snippet: Path, section: str = "") -> Path:
    """output/NAME.txt, or output/NAME.SECTION.txt for each section that prints."""
    return snippet.parent / "output" / f"{snippet.stem}{'.' + section if section else ''}.txt"


def shown_outputs(snippet: Path) -> dict[str, Path]:
    """The output files of a snippet, by section ("" for the whole file)."""
    found = {p.name[len(snippet.stem) : -len(".txt")].lstrip("."): p for p in (snippet.parent / "output").glob(f"{snippet.stem}.*txt")}
    return {section: path for section, path in found.items() if path == output_file(snippet, section)}


def shown_name(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def outputs_torch(folder: Path) -> str | None:
    """The PyTorch that made the folder's output files (its CPU record)."""
    return next((r["torch"] for r in records.read(folder) if r["device"] == "cpu"), None)


def test_snippet(snippet: Path, device: str, passed: dict, hidden_warnings: list, request):
    if device == "cuda" and not torch.cuda.is_available():
        pytest.fail("--device asked for cuda, but torch.cuda.is_available() is False", pytrace=False)
    try:
        run = run_snippet(snippet, device)
    except SnippetError as e:
        raise AssertionError(str(e)) from e.__cause__
    hidden_warnings.extend(run.hidden_warnings)
    outputs = run.outputs

    shown = shown_outputs(snippet)
    if request.config.getoption("--update-outputs"):
        for section, path in shown.items():
            if section not in outputs:
                path.unlink()  # a section that no longer prints, or a file that now has sections
        for section, text in outputs.items():
            output_file(snippet, section).parent.mkdir(exist_ok=True)
            output_file(snippet, section).write_text(text, encoding="utf-8")
        shown = shown_outputs(snippet)
    missing = [output_file(snippet, s) for s in outputs if s not in shown]
    if missing:
        pytest.fail(
            f"{shown_name(snippet)} has no output file {', '.join(map(shown_name, missing))}; "
            "create it from a real run with: pytest tests/test_snippets.py --update-outputs",
            pytrace=False,
        )
    silent = [shown_name(p) for s, p in shown.items() if s not in outputs]
    if silent:
        pytest.fail(f"{shown_name(snippet)} no longer prints what {', '.join(silent)} shows: "
                    "pytest tests/test_snippets.py --update-outputs", pytrace=False)
    exact = device == "cpu" and outputs_torch(snippet.parent) in (RUNNING_TORCH, None)
    for section, actual in outputs.items():
        expected = shown[section].read_text(encoding="utf-8")
        if not same_output(expected, actual, exact):
            diff = difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"{shown_name(shown[section])} (shown on the page)",
                tofile=f"python {shown_name(snippet)} (on {device}, PyTorch {torch.__version__})",
            )
            pytest.fail(
                f"The output of {shown_name(snippet)}{' section ' + section if section else ''} drifted from the page:\n"
                f"{''.join(diff)}\nIf the new output is right: pytest tests/test_snippets.py --update-outputs",
                pytrace=False,
            )
    passed[snippet, device] = run.used_gpu


@contextlib.contextmanager
def printed_as_on_a_gpu():
    """Every tensor printed as a GPU machine prints a tensor on its GPU: with
    device='cuda:0' first among its suffixes, placed (and wrapped) by torch's own
    formatting."""
    add_suffixes = torch._tensor_str._add_suffixes

    def with_device(tensor_str, suffixes, indent, force_newline):
        return add_suffixes(tensor_str, ["device='cuda:0'", *suffixes], indent, force_newline)

    torch._tensor_str._add_suffixes = with_device
    try:
        yield
    finally:
        torch._tensor_str._add_suffixes = add_suffixes


def test_the_comparison_accepts_every_snippet_as_a_gpu_prints_it(snippet: Path):
    """Without a GPU: each snippet run on the CPU, its tensors printed as on a GPU,
    must pass the comparison that a GPU run uses. Not a GPU run: it writes no record."""
    shown = shown_outputs(snippet)
    if not any("tensor(" in p.read_text(encoding="utf-8") for p in shown.values()):
        pytest.skip("prints no tensor: a GPU prints what it prints as the CPU does")  # and it need not run again
    with printed_as_on_a_gpu():
        outputs = run_snippet(snippet, "cpu").outputs
    for section, actual in outputs.items():
        expected = shown[section].read_text(encoding="utf-8")
        assert ("tensor(" in expected) == ("device='cuda:0'" in actual), f"{shown_name(shown[section])}: not printed as on a GPU"
        assert same_output(expected, actual, exact=False), (
            f"{shown_name(shown[section])}: the comparison rejects what a GPU prints:\n"
            + "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "shown", "as on a GPU"))
        )


def folders(config) -> list[Path]:
    from conftest import snippets

    return sorted({s.parent for s in snippets(config)})


def pinned_torch() -> str:
    return re.search(r"^torch==(\S+)", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M).group(1)


def test_each_folder_of_snippets_has_a_current_cpu_record_of_the_pinned_torch(request):
    """The pages say on which devices and with which PyTorch their outputs were
    checked. The CPU record must check the outputs as they are now, with the
    PyTorch that requirements.txt pins (it does not depend on the PyTorch running)."""
    if request.config.getoption("--update-outputs"):
        pytest.skip("--update-outputs writes the CPU records once every snippet has passed")
    for folder in folders(request.config):
        cpu = [r for r in records.current(folder) if r["device"] == "cpu"]
        assert cpu, (
            f"{shown_name(folder)}: no CPU record checked its snippets and outputs as they are now: "
            "pytest tests/test_snippets.py --update-outputs"
        )
        assert cpu[0]["torch"] == pinned_torch(), (
            f"{shown_name(folder / records.FILE)}: outputs made with PyTorch {cpu[0]['torch']}, "
            f"but requirements.txt pins {pinned_torch()}: pytest tests/test_snippets.py --update-outputs"
        )


def test_records_of_older_outputs_are_reported(request):
    """Not a failure: a snippet changed after its GPU run. The pages stop naming that
    GPU until a run renews its record; this names them."""
    for folder in folders(request.config):
        for record in records.stale(folder):
            if record["device"] != "cpu":
                warnings.warn(f"{shown_name(folder)}: the {record['device']} record checked older outputs: "
                              "rerun with --device=cuda --record-cuda", UserWarning)


def test_every_output_file_has_its_snippet(request):
    root = request.config.getoption("--snippets").resolve()
    outputs = root.rglob("output/*.txt")
    orphans = sorted(shown_name(p) for p in outputs if not (p.parent.parent / f"{p.name.split('.')[0]}.py").exists())
    assert not orphans, f"output files without a snippet: {orphans}"
