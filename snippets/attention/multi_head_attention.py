# --8<-- [start:batch]
import re
from pathlib import Path

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

device = "cuda" if torch.cuda.is_available() else "cpu"

# Lesson 3's input, built again: lesson 2's first batch of token IDs (8 windows
# of 4 tokens), as token embeddings of 256 numbers plus positional embeddings.
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


context_length, embedding_dim = 4, 256
dataset = NextTokenDataset(all_ids, context_length, stride=4)
loader = DataLoader(dataset, batch_size=8, shuffle=True, drop_last=True, generator=torch.Generator().manual_seed(123))
inputs, targets = next(iter(loader))
token_embedding = nn.Embedding(len(vocabulary), embedding_dim).to(device)
position_embedding = nn.Embedding(context_length, embedding_dim).to(device)
input_embeddings = token_embedding(inputs.to(device)) + position_embedding(torch.arange(context_length, device=device))
print(input_embeddings.shape)
# --8<-- [end:batch]

# --8<-- [start:module]
class MultiHeadAttention(nn.Module):
    def __init__(self, d_in, d_out, context_length, num_heads, dropout, qkv_bias=False):
        super().__init__()
        assert d_out % num_heads == 0, "d_out must be divisible by num_heads"
        self.num_heads, self.head_dim = num_heads, d_out // num_heads
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.out_proj = nn.Linear(d_out, d_out)  # mixes what the heads found
        self.dropout = nn.Dropout(dropout)
        # A buffer: part of the module (.to(device) moves it), but no parameter, and not saved.
        mask = torch.triu(torch.ones(context_length, context_length, dtype=torch.bool), diagonal=1)
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x):
        batch, tokens, d_in = x.shape
        # (batch, tokens, d_out) -> (batch, tokens, heads, head_dim) -> (batch, heads, tokens, head_dim)
        queries = self.W_query(x).view(batch, tokens, self.num_heads, self.head_dim).transpose(1, 2)
        keys = self.W_key(x).view(batch, tokens, self.num_heads, self.head_dim).transpose(1, 2)
        values = self.W_value(x).view(batch, tokens, self.num_heads, self.head_dim).transpose(1, 2)

        scores = queries @ keys.transpose(-2, -1) / self.head_dim ** 0.5  # (batch, heads, tokens, tokens)
        scores = scores.masked_fill(self.mask[:tokens, :tokens], float("-inf"))
        weights = self.dropout(torch.softmax(scores, dim=-1))
        context = (weights @ values).transpose(1, 2)  # (batch, tokens, heads, head_dim)
        return self.out_proj(context.reshape(batch, tokens, self.num_heads * self.head_dim))
# --8<-- [end:module]

# --8<-- [start:shapes]
torch.manual_seed(8)
attention = MultiHeadAttention(embedding_dim, embedding_dim, context_length, num_heads=4, dropout=0.1).to(device)
print(attention(input_embeddings).shape)  # (batch, tokens, embedding dimension), as it came in
print(attention.mask.device.type == torch.device(device).type)  # the mask moved with the module
# --8<-- [end:shapes]

# --8<-- [start:count]
def count(module):
    return sum(p.numel() for p in module.parameters())


d = 768  # GPT-2's embedding dimension; its 12 heads of 64 numbers each
print(f"{count(MultiHeadAttention(d, d, 1024, 12, 0.1)):,} = 4 x {d}^2 + {d} = {4 * d**2 + d:,}")
print(f"{count(MultiHeadAttention(d, d, 1024, 12, 0.1, qkv_bias=True)):,} with biases; "
      f"PyTorch's nn.MultiheadAttention: {count(nn.MultiheadAttention(d, 12)):,}")
# --8<-- [end:count]

# --8<-- [start:sdpa]
import torch.nn.functional as F

attention.eval()  # the habit before comparing outputs (neither computation below applies dropout)
with torch.no_grad():
    x = input_embeddings
    shape = (*x.shape[:2], attention.num_heads, attention.head_dim)  # (batch, tokens, heads, head_dim)
    q, k, v = (W(x).view(shape).transpose(1, 2) for W in (attention.W_query, attention.W_key, attention.W_value))
    scores = (q @ k.transpose(-2, -1) / attention.head_dim**0.5).masked_fill(attention.mask, float("-inf"))
    ours = torch.softmax(scores, dim=-1) @ v
    fused = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # the same, in one call
print(torch.allclose(ours, fused, atol=1e-5))
# --8<-- [end:sdpa]

# --8<-- [start:exercise_course_count]
d = 128  # the course's model (lesson 5): 128 dimensions, 4 heads, a context of 32
print(f"{count(MultiHeadAttention(d, d, 32, 4, 0.0)):,} = 4 x {d}^2 + {d} = {4 * d**2 + d:,}")
# --8<-- [end:exercise_course_count]

# --8<-- [start:exercise_one_head]
with torch.no_grad():
    x0 = input_embeddings[0]  # the first window: 4 tokens of 256 numbers
    head = slice(0, 64)  # head 0: the first 64 outputs of each projection
    q, k, v = (x0 @ W.weight[head].T for W in (attention.W_query, attention.W_key, attention.W_value))
    mask = torch.triu(torch.ones(4, 4, dtype=torch.bool, device=device), diagonal=1)
    weights = torch.softmax((q @ k.T / 64**0.5).masked_fill(mask, float("-inf")), dim=-1)
    print(torch.allclose(weights @ v, ours[0, 0], atol=1e-6))  # window 0, head 0 of the module's computation
# --8<-- [end:exercise_one_head]

# --8<-- [start:exercise_mask_after]
with torch.no_grad():
    unmasked = torch.softmax(q @ k.T / 64**0.5, dim=-1)  # softmax first, over all four tokens
    zeroed = unmasked.masked_fill(mask, 0.0)  # then the later tokens' weights set to 0
    renormalised = zeroed / zeroed.sum(dim=-1, keepdim=True)  # and each row divided by its sum
    print(torch.allclose(renormalised, weights, atol=1e-6))
# --8<-- [end:exercise_mask_after]
