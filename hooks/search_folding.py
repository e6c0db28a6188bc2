"""Search finds a word however the reader writes its accents or its Devanagari
nukta (Afrikaans "gradient" finds "gradiënt", Hindi "टोकनाइजर" finds
"टोकनाइज़र"): a lunr pipeline function that folds every term of the index and
of the query (hooks/search_folding.js).

Material's search plugin accepts no pipeline function of a site's own (its
`pipeline` option only removes lunr's trimmer, stop word filter or stemmer), and
its search worker, which builds the index in the reader's browser, loads no
script of the site. So the build appends the folding to the worker itself:
one file, in the worker from http:// and from file:// alike.
"""

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

# The script without its comments: every reader's browser loads it.
FOLDING = re.sub(r"^\s*//.*\n", "", (Path(__file__).parent / "search_folding.js").read_text(encoding="utf-8"), flags=re.M)
SOURCE_MAP = re.compile(r"//# sourceMappingURL=\S+\s*$")  # stays last: hooks/offline.py removes it


def on_post_build(config):
    workers = sorted((Path(config.site_dir) / "assets" / "javascripts" / "workers").glob("search.*.js"))
    if len(workers) != 1:
        raise PluginError(f"hooks/search_folding.py: the theme's one search worker (assets/javascripts/workers/search.*.js) "
                          f"is not in the site; found {[w.name for w in workers]}")
    worker = workers[0]
    text = worker.read_text(encoding="utf-8")
    if FOLDING in text:  # a live-reload build may leave the theme's files as they were
        return
    end = m.start() if (m := SOURCE_MAP.search(text)) else len(text)
    worker.write_text(f"{text[:end].rstrip()}\n{FOLDING}{text[end:]}", encoding="utf-8")
