"""Build every language of the site into one folder, and serve it.

    python tools/build_site.py               # build all languages into site/
    python tools/build_site.py --serve       # ... and serve them on http://127.0.0.1:8000/
    python tools/build_site.py --live pl     # live-reloading preview of one language
    SITE_LANGUAGES=en,pl python tools/build_site.py --serve  # only these languages

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
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

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


def languages_to_build() -> list[str]:
    """Every language, or those that SITE_LANGUAGES lists (quicker, while working on one)."""
    wanted = [lang for lang in os.environ.get("SITE_LANGUAGES", "").split(",") if lang]
    unknown = [lang for lang in wanted if lang not in languages()]
    if unknown:
        raise Abort(f"SITE_LANGUAGES names {', '.join(unknown)}, not a language of mkdocs.yml ({', '.join(languages())})")
    return wanted or languages()


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


def build_all(site_dir: Path) -> None:
    """Every language (SITE_LANGUAGES: some), one line each as it is built."""
    os.chdir(ROOT)  # snippet paths in the pages are relative to the repository root
    for lang in languages_to_build():
        start = time.perf_counter()
        build(load_config(str(CONFIG), **language_options(lang, site_dir)))
        print(f"Built {lang} into {site_dir / lang} in {time.perf_counter() - start:.1f} s", flush=True)
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
    that the site has, else to English; without JavaScript it lists the languages,
    in the system's font and colour scheme. Links name index.html, so that they
    work from file:// too."""
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
  <style>
    :root {{ color-scheme: light dark; font-family: system-ui, sans-serif; }}
    ul {{ list-style: none; margin: 4rem auto; padding: 0; font-size: 1.25rem; line-height: 2.5; text-align: center; }}
  </style>
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


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a static host that looks for the nearest 404.html
    (Cloudflare Pages) does: an address with no file gets its language's
    404.html, or, outside any language, the root's, with the status 404.
    Folders are not listed."""

    def send_error(self, code, message=None, explain=None):
        site = Path(self.directory)
        folder = urlsplit(self.path).path.lstrip("/").split("/")[0]
        page = site / folder / "404.html"
        if folder not in languages() or not page.is_file():
            page = site / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def list_directory(self, path):
        self.send_error(404)


def check_port(port: int) -> None:
    """Stops with one line, before any build, if another program serves on the port."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: a port just freed is free
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as e:
            sys.exit(f"Cannot serve on 127.0.0.1:{port}: {e.strerror}. Stop what serves there, or choose another port with --port.")


def serve(site_dir: Path, port: int) -> None:
    handler = functools.partial(StaticHost, directory=str(site_dir))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"Serving {', '.join(languages_to_build())} on http://127.0.0.1:{port}/ (Ctrl+C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


def warn_if_local(site_dir: Path) -> None:
    """A build to publish whose links point at this machine says so."""
    if urlsplit(site_root()).hostname in ("127.0.0.1", "localhost"):
        print(f"Note: the site's links point at {site_root()} (this machine): canonical URLs, sitemaps, "
              f"notebooks. To publish {site_dir}, build it with SITE_URL set to its address.", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    parser.add_argument("--serve", action="store_true", help="serve the built site afterwards")
    parser.add_argument("--port", type=int, default=8000, help="the port of --serve and --live (default: 8000)")
    parser.add_argument("--live", metavar="LANG", choices=languages(), help="live-reloading preview of one language")
    args = parser.parse_args()
    logging.basicConfig(format="%(levelname)-7s -  %(message)s", level=logging.WARNING)  # as `mkdocs build` shows them
    if args.serve or args.live:
        check_port(args.port)
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
    else:
        warn_if_local(site_dir)


if __name__ == "__main__":
    main()
