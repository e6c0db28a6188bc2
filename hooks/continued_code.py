"""A Python block that uses what the blocks above it define says so in its
title, in the page's language: "Continues the code above: text, TOKEN". A
lesson's blocks run in order, as one session; a block with that title fails
when run on its own, and the title names what it needs from above.

Found by reading the code, not by running it: the names that a block reads
(at its top level, or as globals inside its functions and classes) and does not
bind itself, that an earlier block of the page binds.
"""

import ast
import builtins
import html
import re
import symtable

from examples import snippet
from mkdocs.exceptions import PluginError

# A Python block of a page: its fence (at any indentation, as in a collapsed block) and its include.
PYTHON_BLOCK = re.compile(r'^([ \t]*)```python([^\n]*)\n(\1--8<--[ \t]+"([^"]+)")', re.M)
BUILTINS = set(dir(builtins))


def names(code: str) -> tuple[set[str], list[str]]:
    """What the code binds at its top level, and what it reads that it does not
    bind (builtins aside), in the order they first appear in it."""
    top = symtable.symtable(code, "<block>", "exec")
    binds = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    reads = set()
    tables = [top]
    while tables:
        table = tables.pop()
        reads |= {s.get_name() for s in table.get_symbols() if s.is_referenced() and (table is top or s.is_global())}
        tables += table.get_children()
    wanted = reads - binds - BUILTINS
    order = sorted((node.lineno, node.col_offset, node.id) for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Name))
    return binds, list(dict.fromkeys(name for *_, name in order if name in wanted))


def on_page_markdown(markdown, page, config, files):
    lang = config.theme["language"]
    title = config.extra["strings"][lang]["continues_code"]
    bound_above: set[str] = set()

    def mark(block: re.Match) -> str:
        indent, options, include, target = block.groups()
        try:
            binds, reads = names(snippet(target))
        except SyntaxError as e:
            raise PluginError(f'docs/{lang}/{page.file.src_uri}: "{target}" is not Python: {e.msg} (line {e.lineno})') from None
        needed = [name for name in reads if name in bound_above]
        bound_above.update(binds)
        if needed and "title=" not in options:
            options += f' title="{html.escape(title.format(names=", ".join(needed)))}"'
        return f"{indent}```python{options}\n{include}"

    return PYTHON_BLOCK.sub(mark, markdown)
