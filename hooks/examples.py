"""Every page's includes, checked, and under each page with Python examples a
note that says on which devices, with which versions, its outputs were last
checked (the records that the tests write: hooks/records.py).

The files that a lesson's snippets read (a text and its licence, beside them
in snippets/<lesson>/) are published beside its page, for readers to download.

An include that cannot be shown (a missing file or section, a section without
its end marker) stops the build with one line that names the page, the include
and what is wrong.
"""

import html
import re
from pathlib import Path

import records  # the verification records that the tests write
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
INCLUDE = re.compile(r'^[ \t]*--8<--[ \t]+"([^"]+)"[ \t]*$', re.M)


def snippet(target: str) -> str:
    """The text of an include target, `path` or `path:section`, as pymdownx.snippets
    shows it. A target that cannot be shown raises PluginError saying why."""
    path, _, section = target.partition(":")
    if not (ROOT / path).is_file():
        raise PluginError(f'includes "{target}", but {path} does not exist')
    text = (ROOT / path).read_text(encoding="utf-8")
    if section:
        start, end = f"# --8<-- [start:{section}]\n", f"# --8<-- [end:{section}]"
        if start not in text:
            sections = re.findall(r"\[start:(\w+)\]", text)
            raise PluginError(f'includes "{target}", but {path} has no section "{section}" (its sections: {", ".join(sections) or "none"})')
        text = text.split(start, 1)[1]
        if end not in text:
            raise PluginError(f'includes "{target}", but the section "{section}" of {path} has no end marker "{end}"')
        text = text.split(end, 1)[0]
    return re.sub(r"^# --8<-- \[(start|end):\w+\]\n", "", text, flags=re.M).strip("\n")


def lesson_folder(markdown: str) -> Path | None:
    """The one folder whose snippets a page shows (None: the page has no examples)."""
    found = {Path(t.partition(":")[0]).parent for t in INCLUDE.findall(markdown) if t.partition(":")[0].endswith(".py")}
    if len(found) > 1:
        raise PluginError(f"shows snippets of {len(found)} folders ({', '.join(sorted(map(str, found)))}); a page's examples come from one")
    return found.pop() if found else None


@event_priority(100)  # before anything reads the pages
def on_files(files, config):
    for page in [f for f in files.documentation_pages() if f.src_uri.endswith(".md")]:
        markdown = Path(page.abs_src_path).read_text(encoding="utf-8")
        try:
            for target in INCLUDE.findall(markdown):
                snippet(target)
            folder = lesson_folder(markdown)
        except PluginError as e:
            raise PluginError(f"docs/{config.theme['language']}/{page.src_uri}: {e}") from None
        for data in records.data_files(ROOT / folder) if folder else []:
            if not files.get_file_from_path(data.name):
                files.append(File.generated(config, data.name, abs_src_path=str(data)))
    return files


def verification_note(checks: list[dict], text: dict) -> str:
    """Which devices, with which versions, last checked a page's outputs: one item per record."""
    items = "".join(
        f'<li data-device="{html.escape(r["device"])}">'
        + html.escape(text["verified_cpu" if r["device"] == "cpu" else "verified_gpu"].format(
            **r, examples=", ".join(r.get("gpu_examples", []))))
        + "</li>"
        for r in checks
    )
    return f'<div class="examples-verified"><p>{html.escape(text["verified"])}</p><ul>{items}</ul></div>'


def on_page_markdown(markdown, page, config, files):
    folder = lesson_folder(markdown) if page.file.src_uri.endswith(".md") else None
    if folder is None:
        return markdown
    checks = records.current(ROOT / folder)
    if not checks:
        raise PluginError(
            f"docs/{config.theme['language']}/{page.file.src_uri}: no test run has checked the outputs of {folder}/ "
            "as they are now (pytest tests/test_snippets.py --update-outputs)"
        )
    return markdown + "\n\n" + verification_note(checks, config.extra["strings"][config.theme["language"]]) + "\n"
