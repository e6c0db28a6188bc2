"""The snippet runner itself: what it compares, what it isolates, what it
records. Each test gives it a snippet made for the purpose, in a temporary folder."""

import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from conftest import ROOT, records
from snippet_runner import SnippetError, isolated, run_snippet, same_output

RUNNING_TORCH = torch.__version__.split("+")[0]


# Real prints of torch 2.13 (the GPU's with device='cuda:0' added by torch's own
# _add_suffixes, as test_the_comparison_accepts_every_snippet_as_a_gpu_prints_it does).
LOOKUP_CPU = ("tensor([[ 0.1489, -0.5927, -1.3204,  1.2711],\n        [ 0.2838,  0.7535, -0.1682, -0.8409]], "
              "grad_fn=<EmbeddingBackward0>)\n")
LOOKUP_GPU = ("tensor([[ 0.1489, -0.5927, -1.3204,  1.2711],\n        [ 0.2838,  0.7535, -0.1682, -0.8409]], device='cuda:0',\n"
              "       grad_fn=<EmbeddingBackward0>)\n")
SAME_ELSEWHERE = [  # what another device or PyTorch may change
    ("tensor([-0.0898])\n", "tensor([-0.0898], device='cuda:0')\n"),  # the device
    (LOOKUP_CPU, LOOKUP_GPU),  # the device, and the line break its longer suffix causes
    ("tensor([-0.0898])\n", "tensor([-0.0899], device='cuda:0')\n"),  # the last digit
    ("tensor([10.0000,  1.0000])\n", "tensor([9.9999, 1.0000])\n"),  # the last digit, and the padding it changes
    ("tensor([-0.0000,  0.5000])\n", "tensor([0.0000, 0.5000])\n"),  # a sign of zero, and the padding
    ("tensor([1.5000e-05, 2.0000e+00])\n", "tensor([1.5001e-05, 2.0000e+00], device='cuda:0')\n"),  # last digit, exponent form
    ("Loss: 0.8703\n", "Loss: 0.8704\n"),
]
DIFFERENT_ELSEWHERE = [  # what it may not
    ("tensor([-0.0898])\n", "tensor([-0.0900], device='cuda:0')\n"),  # a digit beyond the tolerance
    ("tensor([-0.0898])\n", "tensor([0.0898])\n"),  # a sign
    ("-0.090\n", "-0.0898\n"),  # a decimal more
    ("Loss: 0.8703\n", "Loss: 0.870\n"),  # a decimal less
    ("tensor([2., 4.])\n", "tensor([2.0000, 4.0000])\n"),  # whole numbers printed as decimals
    ("tensor([2, 4])\n", "tensor([2, 5])\n"),  # an integer
    ("torch.Size([8, 4])\n", "torch.Size([8, 5])\n"),  # a shape
    ("torch.Size([2, 2])\n", "torch.Size([4])\n"),
    ("torch.int64\n", "torch.int32\n"),  # a type
    ("['H', 'ell', 'o']\n", "['H', 'el', 'lo']\n"),  # tokens
    ("a: 0.5\n", "b: 0.5\n"),  # a word
    ("12 3\n", "1 23\n"),  # spaces that separate numbers
    ("tensor([0.1000, 0.2000])\n", "tensor([0.1000, 0.2000, 0.3000])\n"),  # an element more
]


@pytest.mark.parametrize("expected, actual", SAME_ELSEWHERE + [(a, e) for e, a in SAME_ELSEWHERE])
def test_another_device_or_pytorch_may_change_the_device_padding_wrapping_and_last_digit(expected, actual):
    assert same_output(expected, actual, exact=False)


@pytest.mark.parametrize("expected, actual", DIFFERENT_ELSEWHERE + [(a, e) for e, a in DIFFERENT_ELSEWHERE])
def test_another_device_or_pytorch_may_not_change_words_integers_shapes_signs_or_decimals(expected, actual):
    assert not same_output(expected, actual, exact=False)


def test_same_output_on_the_reference_is_exact():
    assert not same_output("tensor([-0.0898])\n", "tensor([-0.0899])\n", exact=True)
    assert not same_output("tensor([-0.0000,  0.5000])\n", "tensor([0.0000, 0.5000])\n", exact=True)


# A snippet that changes every global state it can, and one that prints it.
LEAKY = """
import random, torch
torch.set_default_dtype(torch.float64)
torch.set_grad_enabled(False)
torch.manual_seed(1); random.seed(1)
torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)
torch.set_printoptions(precision=1, sci_mode=True)
torch.set_float32_matmul_precision("medium")
torch.set_anomaly_enabled(True)
"""
PRINTS_STATE = """
import random, torch
print(torch.get_default_dtype(), torch.is_grad_enabled(), torch.rand(1), random.random())
print(torch.are_deterministic_algorithms_enabled(), torch.get_num_threads(), torch.tensor([0.123456]))
print(torch.get_float32_matmul_precision(), torch.is_anomaly_enabled())
"""


def write(folder: Path, name: str, code: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    return path


def test_a_snippet_that_changes_global_state_does_not_change_the_next_one(tmp_path):
    printer = write(tmp_path, "prints_state.py", PRINTS_STATE)
    alone = run_snippet(printer, "cpu").outputs
    run_snippet(write(tmp_path, "leaky.py", LEAKY), "cpu")
    assert run_snippet(printer, "cpu").outputs == alone


# Sections as pages include them; the last one reads a data file of its folder.
SECTIONED = """
# --8<-- [start:first]
print("one")
# --8<-- [end:first]
# --8<-- [start:quiet]
x = 2
# --8<-- [end:quiet]
# --8<-- [start:second]
from pathlib import Path
print(Path("data.txt").read_text(), x)
# --8<-- [end:second]
"""


def test_a_snippet_with_sections_prints_one_output_per_section_in_its_own_folder(tmp_path):
    (tmp_path / "data.txt").write_text("two", encoding="utf-8")
    assert run_snippet(write(tmp_path, "sections.py", SECTIONED), "cpu").outputs == {"first": "one\n", "second": "two 2\n"}


def test_a_snippet_that_prints_outside_its_sections_fails_naming_it(tmp_path):
    lost = write(tmp_path, "outside.py", "print('lost')\n# --8<-- [start:a]\nprint(1)\n# --8<-- [end:a]\n")
    with pytest.raises(SnippetError, match=r"outside\.py prints outside its sections, where no page can show it: 'lost"):
        run_snippet(lost, "cpu")


def test_a_snippet_that_rebinds_a_module_attribute_fails_naming_it(tmp_path):
    relu = torch.nn.functional.relu
    leaky = write(tmp_path, "patches_relu.py", "import torch\ntorch.nn.functional.relu = abs\n")
    with pytest.raises(SnippetError, match=r"patches_relu\.py rebinds torch\.nn\.functional\.relu"):
        run_snippet(leaky, "cpu")
    assert torch.nn.functional.relu is relu, "the attribute was not put back"


CHOOSES_DEVICE = """
import torch
device = "cuda" if torch.cuda.is_available() else "cpu"
print(device)
"""


def test_on_cpu_a_gpu_is_hidden_from_the_snippet_and_nothing_else_is_set(tmp_path, monkeypatch):
    """A snippet chooses its device as a reader's code does; the runner only decides
    whether the machine shows it a GPU, and puts torch.cuda.is_available back."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)  # a machine with a GPU
    available = torch.cuda.is_available
    run = run_snippet(write(tmp_path, "chooses.py", CHOOSES_DEVICE), "cpu")
    assert run.outputs == {"": "cpu\n"} and not run.used_gpu
    assert torch.cuda.is_available is available
    with isolated("cuda"):
        assert torch.cuda.is_available() and torch.get_default_device() == torch.device("cpu")


def test_a_warning_that_a_reader_sees_fails_the_snippet_and_a_hidden_one_is_reported(tmp_path):
    shown = write(tmp_path, "warns.py", "import warnings\nwarnings.warn('check this', UserWarning)\n")
    with pytest.raises(SnippetError, match=r"warns\.py warns on cpu: UserWarning: check this \(warns\.py:2\)"):
        run_snippet(shown, "cpu")
    own = write(tmp_path, "deprecated.py", "import warnings\nwarnings.warn('old', DeprecationWarning)\n")
    with pytest.raises(SnippetError, match=r"DeprecationWarning: old"):  # raised by __main__: Python shows it
        run_snippet(own, "cpu")
    (tmp_path / "library.py").write_text("import warnings\ndef old():\n    warnings.warn('inside', DeprecationWarning)\n")
    inside = write(tmp_path, "calls_library.py", f"import sys\nsys.path.insert(0, {str(tmp_path)!r})\nimport library\nlibrary.old()\nprint('ok')\n")
    try:
        run = run_snippet(inside, "cpu")
    finally:
        sys.modules.pop("library", None)
    assert run.outputs == {"": "ok\n"}
    assert len(run.hidden_warnings) == 1 and "DeprecationWarning: inside" in run.hidden_warnings[0]


def test_on_cuda_deterministic_algorithms_are_on():
    """So an operation whose CUDA kernel varies from run to run raises instead."""
    with isolated("cuda"):
        assert torch.are_deterministic_algorithms_enabled()
    with isolated("cpu"):
        assert not torch.are_deterministic_algorithms_enabled()
    assert not torch.are_deterministic_algorithms_enabled()


def test_a_snippet_that_raises_or_hangs_fails_naming_it(tmp_path, monkeypatch):
    import snippet_runner

    with pytest.raises(SnippetError, match=r"raises\.py raised ZeroDivisionError on cpu"):
        run_snippet(write(tmp_path, "raises.py", "1 / 0\n"), "cpu")
    monkeypatch.setattr(snippet_runner, "TIME_LIMIT_S", 0.2)
    with pytest.raises(SnippetError, match=r"hangs\.py raised TimeoutError on cpu: ran for more than 0.2 s"):
        run_snippet(write(tmp_path, "hangs.py", "while True:\n    pass\n"), "cpu")


SNIPPET_TEST = f"{ROOT / 'tests' / 'test_snippets.py'}::test_snippet"


def test_a_passing_cpu_run_with_update_outputs_writes_outputs_and_its_record(pytester, tmp_path):
    folder = tmp_path / "lesson"
    folder.mkdir()
    write(folder, "hello.py", "print('hello')\n")
    write(folder, "sections.py", SECTIONED)
    (folder / "data.txt").write_text("two", encoding="utf-8")
    (folder / "output").mkdir()
    (folder / "output" / "sections.txt").write_text("from before it had sections\n", encoding="utf-8")
    run = pytester.runpytest_inprocess(SNIPPET_TEST, f"--snippets={tmp_path}", "--update-outputs", "-p", "no:cacheprovider")
    run.assert_outcomes(passed=2)
    written = {p.name: p.read_text() for p in (folder / "output").glob("*.txt")}
    assert written == {"hello.txt": "hello\n", "sections.first.txt": "one\n", "sections.second.txt": "two 2\n"}
    [record] = records.read(folder)
    assert record["device"] == "cpu" and record["torch"] == RUNNING_TORCH and record["outputs"] == records.digest(folder)

    write(folder, "fails.py", "raise SystemExit('no')\n")  # a failing snippet: no new record
    run = pytester.runpytest_inprocess(SNIPPET_TEST, f"--snippets={tmp_path}", "--update-outputs", "-p", "no:cacheprovider")
    run.assert_outcomes(passed=2, failed=1)
    assert records.read(folder) == [record]


def test_a_cuda_record_joins_the_cpu_record_and_replaces_only_its_own(tmp_path):
    """The recording path of a GPU run, with a made-up record: never one committed."""
    cpu = {"device": "cpu", "torch": "2.13.0", "cuda": None, "python": "3.11.7", "date": "2026-11-23", "outputs": "x"}
    fake = {"device": "FAKE GPU", "torch": "2.11.0", "cuda": "13.0", "python": "3.12.3", "date": "2026-11-24", "outputs": "x"}
    records.write(tmp_path, fake)
    records.write(tmp_path, cpu)
    assert records.read(tmp_path) == [cpu, fake]
    records.write(tmp_path, {**fake, "date": "2026-11-25"})
    assert [r["date"] for r in records.read(tmp_path)] == ["2026-11-23", "2026-11-25"]
    assert records.current(tmp_path) == []  # "x" is not the digest of this folder's files


def test_record_cuda_without_a_cuda_run_is_refused(pytester):
    run = pytester.runpytest_inprocess(str(ROOT / "tests" / "test_snippets.py"), "--record-cuda", "-p", "no:cacheprovider")
    assert "--record-cuda records a CUDA run: add --device=cuda" in run.stderr.str()


def test_a_snippet_reads_its_data_files_and_writes_nothing_into_its_folder(tmp_path):
    """It runs in a temporary folder holding copies of its folder's data files."""
    (tmp_path / "data.txt").write_text("read me", encoding="utf-8")
    writer = write(tmp_path, "writes.py", "from pathlib import Path\nPath('model.pth').write_text(Path('data.txt').read_text())\nprint(Path('model.pth').read_text())\n")
    assert run_snippet(writer, "cpu").outputs == {"": "read me\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt", "writes.py"]


def test_a_cuda_record_names_the_snippets_that_used_the_gpu_and_a_folder_without_any_gets_none(tmp_path, monkeypatch):
    """What a passing --record-cuda run writes, from made-up results (no GPU here)."""
    import conftest

    for lesson in ("uses_gpu", "cpu_only"):
        (tmp_path / lesson).mkdir()
        for name in ("a.py", "b.py"):
            write(tmp_path / lesson, name, "print(1)\n")
    passed = {(tmp_path / "uses_gpu" / "a.py", "cuda"): True, (tmp_path / "uses_gpu" / "b.py", "cuda"): False,
              (tmp_path / "cpu_only" / "a.py", "cuda"): False, (tmp_path / "cpu_only" / "b.py", "cuda"): False}
    options = {"--update-outputs": False, "--record-cuda": True, "--device": "cuda", "--snippets": tmp_path}
    config = SimpleNamespace(getoption=options.get, stash={conftest.PASSED: passed})
    monkeypatch.setattr(conftest, "device_name", lambda device: "FAKE GPU")
    [(folder, record)] = conftest.records_due(config)
    assert folder == tmp_path / "uses_gpu" and record["device"] == "FAKE GPU" and record["gpu_examples"] == ["a.py"]
