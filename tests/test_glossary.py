"""Every language's glossary (docs/<lang>/glossary.md) and how its pages use it:
the term of the glossary, glossed once in one style where a page first uses it,
and never a variant that the glossary avoids.

A glossary entry is a heading, `## term (*English*) { #id }` (in English,
`## term { #id }`), then its definition and link, and optionally a paragraph
of avoided variants, each in italics, marked `{ .glossary-avoid }`.
"""

import functools
import re
from dataclasses import dataclass

import pytest
from layout import DOCS, LANGUAGES

TRANSLATIONS = [lang for lang in LANGUAGES if lang != "en"]
LETTER = r"\w\u0900-\u097F"  # Devanagari's vowel signs are not \w
START = rf"(?<![{LETTER}])"
END = rf"(?![{LETTER}])"
# Other ways of giving the English: the site gives it one way, "term (*English*)".
OTHER_GLOSS_STYLES = re.compile(r"\((?:ang\.|eng\.|English:|Engels:|Kiingereza:|अंग्रेज़ी:)|kwa Kiingereza", re.I)


@dataclass
class Entry:
    id: str
    term: str
    english: str
    avoided: list[str]


def glossary(lang: str) -> list[Entry]:
    text = (DOCS / lang / "glossary.md").read_text(encoding="utf-8")
    entries = []
    for heading, anchor, body in re.findall(r"^## (.+?) \{ #([\w-]+) \}\n(.*?)(?=^## |\Z)", text, re.M | re.S):
        glossed = re.fullmatch(r"(.+?) \(\*(.+?)\*\)", heading)
        term, english = glossed.groups() if glossed else (heading, heading)
        avoid = re.search(r"^(.*)\n\{ \.glossary-avoid \}$", body, re.M)
        entries.append(Entry(anchor, term, english, re.findall(r"\*([^*]+)\*", avoid.group(1)) if avoid else []))
    return entries


def prose(markdown: str) -> tuple[str, str]:
    """(all prose, body prose without headings) of a page: no front matter, code,
    math, HTML tags, link targets or attribute lists."""
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    text = re.sub(r"^(\s*)```.*?^\1```[ \t]*$", "", text, flags=re.S | re.M)
    text = re.sub(r"^\$\$\n.*?\n\$\$$", "", text, flags=re.S | re.M)
    text = re.sub(r"`[^`\n]+`|\$[^$\n]+\$|<[^>\n]+>|\]\([^)\n]*\)|\{[^}\n]*\}", " ", text)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return text, body


# The shortest word whose last letter may change when it is inflected. Polish
# declines short nouns too (sieć: sieci, waga: wagi, wagą), so a headword stays in
# the singular and its other cases still match.
SHORTEST_INFLECTED = {"pl": 4}
# Swahili marks the plural at the start of a word, by its noun class (kigezo:
# vigezo, cha: vya, mtandao: mitandao); Hindi changes a word's last vowel sign
# (बड़ा: बड़े, बड़ी).
SWAHILI_PLURAL = {"ki": "(?:ki|vi)", "ch": "(?:ch|vy)", "m": "(?:m|mi|wa)"}
HINDI_VOWEL_SIGN = re.compile(r"[\u093E-\u094C]$")


def term_pattern(term: str, lang: str = "") -> re.Pattern:
    """The term and its inflected forms: a word of 5 or 6 letters (4 in Polish) may
    change its last letter, a longer one its last two (so a short stem does not
    match unrelated words); and the inflections above."""
    shortest = SHORTEST_INFLECTED.get(lang, 5)
    words = []
    for word in term.split():
        if lang == "hi":
            word = HINDI_VOWEL_SIGN.sub("", word)
        stem = re.escape(word if len(word) < shortest else word[:-1] if len(word) <= 6 else word[:-2])
        if lang == "sw":
            prefix = next((p for p in SWAHILI_PLURAL if stem.lower().startswith(p) and (p != "m" or stem[1:2] not in "aeiou")), None)
            stem = SWAHILI_PLURAL[prefix] + stem[len(prefix):] if prefix else stem
        words.append(stem + r"[^\s()*,.;:!?।\"“”'’]*")
    return re.compile(START + r"\s+".join(words), re.I)


GLOSS = re.compile(r"\(\*[^*]+\*[^()]*\)")  # (*English*), or (*English*, LLM)


def pages(lang: str):
    return [p for p in sorted((DOCS / lang).glob("*.md")) if p.name != "glossary.md"]


def test_every_language_has_the_english_glossary_entries_in_order():
    english = [e.id for e in glossary("en")]
    assert len(english) >= 30
    for lang in TRANSLATIONS:
        assert [e.id for e in glossary(lang)] == english, f"docs/{lang}/glossary.md: not the entries of docs/en/glossary.md"


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_every_entry_gives_the_english_term(lang):
    english = {e.id: e.term for e in glossary("en")}
    for entry in glossary(lang):
        assert entry.english.lower() == english[entry.id].lower(), (
            f"docs/{lang}/glossary.md #{entry.id}: gives the English as {entry.english!r}, not {english[entry.id]!r}"
        )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_uses_a_variant_that_the_glossary_avoids(lang):
    found = []
    for page in pages(lang):
        text, _ = prose(page.read_text(encoding="utf-8"))
        for entry in glossary(lang):
            for variant in entry.avoided:
                for m in re.finditer(START + re.escape(variant) + END, text, re.I):
                    found.append(f"docs/{lang}/{page.name}: {m.group(0)!r}, which the glossary avoids (#{entry.id}: {entry.term})")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_each_term_is_glossed_in_one_style_where_a_page_first_uses_it(lang):
    problems = []
    for page in pages(lang):
        text, body = prose(page.read_text(encoding="utf-8"))
        name = f"docs/{lang}/{page.name}"
        problems += [f"{name}: the English given as {m.group(0)!r}; the site's style is: term (*English*)"
                     for m in OTHER_GLOSS_STYLES.finditer(text)]
        for entry in glossary(lang):
            plain = re.search(rf"(?<!\*)\({re.escape(entry.english)}s?\)", text, re.I)
            if plain:
                problems.append(f"{name}: {plain.group(0)!r} without italics; the site's style is: term (*English*)")
            if entry.term.lower() == entry.english.lower():
                continue  # the same word in English: nothing to gloss
            # The first use outside the glosses: the English in them is not a use of the term.
            unglossed = GLOSS.sub(lambda m: " " * len(m.group(0)), body)
            first = term_pattern(entry.term, lang).search(unglossed)
            if not first:
                continue
            after = body[first.end() : first.end() + 80]
            gloss = re.match(r"[^()]*?\(\*([^*]+)\*[^()]*\)", after)  # the gloss may be on the next line of the source
            if not (gloss and entry.english.lower() in gloss.group(1).lower()):
                context = body[max(0, first.start() - 30) : first.end() + 40].replace("\n", " ")
                problems.append(f"{name}: first use of {entry.term!r} without its gloss (*{entry.english}*): …{context}…")
    assert not problems, "\n".join(problems)


def test_a_missing_gloss_and_an_avoided_variant_are_found():
    """The matching that the tests above rely on, on made-up text."""
    assert term_pattern("funkcja straty").search("wartość funkcji straty spada")
    assert term_pattern("sieć neuronowa", "pl").search("sieci neuronowe uczą się")
    assert term_pattern("waga", "pl").search("zmienia wagi modelu") and not term_pattern("waga").search("zmienia wagi")
    assert term_pattern("टेन्सर").search("सभी टेन्सरों का")
    assert not term_pattern("tensa").search("kitensa")
    assert term_pattern("kitambulisho cha tokeni", "sw").search("vitambulisho vya tokeni") and term_pattern("mtandao", "sw").search("mitandao")
    assert not term_pattern("mfano", "sw").search("mwanafunzi") and term_pattern("mfano", "sw").search("mifano")
    assert term_pattern("बड़ा लैंग्वेज मॉडल", "hi").search("बड़े लैंग्वेज मॉडलों") and not term_pattern("बड़ा").search("बड़े")
    assert re.search(START + re.escape("knope") + END, "die knope van die grafiek")
    assert not re.search(START + re.escape("knope") + END, "knoppies")


# Words in each language's dictionary order, chosen where the order of code
# points, or a collation that does not know the language's letters, goes wrong:
# Polish ą, ć, ł, ź, ż are letters of their own; Afrikaans ê, ë, ô are not;
# Hindi files कं before कक, कक before का, क्ष after कौ, and ज़ (nukta) as ज.
DICTIONARY_ORDER = {
    "en": ["data type", "database", "one-hot vector", "optimiser", "token", "token ID", "tokenizer"],
    "af": ["gradiënt", "grafiek", "môre", "mos", "sê", "sien"],
    "pl": ["azot", "ąb", "cel", "ćma", "lato", "łata", "zebra", "źródło", "żaba"],
    "sw": ["baiti", "kundi", "msamiati", "mteremko", "tokeni", "uzito"],
    "hi": ["अंक", "अकबर", "कंघी", "कमल", "काम", "किताब", "क्या", "ज़मीन", "जल"],
}


@functools.cache
def alphabet(lang: str) -> list[str]:
    from mkdocs.utils.yaml import yaml_load

    with open(DOCS.parent / "mkdocs.yml", encoding="utf-8") as f:
        return yaml_load(f)["extra"]["strings"][lang]["alphabet"].split()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_sorts_words_in_its_dictionary_order(lang):
    import glossary_page

    words = DICTIONARY_ORDER[lang]
    assert sorted(words, key=lambda w: glossary_page.sort_key(w, alphabet(lang))) == words
    assert sorted(reversed(words), key=lambda w: glossary_page.sort_key(w, alphabet(lang))) == words


def headword(shown: str) -> str:
    """A term as the built glossary shows it, without its English: "wagi (weight)": "wagi"."""
    return re.sub(r" \([^()]*\)$", "", shown)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_built_glossary_is_alphabetical_by_letter_without_avoided_variants(site, lang):
    """Every entry once, in the language's order, under the heading of its first
    letter, which the bar of letters links to; no variant that the site avoids."""
    import glossary_page
    from bs4 import BeautifulSoup

    page = BeautifulSoup((site / lang / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    article = page.select_one("article")
    terms = article.select("dl > dt")
    entries = glossary(lang)
    assert sorted(dt["id"] for dt in terms) == sorted(e.id for e in entries), f"{lang}: the built glossary does not list each entry once"
    shown = [headword(dt.get_text()) for dt in terms]
    keys = [glossary_page.sort_key(t, alphabet(lang)) for t in shown]
    assert keys == sorted(keys), f"{lang}: the glossary is not in alphabetical order: {shown}"
    headings = article.select("h2")
    for h2 in headings:
        letter = h2.get_text().rstrip("¶")
        listed = [glossary_page.initial(headword(dt.get_text()), alphabet(lang)) for dt in h2.find_next_sibling("dl").select("dt")]
        assert set(listed) == {letter}, f"{lang}: under the letter {letter}: terms that begin with {listed}"
    assert len({h2["id"] for h2 in headings}) == len(headings) == len(set(glossary_page.initial(t, alphabet(lang)) for t in shown))
    jump = [a["href"] for a in article.select("nav.glossary-letters a")]
    assert jump == [f"#{h2['id']}" for h2 in headings], f"{lang}: the bar of letters does not lead to the letters' headings"
    text = article.get_text(" ")
    shown_variants = [v for e in entries for v in e.avoided if re.search(START + re.escape(v) + END, text, re.I)]
    assert not shown_variants and not article.select(".glossary-avoid"), f"{lang}: the glossary shows avoided variants: {shown_variants}"
