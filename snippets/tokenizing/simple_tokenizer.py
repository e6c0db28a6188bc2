# --8<-- [start:read]
from pathlib import Path

text = Path("the-verdict.txt").read_text(encoding="utf-8")
print(f"Characters: {len(text):,}")
print(text[:75])
# --8<-- [end:read]

# --8<-- [start:split]
import re

# A run of letters or digits, a double dash, or any other single character that
# is neither a letter, a digit, an underscore nor a space: a punctuation mark.
# The underscores that mark the story's italics (_not_) match nothing: dropped.
TOKEN = re.compile(r"[^\W_]+|--|[^\w\s]")

tokens = TOKEN.findall(text)
print(f"Tokens: {len(tokens):,}")
print(tokens[:16])
# --8<-- [end:split]

# --8<-- [start:vocabulary]
vocabulary = {token: token_id for token_id, token in enumerate(sorted(set(tokens)))}
print(f"Vocabulary size: {len(vocabulary):,}")
print(list(vocabulary.items())[40:46])
# --8<-- [end:vocabulary]

# --8<-- [start:tokenizer]
class SimpleTokenizer:
    def __init__(self, vocabulary):
        self.token_to_id = vocabulary
        self.id_to_token = {token_id: token for token, token_id in vocabulary.items()}

    def encode(self, text):
        return [self.token_to_id[token] for token in TOKEN.findall(text)]

    def decode(self, ids):
        text = " ".join(self.id_to_token[token_id] for token_id in ids)
        # The tokens do not say where the spaces were: guess. None before
        # punctuation, none around a double dash.
        return re.sub(r" ([,.:;?!]|--)", r"\1", text).replace("-- ", "--")


tokenizer = SimpleTokenizer(vocabulary)
sentence = "It was the last word, and I could hear it."
ids = tokenizer.encode(sentence)
print(ids)
print(tokenizer.decode(ids))
print("Round trip:", tokenizer.decode(ids) == sentence)
# --8<-- [end:tokenizer]

# --8<-- [start:unknown]
try:
    tokenizer.encode("Hello, would you like some coffee?")
except KeyError as error:
    print("Not in the vocabulary:", error)
# --8<-- [end:unknown]

# --8<-- [start:special]
class SimpleTokenizerWithUnknown(SimpleTokenizer):
    def encode(self, text):
        unknown = self.token_to_id["<|unk|>"]
        return [self.token_to_id.get(token, unknown) for token in TOKEN.findall(text)]


# Two special tokens after the words: one for any unknown word, one that
# separates two documents in a stream of training text.
special = {"<|unk|>": len(vocabulary), "<|endoftext|>": len(vocabulary) + 1}
tokenizer = SimpleTokenizerWithUnknown(vocabulary | special)
first, second = "Hello, would you like some coffee?", "The museum opens at nine."
ids = tokenizer.encode(first) + [special["<|endoftext|>"]] + tokenizer.encode(second)
print(ids)
print(tokenizer.decode(ids))
# --8<-- [end:special]

# --8<-- [start:exercise_frequent]
from collections import Counter

counts = Counter(tokens)  # how often each token of the story occurs
print(counts.most_common(8))
print(sum(1 for count in counts.values() if count == 1), "tokens occur only once")
# --8<-- [end:exercise_frequent]
