"""Run one snippet as `cd snippets/LESSON && python NAME.py` would, on a chosen
device, in this process, and leave the process as it found it.

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
import io
import os
import random
import re
import signal
import sys
import warnings
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
TIME_LIMIT_S = 60  # generous: a first CUDA call alone can take seconds


class SnippetError(Exception):
    """A snippet raised, hung, or changed what later snippets would print."""


class Leak(Exception):
    """A block changed global state that isolated() cannot put back."""


def _printoptions() -> dict:
    options = torch._tensor_str.PRINT_OPTS  # what torch.set_printoptions sets
    return {key: getattr(options, key) for key in ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")}


def _deterministic():
    return torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()


# What a snippet may change for every later one, besides the default device
# that isolated() sets: (read it, put it back).
GLOBAL_STATE = {
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


@contextlib.contextmanager
def isolated(device: str):
    """Run a block on `device` and put back afterwards every global state it changed.
    On CUDA, deterministic algorithms are on: a kernel whose results may vary
    from run to run (embedding backward, scatter_add, index_add) raises instead."""
    state = {**GLOBAL_STATE, **_numpy_state()}
    saved = {name: get() for name, (get, _) in state.items()}
    modules = _public_modules()
    default_device = torch.get_default_device()
    torch.set_default_device(device)
    if device.startswith("cuda"):
        torch.use_deterministic_algorithms(True)  # cuBLAS too: conftest sets CUBLAS_WORKSPACE_CONFIG
    try:
        yield
    finally:
        torch.set_default_device(default_device)
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


def run_snippet(snippet: Path, device: str) -> dict[str, str]:
    """Run the file on `device`, in its own folder (where its data files are);
    return what it printed: {"": output} for a file without sections, else
    {section: output} for each section that printed. Raises SnippetError naming
    the file if it raises, warns, runs for more than TIME_LIMIT_S, leaks, or
    prints outside its sections."""

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
    try:
        os.chdir(snippet.parent)
        with isolated(device), contextlib.redirect_stdout(stdout), warnings.catch_warnings():
            warnings.simplefilter("error")  # a warning on the reader's screen is a bug
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
    if not MARKER.search(source):
        return {"": stdout.getvalue()}
    if stdout.outside:
        raise SnippetError(f"{name} prints outside its sections, where no page can show it: {stdout.outside[:80]!r}")
    return stdout.sections


NUMBER = re.compile(r"-?\d+\.\d+")
DEVICE_ANNOTATION = re.compile(r",\s*device='[a-z]+:\d+'")


def same_output(expected: str, actual: str, exact: bool) -> bool:
    """Exact, for the device and PyTorch that made the outputs (the CPU, with the
    pinned version). Otherwise the same text once device annotations are removed,
    each decimal number within one unit of its last printed digit."""
    if exact:
        return expected == actual
    actual = DEVICE_ANNOTATION.sub("", actual)
    if NUMBER.split(expected) != NUMBER.split(actual):
        return False
    pairs = zip(NUMBER.findall(expected), NUMBER.findall(actual))
    return all(abs(float(e) - float(a)) <= 10.0 ** -len(e.split(".")[1]) * 1.0001 for e, a in pairs)
