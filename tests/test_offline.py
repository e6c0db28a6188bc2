"""Each language as one .zip that a reader downloads from its home page: what it
holds and weighs. (tests/test_browser.py opens it from file://.)"""

import json
import re
import sys
import zipfile

import pytest
from layout import LESSONS, ROOT, SNIPPETS

sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402
import records  # noqa: E402

LANGUAGES = build_site.languages()
BUDGET = 1_000_000  # bytes: a download for a slow connection


def download(site, lang):
    return site / lang / f"{build_site.site_config()['extra']['offline_zip']}-{lang}.zip"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_home_page_offers_the_zip_with_its_size(site, lang):
    path = download(site, lang)
    assert path.is_file(), f"{lang}: no {path.name}"
    assert path.stat().st_size <= BUDGET, f"{lang}: {path.name} weighs {path.stat().st_size:,} bytes"
    home = (site / lang / "index.html").read_text(encoding="utf-8")
    link = re.search(rf'<a class="md-button md-button--primary" href="{path.name}" download>([^<]+)</a>', home)
    assert link, f"{lang}: the home page does not offer {path.name}"
    assert f"{round(path.stat().st_size / 1000)} KB" in link.group(1), f"{lang}: the button says {link.group(1)!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_zip_holds_the_language_and_nothing_unused(site, lang):
    names = zipfile.ZipFile(download(site, lang)).namelist()
    search = json.loads((site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["lang"]
    lunr_needed = {"stemmer.support", "multi", *search} if search != ["en"] else set()
    notebooks = [f"{lang}/{lesson}-{lang}.zip" for lesson in LESSONS]  # each notebook's page offers its own
    lessons = [page for lesson in LESSONS for page in (f"{lesson}.html", f"{lesson}-notebook.html", f"{lesson}-{lang}.zip")]
    data = [path.name for lesson in LESSONS for path in records.data_files(SNIPPETS / lesson)]
    for needed in ("index.html", "search/search_index.js", *lessons, *data):
        assert f"{lang}/{needed}" in names, f"{lang}: the zip lacks {needed}"
    lunr = [n for n in names if "/lunr/" in n and not any(f"lunr.{needed}.min.js" in n for needed in lunr_needed)]
    unused = lunr + [n for n in names if n.endswith(".map") or n.endswith(".zip") and n not in notebooks or not n.startswith(f"{lang}/")]
    assert not unused, f"{lang}: the zip holds {unused}"
