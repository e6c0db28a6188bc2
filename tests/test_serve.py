"""The README's own commands, `python tools/build_site.py` and its `--serve`:
what the build says, each language's 404 page at any depth, a busy port."""

import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from layout import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

LANGUAGES = build_site.languages()
BUILD = [sys.executable, str(ROOT / "tools" / "build_site.py")]


@pytest.mark.parametrize("lang", [*LANGUAGES, None], ids=[*LANGUAGES, "outside-any-language"])
def test_a_wrong_address_gets_the_404_page_of_its_language_at_any_depth(site, server, lang):
    if lang and not (site / lang).is_dir():
        pytest.skip(f"{lang} not built (SITE_LANGUAGES)")
    shown = lang or LANGUAGES[0]  # the root's 404 page is the first language's
    address = f"{server}/{lang or 'no-such-language'}/a/b/c.html"
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(address)
    assert answer.value.code == 404, f"{address}: HTTP {answer.value.code}"
    page = answer.value.read().decode("utf-8")
    assert re.search(r'<html lang="([^"]+)"', page).group(1) == shown, f"{address}: not the {shown} 404 page"
    strings = build_site.site_config()["extra"]["strings"][shown]
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert title.startswith(strings["not_found_title"]), f"{address}: the title {title!r} does not say that the page was not found"


def test_a_folder_is_not_listed(server):
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(f"{server}/{LANGUAGES[0]}/assets/")
    assert answer.value.code == 404


@pytest.mark.parametrize("command", [["--serve"], ["--live", LANGUAGES[0]]], ids=["serve", "live"])
def test_a_busy_port_stops_it_at_once_with_one_line(tmp_path, command):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([*BUILD, *command, "--port", str(port), "--site-dir", str(tmp_path)],
                             capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0] and "--port" in lines[0], run.stderr
    assert not any(tmp_path.iterdir()), "it built the site before saying that the port is busy"


def test_a_build_says_each_language_as_it_goes_and_once_that_its_links_point_here(tmp_path):
    env = {**os.environ, "SITE_LANGUAGES": "sw,en"}
    env.pop("SITE_URL", None)
    run = subprocess.run([*BUILD, "--site-dir", str(tmp_path)], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    assert [line.split()[1] for line in run.stdout.splitlines()] == ["sw", "en"], run.stdout
    assert run.stderr.count("SITE_URL") == 1, run.stderr


def test_a_build_for_another_address_says_nothing_of_it(monkeypatch, capsys):
    monkeypatch.setattr(build_site, "site_root", lambda: "https://course.example/")
    build_site.warn_if_local(Path("site"))
    assert capsys.readouterr().err == ""


def test_an_unknown_language_in_site_languages_stops_the_build_with_one_line(tmp_path):
    env = {**os.environ, "SITE_LANGUAGES": "en,xx"}
    run = subprocess.run([*BUILD, "--site-dir", str(tmp_path)], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [f"Build failed: SITE_LANGUAGES names xx, not a language of mkdocs.yml ({', '.join(LANGUAGES)})"]
