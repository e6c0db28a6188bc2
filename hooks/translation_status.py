"""Which English text each translation follows; a notice where English is newer.

A translated page names, in its front matter, the English text it was
translated from: the first 12 hex digits of the SHA-256 of docs/en/<page>.

    ---
    english_revision: 3f2a9c1b7d4e
    ---

When the English page changes, the digits no longer match, and the translated
page shows its reader a notice that links to the English page. After bringing
a translation up to date with English:

    python hooks/translation_status.py --stamp pl   # record the English it now follows
    python hooks/translation_status.py              # list the pages that are behind
"""

import argparse
import hashlib
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

DOCS = Path(__file__).resolve().parent.parent / "docs"
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
RECORD = re.compile(r"^english_revision: *(\w+) *$", re.M)


def english_revision(page: str) -> str:
    return hashlib.sha256((DOCS / "en" / page).read_bytes()).hexdigest()[:12]


def recorded_revision(text: str) -> str | None:
    front = FRONT_MATTER.match(text)
    found = front and RECORD.search(front.group(1))
    return found.group(1) if found else None


def behind() -> list[str]:
    """Translated pages whose English has changed since they were stamped."""
    return [
        str(page.relative_to(DOCS))
        for page in sorted(DOCS.glob("*/*.md"))
        if page.parent.name != "en"
        and recorded_revision(page.read_text(encoding="utf-8")) != english_revision(page.name)
    ]


def stamp(lang: str) -> None:
    for page in sorted((DOCS / lang).glob("*.md")):
        text = page.read_text(encoding="utf-8")
        line = f"english_revision: {english_revision(page.name)}"
        front = FRONT_MATTER.match(text)
        if not front:
            text = f"---\n{line}\n---\n\n{text}"
        elif RECORD.search(front.group(1)):
            text = text[: front.start(1)] + RECORD.sub(line, front.group(1)) + text[front.end(1) :]
        else:
            text = text[: front.end(1)] + f"\n{line}" + text[front.end(1) :]
        page.write_text(text, encoding="utf-8")


def on_page_markdown(markdown, page, config, **kwargs):
    lang = config.theme["language"]
    if lang == "en" or not page.file.src_uri.endswith(".md"):  # notebooks are made from the pages
        return markdown
    recorded = page.meta.get("english_revision")
    if recorded is None:
        raise PluginError(
            f"docs/{lang}/{page.file.src_uri} does not say which English text it translates: "
            f"no english_revision in its front matter (python hooks/translation_status.py --stamp {lang})"
        )
    if str(recorded) == english_revision(page.file.src_uri):
        return markdown
    english = next(alt for alt in config.extra["alternate"] if alt["lang"] == "en")
    english_url = "../" * (page.url.count("/") + 1) + "en/" + page.url
    notice = (
        f'<div class="admonition warning translation-behind">\n'
        f'<p class="admonition-title">{config.extra["strings"][lang]["outdated"]}</p>\n'
        f'<p><a href="{english_url}" hreflang="en" lang="en">{english["name"]}</a></p>\n'
        f"</div>\n\n"
    )
    # Under the page's title: MkDocs names a page (navigation, <title>) by its
    # first heading only if the page opens with it.
    titled, found = re.subn(r"^# .*$\n?", lambda m: f"{m.group(0).rstrip()}\n\n{notice}", markdown, count=1, flags=re.M)
    return titled if found else notice + markdown


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="List translated pages that are behind English, or stamp them.")
    parser.add_argument("--stamp", metavar="LANG", help="record that LANG's pages follow the current English")
    args = parser.parse_args()
    if args.stamp:
        stamp(args.stamp)
    pages = behind()
    print("\n".join(f"behind English: docs/{p}" for p in pages) or "every translation follows the current English")
    sys.exit(1 if pages else 0)
