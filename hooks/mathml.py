"""Turn the LaTeX that pymdownx.arithmatex marks into MathML at build time.

Browsers render MathML natively, so the pages need no math script, no math
font and no CDN: the equations work offline and cost a few hundred bytes.
"""

import html
import re

from latex2mathml.converter import convert

# arithmatex (generic: true) writes <span class="arithmatex">\( ... \)</span>
# for inline math and <div class="arithmatex">\[ ... \]</div> for blocks.
ARITHMATEX = re.compile(r'(<(span|div) class="arithmatex">)\\[(\[](.*?)\\[)\]](</\2>)', re.S)


def to_mathml(match: re.Match) -> str:
    opening, tag, latex, closing = match.groups()
    display = "block" if tag == "div" else "inline"
    return opening + convert(html.unescape(latex).strip(), display=display) + closing


def on_page_content(html_text: str, **kwargs) -> str:
    return ARITHMATEX.sub(to_mathml, html_text)
