# --8<-- [start:window]
import re
from pathlib import Path

import torch
import torch.nn as nn

device = "cuda" if torch.cuda.is_available() else "cpu"

# Lesson 2's first window: the story's first four tokens, as lesson 1's tokenizer cuts them.
text = Path("the-verdict.txt").read_text(encoding="utf-8")
tokens = re.findall(r"[^\W_]+|--|[^\w\s]", text)
vocabulary = {token: token_id for token_id, token in enumerate(sorted(set(tokens)))}
window = tokens[:4]
token_ids = torch.tensor([vocabulary[token] for token in window], device=device)

torch.manual_seed(4)
embedding = nn.Embedding(len(vocabulary), 3).to(device)  # 3 numbers a token: small enough to read
x = embedding(token_ids).detach()  # the vectors alone, without their grad_fn: nothing trains here
print(window)
print(x)
# --8<-- [end:window]

# --8<-- [start:scores]
def show(weights):
    """Each row of attention weights, labelled with the token that looks."""
    for token, row in zip(window, weights.tolist()):
        print(f"{token:>8}", " ".join(f"{w:.2f}" for w in row))


scores = x @ x.T  # scores[i, j]: the dot product of token i's vector with token j's
weights = torch.softmax(scores, dim=-1)  # each row: positive numbers that sum to 1
show(weights)
print(weights.sum(dim=-1))
context = weights @ x  # each token's new vector: a weighted sum of all the vectors
print(context.shape)
# --8<-- [end:scores]

# --8<-- [start:projections]
torch.manual_seed(5)
d_in, d_out = 3, 2
W_query = nn.Linear(d_in, d_out, bias=False).to(device)
W_key = nn.Linear(d_in, d_out, bias=False).to(device)
W_value = nn.Linear(d_in, d_out, bias=False).to(device)

queries, keys, values = W_query(x), W_key(x), W_value(x)
scores = queries @ keys.T / keys.shape[-1] ** 0.5  # scaled by the square root of the key dimension
weights = torch.softmax(scores, dim=-1)
context = weights @ values
print(context.shape)  # one vector of d_out numbers per token
# --8<-- [end:projections]

# --8<-- [start:scaling]
torch.manual_seed(6)
for d in (4, 64, 1024):
    q, k = torch.randn(10_000, d), torch.randn(10_000, d)  # 10,000 pairs of random vectors
    dot = (q * k).sum(dim=-1)
    print(f"{d:>4} dimensions: dot products spread {dot.std():5.1f}, sqrt(d) = {d ** 0.5:4.1f}")

row = torch.randn(4, 1024) @ torch.randn(1024)  # the scores of one query with 4 keys, 1024 dimensions
print("unscaled:", " ".join(f"{w:.2f}" for w in torch.softmax(row, dim=-1).tolist()))
print("scaled:  ", " ".join(f"{w:.2f}" for w in torch.softmax(row / 1024 ** 0.5, dim=-1).tolist()))
# --8<-- [end:scaling]

# --8<-- [start:causal]
n = len(window)
mask = torch.triu(torch.ones(n, n, dtype=torch.bool, device=device), diagonal=1)  # True above the diagonal
print(mask)
masked = scores.masked_fill(mask, float("-inf"))  # a later token gets a score of minus infinity
weights = torch.softmax(masked, dim=-1)  # ... and a weight of exactly 0
show(weights)
# --8<-- [end:causal]

# --8<-- [start:later_token]
def attention(x, causal=True):
    """Self-attention of the vectors x with the projections above (random: nothing trained them)."""
    queries, keys, values = W_query(x), W_key(x), W_value(x)
    scores = queries @ keys.T / keys.shape[-1] ** 0.5
    if causal:
        scores = scores.masked_fill(mask, float("-inf"))
    return torch.softmax(scores, dim=-1) @ values


changed = x.clone()
changed[3] = embedding(torch.tensor(vocabulary["Jack"], device=device)).detach()  # "thought" becomes "Jack"
before, after = attention(x), attention(changed)
print("the first three outputs unchanged:", torch.equal(before[:3], after[:3]))
print("the last output unchanged:", torch.equal(before[3], after[3]))
# --8<-- [end:later_token]

# --8<-- [start:order]
backwards = torch.tensor([3, 2, 1, 0], device=device)  # the same tokens, in the opposite order
for causal in (False, True):
    same = torch.allclose(attention(x[backwards], causal), attention(x, causal)[backwards], atol=1e-6)
    print(f"causal={causal}: reversing the tokens just reverses the outputs: {same}")
# --8<-- [end:order]

# --8<-- [start:dropout]
torch.manual_seed(7)
dropout = nn.Dropout(p=0.5)  # in training, each weight is zeroed with probability 0.5
print(dropout(torch.ones(4, 4)))  # the others are doubled: 1 / (1 - 0.5)
dropout.eval()  # when the model is used: no dropout
print(dropout(torch.ones(4, 4)))
# --8<-- [end:dropout]
