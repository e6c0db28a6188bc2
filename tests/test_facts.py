"""Numbers stated in the prose, equations and figure agree with what the
snippets print (their output files are checked against real runs)."""

import contextlib
import io
import os
import re

import pytest
from layout import DOCS, LANGUAGES, LESSONS, SNIPPETS
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


def gpt2_counts() -> list[int]:
    """Lesson 0's parameter counts, as its output prints them (grouped by commas)."""
    output = (SNIPPETS / "basic-llm-concepts" / "output" / "gpt2_parameter_count.model.txt").read_text(encoding="utf-8")
    return [int(n.replace(",", "")) for n in re.findall(r"\d{1,3}(?:,\d{3}){2,}", output)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_gpt2_parameter_counts_on_the_page_are_the_counted_ones(lang):
    """Counted from the model (tied by sharing one matrix), with and without QKV biases."""
    counts = gpt2_counts()
    assert counts == [163_009_536, 124_412_160, 163_037_184, 124_439_808]  # untied, tied; then with QKV biases
    page = (DOCS / lang / "basic-llm-concepts.md").read_text(encoding="utf-8")
    for count in counts:
        millions = str(round(count / 1e6))
        assert re.search(rf"\b{millions}\b", page), f"{lang}: the page does not state {millions} million ({count:,})"


# Lesson 0 mirrors its source, whose figures (124M, 1.5B, ...) are cited, not
# computed: the tests above check the ones its code produces.
CITED_LESSONS = {"basic-llm-concepts"}
# An integer, with its digits grouped as the language (or Python) writes them: 50,257 / 50 257 / 50_257.
INTEGER = re.compile(r"(?<![\d.,])\d{1,3}(?:[,\u00a0\u202f _]\d{3})+(?![\d])|\d+")


def integers(text: str) -> list[int]:
    return [int(re.sub(r"\D", "", n)) for n in INTEGER.findall(text)]


def test_grouped_digits_are_read_as_one_number():
    assert integers("50,257 tokens; 50\u00a0257; 20 479 characters; 124_412_160; lesson 1 and IDs 1149, 1150") == [
        50257, 50257, 20479, 124412160, 1, 1149, 1150]


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


def test_lesson_3_counts_the_embeddings_of_lesson_0s_model_and_embeds_lesson_2s_batch():
    """Numbers that lesson 3 takes from earlier lessons: GPT-2's configuration and
    parameter count (lesson 0), and the first batch of lesson 2."""
    lesson0 = SNIPPETS / "basic-llm-concepts"
    namespace: dict = {}
    exec((lesson0 / "gpt2_parameter_count.py").read_text(encoding="utf-8").split("# --8<-- [end:config]")[0], namespace)
    config = namespace["GPT_CONFIG_124M"]
    counted = gpt2_counts()
    code = (SNIPPETS / "token-embeddings" / "embeddings.py").read_text(encoding="utf-8")
    shown = (SNIPPETS / "token-embeddings" / "output" / "embeddings.gpt2.txt").read_text(encoding="utf-8")
    tied = int(re.search(r"GPT2_PARAMETERS = ([\d_]+)", code).group(1))
    assert tied == counted[1], f"lesson 3 takes GPT-2's parameter count as {tied:,}; lesson 0 counted {counted[1]:,} (tied, as configured)"
    for name, rows in (("token", config["vocab_size"]), ("position", config["context_length"])):
        weights = rows * config["emb_dim"]
        assert f"{name} embedding: {rows:,} x {config['emb_dim']} = {weights:,} weights, {weights / tied:.1%}" in shown
    lesson2_batch = (SNIPPETS / "data-sampling" / "output" / "sliding_windows.loader.txt").read_text(encoding="utf-8")
    first_row = re.search(r"tensor\(\[\[([\d, ]+)\]", lesson2_batch).group(1)
    lesson3_batch = (SNIPPETS / "token-embeddings" / "output" / "embeddings.batch.txt").read_text(encoding="utf-8")
    assert integers(first_row) == integers(lesson3_batch.splitlines()[1]), "lesson 3's batch is not lesson 2's"


def run_for_names(snippet, *names):
    """Run a snippet in its folder, its prints discarded; return the named variables."""
    namespace = {"__name__": "__main__"}
    cwd = os.getcwd()
    try:
        os.chdir(snippet.parent)
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(snippet.read_text(encoding="utf-8"), str(snippet), "exec"), namespace)
    finally:
        os.chdir(cwd)
    return [namespace[name] for name in names]


def test_the_vocabulary_of_the_story_holds_words_and_punctuation_not_markup():
    """The story marks italics with underscores (_not_): the tokenizer of lessons 1-3
    drops them, so no vocabulary entry carries one, and lessons 2 and 3 build the
    same vocabulary again."""
    [vocabulary] = run_for_names(SNIPPETS / "tokenizing" / "simple_tokenizer.py", "vocabulary")
    assert "not" in vocabulary and len(vocabulary) > 1000
    marked = [token for token in vocabulary if "_" in token or not (token.isalnum() or len(token) == 1 or token == "--")]
    assert not marked, f"vocabulary entries that are not a word, a number or a punctuation mark: {marked}"
    specials = {"<|unk|>", "<|endoftext|>"}
    for later in ("data-sampling/sliding_windows.py", "token-embeddings/embeddings.py"):
        [again] = run_for_names(SNIPPETS / later, "vocabulary")
        assert again == {t: i for t, i in vocabulary.items() if t not in specials}, f"snippets/{later} builds another vocabulary than lesson 1"
