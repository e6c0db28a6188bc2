"""Options of the snippet tests, and the verification records that a passing run
writes. Imports nothing but pytest, torch and the standard library, so the
snippet tests run on a GPU machine that has only those two (pytest 7.0 or newer)."""

import os
import sys

import pytest

if int(pytest.__version__.split(".")[0]) < 7:  # before anything that pytest 7.0 brought (StashKey)
    sys.exit(f"tests/conftest.py: the tests need pytest 7.0 or newer, and this is pytest {pytest.__version__}: "
             "pip install 'pytest>=7'")

# Before torch starts cuBLAS: with deterministic algorithms on (CUDA runs),
# cuBLAS needs this workspace setting, or every matrix product raises.
os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")

import datetime  # noqa: E402
import functools  # noqa: E402
import platform  # noqa: E402
from pathlib import Path  # noqa: E402

import torch  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import records  # noqa: E402  (standard library only)

pytest_plugins = ["pytester"]  # tests/test_snippets.py runs the runner on temporary snippets
PASSED = pytest.StashKey[dict]()  # (snippet, device) of every snippet test that passed: whether it used the GPU
HIDDEN_WARNINGS = pytest.StashKey[list]()  # warnings raised inside snippets that a reader never sees
RAN = pytest.StashKey[bool]()  # whether any snippet test ran
WRITTEN = pytest.StashKey[list]()  # (folder, record) of the records this run wrote


def pytest_addoption(parser):
    parser.addoption(
        "--device",
        choices=["auto", "cpu", "cuda", "all"],
        default="auto",
        help="where to run the snippets: auto = cpu, plus cuda when available (default); "
        "all = cpu and cuda; asking for cuda without a GPU fails",
    )
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the snippets' output files from real CPU runs, and their CPU records",
    )
    parser.addoption(
        "--record-cuda",
        action="store_true",
        help="after every snippet of a folder passed on CUDA, write that GPU's record",
    )
    parser.addoption("--snippets", type=Path, default=ROOT / "snippets", help="the folder of snippets to run")


def devices(config) -> list[str]:
    choice = config.getoption("--device")
    if config.getoption("--update-outputs"):
        return ["cpu"]  # outputs are made on the CPU; a GPU run checks them afterwards
    return {
        "auto": ["cpu"] + (["cuda"] if torch.cuda.is_available() else []),
        "cpu": ["cpu"],
        "cuda": ["cuda"],
        "all": ["cpu", "cuda"],
    }[choice]


def snippets(config) -> list[Path]:
    """Every .py file under the snippets folder (output/ folders hold their outputs)."""
    return sorted(p for p in config.getoption("--snippets").resolve().rglob("*.py") if "output" not in p.parts)


def device_name(device: str) -> str:
    return torch.cuda.get_device_name() if device == "cuda" else device


def pytest_configure(config):
    # The README's code blocks are tests too, whenever pytest-codeblocks is
    # installed (requirements.txt installs it; a bare GPU machine may not).
    if config.pluginmanager.hasplugin("codeblocks"):
        config.option.codeblocks = True
    if config.getoption("--record-cuda") and config.getoption("--device") not in ("cuda", "all"):
        raise pytest.UsageError("--record-cuda records a CUDA run: add --device=cuda")
    if (config.getoption("--update-outputs") or config.getoption("--record-cuda")) and getattr(config.option, "numprocesses", None):
        raise pytest.UsageError("--update-outputs and --record-cuda write the records of one run: run them without -n")
    if config.getoption("--update-outputs") and config.getoption("--device") in ("cuda", "all"):
        raise pytest.UsageError("--update-outputs makes the outputs on the CPU; check them on CUDA with --device=cuda")
    config.stash[PASSED], config.stash[RAN], config.stash[WRITTEN], config.stash[HIDDEN_WARNINGS] = {}, False, [], []


def pytest_generate_tests(metafunc):
    if "device" in metafunc.fixturenames:
        metafunc.parametrize("device", devices(metafunc.config))
    if "snippet" in metafunc.fixturenames:
        found = snippets(metafunc.config)
        root = metafunc.config.getoption("--snippets").resolve()
        metafunc.parametrize("snippet", found, ids=[p.relative_to(root).as_posix() for p in found])


@pytest.fixture
def passed(request) -> dict:
    """Where test_snippet notes each (snippet, device) that passed, and whether it used the GPU."""
    request.config.stash[RAN] = True
    return request.config.stash[PASSED]


@pytest.fixture
def hidden_warnings(request) -> list:
    """Where test_snippet notes the warnings of its snippet that a reader would not see."""
    return request.config.stash[HIDDEN_WARNINGS]


def records_due(config) -> list[tuple[Path, dict]]:
    """The records this run has earned: one per folder whose snippets all passed on
    a device whose record was asked for (the CPU with --update-outputs, CUDA with
    --record-cuda). A CUDA record names the snippets that used the GPU, and a
    folder none of whose snippets did gets none."""
    wanted = {"cpu": config.getoption("--update-outputs"), "cuda": config.getoption("--record-cuda")}
    found, passed = snippets(config), config.stash[PASSED]
    due = []
    for folder in sorted({s.parent for s in found}):
        for device in devices(config):
            ran = [s for s in found if s.parent == folder]
            on_gpu = [s.name for s in ran if passed.get((s, device))]
            if wanted.get(device) and all((s, device) in passed for s in ran) and (device == "cpu" or on_gpu):
                record = {
                    "device": device_name(device),
                    "torch": torch.__version__.split("+")[0],
                    "cuda": torch.version.cuda if device == "cuda" else None,
                    "python": platform.python_version(),
                    "date": datetime.date.today().isoformat(),
                    "outputs": records.digest(folder),
                }
                if device == "cuda":
                    record["gpu_examples"] = on_gpu
                due.append((folder, record))
    return due


def pytest_sessionfinish(session):
    session.config.stash[WRITTEN] = due = records_due(session.config)
    for folder, record in due:
        records.write(folder, record)


def pytest_terminal_summary(terminalreporter, config):
    """Which PyTorch and devices ran the snippets, against which PyTorch made their
    outputs (a run under another one compares within the last printed digit)."""
    if not config.stash[RAN]:
        return
    gpu = f", CUDA {torch.version.cuda} on {torch.cuda.get_device_name()}" if torch.cuda.is_available() else ""
    made = sorted({r["torch"] for s in snippets(config) for r in records.read(s.parent) if r["device"] == "cpu"})
    terminalreporter.write_line(
        f"snippets ran on {', '.join(devices(config))} with PyTorch {torch.__version__}{gpu}; "
        f"their outputs were made on cpu with PyTorch {', '.join(made) or '(no record)'}"
    )
    on_cuda = [used for (_, device), used in config.stash[PASSED].items() if device == "cuda"]
    if on_cuda:
        terminalreporter.write_line(f"on cuda, {sum(on_cuda)} of the {len(on_cuda)} snippets that passed put tensors on the GPU")
    for folder, record in config.stash[WRITTEN]:
        terminalreporter.write_line(f"recorded {record['device']} in {folder / records.FILE}")
    for warning in config.stash[HIDDEN_WARNINGS]:
        terminalreporter.write_line(f"a warning that a reader does not see (Python's default filters hide it): {warning}")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """All languages (SITE_LANGUAGES=pl: only Polish, quicker while working on one),
    built strictly (a warning fails the build) into a temporary folder."""
    sys.path.insert(0, str(ROOT / "tools"))
    import build_site  # MkDocs: imported here, so that the snippet tests need only torch

    site_dir = tmp_path_factory.mktemp("site")
    build_site.build_all(site_dir)
    return site_dir


@pytest.fixture(scope="session")
def server(site):
    """The built site as `python tools/build_site.py --serve` serves it: as a static host does."""
    import http.server
    import threading

    import build_site

    class QuietHost(build_site.StaticHost):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHost, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.hookimpl(hookwrapper=True)  # the old style: pluggy 1.0 (pytest 7.0) has no wrapper=True
def pytest_runtest_makereport(item, call):
    """Marks a test whose call failed, for fixtures that keep evidence (screenshots)."""
    report = (yield).get_result()
    if report.when == "call" and report.failed:
        item.failed = True
