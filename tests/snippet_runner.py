"""Run one snippet as `cd snippets/LESSON && python NAME.py` would, on a machine
with or without a GPU, in this process, and leave the process as it found it.

A snippet chooses its device as a reader's code does (`device = "cuda" if
torch.cuda.is_available() else "cpu"`, lesson 0). The runner only sets what the
machine looks like from outside: on "cpu", a GPU that PyTorch sees is hidden from
the snippet; on "cuda", it is there, and deterministic algorithms are on. It
notes whether the snippet put anything on the GPU.

A snippet with named sections (`# --8<-- [start:NAME]` ... `[end:NAME]`, the
markers by which pages include parts of it) has one output per section that
prints, which the page shows under that section; printing outside its sections
is an error (no page could show it). A snippet without sections has one output.

All snippets share one process (they pay for one `import torch`), so whatever
global state a snippet changes is put back after it: PyTorch's default device
and dtype, grad mode, random number generators, deterministic flags, threads
and print options, and Python's and NumPy's. A snippet that rebinds a public
attribute of a module (`torch.nn.functional.relu = ...`) fails, by name.
Imports nothing but torch and the standard library.
"""

import contextlib
import dataclasses
import io
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import warnings
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT_S = 60  # generous: a first CUDA call alone can take seconds


class SnippetError(Exception):
    """A snippet raised, hung, or changed what later snippets would print."""


class Leak(Exception):
    """A block changed global state that isolated() cannot put back."""


@dataclasses.dataclass
class Run:
    outputs: dict[str, str]  # {"": output} for a file without sections, else {section: output}
    used_gpu: bool = False  # whether the snippet allocated memory on a GPU
    hidden_warnings: list[str] = dataclasses.field(default_factory=list)  # warnings a reader never sees


def _printoptions() -> dict:
    options = torch._tensor_str.PRINT_OPTS  # what torch.set_printoptions sets
    return {key: getattr(options, key) for key in ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")}


def _deterministic():
    return torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()


# What a snippet may change for every later one: (read it, put it back).
GLOBAL_STATE = {
    "default device": (torch.get_default_device, torch.set_default_device),
    "default dtype": (torch.get_default_dtype, torch.set_default_dtype),
    "grad mode": (torch.is_grad_enabled, torch.set_grad_enabled),
    "anomaly detection": (torch.is_anomaly_enabled, torch.set_anomaly_enabled),
    "deterministic algorithms": (_deterministic, lambda s: torch.use_deterministic_algorithms(s[0], warn_only=s[1])),
    "threads": (torch.get_num_threads, torch.set_num_threads),
    "float32 matmul precision": (torch.get_float32_matmul_precision, torch.set_float32_matmul_precision),
    "print options": (_printoptions, lambda o: torch.set_printoptions(**o)),
    "torch random state": (torch.get_rng_state, torch.set_rng_state),
    "Python random state": (random.getstate, random.setstate),
}
if torch.cuda.is_available():
    GLOBAL_STATE["CUDA random state"] = (torch.cuda.get_rng_state_all, torch.cuda.set_rng_state_all)
WATCHED_PACKAGES = ("torch", "numpy", "math", "random")


def _numpy_state() -> dict:
    np = sys.modules.get("numpy")  # only once something imported it
    return {"NumPy print options": (np.get_printoptions, lambda o: np.set_printoptions(**o)),
            "NumPy random state": (np.random.get_state, np.random.set_state)} if np else {}


def _same(a, b) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, torch.Tensor):
        return torch.equal(a, b)
    if type(a).__module__ == "numpy" or type(b).__module__ == "numpy":
        return False  # NumPy's random state holds arrays: just put it back
    return a == b


def _public_modules() -> dict[str, dict]:
    """The public attributes of the public modules of torch, numpy, math and random."""
    return {
        name: {k: v for k, v in vars(module).items() if not k.startswith("_")}
        for name, module in list(sys.modules.items())
        if module is not None and name.split(".")[0] in WATCHED_PACKAGES and not any(p.startswith("_") for p in name.split("."))
    }


def _rebound(before: dict[str, dict]) -> list[str]:
    """Module attributes rebound since `before`, each put back as it was. A lazily
    imported part of torch may wrap a function (functools.wraps): not a leak."""
    found = []
    for name, attributes in before.items():
        module = sys.modules[name]
        for key, old in attributes.items():
            new = getattr(module, key, None)
            if new is not old and getattr(new, "__wrapped__", None) is not old:
                setattr(module, key, old)
                found.append(f"{name}.{key}")
    return found


def _gpu_allocations() -> int:
    """How many times PyTorch has allocated GPU memory (0 before CUDA starts)."""
    return torch.cuda.memory_stats().get("allocation.all.allocated", 0)


@contextlib.contextmanager
def isolated(device: str):
    """Run a block as a reader runs it on a machine whose GPU is `device` ("cuda")
    or none ("cpu"), and put back afterwards every global state it changed. On
    CUDA, deterministic algorithms are on: a kernel whose results may vary from
    run to run (index_add_, scatter_add_) raises instead of printing numbers
    that drift."""
    state = {**GLOBAL_STATE, **_numpy_state()}
    saved = {name: get() for name, (get, _) in state.items()}
    modules = _public_modules()
    gpu_seen = torch.cuda.is_available
    if device == "cpu":
        torch.cuda.is_available = lambda: False  # a reader's machine without a GPU
    else:
        torch.use_deterministic_algorithms(True)  # cuBLAS too: conftest sets CUBLAS_WORKSPACE_CONFIG
    try:
        yield
    finally:
        torch.cuda.is_available = gpu_seen
        for name, (get, put) in state.items():
            if not _same(get(), saved[name]):  # only then: some setters are slow (deterministic flags import TorchDynamo)
                put(saved[name])
        rebound = _rebound(modules)
    if rebound:
        raise Leak(f"rebinds {', '.join(rebound)}, which would change what later snippets do")


MARKER = re.compile(r"^([ \t]*)# --8<-- \[(start|end):(\w+)\][ \t]*$", re.M)


class SectionedOutput(io.StringIO):
    """Standard output that also files what it gets under the section running."""

    def __init__(self):
        super().__init__()
        self.section, self.sections, self.outside = None, {}, ""

    def switch(self, section: str | None):
        self.section = section

    def write(self, text: str) -> int:
        if self.section is None:
            self.outside += text
        else:
            self.sections[self.section] = self.sections.get(self.section, "") + text
        return super().write(text)


def shown_to_reader(warning: warnings.WarningMessage, snippet: Path) -> bool:
    """Whether Python's default warning filters show this warning: all but
    DeprecationWarning (shown only when raised by the script itself, __main__),
    PendingDeprecationWarning, ImportWarning and ResourceWarning."""
    if issubclass(warning.category, (PendingDeprecationWarning, ImportWarning, ResourceWarning)):
        return False
    return not issubclass(warning.category, DeprecationWarning) or Path(warning.filename) == snippet


@contextlib.contextmanager
def reader_folder(lesson: Path):
    """A temporary folder holding what a reader downloads beside a lesson's code:
    its data files (what is not a .py file). A snippet runs there, so that what
    it writes (a saved model) never lands in the repository."""
    with tempfile.TemporaryDirectory(prefix="snippet-") as folder:
        for data in lesson.iterdir():
            if data.is_file() and data.suffix != ".py":
                shutil.copy(data, folder)
        yield Path(folder)


def run_snippet(snippet: Path, device: str) -> Run:
    """Run the file on a machine whose GPU is `device`, in a folder holding its
    data files (reader_folder), and return what it printed. Raises SnippetError naming
    the file if it raises, shows a warning, runs for more than TIME_LIMIT_S,
    leaks, or prints outside its sections. Warnings that a reader would not see
    (a DeprecationWarning inside torch) are returned, not raised."""

    def on_alarm(signum, frame):
        raise TimeoutError(f"ran for more than {TIME_LIMIT_S:g} s")

    name = snippet.relative_to(ROOT) if snippet.is_relative_to(ROOT) else snippet
    source = snippet.read_text(encoding="utf-8")
    # Each marker becomes a call on the same line: line numbers, and so tracebacks, stay the file's.
    code = MARKER.sub(lambda m: f'{m[1]}__section__({m[3]!r} if {m[2]!r} == "start" else None)', source)
    stdout = SectionedOutput()
    namespace = {"__name__": "__main__", "__file__": str(snippet), "__section__": stdout.switch}
    cwd = os.getcwd()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT_S)
    allocations = _gpu_allocations()
    try:
        with reader_folder(snippet.parent) as folder, isolated(device), contextlib.redirect_stdout(stdout), \
                warnings.catch_warnings(record=True) as caught:
            os.chdir(folder)
            warnings.simplefilter("always")
            exec(compile(code, str(snippet), "exec"), namespace)
    except Leak as e:
        raise SnippetError(f"{name} {e} (on {device})") from None
    except Exception as e:
        # Chained, so that pytest's traceback goes down into the snippet's own lines.
        raise SnippetError(f"{name} raised {type(e).__name__} on {device}: {e}") from e
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        os.chdir(cwd)
    shown = [w for w in caught if shown_to_reader(w, snippet)]
    if shown:  # a warning on the reader's screen is a bug
        w = shown[0]
        raise SnippetError(f"{name} warns on {device}: {w.category.__name__}: {w.message} ({Path(w.filename).name}:{w.lineno})")
    hidden = [f"{name}: {w.category.__name__}: {w.message} ({w.filename}:{w.lineno})" for w in caught]
    if MARKER.search(source) and stdout.outside:
        raise SnippetError(f"{name} prints outside its sections, where no page can show it: {stdout.outside[:80]!r}")
    outputs = stdout.sections if MARKER.search(source) else {"": stdout.getvalue()}
    return Run(outputs, _gpu_allocations() > allocations, hidden)


DEVICE_ANNOTATION = re.compile(r",\s*device='[^']*'")
# A number (its sign, digits, decimals and exponent), a word, or any other character.
TOKEN = re.compile(r"(?P<number>[-+]?\d+(?P<point>\.(?P<decimals>\d*))?(?:e(?P<exponent>[-+]?\d+))?)|[^\W\d]\w*|\S")


def _tokens(text: str) -> list[re.Match]:
    return list(TOKEN.finditer(DEVICE_ANNOTATION.sub("", text)))


def _form(number: re.Match) -> tuple:
    """How a number is printed: with a point or not, its count of decimals, an exponent or not."""
    return number["point"] is None, len(number["decimals"] or ""), number["exponent"] is None


def _same_token(e: re.Match, a: re.Match) -> bool:
    if not (e["number"] and a["number"]):
        return e[0] == a[0]
    if _form(e) != _form(a):
        return False
    if not e["decimals"]:  # an integer, or a float printed without decimals (2.): exactly
        return float(e[0]) == float(a[0])
    unit = 10.0 ** (int(e["exponent"] or 0) - len(e["decimals"]))  # one unit of the last printed digit
    return abs(float(e[0]) - float(a[0])) <= unit * 1.0001


def same_output(expected: str, actual: str, exact: bool) -> bool:
    """Exact, for the device and PyTorch that made the outputs (the CPU, with the
    pinned version). Otherwise, for another device or PyTorch, only what those can
    legitimately change may differ: device annotations (device='cuda:0'), the
    spaces and line breaks around tokens (column padding, and the wrapping that a
    longer suffix causes), and each decimal number by one unit of its last printed
    digit. Words, integers, shapes and each number's count of decimals are the same."""
    if exact:
        return expected == actual
    e, a = _tokens(expected), _tokens(actual)
    return len(e) == len(a) and all(_same_token(x, y) for x, y in zip(e, a))
