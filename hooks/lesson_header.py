"""Under each lesson's title: which lesson it is of how many, about how long it
takes to read and run, in a translation that its code (comments included) is in
English, and where to learn to run its examples at home.

A lesson is a page of the navigation with a folder of snippets (snippets/<lesson>/),
numbered from 0 in the navigation's order, as its title is. The time is estimated
at build time from the English page, so that every language says the same: its
prose at 200 words a minute, its code at 10 lines a minute (read, run and
compared with the page), rounded up to 5 minutes.
"""

import math
import re
from pathlib import Path

from examples import INCLUDE, snippet

ROOT = Path(__file__).resolve().parent.parent
WORDS_A_MINUTE = 200
CODE_LINES_A_MINUTE = 10
CODE = re.compile(r"^(\s*)```(\w*).*?^\1```[ \t]*$", re.M | re.S)
RUN_LOCALLY = "run-locally.md"


def lessons(config) -> list[str]:
    """The lessons' pages, in the navigation's order."""
    return [entry for entry in config.nav if isinstance(entry, str) and (ROOT / "snippets" / Path(entry).stem).is_dir()]


def minutes(markdown: str) -> int:
    """About how long a page takes to read and to run, in minutes."""
    markdown = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    code_lines = sum(
        len(snippet(target).splitlines())
        for block in CODE.finditer(markdown)
        if block.group(2) == "python"
        for target in INCLUDE.findall(block.group(0))
    )
    prose = re.sub(r"^\$\$\n.*?\n\$\$$", "", CODE.sub("", markdown), flags=re.S | re.M)
    words = len(re.findall(r"\w+", prose))
    return 5 * math.ceil((words / WORDS_A_MINUTE + code_lines / CODE_LINES_A_MINUTE) / 5)


def on_page_markdown(markdown, page, config, files):
    course = lessons(config)
    if page.file.src_uri not in course:
        return markdown
    text = config.extra["strings"][config.theme["language"]]
    english = (ROOT / "docs" / "en" / page.file.src_uri).read_text(encoding="utf-8")
    header = " · ".join(part for part in [
        text["lesson_position"].format(number=course.index(page.file.src_uri), first=0, last=len(course) - 1),
        text["lesson_time"].format(minutes=minutes(english)),
        text["code_in_english"],  # "" in English
        f"[{text['run_locally']}]({RUN_LOCALLY})",
    ] if part)
    return re.sub(r"^(# .*\n)", lambda m: f"{m.group(1)}\n{header}\n{{ .lesson-header }}\n", markdown, count=1, flags=re.M)
