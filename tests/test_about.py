"""Who makes the course, under which licences, where to report a mistake: the
footer of every page and the About page, in every language, with and without
a repository (REPO_URL)."""

import re
import sys
from types import SimpleNamespace

import pytest
from layout import DOCS, LANGUAGES, ROOT

sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tools"))
import about  # noqa: E402
import build_site  # noqa: E402

REPO = "https://git.example.org/team/llm-basics"


def strings(lang: str) -> dict:
    return build_site.site_config()["extra"]["strings"][lang]


def footer(page_html: str) -> str:
    found = re.search(r'<div class="md-copyright">(.*?)</div>\s*</div>', page_html, re.S)
    return found.group(1) if found else ""


def test_the_footer_names_the_licences_of_the_license_files():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8") + (ROOT / "LICENSES" / "Apache-2.0.txt").read_text(encoding="utf-8")
    for name, url in about.LICENCES.values():
        assert name.replace("Apache", "Apache License") in text, f"LICENSE does not name {name}"
        given = tuple(re.findall(r"https?://([^\s,)]+/)", text))  # addresses that the licence files give
        assert url.split("://")[1].startswith(given), f"{url} is not an address that the licence files give"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_names_its_licences_and_no_repository_when_there_is_none(site, lang):
    """The site that the tests build has a repository only if REPO_URL is set."""
    repo = about.repository(SimpleNamespace(extra=build_site.site_config()["extra"]))
    pages = sorted((site / lang).rglob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        shown = footer(html)
        for name, url in about.LICENCES.values():
            assert f'<a href="{url}">{name}</a>' in shown, f"{lang}/{page.name}: the footer does not link {name}"
        words = re.sub(r"<[^>]+>|\{\w+\}", "", strings(lang)["footer_licence"]).split()
        assert all(w in re.sub(r"<[^>]+>", "", shown) for w in words), f"{lang}/{page.name}: the footer is not in {lang}"
        links = re.findall(r'href="([^"]+)"', shown)
        assert links[3:] == ([repo, f"{repo}/issues"] if repo else []), f"{lang}/{page.name}: the footer links to {links[3:]}"
        assert "REPO_URL" not in html and "-repository -->" not in html, f"{lang}/{page.name}: a repository marker was left"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_about_page_reads_well_with_and_without_a_repository(lang):
    page = (DOCS / lang / "about.md").read_text(encoding="utf-8")
    assert page.count("<!-- with-repository -->") >= 2, f"docs/{lang}/about.md: no prose for a site with a repository"
    without = about.with_or_without_repository(page, "")
    assert "REPO_URL" not in without and "](" + REPO not in without and "-repository -->" not in without
    with_repo = about.with_or_without_repository(page, REPO)
    assert f"]({REPO}/issues)" in with_repo and f"]({REPO}#translations)" in with_repo, f"{lang}: no link to the issue tracker"
    assert "REPO_URL" not in with_repo and "-repository -->" not in with_repo
    shown = about.footer(strings(lang), REPO)
    assert f'<a href="{REPO}">{strings(lang)["footer_source"]}</a>' in shown
    assert f'<a href="{REPO}/issues">{strings(lang)["footer_report"]}</a>' in shown


def test_repo_url_puts_the_repository_and_its_issue_tracker_on_the_site(tmp_path, monkeypatch):
    """REPO_URL reaches the built pages (built in English only: the other languages
    differ only in the strings checked above)."""
    monkeypatch.setenv("REPO_URL", REPO + "/")
    monkeypatch.setenv("SITE_LANGUAGES", "en")
    build_site.build_all(tmp_path)
    about_page = (tmp_path / "en" / "about.html").read_text(encoding="utf-8")
    assert f'href="{REPO}/issues"' in about_page.split("<article")[1], "the About page does not link to the issue tracker"
    for page in (tmp_path / "en").glob("*.html"):
        assert re.findall(r'href="([^"]+)"', footer(page.read_text(encoding="utf-8")))[3:] == [REPO, f"{REPO}/issues"], page.name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_about_page_is_in_the_navigation_with_its_sections(site, lang):
    home = (site / lang / "index.html").read_text(encoding="utf-8")
    assert 'href="about.html" class="md-nav__link' in home, f"{lang}: the navigation does not lead to the About page"
    page = (site / lang / "about.html").read_text(encoding="utf-8")
    for section in ("who", "testing", "licences", "report", "languages"):
        assert f'id="{section}"' in page, f"{lang}: the About page has no section #{section}"
