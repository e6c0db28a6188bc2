"""Options of the snippet tests, and the verification records that a passing run
writes. Imports nothing but pytest, torch and the standard library, so the
snippet tests run on a GPU machine that has only those two."""

import os

# Before torch starts cuBLAS: with deterministic algorithms on (CUDA runs),
# cuBLAS needs this workspace setting, or every matrix product raises.
os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")

import datetime  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
import torch  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import records  # noqa: E402  (standard library only)

pytest_plugins = ["pytester"]  # tests/test_snippets.py runs the runner on temporary snippets
PASSED = pytest.StashKey[set]()  # (snippet, device) of every snippet test that passed
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
    if config.getoption("--update-outputs") and config.getoption("--device") in ("cuda", "all"):
        raise pytest.UsageError("--update-outputs makes the outputs on the CPU; check them on CUDA with --device=cuda")
    config.stash[PASSED], config.stash[RAN], config.stash[WRITTEN] = set(), False, []


def pytest_generate_tests(metafunc):
    if "device" in metafunc.fixturenames:
        metafunc.parametrize("device", devices(metafunc.config))
    if "snippet" in metafunc.fixturenames:
        found = snippets(metafunc.config)
        root = metafunc.config.getoption("--snippets").resolve()
        metafunc.parametrize("snippet", found, ids=[p.relative_to(root).as_posix() for p in found])


@pytest.fixture
def passed(request) -> set:
    """Where test_snippet notes each (snippet, device) that passed."""
    request.config.stash[RAN] = True
    return request.config.stash[PASSED]


def records_due(config) -> list[tuple[Path, dict]]:
    """The records this run has earned: one per folder whose snippets all passed on
    a device whose record was asked for (the CPU with --update-outputs, CUDA with
    --record-cuda)."""
    wanted = {"cpu": config.getoption("--update-outputs"), "cuda": config.getoption("--record-cuda")}
    found = snippets(config)
    due = []
    for folder in sorted({s.parent for s in found}):
        for device in devices(config):
            if wanted.get(device) and all((s, device) in config.stash[PASSED] for s in found if s.parent == folder):
                record = {
                    "device": device_name(device),
                    "torch": torch.__version__.split("+")[0],
                    "cuda": torch.version.cuda if device == "cuda" else None,
                    "python": platform.python_version(),
                    "date": datetime.date.today().isoformat(),
                    "outputs": records.digest(folder),
                }
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
    for folder, record in config.stash[WRITTEN]:
        terminalreporter.write_line(f"recorded {record['device']} in {folder / records.FILE}")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """All languages, built strictly (a warning fails the build) into a temporary folder."""
    sys.path.insert(0, str(ROOT / "tools"))
    import build_site  # MkDocs: imported here, so that the snippet tests need only torch

    site_dir = tmp_path_factory.mktemp("site")
    # SITE_LANGUAGES=pl builds only Polish: quicker while working on one language.
    only = os.environ.get("SITE_LANGUAGES")
    build_site.build_all(site_dir, only.split(",") if only else None)
    return site_dir


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Marks a test whose call failed, for fixtures that keep evidence (screenshots)."""
    report = yield
    if report.when == "call" and report.failed:
        item.failed = True
    return report
