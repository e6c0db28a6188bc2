"""Every language's lesson in a real browser: Debian's Chromium, driven by Playwright.

Without Chromium these tests skip, except in CI (CI=true), where a missing
browser fails. A failing test leaves a screenshot in test-artifacts/.
"""

import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile

import pytest
from layout import DOCS, LANGUAGES, LESSONS, ROOT, SNIPPET_FILES

sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

LESSON = "basic-llm-concepts.html"  # the lesson that the tests of one page open
SECTION = "autograd"  # a section of LESSON (every language has the same anchors)
PAGES = ["index.html", "glossary.html", "about.html", "run-locally.html", *(f"{lesson}{kind}.html" for lesson in LESSONS for kind in ("", "-notebook"))]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# A word of each language's lesson, and not of the others', for the search test.
SEARCH_WORD = {"en": "pretraining", "af": "voorafopleiding", "pl": "pochodne", "sw": "mnyororo", "hi": "टेन्सर"}


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the browser tests (.ci/run installs Chromium)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    if not chromium:
        unavailable("no chromium on PATH (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed")
    with sync_playwright() as p, contextlib.ExitStack() as stack:
        user_data = stack.enter_context(tempfile.TemporaryDirectory())
        context = p.chromium.launch_persistent_context(
            user_data,
            executable_path=chromium,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        yield context
        context.close()


@pytest.fixture
def page(browser, request):
    """A fresh tab that records what the page asks for and what goes wrong;
    on a failing test, a screenshot goes to test-artifacts/."""
    tab = browser.new_page()
    tab.requests, tab.problems = [], []
    tab.on("request", lambda r: tab.requests.append(r.url))
    tab.on("requestfailed", lambda r: tab.problems.append(f"request failed: {r.url} ({r.failure})"))
    tab.on("response", lambda r: r.status >= 400 and tab.problems.append(f"HTTP {r.status}: {r.url}"))
    tab.on("console", lambda m: m.type == "error" and tab.problems.append(f"console error: {m.text}"))
    tab.on("pageerror", lambda e: tab.problems.append(f"page error: {e}"))
    yield tab
    if getattr(request.node, "failed", False):
        ARTIFACTS.mkdir(exist_ok=True)
        # Blocks far from the screen are not laid out (content-visibility): a full-page
        # screenshot would show holes where they are.
        tab.add_style_tag(content="* { content-visibility: visible !important; }")
        tab.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    tab.close()


def open_lesson(page, server, lang, width=1280, wait_until="load"):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server}/{lang}/{LESSON}", wait_until=wait_until)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_asks_nothing_of_other_hosts_and_nothing_fails(page, server, lang):
    open_lesson(page, server, lang, wait_until="networkidle")  # the search index loads after the page
    elsewhere = [url for url in page.requests if not url.startswith(server + "/")]
    assert not elsewhere, f"{lang}: requests that leave 127.0.0.1: {elsewhere}"
    assert not page.problems, f"{lang}: " + "\n".join(page.problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_equation_is_rendered(page, server, lang):
    open_lesson(page, server, lang)
    equations = page.locator("article math")
    assert equations.count() >= 20, f"{lang}: only {equations.count()} equations on the page"
    for i in range(equations.count()):
        box = equations.nth(i).bounding_box()
        text = equations.nth(i).text_content().strip()
        assert box and box["width"] > 0 and box["height"] > 0 and text, f"{lang}: equation {i + 1} is not visible"
    body = page.locator("article").inner_text()
    raw = [t for t in ("\\frac", "\\partial", "\\sigma", "$$", "\\(") if t in body]
    assert not raw, f"{lang}: raw LaTeX left on the page: {raw}"


def snippet_texts() -> set[str]:
    """Every text a code block may copy: each snippet file and each of its named
    sections, as the pages include them (hooks/examples.py reads them the same way)."""
    sys.path.insert(0, str(ROOT / "hooks"))
    from examples import snippet

    targets = []
    for path in SNIPPET_FILES:
        name = str(path.relative_to(ROOT))
        targets += [name, *(f"{name}:{section}" for section in re.findall(r"\[start:(\w+)\]", path.read_text(encoding="utf-8")))]
    return {snippet(target).strip() for target in targets}


# Every language includes the same snippets in the same order (tests/test_translations.py),
# and the copy button is the theme's: checked in English, and in Hindi's script around them.
@pytest.mark.parametrize("lesson", LESSONS)
@pytest.mark.parametrize("lang", ["en", "hi"])
def test_every_code_block_copies_its_snippet(browser, page, server, lang, lesson):
    browser.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server}/{lang}/{lesson}.html")
    page.locator("details").evaluate_all("els => els.forEach(d => d.open = true)")  # collapsed blocks
    blocks = page.locator("article div.highlight")
    markdown = (DOCS / lang / f"{lesson}.md").read_text(encoding="utf-8")
    figures = len(re.findall(r'^```(?:heatmap|curves)\b', markdown, re.M))  # drawn from an output, not shown as code
    included = markdown.count('--8<-- "snippets/') - figures
    assert blocks.count() == included, f"{lang}/{lesson}: {blocks.count()} code blocks for {included} snippet includes"
    expected = snippet_texts()
    for i in range(blocks.count()):
        button = blocks.nth(i).locator('button[data-md-type="copy"]')
        assert button.count() == 1, f"{lang}: code block {i + 1} has no copy button"
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.strip() in expected, f"{lang}: code block {i + 1} copies text of no snippet file:\n{copied}"


def choose_language(page, lang):
    page.locator(".md-header .md-select").hover()
    page.locator(f'a.md-select__link[hreflang="{lang}"]').click()
    page.wait_for_load_state()


def assert_the_selector_marks(page, lang):
    """The page's language is marked for screen readers (aria-current) and for the eye."""
    current = page.locator("a.md-select__link[aria-current]")
    assert current.count() == 1 and current.get_attribute("hreflang") == lang, f"{lang}: the selector does not mark {lang}"
    look = "link => [getComputedStyle(link).fontWeight, getComputedStyle(link, '::before').content]"
    others = page.locator("a.md-select__link:not([aria-current])")
    assert all(current.evaluate(look) != others.nth(i).evaluate(look) for i in range(others.count())), (
        f"{lang}: the selector's current language looks like the others"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_language_selector_marks_the_language_and_leads_to_the_same_section(page, server, lang):
    for other in [o for o in LANGUAGES if o != lang]:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{server}/{lang}/{LESSON}#{SECTION}")
        assert_the_selector_marks(page, lang)
        choose_language(page, other)
        assert page.url == f"{server}/{other}/{LESSON}#{SECTION}", f"{lang} -> {other}: the selector went to {page.url}"
        assert page.locator("html").get_attribute("lang") == other
        assert_the_selector_marks(page, other)


def section_once_scrolled(page, scroll, wanted) -> str:
    """The #section in the address as the reader scrolls (`scroll(n)`, the n-th move),
    until it is `wanted`. The theme updates it once the page rests, and not after the
    first scroll that follows a page load."""
    for n in range(20):
        scroll(n)
        page.wait_for_timeout(300)
        section = page.evaluate("location.hash")
        if wanted(section):
            break
    return section


def test_from_the_file_system_the_language_selector_keeps_the_section_being_read(page, site):
    """Scrolled to a section (the address follows it), the reader changes language and
    lands on it; at the top of a page, at the top of the other."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto((site / "en" / LESSON).as_uri())
    assert_the_selector_marks(page, "en")
    page.locator(f"#{SECTION}").evaluate("heading => heading.scrollIntoView()")
    section = section_once_scrolled(page, lambda n: page.mouse.wheel(0, 50), wanted=bool)
    assert section, "the address does not follow the section being read (navigation.tracking)"
    choose_language(page, "hi")
    assert page.url == f"{(site / 'hi' / LESSON).as_uri()}{section}"
    assert_the_selector_marks(page, "hi")
    at_the_top = section_once_scrolled(page, lambda n: page.evaluate(f"window.scrollTo(0, {n % 2})"), wanted=lambda s: s == "")
    assert at_the_top == "", f"at the top of the page, the address still names {at_the_top}"
    choose_language(page, "en")
    assert page.url == (site / "en" / LESSON).as_uri()


def serious_violations(page, scheme: str, options: str) -> list[str]:
    violations = page.evaluate(f"axe.run(document, {options}).then(r => r.violations)")
    return [
        f"{scheme}: {v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_page_fits_a_phone_and_has_no_serious_accessibility_violation(page, server, lang, name):
    """On a 375-pixel phone screen, collapsed blocks opened: nothing wider than the
    screen, and axe-core finds no serious or critical violation, in the light colour
    scheme and, once the reader switches to it, in the dark one. One load: the page is
    the same in both, so in the dark scheme only the rules that read colours run again."""
    if not AXE.exists():
        unavailable("axe-core is not installed (npm ci)")
    page.set_viewport_size({"width": 375, "height": 900})
    page.emulate_media(color_scheme="light")
    page.add_init_script("localStorage.clear()")  # no scheme kept from an earlier page: the system's
    response = page.goto(f"{server}/{lang}/{name}")
    assert response.ok, f"{lang}/{name}: HTTP {response.status}"
    page.locator("details").evaluate_all("els => els.forEach(d => d.open = true)")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{lang}/{name}: the page is {overflow}px wider than a 375px phone screen"
    # Every block laid out, as a reader who scrolled down has it: content-visibility lays
    # out a block only near the screen, and axe, measuring a page still being laid out,
    # takes the colour behind the footer from a code block that is no longer there.
    page.add_style_tag(content=".md-typeset > * { content-visibility: visible !important; }")
    page.add_script_tag(path=str(AXE))
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    serious = serious_violations(page, "light", "{resultTypes: ['violations']}")
    page.add_style_tag(content="* { transition: none !important; }")  # the new colours at once, not fading in
    page.emulate_media(color_scheme="dark")
    page.locator("label.md-header__button[for^='__palette']:visible").click()  # the theme's dark mode switch
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    serious += serious_violations(page, "dark", "{runOnly: ['color-contrast', 'link-in-text-block'], resultTypes: ['violations']}")
    page.evaluate("localStorage.clear()")  # the theme keeps the reader's choice: the next pages follow the system
    assert not serious, f"{lang}/{name}: " + "\n".join(serious)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_works_offline_in_the_page_language(page, site, lang):
    """Opened from the file system, as a downloaded copy would be: search finds
    the lesson by a word of its language, and only pages of that language."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto((site / lang / LESSON).as_uri())
    page.locator("input.md-search__input").fill(SEARCH_WORD[lang])
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(LESSON in h for h in hrefs), f"{lang}: searching {SEARCH_WORD[lang]!r} did not find the lesson: {hrefs}"
    resolved = [page.evaluate("h => new URL(h, location.href).href", h) for h in hrefs]
    other = [u for u in resolved if not u.startswith((site / lang).as_uri() + "/")]
    assert not other, f"{lang}: search results from other languages: {other}"
    # From file://, the browser refuses Material's look-up of the other languages'
    # sitemap.xml (its same-page language switching; ours needs none of it).
    problems = [p for p in page.problems if "sitemap.xml" not in p and p != "console error: Failed to load resource: net::ERR_FAILED"]
    assert not problems, f"{lang}: " + "\n".join(problems)


def strings(lang: str) -> dict:
    return build_site.site_config()["extra"]["strings"][lang]


# How readers type a word, without its accents or nukta, and how the pages write it.
FOLDED = {"af": ("gradient", "gradiënt"), "pl": ("tokenow", "tokenów"), "hi": ("टोकनाइजर", "टोकनाइज़र")}


def search(page, query: str) -> set[str]:
    """The pages that the search box finds, the query put in without a key once
    search is ready (as a paste with the mouse does)."""
    from playwright.sync_api import expect

    config = json.loads(page.locator("#__config").text_content())
    ready = config["translations"]["search.result.placeholder"]
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").fill("")
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text(ready, timeout=10_000)
    page.keyboard.insert_text(query)
    try:
        expect(meta).not_to_have_text(ready)
    except AssertionError:
        raise AssertionError(f"{query!r}, put in without a key (as a paste), did not search") from None
    links = page.locator(".md-search-result__item > .md-search-result__link")
    return {links.nth(i).get_attribute("href").split("?")[0].split("#")[0] for i in range(links.count())}


@pytest.mark.parametrize("protocol", ["http", "file"])
@pytest.mark.parametrize("lang", FOLDED)
def test_search_finds_a_word_without_its_accents_or_nukta(page, server, site, lang, protocol):
    plain, marked = FOLDED[lang]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server}/{lang}/index.html" if protocol == "http" else (site / lang / "index.html").as_uri())
    found = search(page, marked)
    assert found, f"{lang}: {marked!r} finds nothing"
    assert search(page, plain) == found, f"{lang}: {plain!r} does not find what {marked!r} finds"



DOCUMENT_404 = "console error: Failed to load resource: the server responded with a status of 404 (Not Found)"


def test_without_javascript_the_site_root_lists_the_languages_in_the_system_font(page, server):
    scripts = page.context.new_cdp_session(page)
    scripts.send("Emulation.setScriptExecutionDisabled", {"value": True})
    page.goto(f"{server}/index.html")
    links = page.locator("li a")
    hreflangs = [links.nth(i).get_attribute("hreflang") for i in range(links.count())]
    scripts.send("Emulation.setScriptExecutionDisabled", {"value": False})  # to read the style (and for a screenshot)
    assert hreflangs == build_site.languages()
    style = page.locator("ul").evaluate("ul => [getComputedStyle(ul).listStyleType, getComputedStyle(ul).fontFamily]")
    assert style == ["none", "system-ui, sans-serif"], f"the root's list of languages is unstyled: {style}"


@pytest.mark.parametrize("lang", [*LANGUAGES, None], ids=[*LANGUAGES, "root"])
def test_the_404_page_works_at_a_deep_address(page, server, lang):
    """Styled, in its language, with links that work, wherever the host serves it."""
    missing = f"{server}/{lang + '/' if lang else ''}no/such/deep/page.html"
    response = page.goto(missing)
    assert response.status == 404
    # The one expected failure: the missing address itself (a request, a console line).
    problems = [p for p in page.problems if p not in (f"HTTP 404: {missing}", DOCUMENT_404)]
    assert not problems, "\n".join(problems)
    shown = lang or "en"
    assert page.locator("html").get_attribute("lang") == shown
    assert page.locator("article h1").inner_text() == strings(shown)["not_found_title"]
    assert page.locator(".md-header").bounding_box()["height"] < 100, "the page is not styled"
    with page.expect_navigation():
        page.locator(f'article a[href$="{LESSON}"]').click()
    assert page.url == f"{server}/{shown}/{LESSON}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_downloaded_zip_works_from_the_file_system(page, site, lang, tmp_path):
    """Unzipped, as a reader would: the lesson renders, search finds a word of its
    language, the home page says it is the downloaded copy, and nothing goes wrong."""
    download = site / lang / f"{build_site.site_config()['extra']['offline_zip']}-{lang}.zip"  # beside the notebooks' .zip files
    zipfile.ZipFile(download).extractall(tmp_path)
    copy = tmp_path / lang
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto((copy / LESSON).as_uri())
    assert page.locator("article h1").is_visible()
    page.locator("input.md-search__input").fill(SEARCH_WORD[lang])
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10_000)
    assert any(LESSON in results.nth(i).get_attribute("href") for i in range(results.count()))
    page.goto((copy / "index.html").as_uri())
    assert page.get_by_text(strings(lang)["file_offline"]).is_visible()
    assert not page.locator(".offline-download").is_visible()
    assert not page.locator(".md-header .md-select").is_visible(), "the copy holds one language: no selector"
    assert not page.problems, f"{lang}: " + "\n".join(page.problems)


def test_hindi_is_never_slanted_and_its_english_glosses_keep_their_italic(page, server):
    """Devanagari fonts have no italic: a browser would slant the letters instead. On a
    Hindi page, emphasised Hindi looks like plain Hindi, and an English gloss is italic."""
    page.goto(f"{server}/hi/index.html")

    def shot(markup: str) -> bytes:
        page.evaluate("m => { const p = document.createElement('p'); p.id = 'probe'; p.innerHTML = m; "
                      "document.querySelector('article').prepend(p); }", markup)
        image = page.locator("#probe > *").screenshot()
        page.evaluate("document.getElementById('probe').remove()")
        return image

    hindi = "कुत्ते ने आदमी को काटा"
    assert shot(f"<em>{hindi}</em>") == shot(f"<span>{hindi}</span>"), "emphasised Hindi is slanted"
    assert shot("<em>token IDs</em>") != shot("<span>token IDs</span>"), "an English gloss lost its italic"
