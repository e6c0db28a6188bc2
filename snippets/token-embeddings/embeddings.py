# --8<-- [start:lookup]
import torch
import torch.nn as nn

device = "cuda" if torch.cuda.is_available() else "cpu"  # as in lesson 0

# A vocabulary of the story's first five words, and a sentence made of them.
vocabulary = {word: token_id for token_id, word in enumerate("I HAD always thought Jack".split())}
token_ids = torch.tensor([vocabulary[word] for word in "I thought Jack thought".split()], device=device)
print(token_ids)

torch.manual_seed(1908)  # the year the story was published
embedding = nn.Embedding(num_embeddings=5, embedding_dim=4).to(device)  # 5 token IDs, 4 numbers each
print(embedding.weight)
print(embedding(token_ids))
# --8<-- [end:lookup]

# --8<-- [start:one_hot]
import torch.nn.functional as F

one_hot = F.one_hot(token_ids, num_classes=5).float()
print(one_hot)
print(torch.allclose(one_hot @ embedding.weight, embedding(token_ids)))
# --8<-- [end:one_hot]

# --8<-- [start:trained]
loss = embedding(token_ids).sum()  # a stand-in for a real loss
loss.backward()
print(embedding.weight.grad)
# --8<-- [end:trained]

# --8<-- [start:batch]
import re
from pathlib import Path

from torch.utils.data import DataLoader, Dataset

# Lesson 2's batch, built again: the simple tokenizer of lesson 1, windows of
# 4 tokens with a stride of 4, batches of 8 shuffled by a seeded generator.
text = Path("the-verdict.txt").read_text(encoding="utf-8")
tokens = re.findall(r"[^\W_]+|--|[^\w\s]", text)
vocabulary = {token: token_id for token_id, token in enumerate(sorted(set(tokens)))}
all_ids = torch.tensor([vocabulary[token] for token in tokens])


class NextTokenDataset(Dataset):
    def __init__(self, token_ids, context_length, stride):
        self.token_ids, self.context_length = token_ids, context_length
        self.starts = range(0, len(token_ids) - context_length, stride)

    def __len__(self):
        return len(self.starts)

    def __getitem__(self, index):
        window = self.token_ids[self.starts[index] : self.starts[index] + self.context_length + 1]
        return window[:-1], window[1:]


context_length = 4
dataset = NextTokenDataset(all_ids, context_length, stride=4)
loader = DataLoader(dataset, batch_size=8, shuffle=True, drop_last=True, generator=torch.Generator().manual_seed(123))
inputs, targets = next(iter(loader))
print(f"vocabulary of {len(vocabulary):,}, batch of shape {tuple(inputs.shape)}")
print(inputs[0])  # the first row of lesson 2's batch
# --8<-- [end:batch]

# --8<-- [start:token_embeddings]
embedding_dim = 256
token_embedding = nn.Embedding(len(vocabulary), embedding_dim).to(device)
token_vectors = token_embedding(inputs.to(device))
print(token_vectors.shape)  # (batch, tokens, embedding dimension)
# --8<-- [end:token_embeddings]

# --8<-- [start:positions]
position_embedding = nn.Embedding(context_length, embedding_dim).to(device)  # one learned vector per position
position_vectors = position_embedding(torch.arange(context_length, device=device))
print(position_vectors.shape)

input_embeddings = token_vectors + position_vectors  # broadcast: added to each sequence of the batch
print(input_embeddings.shape)
# --8<-- [end:positions]

# --8<-- [start:gpt2]
# GPT-2 (124M) as lesson 0 configured it: 50,257 tokens, a context of 1,024, 768 dimensions.
# On the "meta" device, the layers have shapes but no memory, as in lesson 0.
GPT2_PARAMETERS = 124_412_160  # lesson 0's count, with weight tying
with torch.device("meta"):
    gpt2_layers = {"token": nn.Embedding(50_257, 768), "position": nn.Embedding(1_024, 768)}
for name, layer in gpt2_layers.items():
    rows, columns = layer.weight.shape
    count = layer.weight.numel()
    print(f"{name} embedding: {rows:,} x {columns} = {count:,} weights, {count / GPT2_PARAMETERS:.1%} of GPT-2")
# --8<-- [end:gpt2]

# --8<-- [start:exercise_three]
embedding.weight.grad = None  # forget the gradient of the example above
embedding(torch.tensor([2, 2, 2], device=device)).sum().backward()  # "always", three times
print(embedding.weight.grad)
# --8<-- [end:exercise_three]

# --8<-- [start:exercise_one_hot]
vocabulary_size, dimension = 50_257, 768  # GPT-2
print(f"one-hot times the matrix: {vocabulary_size * dimension:,} multiplications a token")
print(f"lookup: {dimension} numbers copied a token")
# --8<-- [end:exercise_one_hot]
