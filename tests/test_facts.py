"""Numbers stated in the prose, equations and figure agree with what the
snippets print (their output files are checked against real runs)."""

import re

import pytest
from layout import DOCS, LANGUAGES, LESSONS, ROOT, SNIPPETS
from test_glossary import prose

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
    code = (SNIPPETS / "basic-llm-concepts" / "autograd_by_hand.py").read_text(encoding="utf-8")
    output = (SNIPPETS / "basic-llm-concepts" / "output" / "autograd_by_hand.txt").read_text(encoding="utf-8")
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
    assert not wrong, f"{lang}: numbers in the equations that snippets/basic-llm-concepts/autograd_by_hand.py does not print: {wrong}"


def test_numbers_in_the_computational_graph_are_what_the_example_prints(worked_example):
    svg = (DOCS / "assets" / "computational-graph.svg").read_text(encoding="utf-8")
    numbers = decimals(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))
    assert len(numbers) >= 7
    wrong = [n for n in numbers if not agrees(n, worked_example)]
    assert not wrong, f"computational-graph.svg shows numbers the example does not print: {wrong}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_gpt2_parameter_counts_on_the_page_are_the_counted_ones(lang):
    output = (SNIPPETS / "basic-llm-concepts" / "output" / "gpt2_parameter_count.model.txt").read_text(encoding="utf-8")
    counts = [int(n.replace(",", "")) for n in re.findall(r"\d{1,3}(?:,\d{3}){2,}", output)]
    assert len(counts) == 2, output
    page = (DOCS / lang / "basic-llm-concepts.md").read_text(encoding="utf-8")
    for count in counts:
        millions = str(round(count / 1e6))
        assert re.search(rf"\b{millions}\b", page), f"{lang}: the page does not state {millions} million ({count:,})"


# Lesson 0 mirrors its source, whose figures (124M, 1.5B, ...) are cited, not
# computed: the tests above check the ones its code produces.
CITED_LESSONS = {"basic-llm-concepts"}
# An integer, with its digits grouped as the language writes them: 50,257 / 50 257 / 50 257.
INTEGER = re.compile(r"(?<![\d.,])\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?![\d])|\d+")


def integers(text: str) -> list[int]:
    return [int(re.sub(r"\D", "", n)) for n in INTEGER.findall(text)]


def test_grouped_digits_are_read_as_one_number():
    assert integers("50,257 tokens; 50\u00a0257; 20 479 characters; lesson 1 and IDs 1149, 1150") == [50257, 50257, 20479, 1, 1149, 1150]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("lesson", sorted(set(LESSONS) - CITED_LESSONS))
def test_every_number_in_a_lessons_prose_is_one_its_code_shows_or_prints(lesson, lang):
    """Vocabulary sizes, token counts, IDs: each integer of 10 or more in the prose
    is in the lesson's code or outputs. Years (1900-2030: publications) aside."""
    folder = SNIPPETS / lesson
    produced = {n for path in [*folder.glob("*.py"), *folder.glob("output/*.txt")] for n in integers(path.read_text(encoding="utf-8"))}
    text, _ = prose((DOCS / lang / f"{lesson}.md").read_text(encoding="utf-8"))
    unchecked = [n for n in integers(text) if n >= 10 and not 1900 <= n <= 2030 and n not in produced]
    assert not unchecked, f"docs/{lang}/{lesson}.md states numbers that no code or output of snippets/{lesson}/ shows: {unchecked}"
