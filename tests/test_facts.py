"""Numbers stated in the prose, equations and figure agree with what the
snippets print (their output files are checked against real runs)."""

import re

import pytest
from layout import DOCS, LANGUAGES, ROOT

DECIMAL = re.compile(r"[-−]?\d+\.\d+")


def decimals(text: str) -> list[str]:
    return [n.replace("−", "-") for n in DECIMAL.findall(text)]


def agrees(number: str, candidates: list[float]) -> bool:
    """number is some candidate rounded to number's printed digits."""
    places = len(number.split(".")[1])
    return any(abs(round(c, places) - float(number)) < 10 ** -(places + 3) for c in candidates)


@pytest.fixture(scope="module")
def worked_example() -> list[float]:
    """The worked example's inputs (from its code) and results (from its output)."""
    code = (ROOT / "snippets" / "autograd_by_hand.py").read_text(encoding="utf-8")
    output = (ROOT / "snippets" / "output" / "autograd_by_hand.txt").read_text(encoding="utf-8")
    return [float(n) for n in decimals(code) + decimals(output)]


def numerical_calculation(page: str) -> str:
    """The equations of the section 'Numerical calculation'."""
    section = page.split("{ #numerical-calculation }")[1].split("\n#")[0]
    return "\n".join(re.findall(r"^\$\$\n(.*?)\n\$\$$", section, re.S | re.M))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_numbers_in_the_equations_are_what_the_example_prints(lang, worked_example):
    equations = numerical_calculation((DOCS / lang / "basic-llm-concepts.md").read_text(encoding="utf-8"))
    numbers = decimals(equations)
    assert len(numbers) >= 5, f"{lang}: the numerical calculation lost its numbers: {equations}"
    wrong = [n for n in numbers if not agrees(n, worked_example)]
    assert not wrong, f"{lang}: numbers in the equations that snippets/autograd_by_hand.py does not print: {wrong}"


def test_numbers_in_the_computational_graph_are_what_the_example_prints(worked_example):
    svg = (DOCS / "assets" / "computational-graph.svg").read_text(encoding="utf-8")
    numbers = decimals(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))
    assert len(numbers) >= 7
    wrong = [n for n in numbers if not agrees(n, worked_example)]
    assert not wrong, f"computational-graph.svg shows numbers the example does not print: {wrong}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_gpt2_parameter_counts_on_the_page_are_the_counted_ones(lang):
    output = (ROOT / "snippets" / "output" / "gpt2_parameter_count.txt").read_text(encoding="utf-8")
    counts = [int(n.replace(",", "")) for n in re.findall(r"\d{1,3}(?:,\d{3}){2,}", output)]
    assert len(counts) == 2, output
    page = (DOCS / lang / "basic-llm-concepts.md").read_text(encoding="utf-8")
    for count in counts:
        millions = str(round(count / 1e6))
        assert re.search(rf"\b{millions}\b", page), f"{lang}: the page does not state {millions} million ({count:,})"
