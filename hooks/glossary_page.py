"""The glossary as readers look things up in it: in the alphabetical order of
its language, under one heading per letter, with a bar of those letters at the
top, each term and its definition in one compact list.

docs/<lang>/glossary.md keeps its terms in the order in which the lessons
introduce them, each with the variants that the site avoids: translators work
in that order, and tests/test_glossary.py checks the pages against it. The
build sorts them and leaves the avoided variants out. Each language's order is
its alphabet, `alphabet` in its extra.strings in mkdocs.yml: a small list
rather than a collation library (PyICU builds from source, against ICU).
"""

import itertools
import re
import unicodedata

from mkdocs.exceptions import PluginError

PAGE = "glossary.md"
ENTRY = re.compile(r"^## (.+?) \{ #([\w-]+) \}\n(.*?)(?=^## |\Z)", re.M | re.S)  # as tests/test_glossary.py reads it
AVOIDED = re.compile(r"^.*\n\{ \.glossary-avoid \}\n?", re.M)
GLOSS = re.compile(r" \(\*[^*]+\*\)$")  # "term (*English*)": the term is what is sorted


def letters(text: str, alphabet: list[str]) -> list[tuple[int, str]]:
    """(rank, letter) of each letter of text, in a language's alphabetical order.
    A letter that the alphabet does not list counts as its base letter (Afrikaans ê
    as e; Hindi ज़ as ज: the nukta is a mark); other marks, spaces and punctuation
    do not count. Letters and digits of other scripts come before the alphabet's,
    spaces and punctuation before any letter (word by word, as CLDR orders)."""
    rank = {letter: n for n, letter in enumerate(alphabet)}
    found = []
    for char in unicodedata.normalize("NFC", text.lower()):
        for c in [char] if char in rank else unicodedata.normalize("NFD", char):
            if c in rank:
                found.append((rank[c], c))
            elif unicodedata.category(c)[0] in "LN":
                found.append((ord(c) - 0x110000, c))
            elif unicodedata.category(c)[0] in "ZPS":  # a space or a hyphen ends a word: "data type" before "database"
                found.append((ord(c) - 0x220000, c))
    return found


def sort_key(text: str, alphabet: list[str]) -> tuple:
    """Dictionary order: by letters, then, between spellings of the same letters
    (fine-tuning, fine tuning), by the text itself."""
    return [rank for rank, _ in letters(text, alphabet)], text


def term(heading: str) -> str:
    return GLOSS.sub("", heading)


def initial(heading: str, alphabet: list[str]) -> str:
    """The letter under which a term is filed: A for "attention", ज for "ज़ीरो"."""
    return next(c for _, c in letters(term(heading), alphabet) if unicodedata.category(c)[0] in "LN").upper()


def alphabetical(markdown: str, alphabet: list[str], label: str) -> str:
    """The glossary's Markdown, its entries sorted and grouped by their first letter."""
    first = ENTRY.search(markdown)
    head = markdown[: first.start()] if first else markdown
    entries = sorted(ENTRY.findall(markdown), key=lambda e: sort_key(term(e[0]), alphabet))
    groups = [(letter, list(group)) for letter, group in itertools.groupby(entries, key=lambda e: initial(e[0], alphabet))]
    jump = " ".join(f'<a href="#letter-{letter.lower()}">{letter}</a>' for letter, _ in groups)
    parts = [head.rstrip() + f'\n\n<nav class="glossary-letters" aria-label="{label}">{jump}</nav>\n']
    for letter, group in groups:
        parts.append(f"## {letter} {{ #letter-{letter.lower()} }}\n")
        for heading, anchor, body in group:
            body = AVOIDED.sub("", body).strip()
            parts.append(f"{heading} {{ #{anchor} }}\n:   " + body.replace("\n", "\n    ") + "\n")
    return "\n".join(parts)


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != PAGE:
        return markdown
    lang = config.theme["language"]
    text = config.extra["strings"][lang]
    if not text.get("alphabet"):
        raise PluginError(f"mkdocs.yml: extra.strings.{lang} has no alphabet, the order of the glossary of docs/{lang}/{PAGE}")
    page.meta["hide"] = [*page.meta.get("hide", []), "toc"]  # the bar of letters is its table of contents
    return alphabetical(markdown, text["alphabet"].split(), text["glossary_letters"])
