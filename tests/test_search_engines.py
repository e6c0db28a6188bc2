"""What search engines read: per-language sitemaps that list every page with the
same page in each language (hreflang) and x-default, a canonical URL and a
description in the page's language on every page, and robots.txt."""

import re
import sys
from pathlib import Path

import pytest
from layout import DOCS, ROOT

sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

LANGUAGES = build_site.languages()
ROOT_URL = build_site.site_root()


def pages(site: Path, lang: str) -> list[str]:
    return sorted(p.relative_to(site / lang).as_posix() for p in (site / lang).rglob("*.html") if p.name != "404.html")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_sitemap_lists_every_page_with_its_languages(site, lang):
    sitemap = (site / lang / "sitemap.xml").read_text(encoding="utf-8")
    urls = re.findall(r"<url>(.*?)</url>", sitemap, re.S)
    listed = [re.search(r"<loc>(.*?)</loc>", u).group(1) for u in urls]
    assert listed and sorted(listed) == [f"{ROOT_URL}{lang}/{p}" for p in pages(site, lang)]
    for url, page in zip(urls, listed):
        alternates = dict((h, href) for h, href in re.findall(r'hreflang="([\w-]+)" href="([^"]+)"', url))
        path = page[len(ROOT_URL) + len(lang) + 1 :]
        assert alternates == {**{other: f"{ROOT_URL}{other}/{path}" for other in LANGUAGES}, "x-default": ROOT_URL}, url
        for other in LANGUAGES:
            assert (site / other / path).is_file(), f"{lang}/sitemap.xml: {other}/{path} does not exist"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_names_its_canonical_url_and_describes_itself_in_its_language(site, lang):
    english = {}
    for page in pages(site, lang):
        html = (site / lang / page).read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{ROOT_URL}{lang}/{page}">' in html, f"{lang}/{page}: no canonical URL"
        description = re.search(r'<meta name="description" content="([^"]+)">', html)
        assert description, f"{lang}/{page}: no meta description"
        english[page] = (site / "en" / page).read_text(encoding="utf-8")
        if lang != "en":
            assert description.group(0) not in english[page], f"{lang}/{page}: the description is the English one"


@pytest.mark.parametrize("page", sorted(DOCS.glob("*/*.md")), ids=lambda p: str(p.relative_to(DOCS)))
def test_every_page_has_front_matter_with_a_description(page):
    """A front matter that YAML cannot read becomes text on the page: say so."""
    from mkdocs.utils.meta import get_data

    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"docs/{page.relative_to(DOCS)}: no front matter"
    _, meta = get_data(text)
    assert meta.get("description"), f"docs/{page.relative_to(DOCS)}: no description in its front matter (or YAML cannot read it)"


def test_robots_txt_names_every_sitemap(site):
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert [f"{ROOT_URL}{lang}/sitemap.xml" for lang in LANGUAGES] == re.findall(r"^Sitemap: (\S+)$", robots, re.M)
