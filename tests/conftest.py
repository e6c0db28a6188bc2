"""Options of the snippet tests. Imports nothing but pytest and torch, so the
snippet tests run on a GPU machine that has only those two."""

import pytest
import torch


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
        help="rewrite snippets/output/*.txt from real CPU runs instead of comparing",
    )


def pytest_configure(config):
    # The README's code blocks are tests too, whenever pytest-codeblocks is
    # installed (requirements.txt installs it; a bare GPU machine may not).
    if config.pluginmanager.hasplugin("codeblocks"):
        config.option.codeblocks = True


def pytest_generate_tests(metafunc):
    if "device" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--device")
        devices = {
            "auto": ["cpu"] + (["cuda"] if torch.cuda.is_available() else []),
            "cpu": ["cpu"],
            "cuda": ["cuda"],
            "all": ["cpu", "cuda"],
        }[choice]
        metafunc.parametrize("device", devices)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """All languages, built strictly (a warning fails the build) into a temporary folder."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import build_site  # MkDocs: imported here, so that the snippet tests need only torch

    site_dir = tmp_path_factory.mktemp("site")
    build_site.build_all(site_dir)
    return site_dir


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Marks a test whose call failed, for fixtures that keep evidence (screenshots)."""
    report = yield
    if report.when == "call" and report.failed:
        item.failed = True
    return report
