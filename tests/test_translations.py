"""Every language keeps in step with English: the same pages, the same sections,
the same snippets and equations in the same order, prose in its own language,
and nothing of the source's debris."""

import re
import warnings
from html.parser import HTMLParser

import pytest
from layout import DOCS, LANGUAGES, ROOT

TRANSLATIONS = [lang for lang in LANGUAGES if lang != "en"]
ENGLISH_PAGES = sorted(p.relative_to(DOCS / "en") for p in (DOCS / "en").rglob("*.md"))

# Defects of the source pages (../shared/source/README.md) that must never reach a page.
DEBRIS = [
    "Copy code",                      # copy-paste debris glued to code
    "```css",                         # program output fenced as CSS
    "{{#include",                     # mdBook directive of the source's site
    "hacktricks-training",             # the source site's banner (lesson 0 credits HackTricks by name)
    "I'm sorry",                      # machine translator's refusals
    "can't assist",
    "cannot provide the content",
    "images/image",                   # references to images that do not exist
    "<img",
    "Achterwaartse",                  # Dutch, not Afrikaans
    "vooroordeel",                    # "prejudice", not the bias of a neuron
    "sue billions",
    "millions of parameters",
]


def structure(text: str) -> dict[str, list]:
    """What must be the same in every language: headings (level and anchor),
    includes, and equations, each in order."""
    no_code = re.sub(r"^(\s*)```.*?^\1```[ \t]*$", "", text, flags=re.S | re.M)
    return {
        "headings": re.findall(r"^(#{2,6}) .*?(\{ *#[\w-]+ *\})?\s*$", no_code, re.M),
        "includes": re.findall(r'--8<--\s+"([^"]+)"', text),
        "placeholders": re.findall(r"<!-- ([\w-]+) -->", text),
        "block equations": re.findall(r"^\$\$\n(.*?)\n\$\$$", text, re.S | re.M),
        "inline equations": re.findall(r"(?<![$\\])\$([^$\n]+)\$", re.sub(r"^\$\$\n.*?\n\$\$$", "", no_code, flags=re.S | re.M)),
    }


@pytest.mark.parametrize("lang", TRANSLATIONS)
@pytest.mark.parametrize("page", ENGLISH_PAGES, ids=str)
def test_translation_has_the_english_structure(lang, page):
    translated = DOCS / lang / page
    assert translated.is_file(), f"{lang}: the page {page} is missing (docs/{lang}/{page})"
    english = structure((DOCS / "en" / page).read_text(encoding="utf-8"))
    ours = structure(translated.read_text(encoding="utf-8"))
    for what, expected in english.items():
        got = ours[what]
        for n, (e, g) in enumerate(zip(expected, got), 1):
            assert e == g, f"{lang}/{page}: {what} #{n} differs: English has {e!r}, {lang} has {g!r}"
        assert len(expected) == len(got), (
            f"{lang}/{page}: {len(got)} {what}, English has {len(expected)}; "
            f"first missing or extra: {(expected[len(got):] or got[len(expected):])[0]!r}"
        )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_source_debris(lang):
    found = [
        f"docs/{lang}/{page.relative_to(DOCS / lang)}: {needle!r}"
        for page in sorted((DOCS / lang).rglob("*.md"))
        for needle in DEBRIS
        if needle.lower() in page.read_text(encoding="utf-8").lower()
    ]
    assert not found, "source debris on the pages:\n" + "\n".join(found)


class Prose(HTMLParser):
    """The prose paragraphs of a built page: the text of its article's block
    elements, without code, math or figures."""

    SKIP_TAGS = {"pre", "code", "math", "svg", "script", "style", "nav"}  # nav: the glossary's bar of letters
    # A notebook page's hidden copy of each code cell; a code block's title ("Output",
    # "Continues the code above: text, tokens"), a label that names code.
    SKIP_CLASSES = {"clipboard-copy-txt", "filename"}
    BLOCKS = {"p", "li", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "summary", "ul", "ol", "div", "details"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, bool]] = []  # (tag, skipped) of the open elements
        self.text = ""
        self.paragraphs: list[str] = []

    def skipping(self) -> bool:
        return any(skipped for _, skipped in self.open)

    def in_article(self) -> bool:
        return any(tag == "article" for tag, _ in self.open)

    def flush(self):
        words = self.text.replace("¶", "").split()  # ¶: the headings' permalinks
        if self.in_article() and words:
            self.paragraphs.append(" ".join(words))
        self.text = ""

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if tag in self.BLOCKS and not self.skipping():
            self.flush()
        classes = set((dict(attrs).get("class") or "").split())
        self.open.append((tag, tag in self.SKIP_TAGS or bool(classes & self.SKIP_CLASSES)))

    def handle_endtag(self, tag):
        if tag in self.VOID or tag not in (t for t, _ in self.open):
            return
        if tag in self.BLOCKS and not self.skipping():
            self.flush()
        while self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not self.skipping():
            self.text += data


def prose_paragraphs(page_html: str, min_words: int = 6) -> list[str]:
    parser = Prose()
    parser.feed(page_html)
    return [p for p in parser.paragraphs if len(p.split()) >= min_words]


@pytest.fixture(scope="module")
def detector():
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().build()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_prose_is_recognised_as_the_page_language(site, detector, lang):
    """On every page of the language (lessons, their notebooks, home, glossary), at
    least 95% of the prose paragraphs are recognised as that language by lingua,
    choosing among all its languages."""
    if not (site / lang).is_dir():
        pytest.skip(f"{lang} not built (SITE_LANGUAGES)")
    pages = [p for p in sorted((site / lang).rglob("*.html")) if p.name != "404.html"]
    assert len(pages) >= len(ENGLISH_PAGES)
    failures = []
    for page in pages:
        paragraphs = prose_paragraphs(page.read_text(encoding="utf-8"))
        detected = detector.detect_languages_in_parallel_of(paragraphs)
        wrong = [(d.name if d else "unknown", p) for d, p in zip(detected, paragraphs) if not d or d.iso_code_639_1.name.lower() != lang]
        share = 1 - len(wrong) / max(len(paragraphs), 1)
        print(f"{lang}/{page.name}: {share:.1%} of {len(paragraphs)} paragraphs recognised as {lang}")
        if share < 0.95:
            failures.append(f"{lang}/{page.name}: only {share:.1%} of {len(paragraphs)} paragraphs recognised; not recognised:\n"
                            + "\n".join(f"  [{name}] {p}" for name, p in wrong))
    assert not failures, "\n".join(failures)


def translation_status():
    import sys

    sys.path.insert(0, str(ROOT / "hooks"))
    import translation_status

    return translation_status


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_each_translated_page_records_the_english_it_follows(lang):
    status = translation_status()
    for page in sorted((DOCS / lang).glob("*.md")):
        assert status.recorded_revision(page.read_text(encoding="utf-8")), (
            f"docs/{lang}/{page.name}: no english_revision in its front matter "
            f"(python hooks/translation_status.py --stamp {lang})"
        )


def test_translations_behind_english_are_reported():
    """Not a failure: English may move ahead. Its readers see a notice, and this names them."""
    for page in translation_status().behind():
        warnings.warn(f"docs/{page} follows an older English page: update it, then --stamp", UserWarning)


def test_a_page_behind_english_shows_a_notice_linking_to_english():
    from types import SimpleNamespace

    from mkdocs.utils.yaml import yaml_load

    status = translation_status()
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        config = SimpleNamespace(theme={"language": "pl"}, extra=yaml_load(f)["extra"])

    def page(revision):
        return SimpleNamespace(
            meta={"english_revision": revision},
            file=SimpleNamespace(src_uri="basic-llm-concepts.md"),
            url="basic-llm-concepts/",
        )

    current = status.english_revision("basic-llm-concepts.md")
    assert status.on_page_markdown("# Tekst", page(current), config) == "# Tekst"
    behind = status.on_page_markdown("# Tekst", page("0" * 12), config)
    assert "Angielska wersja tej strony jest nowsza" in behind
    assert behind.startswith("# Tekst\n"), "the notice comes before the title, which then names the page nowhere"
    assert 'href="../../en/basic-llm-concepts/"' in behind
