"""Numbers stated in the prose, equations and figure agree with what the
snippets print (their output files are checked against real runs)."""

import contextlib
import io
import math
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
    output = (SNIPPETS / "basic-llm-concepts" / "output" / "autograd_by_hand.by_hand.txt").read_text(encoding="utf-8")
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
    """GPT-2's parameter counts as lesson 5 counts them in the model: with and
    without weight tying, for lesson 0's configuration and then OpenAI's."""
    output = (SNIPPETS / "gpt-architecture" / "output" / "gpt_model.gpt2_count.txt").read_text(encoding="utf-8")
    found = re.findall(r"^qkv_bias=(?:False|True): ([\d,]+) with weight tying, ([\d,]+) without$", output, re.M)
    return [int(n.replace(",", "")) for pair in found for n in pair]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lesson_0_states_the_gpt2_counts_that_lesson_5_counts(lang):
    """Lesson 0 states the counts of its configuration; lesson 5 builds the model
    (tied by sharing one matrix) and counts them, with and without QKV biases."""
    tied, untied, openai_tied, _ = counts = gpt2_counts()
    assert counts == [124_412_160, 163_009_536, 124_439_808, 163_037_184]
    text, _ = prose((DOCS / lang / "basic-llm-concepts.md").read_text(encoding="utf-8"))
    missing = {tied, untied, openai_tied} - set(integers(text))
    assert not missing, f"docs/{lang}/basic-llm-concepts.md does not state the counts {sorted(missing)} that lesson 5 counts"


# Lesson 0 mirrors its source, whose figures (124M, 1.5B, ...) are cited, not
# computed: the tests above check the ones its code produces.
CITED_LESSONS = {"basic-llm-concepts"}
# An integer, with its digits grouped as the language (or Python) writes them: 50,257 / 50 257 / 50_257.
INTEGER = re.compile(r"(?<![\d.,])\d{1,3}(?:[,\u00a0\u202f _]\d{3})+(?![\d])|(?<![\d.,])\d+(?![.,]\d)")


def integers(text: str) -> list[int]:
    return [int(re.sub(r"\D", "", n)) for n in INTEGER.findall(text)]


def test_grouped_digits_are_read_as_one_number_and_decimals_as_none():
    assert integers("50,257 tokens; 50\u00a0257; 20 479 characters; 124_412_160; lesson 1 and IDs 1149, 1150; −0.17, 2.0, −0,17") == [
        50257, 50257, 20479, 124412160, 1, 1149, 1150]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("lesson", sorted(set(LESSONS) - CITED_LESSONS))
def test_every_number_in_a_lessons_prose_is_one_its_code_shows_or_prints(lesson, lang):
    """Vocabulary sizes, token counts, IDs: each integer of 10 or more in the prose
    is in the lesson's code or outputs (years, 1900-2030, aside: publications);
    each decimal is one of them rounded to its digits."""
    folder = SNIPPETS / lesson
    produced = {n for path in [*folder.glob("*.py"), *folder.glob("output/*.txt")] for n in integers(path.read_text(encoding="utf-8"))}
    text, _ = prose((DOCS / lang / f"{lesson}.md").read_text(encoding="utf-8"))
    unchecked = [n for n in integers(text) if n >= 10 and not 1900 <= n <= 2030 and n not in produced]
    assert not unchecked, f"docs/{lang}/{lesson}.md states numbers that no code or output of snippets/{lesson}/ shows: {unchecked}"
    printed = [float(n) for path in [*folder.glob("*.py"), *folder.glob("output/*.txt")] for n in decimals(path.read_text(encoding="utf-8"))]
    text = re.sub(r"§\s*[\d.]+", "", text)  # a section of a cited paper: § 2.2
    wrong = [n for n in decimals(text.replace(",", ".") if lang in ("af", "pl") else text) if not agrees(n, printed)]
    assert not wrong, f"docs/{lang}/{lesson}.md states decimals that no code or output of snippets/{lesson}/ shows, rounded: {wrong}"


def test_lesson_3_counts_the_embeddings_of_lesson_0s_model_and_embeds_lesson_2s_batch():
    """Numbers that lesson 3 takes from earlier lessons: GPT-2's configuration and
    parameter count (lesson 0), and the first batch of lesson 2."""
    lesson0 = SNIPPETS / "basic-llm-concepts"
    namespace: dict = {}
    exec((lesson0 / "gpt2_config.py").read_text(encoding="utf-8"), namespace)
    config = namespace["GPT_CONFIG_124M"]
    counted = gpt2_counts()
    code = (SNIPPETS / "token-embeddings" / "embeddings.py").read_text(encoding="utf-8")
    shown = (SNIPPETS / "token-embeddings" / "output" / "embeddings.gpt2.txt").read_text(encoding="utf-8")
    tied = int(re.search(r"GPT2_PARAMETERS = ([\d_]+)", code).group(1))
    assert tied == counted[0], f"lesson 3 takes GPT-2's parameter count as {tied:,}; lesson 5 counted {counted[0]:,} (tied, as configured)"
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


def section(path, name: str) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split(f"# --8<-- [start:{name}]\n")[1].split(f"# --8<-- [end:{name}]")[0]


def test_lesson_5_builds_on_lesson_4s_attention_unchanged():
    assert section(SNIPPETS / "gpt-architecture" / "gpt_model.py", "attention") == section(
        SNIPPETS / "attention" / "multi_head_attention.py", "module"
    ), "lesson 5's copy of MultiHeadAttention differs from lesson 4's"


def test_the_lessons_that_build_lesson_2s_windows_again_use_one_dataset_class():
    """Lessons 3, 4 and 6 each repeat a short NextTokenDataset, so that each runs on its own;
    the copies stay the same code (lesson 2's own class is the longer, commented one)."""
    copies = {}
    for path in ("token-embeddings/embeddings.py", "attention/multi_head_attention.py", "pretraining/train_gpt.py"):
        text = (SNIPPETS / path).read_text(encoding="utf-8")
        start = text.index("class NextTokenDataset(Dataset):")
        copies[path] = text[start : text.index("return window[:-1], window[1:]", start)]
    assert len(set(copies.values())) == 1, f"the copies of NextTokenDataset differ: {sorted(copies)}"


def test_the_course_model_starts_within_0_1_of_ln_v():
    """With GPT-2's starting values, the untrained model's loss is that of a uniform
    guess over the vocabulary, ln V (lesson 5); not so with nn.Embedding's default."""
    output = (SNIPPETS / "gpt-architecture" / "output" / "gpt_model.initial_loss.txt").read_text(encoding="utf-8")
    loss, ln_v = map(float, re.search(r"starting values: loss ([\d.]+); ln V = ([\d.]+)", output).groups())
    default = float(re.search(r"default: loss ([\d.]+)", output).group(1))
    [vocabulary] = run_for_names(SNIPPETS / "tokenizing" / "simple_tokenizer.py", "vocabulary")
    assert abs(ln_v - math.log(len(vocabulary))) < 0.005
    assert abs(loss - ln_v) < 0.1, f"the course's model starts at a loss of {loss}, not within 0.1 of ln V = {ln_v}"
    assert default > ln_v + 10


def test_lesson_6_trains_lesson_5s_model_with_lesson_1s_tokenizer_unchanged():
    """Lesson 6 repeats, in one block, what it needs of lessons 1 and 5: the same code."""
    setup = section(SNIPPETS / "pretraining" / "train_gpt.py", "setup")
    lesson5 = SNIPPETS / "gpt-architecture" / "gpt_model.py"
    for name in ("tokenizer", "attention", "model"):
        body = section(lesson5, name)
        body = body[body.index("# Lesson 1's tokenizer"):] if name == "tokenizer" else body
        assert body in setup, f"lesson 6's setup does not hold lesson 5's section {name} unchanged"
    for name, ends in (("feed_forward", "\n\ndef count"), ("block", "\n\nGPT_CONFIG_124M"), ("course_model", "torch.manual_seed")):
        assert section(lesson5, name).split(ends)[0].rstrip() in setup, f"lesson 6's setup does not hold lesson 5's {name}"
