"""The site as a reader keeps it: each language as one .zip, offered on its home
page with its size, that works from the file system once unzipped (search too).

- The offline plugin's search needs the iframe-worker shim, but only from
  file://: on the web, the shim is not even requested (it would block the
  page's first paint on a slow phone).
- Before zipping, the build drops what no reader uses: source maps, and the
  lunr files of languages that the search does not use.
- The home page's <!-- offline-download --> marker becomes the download button.
  In the downloaded copy (its <html> has the class `downloaded`), the button
  gives way to a line saying so, and the language selector, whose other
  languages are not in the copy, is hidden.
"""

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

SHIM = re.compile(r'<script src="([^"]*iframe-worker-shim\.js)"></script>')
MARKER = "<!-- offline-download -->"
SIZE = "@@ZIP_SIZE@@"  # filled in once the zip exists
NOT_ZIPPED = ("404.html", "sitemap.xml", "sitemap.xml.gz")  # for web hosts and search engines only


def zip_name(config) -> str:
    return f"{config.extra['offline_zip']}-{config.theme['language']}.zip"


def only_on_file_protocol(html: str) -> str:
    return SHIM.sub(
        lambda m: '<script>if (location.protocol === "file:") '
        f"document.write('<script src=\"{m.group(1)}\"><\\/script>')</script>",
        html,
    )


def on_page_markdown(markdown, page, config, files):
    if not page.is_homepage:
        return markdown
    if MARKER not in markdown:
        raise PluginError(f"docs/{config.theme['language']}/{page.file.src_uri}: no {MARKER} marker for the download button")
    text = config.extra["strings"][config.theme["language"]]
    button = (
        f'<p class="offline-download"><a class="md-button md-button--primary" href="{zip_name(config)}" download>'
        f'{text["download_site"].format(size=SIZE)}</a></p>\n'
        f'<p class="offline-copy">{text["file_offline"]}</p>'
    )
    return markdown.replace(MARKER, button)


def on_post_page(html, page, config):
    return only_on_file_protocol(html)


def on_post_template(html, template_name, config):
    return only_on_file_protocol(html)  # 404.html


def unused(site: Path):
    """Source maps, and the lunr files that the search's languages do not load
    (as Material's search worker chooses them from the index's config)."""
    yield from site.rglob("*.map")
    langs = [lang for lang in json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["lang"] if lang != "en"]
    needed = {f"min/lunr.{lang}.min.js" for lang in langs}
    needed |= {"min/lunr.stemmer.support.min.js"} if langs else set()
    needed |= {"min/lunr.multi.min.js"} if len(langs) > 1 else set()
    needed |= {{"ja": "tinyseg.js", "hi": "wordcut.js", "th": "wordcut.js"}.get(lang, "") for lang in langs} - {""}
    lunr = site / "assets" / "javascripts" / "lunr"
    yield from (path for path in lunr.rglob("*") if path.is_file() and path.relative_to(lunr).as_posix() not in needed)


def zipped(site: Path, name: str) -> bytes:
    """The language's folder as one zip, its pages marked as the downloaded copy."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in site.rglob("*") if p.is_file() and p.name not in (name, *NOT_ZIPPED)):
            data = path.read_bytes()
            if path.suffix == ".html":
                data = data.replace(b'class="no-js"', b'class="no-js downloaded"', 1)
            archive.writestr(zipfile.ZipInfo(f"{site.name}/{path.relative_to(site).as_posix()}", (2026, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@event_priority(-200)  # last: after the offline plugin has written the search index
def on_post_build(config):
    site = Path(config.site_dir)
    for path in list(unused(site)):
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    for path in [*site.rglob("*.js"), *site.rglob("*.css")]:  # their source maps are gone
        text = path.read_text(encoding="utf-8")
        if "sourceMappingURL" in text:
            path.write_text(re.sub(r"\n?/[/*]# sourceMappingURL=\S+( \*/)?\s*$", "\n", text), encoding="utf-8")
    home = site / "index.html"
    page = home.read_text(encoding="utf-8")
    size = "0 KB"
    for _ in range(3):  # the home page shows the zip's size, and is in the zip: settle it
        home.write_text(page.replace(SIZE, size), encoding="utf-8")
        data = zipped(site, zip_name(config))
        shown, size = size, f"{round(len(data) / 1000)} KB"
        if shown == size:
            break
    (site / zip_name(config)).write_bytes(data)
