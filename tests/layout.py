"""Where the site's parts are, for the test modules (standard library only)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# A language is a folder of pages under docs/ (docs/assets/ holds what they share).
LANGUAGES = sorted(p.name for p in DOCS.iterdir() if p.is_dir() and p.name != "assets")
SNIPPETS = ROOT / "snippets"
# A lesson is a page docs/<lang>/<lesson>.md whose examples live in snippets/<lesson>/:
# its snippets, the data files they read, and output/ (what they print, and where it was checked).
LESSONS = sorted(p.name for p in SNIPPETS.iterdir() if p.is_dir())
# What the pages may show in code blocks: every snippet, every output file, and the
# shell commands of the page on running the examples (snippets/run-locally.sh).
SNIPPET_FILES = sorted(SNIPPETS.glob("*/*.py")) + sorted(SNIPPETS.glob("*/output/*.txt")) + sorted(SNIPPETS.glob("*.sh"))
