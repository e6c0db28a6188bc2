"""Build every language of the site into one folder, and serve it.

    python tools/build_site.py               # build all languages into site/
    python tools/build_site.py --serve       # ... and serve them on http://127.0.0.1:8000/
    python tools/build_site.py --live pl     # live-reloading preview of one language

Each language listed under extra.alternate in mkdocs.yml is its own MkDocs
build of mkdocs.yml, with docs/<lang>/ as its pages, site/<lang>/ as its
output and theme.language set to <lang>. All builds run in this one process
(MkDocs is imported once), strictly: any warning fails the build.
"""

import argparse
import copy
import functools
import html
import http.server
import logging
import os
import shutil
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.utils.yaml import yaml_load

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"


@functools.cache
def site_config() -> dict:
    with open(CONFIG, encoding="utf-8") as f:
        return yaml_load(f)


def site_root() -> str:
    """Where the site is served (site_url in mkdocs.yml, or SITE_URL), ending in /."""
    return site_config()["site_url"].rstrip("/") + "/"


def languages() -> list[str]:
    return [alt["lang"] for alt in site_config()["extra"]["alternate"]]


def language_options(lang: str, site_dir: Path | None = None) -> dict:
    """What differs between the languages' builds of mkdocs.yml."""
    config = site_config()
    strings = config["extra"]["strings"][lang]
    schemes = config["theme"]["palette"]
    names = strings.get("palette_toggle", [scheme["toggle"]["name"] for scheme in schemes])
    palette = [{**scheme, "toggle": {**scheme["toggle"], "name": name}} for scheme, name in zip(schemes, names)]
    # The headings' permalinks are titled in the page's language.
    extensions = [
        {"toc": {**e["toc"], "permalink_title": strings["permalink"]}} if isinstance(e, dict) and "toc" in e else e
        for e in copy.deepcopy(config["markdown_extensions"])  # MkDocs consumes what it is given
    ]
    options = {
        "docs_dir": str(ROOT / "docs" / lang),
        "markdown_extensions": extensions,
        "theme": {**config["theme"], "language": lang, "palette": palette},
        "site_name": strings.get("site_name", config["site_name"]),
        "site_description": strings.get("site_description", config["site_description"]),
        "site_url": f"{site_root()}{lang}/",
    }
    if site_dir:
        options["site_dir"] = str(site_dir / lang)
    return options


def build_all(site_dir: Path, only: list[str] | None = None) -> None:
    os.chdir(ROOT)  # snippet paths in the pages are relative to the repository root
    for lang in only or languages():
        build(load_config(str(CONFIG), **language_options(lang, site_dir)))
    write_language_chooser(site_dir)
    write_root_files(site_dir)


def write_root_files(site_dir: Path) -> None:
    """What a web host looks for at the root: 404.html (the first language's, whose
    links are absolute) and robots.txt, which lists every language's sitemap."""
    first = languages()[0]
    if (site_dir / first / "404.html").exists():
        shutil.copyfile(site_dir / first / "404.html", site_dir / "404.html")
    sitemaps = "".join(f"Sitemap: {site_root()}{lang}/sitemap.xml\n" for lang in languages())
    (site_dir / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\n{sitemaps}", encoding="utf-8")


def write_language_chooser(site_dir: Path) -> None:
    """site/index.html sends the reader to the first of their browser's languages
    that the site has, else to English; without JavaScript it lists the languages.
    Links name index.html, so that they work from file:// too."""
    alternates = site_config()["extra"]["alternate"]
    links = "\n".join(
        f'    <li><a href="{a["lang"]}/index.html" hreflang="{a["lang"]}" lang="{a["lang"]}">{html.escape(a["name"])}</a></li>'
        for a in alternates
    )
    (site_dir / "index.html").write_text(
        f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width,initial-scale=1">
  <title>LLM Basics</title>
  <script>
    var have = {[a["lang"] for a in alternates]!r};
    var wanted = (navigator.languages || [navigator.language]).map(function (l) {{ return l.slice(0, 2); }});
    location.replace((wanted.find(function (l) {{ return have.indexOf(l) >= 0; }}) || have[0]) + "/index.html");
  </script>
</head>
<body>
  <ul>
{links}
  </ul>
</body>
</html>
""",
        encoding="utf-8",
    )


def serve(site_dir: Path, port: int) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site_dir))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"Serving all languages on http://127.0.0.1:{port}/ (Ctrl+C stops)")
        server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    parser.add_argument("--serve", action="store_true", help="serve the built site afterwards")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--live", metavar="LANG", help="live-reloading preview of one language")
    args = parser.parse_args()
    logging.basicConfig(format="%(levelname)-7s -  %(message)s", level=logging.WARNING)  # as `mkdocs build` shows them
    if args.live:
        os.chdir(ROOT)
        mkdocs_serve(str(CONFIG), dev_addr=f"127.0.0.1:{args.port}", **language_options(args.live))
        return
    site_dir = args.site_dir.resolve()
    try:
        build_all(site_dir)
    except Abort as e:
        sys.exit(f"Build failed: {e}")
    if args.serve:
        serve(site_dir, args.port)


if __name__ == "__main__":
    main()
