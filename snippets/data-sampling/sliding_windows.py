# --8<-- [start:tokenize]
import re
from pathlib import Path

# Lesson 1's simple tokenizer: words and punctuation marks, numbered in sorted order.
text = Path("the-verdict.txt").read_text(encoding="utf-8")
tokens = re.findall(r"[^\W_]+|--|[^\w\s]", text)
vocabulary = {token: token_id for token_id, token in enumerate(sorted(set(tokens)))}
token_ids = [vocabulary[token] for token in tokens]
print(f"{len(token_ids):,} token IDs, vocabulary of {len(vocabulary):,}")
# --8<-- [end:tokenize]

# --8<-- [start:shifted]
context_length = 4
inputs = token_ids[:context_length]
targets = token_ids[1 : context_length + 1]  # the same tokens, one further on
print("inputs: ", inputs)
print("targets:", targets)
for n in range(1, context_length + 1):
    print(" ".join(tokens[:n]), "->", tokens[n])
# --8<-- [end:shifted]

# --8<-- [start:windows]
def window_starts(num_tokens, context_length, stride):
    """Where each window begins: every stride tokens, while a whole window and its
    next token still fit."""
    return list(range(0, num_tokens - context_length, stride))


for stride in (1, 2, 4):
    starts = window_starts(len(token_ids), context_length, stride)
    print(f"stride {stride}: {len(starts):,} windows, the first three at {starts[:3]}")
# --8<-- [end:windows]

# --8<-- [start:dataset]
import torch
from torch.utils.data import Dataset


class NextTokenDataset(Dataset):
    """Pairs of (input, target): windows of context_length token IDs, and the
    same windows shifted by one token."""

    def __init__(self, token_ids, context_length, stride):
        self.token_ids = torch.tensor(token_ids)
        self.context_length = context_length
        self.starts = window_starts(len(token_ids), context_length, stride)

    def __len__(self):
        return len(self.starts)

    def __getitem__(self, index):
        start = self.starts[index]
        window = self.token_ids[start : start + self.context_length + 1]
        return window[:-1], window[1:]


dataset = NextTokenDataset(token_ids, context_length=4, stride=4)
print(f"{len(dataset):,} examples")
print(dataset[0])
# --8<-- [end:dataset]

# --8<-- [start:loader]
from torch.utils.data import DataLoader

# Shuffled by a seeded generator: the same batches on every run.
loader = DataLoader(dataset, batch_size=8, shuffle=True, drop_last=True, generator=torch.Generator().manual_seed(123))
inputs, targets = next(iter(loader))
print("inputs: ", inputs.shape)
print(inputs)
print("targets:", targets.shape)
print(targets)
print(len(loader), "batches; without drop_last:", len(DataLoader(dataset, batch_size=8)))
# --8<-- [end:loader]

# --8<-- [start:split]
split = int(0.9 * len(token_ids))  # the first 90% of the story trains, the rest validates
train_ids, validation_ids = token_ids[:split], token_ids[split:]
print(f"training: {len(train_ids):,} tokens, validation: {len(validation_ids):,} tokens")
train_set = NextTokenDataset(train_ids, context_length=4, stride=4)
validation_set = NextTokenDataset(validation_ids, context_length=4, stride=4)
print(f"{len(train_set):,} training examples, {len(validation_set):,} validation examples")
# --8<-- [end:split]

# --8<-- [start:exercise_stride]
print(len(window_starts(len(token_ids), context_length=4, stride=3)))
# --8<-- [end:exercise_stride]

# --8<-- [start:exercise_predicted]
# The windows of stride 1 whose targets include the token at position 100
starts = window_starts(len(token_ids), context_length=4, stride=1)
print([start for start in starts if start + 1 <= 100 <= start + 4])
# --8<-- [end:exercise_predicted]

# --8<-- [start:exercise_batches]
loader10 = DataLoader(dataset, batch_size=10, drop_last=True)
print(len(loader10), "batches;", len(dataset) - 10 * len(loader10), "examples dropped")
# --8<-- [end:exercise_batches]
