"""Search engines: each language's sitemap names, for every page, the same page
in each language (hreflang, absolute URLs) and the site's root as x-default,
the page that sends a reader to their browser's language.

The sitemap, not the page's <head>, carries them: Material's script fetches the
sitemap.xml of every <link rel="alternate"> in the head on each page load
(five requests, which fail from a downloaded copy), so the head has none.
Each language is built with site_url = <root><lang>/ (tools/build_site.py).
"""

import gzip
import re
from pathlib import Path

MATERIAL_ALTERNATES = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')
XHTML = "http://www.w3.org/1999/xhtml"


def on_post_page(html, page, config):
    return MATERIAL_ALTERNATES.sub("", html)


def on_post_build(config):
    lang = config.theme["language"]
    root = config.site_url[: -len(lang) - 1]
    langs = [alt["lang"] for alt in config.extra["alternate"]]

    def alternates(m: re.Match) -> str:
        page = m.group(1)[len(config.site_url) :]
        links = "".join(f'\n         <xhtml:link rel="alternate" hreflang="{other}" href="{root}{other}/{page}"/>' for other in langs)
        return m.group(0) + links + f'\n         <xhtml:link rel="alternate" hreflang="x-default" href="{root}"/>'

    sitemap = Path(config.site_dir) / "sitemap.xml"
    text = re.sub(r"<loc>([^<]+)</loc>", alternates, sitemap.read_text(encoding="utf-8"))
    text = text.replace('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
                        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="{XHTML}">')
    sitemap.write_text(text, encoding="utf-8")
    sitemap.with_suffix(".xml.gz").write_bytes(gzip.compress(text.encode(), mtime=0))


def on_post_template(html, template_name, config):
    return MATERIAL_ALTERNATES.sub("", html)  # 404.html
