"""Search engines: every page names the same page in each language, by absolute
URL (hreflang), and the site's root as x-default, the page that sends a reader
to their browser's language. Material's own links point at each language's
home page, relatively; they are replaced.

Each language is built with site_url = <root><lang>/ (tools/build_site.py).
"""

import re

MATERIAL_ALTERNATES = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


def on_post_page(html, page, config):
    root = config.site_url[: -len(config.theme["language"]) - 1]
    links = [f'<link rel="alternate" href="{root}{alt["lang"]}/{page.url}" hreflang="{alt["lang"]}">' for alt in config.extra["alternate"]]
    links.append(f'<link rel="alternate" href="{root}" hreflang="x-default">')
    first = MATERIAL_ALTERNATES.search(html)
    html = MATERIAL_ALTERNATES.sub("", html)
    return html[: first.start()] + "\n".join(links) + "\n" + html[first.start() :] if first else html
