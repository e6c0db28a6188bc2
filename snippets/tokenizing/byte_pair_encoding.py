# --8<-- [start:bytes]
word = "naïve"
print(list(word.encode("utf-8")))  # UTF-8: 1 to 4 bytes a character, each a number from 0 to 255
print(len(word), "characters,", len(word.encode("utf-8")), "bytes")
# --8<-- [end:bytes]

# --8<-- [start:train]
import re
import string
from collections import Counter
from pathlib import Path

# Text is cut into chunks before training: a run of spaces with the word or the
# punctuation after it. Merges never cross a chunk, so no token spans two words.
PUNCTUATION = re.escape(string.punctuation)
CHUNK = re.compile(rf"\s*[^\s{PUNCTUATION}]+|\s*[{PUNCTUATION}]+|\s+")


def merge(ids, pair, new_id):
    """ids with every occurrence of the adjacent pair replaced by new_id."""
    merged, i = [], 0
    while i < len(ids):
        if ids[i : i + 2] == pair:
            merged.append(new_id)
            i += 2
        else:
            merged.append(ids[i])
            i += 1
    return tuple(merged)


def train_bpe(text, num_merges):
    """Learn num_merges merges: each one joins the most frequent pair of adjacent
    tokens into a new token, whose id is the next free one after the 256 bytes."""
    chunks = Counter(tuple(chunk.encode("utf-8")) for chunk in CHUNK.findall(text))
    merges = {}
    for new_id in range(256, 256 + num_merges):
        pairs = Counter()
        for ids, count in chunks.items():
            for pair in zip(ids, ids[1:]):
                pairs[pair] += count
        best = max(pairs, key=pairs.get)  # on a tie, the pair counted first
        merges[best] = new_id
        # Only a chunk that holds the pair's first token can change: skip the others.
        chunks = Counter(
            {(merge(ids, best, new_id) if best[0] in ids else ids): count for ids, count in chunks.items()}
        )
    return merges


text = Path("the-verdict.txt").read_text(encoding="utf-8")
merges = train_bpe(text, num_merges=300)
vocabulary = {i: bytes([i]) for i in range(256)}
for (left, right), new_id in merges.items():
    vocabulary[new_id] = vocabulary[left] + vocabulary[right]

for (left, right), new_id in list(merges.items())[:8]:
    print(f"{new_id}: {vocabulary[left]!r} + {vocabulary[right]!r} -> {vocabulary[new_id]!r}")
print(f"Vocabulary: 256 bytes + {len(merges)} merges = {len(vocabulary)} tokens")
# --8<-- [end:train]

# --8<-- [start:encode]
def encode(text):
    ids = []
    for chunk in CHUNK.findall(text):
        chunk_ids = tuple(chunk.encode("utf-8"))
        while len(chunk_ids) > 1:
            # The pair that was merged first in training, among those in the chunk.
            pair = min(zip(chunk_ids, chunk_ids[1:]), key=lambda p: merges.get(p, float("inf")))
            if pair not in merges:
                break
            chunk_ids = merge(chunk_ids, pair, merges[pair])
        ids.extend(chunk_ids)
    return ids


def decode(ids):
    return b"".join(vocabulary[i] for i in ids).decode("utf-8")


ids = encode("Hello, would you like some coffee?")
print(ids)
print([vocabulary[i].decode("utf-8") for i in ids])
print("Round trip:", decode(ids) == "Hello, would you like some coffee?")
# --8<-- [end:encode]

# --8<-- [start:gpt2]
# GPT-2's vocabulary, built the same way (Radford et al., 2019):
print(f"GPT-2: 256 bytes + {50_000:,} merges + 1 special token = {256 + 50_000 + 1:,} tokens")
print(f"IDs 0 to {256 + 50_000:,}; the last one is <|endoftext|>")

# GPT-2's files store tokens as text: each byte is written as a printable
# character, the printable ones as themselves, the others as characters past
# 255. Its first 256 IDs number the bytes in that order, not by their value.
printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
others = [b for b in range(256) if b not in printable]
shown_as = {b: chr(b) for b in printable} | {b: chr(256 + n) for n, b in enumerate(others)}
gpt2_id = {b: i for i, b in enumerate(printable + others)}
for b in b"A \n":
    print(f"byte {b:>2} {bytes([b])!r:>5}: written {shown_as[b]!r}, GPT-2 ID {gpt2_id[b]}, ours {b}")
# --8<-- [end:gpt2]

# --8<-- [start:languages]
# One sentence in the five languages of this site.
sentences = {
    "en": "My grandmother tells the children a story every evening.",
    "af": "My ouma vertel elke aand vir die kinders 'n storie.",
    "pl": "Moja babcia co wieczór opowiada dzieciom bajkę.",
    "sw": "Bibi yangu huwasimulia watoto hadithi kila jioni.",
    "hi": "मेरी दादी हर शाम बच्चों को एक कहानी सुनाती हैं।",
}
print("    characters  bytes  tokens")
for language, sentence in sentences.items():
    print(f"{language} {len(sentence):>12} {len(sentence.encode('utf-8')):>6} {len(encode(sentence)):>7}")

# len() counts code points: a Devanagari vowel sign is one of its own.
print(list("मेरी"), [len(c.encode("utf-8")) for c in "मेरी"])
spaces = sentences["hi"].count(" ")
print(f"{len(sentences['hi']) - spaces} code points of 3 bytes + {spaces} spaces of 1 byte")
# --8<-- [end:languages]

# --8<-- [start:tensor]
import torch

token_ids = torch.tensor(encode("Hello, would you like some coffee?"))
print(token_ids)
print(token_ids.shape, token_ids.dtype)
# --8<-- [end:tensor]

# --8<-- [start:exercise_pieces]
hindi_ids = encode(sentences["hi"])
print([vocabulary[i].decode("utf-8", errors="replace") for i in hindi_ids[:4]])  # one token at a time
print(decode(hindi_ids[:6]))  # the bytes joined first: two whole characters
# --8<-- [end:exercise_pieces]

# --8<-- [start:exercise_merges]
merges = train_bpe(text, num_merges=600)  # encode() and decode() use these from now on
vocabulary = {i: bytes([i]) for i in range(256)}
for (left, right), new_id in merges.items():
    vocabulary[new_id] = vocabulary[left] + vocabulary[right]
for language in ("en", "hi"):
    print(f"{language}: {len(encode(sentences[language]))} tokens")
# --8<-- [end:exercise_merges]
