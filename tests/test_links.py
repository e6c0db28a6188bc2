"""Every internal link of the built site, in every language, leads somewhere: its
file exists, and its #fragment names exactly one element there. Every heading
has an id of its own, and no element loads an empty address."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from layout import ROOT

import sys; sys.path.insert(0, str(ROOT / "tools"))  # noqa: E702
import build_site  # noqa: E402

LANGUAGES = build_site.languages()


class Page(HTMLParser):
    """The ids, the links (tag, attribute, address) and the headings' ids of a page."""

    def __init__(self, text: str):
        super().__init__()
        self.ids: list[str] = []
        self.links: list[tuple[str, str, str]] = []
        self.headings: list[tuple[str, str | None]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append((tag, attrs.get("id")))
        for attribute in ("href", "src"):
            if attribute in attrs:
                self.links.append((tag, attribute, attrs[attribute] or ""))


def internal_target(site: Path, page: Path, address: str) -> Path | None:
    """The file an address leads to, or None for an address outside the site."""
    root = build_site.site_root()
    if address.startswith(root):
        address = "/" + address[len(root) :]
    parts = urlsplit(address)
    if parts.scheme or parts.netloc:
        return None  # another host, mailto:, data:, javascript:
    path = unquote(parts.path)
    root_path = urlsplit(root).path
    if path.startswith("/"):
        target = site / path[len(root_path) :]  # as a web host serves it: the site at root_path
    elif path:
        target = page.parent / path
    else:
        target = page
    return target / "index.html" if target.is_dir() else target


def test_every_internal_link_and_fragment_resolves_to_one_element(site):
    pages = {p: Page(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}
    problems = []
    for path, page in pages.items():
        where = path.relative_to(site)
        for tag, attribute, address in page.links:
            if not address.strip():
                problems.append(f"{where}: <{tag} {attribute}=\"\">")
                continue
            target = internal_target(site, path, address)
            if target is None:
                continue
            if not target.resolve().is_relative_to(site.resolve()) or not target.exists():
                problems.append(f"{where}: {address} leads to no file")
                continue
            fragment = unquote(urlsplit(address).fragment)
            if fragment and target.suffix == ".html":
                count = pages[target.resolve()].ids.count(fragment) if target.resolve() in pages else 0
                if count != 1:
                    problems.append(f"{where}: {address} names {count} elements with id {fragment!r}")
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems[:60])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_heading_has_an_id_of_its_own(site, lang):
    problems = []
    for path in sorted((site / lang).rglob("*.html")):
        page = Page(path.read_text(encoding="utf-8"))
        for tag, anchor in page.headings:
            if tag != "h1" and not anchor:  # Material's h1s of the theme's own (site name, 404) need none
                problems.append(f"{path.relative_to(site)}: an <{tag}> without id")
            elif anchor and page.ids.count(anchor) != 1:
                problems.append(f"{path.relative_to(site)}: <{tag} id={anchor!r}> is not the only element with that id")
    assert not problems, "\n".join(problems)
