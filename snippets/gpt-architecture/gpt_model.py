# --8<-- [start:layer_norm]
import torch
import torch.nn as nn

device = "cuda" if torch.cuda.is_available() else "cpu"

torch.manual_seed(12)
x = (torch.randn(2, 6) * 3 + 1).to(device)  # two vectors of 6 numbers, far from mean 0 and spread 1

mean = x.mean(dim=-1, keepdim=True)
variance = x.var(dim=-1, keepdim=True, correction=0)  # the biased variance: divided by 6, not 5
eps = 1e-5  # keeps the division safe when the variance is 0
scale, shift = torch.ones(6, device=device), torch.zeros(6, device=device)  # trained, in a model
normalized = (x - mean) / torch.sqrt(variance + eps) * scale + shift
for row in normalized:
    print(f"mean {row.mean():+.4f}, variance {row.var(correction=0):.4f}")

layer_norm = nn.LayerNorm(6).to(device)  # the same, with scale and shift as parameters
print(torch.allclose(normalized, layer_norm(x), atol=1e-6))
# --8<-- [end:layer_norm]

# --8<-- [start:gelu]
x = torch.linspace(-3, 3, 25)
gelu = nn.GELU(approximate="tanh")  # the approximation of GELU that GPT-2 used
relu = nn.ReLU()
print(f"{'x':>5} {'GELU':>7} {'ReLU':>7}")
for value, g, r in zip(x.tolist(), gelu(x).tolist(), relu(x).tolist()):
    print(f"{value:5.2f} {g:7.4f} {r:7.4f}")
# --8<-- [end:gelu]

# --8<-- [start:gelu_exact]
print(f"largest difference from the exact GELU: {(nn.GELU()(x) - gelu(x)).abs().max():.5f}")
# --8<-- [end:gelu_exact]

# --8<-- [start:feed_forward]
class FeedForward(nn.Module):
    def __init__(self, emb_dim):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(emb_dim, 4 * emb_dim),  # out to four times the width
            nn.GELU(approximate="tanh"),
            nn.Linear(4 * emb_dim, emb_dim),  # and back
        )

    def forward(self, x):
        return self.layers(x)


def count(module):
    return sum(p.numel() for p in module.parameters())


d = 768
print(f"{count(FeedForward(d)):,} = 8 x {d}^2 + 5 x {d} = {8 * d**2 + 5 * d:,}")
# --8<-- [end:feed_forward]

# --8<-- [start:shortcuts]
class DeepStack(nn.Module):
    """Ten layers of 16 numbers, with or without a shortcut around each."""

    def __init__(self, shortcuts):
        super().__init__()
        self.layers = nn.ModuleList(nn.Sequential(nn.Linear(16, 16), nn.GELU()) for _ in range(10))
        self.shortcuts = shortcuts

    def forward(self, x):
        for layer in self.layers:
            x = x + layer(x) if self.shortcuts else layer(x)
        return x


for shortcuts in (False, True):
    torch.manual_seed(11)
    stack = DeepStack(shortcuts).to(device)
    inputs = torch.randn(32, 16).to(device)
    stack(inputs).pow(2).mean().backward()  # a stand-in for a loss
    first, last = (layer[0].weight.grad.abs().mean() for layer in (stack.layers[0], stack.layers[-1]))
    print(f"shortcuts={shortcuts}: gradient of the first layer {first:.1e}, of the last {last:.1e}")
# --8<-- [end:shortcuts]

# --8<-- [start:attention]
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
# --8<-- [end:attention]

# --8<-- [start:block]
class TransformerBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        dim = cfg["emb_dim"]
        self.norm1 = nn.LayerNorm(dim)
        self.att = MultiHeadAttention(dim, dim, cfg["context_length"], cfg["n_heads"], cfg["drop_rate"], cfg["qkv_bias"])
        self.norm2 = nn.LayerNorm(dim)
        self.ff = FeedForward(dim)
        self.drop = nn.Dropout(cfg["drop_rate"])

    def forward(self, x):
        x = x + self.drop(self.att(self.norm1(x)))  # normalise, attend, add back: a shortcut
        x = x + self.drop(self.ff(self.norm2(x)))  # the same around the feed-forward network
        return x


GPT_CONFIG_124M = {  # lesson 0's configuration
    "vocab_size": 50257, "context_length": 1024, "emb_dim": 768, "n_heads": 12,
    "n_layers": 12, "drop_rate": 0.1, "qkv_bias": False,
}
block = TransformerBlock(GPT_CONFIG_124M)
print(f"{count(block):,} parameters; the feed-forward network holds {count(block.ff) / count(block):.1%} of them")
# --8<-- [end:block]

# --8<-- [start:model]
class GPTModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.tok_emb = nn.Embedding(cfg["vocab_size"], cfg["emb_dim"])
        self.pos_emb = nn.Embedding(cfg["context_length"], cfg["emb_dim"])
        self.drop = nn.Dropout(cfg["drop_rate"])
        self.blocks = nn.Sequential(*[TransformerBlock(cfg) for _ in range(cfg["n_layers"])])
        self.final_norm = nn.LayerNorm(cfg["emb_dim"])
        self.out_head = nn.Linear(cfg["emb_dim"], cfg["vocab_size"], bias=False)
        self.out_head.weight = self.tok_emb.weight  # weight tying: one matrix for both
        self.apply(self.init_weights)

    @staticmethod
    def init_weights(module):
        """Close to GPT-2's starting values: weights from N(0, 0.02), biases 0."""
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def forward(self, token_ids):
        positions = torch.arange(token_ids.shape[1], device=token_ids.device)
        x = self.drop(self.tok_emb(token_ids) + self.pos_emb(positions))
        return self.out_head(self.final_norm(self.blocks(x)))  # logits: one score per token of the vocabulary
# --8<-- [end:model]

# --8<-- [start:gpt2_count]
with torch.device("meta"):  # shapes without memory, as in lesson 0
    gpt2 = GPTModel(GPT_CONFIG_124M)
total = count(gpt2)  # the tied matrix counts once
V, C, d, L = 50257, 1024, 768, 12
parts = {
    "token embedding": (count(gpt2.tok_emb), V * d),
    "position embedding": (count(gpt2.pos_emb), C * d),
    "attention": (sum(count(b.att) for b in gpt2.blocks), L * (4 * d**2 + d)),
    "feed-forward": (sum(count(b.ff) for b in gpt2.blocks), L * (8 * d**2 + 5 * d)),
    "normalisation": (sum(count(m) for m in gpt2.modules() if isinstance(m, nn.LayerNorm)), (2 * L + 1) * 2 * d),
}
for name, (counted, formula) in parts.items():
    print(f"{name:>18}: {counted:>11,} ({counted / total:5.1%})  formula: {formula:,}")
print(f"{'total':>18}: {total:>11,}")

for qkv_bias in (False, True):  # this configuration, then OpenAI's GPT-2, which has these biases
    with torch.device("meta"):
        counted = GPTModel(GPT_CONFIG_124M | {"qkv_bias": qkv_bias})
    tied = count(counted)
    counted.out_head.weight = nn.Parameter(torch.empty(V, d, device="meta"))  # an output layer of its own
    print(f"qkv_bias={qkv_bias}: {tied:,} with weight tying, {count(counted):,} without")
# --8<-- [end:gpt2_count]

# --8<-- [start:memory]
print(f"float32 weights: {total * 4 / 1e6:,.0f} MB ({total * 4 / 2**20:,.0f} MiB)")  # 4 bytes a parameter
print(f"training with AdamW: {total * 16 / 1e9:.1f} GB")  # weights, gradients and two moments: 16 bytes
# --8<-- [end:memory]

# --8<-- [start:tokenizer]
import re
from pathlib import Path

# Lesson 1's tokenizer: words and punctuation marks of the story, numbered in sorted order.
text = Path("the-verdict.txt").read_text(encoding="utf-8")
TOKEN = re.compile(r"[^\W_]+|--|[^\w\s]")
tokens = TOKEN.findall(text)
vocabulary = {token: token_id for token_id, token in enumerate(sorted(set(tokens)))}
id_to_token = {token_id: token for token, token_id in vocabulary.items()}


def encode(text):
    return [vocabulary[token] for token in TOKEN.findall(text)]


def decode(ids):
    text = " ".join(id_to_token[token_id] for token_id in ids)
    return re.sub(r" ([,.:;?!]|--)", r"\1", text).replace("-- ", "--")
# --8<-- [end:tokenizer]

# --8<-- [start:course_model]
COURSE_CONFIG = {
    "vocab_size": len(vocabulary),  # lesson 1's words and punctuation marks
    "context_length": 32,
    "emb_dim": 128,
    "n_heads": 4,
    "n_layers": 4,
    "drop_rate": 0.0,
    "qkv_bias": False,
}
torch.manual_seed(123)
model = GPTModel(COURSE_CONFIG).to(device)  # drawn on the CPU, moved to the device
print(f"{count(model):,} parameters")

story = torch.tensor(encode(text))
inputs = torch.stack([story[i : i + 32] for i in range(0, 8 * 32, 32)]).to(device)  # 8 windows of 32 tokens
targets = torch.stack([story[i + 1 : i + 33] for i in range(0, 8 * 32, 32)]).to(device)  # shifted by one
model.eval()
with torch.no_grad():
    logits = model(inputs)
print(logits.shape)  # (batch, tokens, vocabulary)
# --8<-- [end:course_model]

# --8<-- [start:initial_loss]
import math

import torch.nn.functional as F


def loss_of(model):
    with torch.no_grad():
        logits = model(inputs)
    return F.cross_entropy(logits.flatten(0, 1), targets.flatten()).item()


print(f"GPT-2's starting values: loss {loss_of(model):.2f}; ln V = {math.log(len(vocabulary)):.2f}")

torch.manual_seed(123)
default = GPTModel(COURSE_CONFIG)
nn.init.normal_(default.tok_emb.weight)  # nn.Embedding's own default, N(0, 1): the output layer too, tied
print(f"nn.Embedding's default: loss {loss_of(default.to(device).eval()):.2f}")
# --8<-- [end:initial_loss]

# --8<-- [start:generate]
def generate_greedy(model, token_ids, max_new_tokens, context_length):
    """Append, max_new_tokens times, the token with the highest score."""
    model.eval()  # no dropout
    with torch.no_grad():  # no graph for the backward pass: nothing trains here
        for _ in range(max_new_tokens):
            logits = model(token_ids[:, -context_length:])  # at most what the model can read
            next_id = logits[:, -1].argmax(dim=-1, keepdim=True)  # the last position predicts the next token
            token_ids = torch.cat([token_ids, next_id], dim=1)
    return token_ids


prompt = torch.tensor([encode("I HAD always thought")], device=device)
written = generate_greedy(model, prompt, max_new_tokens=10, context_length=COURSE_CONFIG["context_length"])
print(decode(written[0].tolist()))
# --8<-- [end:generate]

# --8<-- [start:exercise_largest]
name, largest = max(model.named_parameters(), key=lambda item: item[1].numel())
print(name, tuple(largest.shape), f"{largest.numel():,} of {count(model):,}")
# --8<-- [end:exercise_largest]

# --8<-- [start:exercise_untied]
untied = GPTModel(COURSE_CONFIG)
untied.out_head.weight = nn.Parameter(untied.tok_emb.weight.detach().clone())  # a copy: two matrices
print(f"{count(untied):,} parameters without weight tying")
print(f"the token embedding: {count(model.tok_emb) / count(model):.1%} of the course's model, "
      f"{count(gpt2.tok_emb) / count(gpt2):.1%} of GPT-2")
# --8<-- [end:exercise_untied]

# --8<-- [start:exercise_xl]
GPT_CONFIG_XL = GPT_CONFIG_124M | {"emb_dim": 1600, "n_layers": 48, "n_heads": 25}  # GPT-2's largest
with torch.device("meta"):
    xl = GPTModel(GPT_CONFIG_XL)
print(f"{count(xl):,} parameters; training with AdamW: {count(xl) * 16 / 1e9:.0f} GB")
# --8<-- [end:exercise_xl]
