# --8<-- [start:setup]
import re
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

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


COURSE_CONFIG = {
    "vocab_size": len(vocabulary),  # lesson 1's words and punctuation marks
    "context_length": 32,
    "emb_dim": 128,
    "n_heads": 4,
    "n_layers": 4,
    "drop_rate": 0.0,
    "qkv_bias": False,
}
# --8<-- [end:setup]

# --8<-- [start:device]
# This lesson trains on the CPU, on purpose, with one thread: about as fast for a model this
# small, and the same sums whatever the number of cores. On a GPU, write "cuda".
device = "cpu"
torch.set_num_threads(1)
torch.manual_seed(123)
model = GPTModel(COURSE_CONFIG).to(device)
print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
# --8<-- [end:device]

# --8<-- [start:loss]
story = torch.tensor(encode(text))
inputs = torch.stack([story[i : i + 32] for i in (0, 32)]).to(device)  # 2 windows of 32 tokens
targets = torch.stack([story[i + 1 : i + 33] for i in (0, 32)]).to(device)  # the next tokens
model.eval()
with torch.no_grad():
    logits = model(inputs)  # (2, 32, vocabulary)
probabilities = torch.softmax(logits, dim=-1)
p_target = probabilities.gather(-1, targets.unsqueeze(-1)).squeeze(-1)  # the probability of each true next token
print("the model's probability of the first three targets:", [f"{p:.5f}" for p in p_target[0, :3].tolist()])
by_hand = -torch.log(p_target).mean()
loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())  # (64, vocabulary) and (64,)
print(f"by hand {by_hand:.4f}, F.cross_entropy {loss:.4f}")
print(f"perplexity {loss.exp():,.0f}, for a vocabulary of {len(vocabulary):,} tokens")
# --8<-- [end:loss]

# --8<-- [start:data]
from torch.utils.data import DataLoader, Dataset


class NextTokenDataset(Dataset):
    def __init__(self, token_ids, context_length, stride):
        self.token_ids, self.context_length = token_ids, context_length
        self.starts = range(0, len(token_ids) - context_length, stride)

    def __len__(self):
        return len(self.starts)

    def __getitem__(self, index):
        window = self.token_ids[self.starts[index] : self.starts[index] + self.context_length + 1]
        return window[:-1], window[1:]


split = int(0.9 * len(story))  # lesson 2: the first 90% trains, the rest validates
context_length = COURSE_CONFIG["context_length"]
train_set = NextTokenDataset(story[:split], context_length, stride=context_length)
validation_set = NextTokenDataset(story[split:], context_length, stride=context_length)
train_loader = DataLoader(train_set, batch_size=8, shuffle=True, drop_last=True, generator=torch.Generator().manual_seed(123))
validation_loader = DataLoader(validation_set, batch_size=len(validation_set))  # all 14 in one batch
print(f"training: {split:,} tokens, {len(train_set)} windows in {len(train_loader)} batches an epoch")
print(f"validation: {len(story) - split} tokens, {len(validation_set)} windows")
# --8<-- [end:data]

# --8<-- [start:train]
import copy


def mean_loss(model, loader):
    """The model's loss over all the windows of a loader, measured without training."""
    model.eval()  # no dropout while measuring
    with torch.no_grad():
        losses = [F.cross_entropy(model(x.to(device)).flatten(0, 1), y.to(device).flatten()) for x, y in loader]
    model.train()
    return torch.stack(losses).mean().item()


optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
steps, every = 500, 25
best = {"loss": float("inf")}
model.train()
print(f"{'step':>4} {'training':>8} {'validation':>10}")
step = 0
while step < steps:
    for x, y in train_loader:  # one epoch: every training window once, in a new order
        logits = model(x.to(device))
        loss = F.cross_entropy(logits.flatten(0, 1), y.to(device).flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1
        if step % every == 0:  # both losses measured the same way, on all their windows
            validation = mean_loss(model, validation_loader)
            print(f"{step:>4} {mean_loss(model, train_loader):>8.2f} {validation:>10.2f}")
            if validation < best["loss"]:  # early stopping: keep the model at its best validation loss
                best = {"loss": validation, "step": step, "state": copy.deepcopy(model.state_dict())}
        if step == steps:
            break
# --8<-- [end:train]

# --8<-- [start:best]
print(f"lowest validation loss {best['loss']:.2f} at step {best['step']}")
early = GPTModel(COURSE_CONFIG).to(device)
early.load_state_dict(best["state"])
# --8<-- [end:best]

# --8<-- [start:generate]
def generate_greedy(model, token_ids, max_new_tokens, context_length):
    """Lesson 5's greedy decoding: append the token with the highest score, again and again."""
    model.eval()
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits = model(token_ids[:, -context_length:])
            next_id = logits[:, -1].argmax(dim=-1, keepdim=True)
            token_ids = torch.cat([token_ids, next_id], dim=1)
    return token_ids


prompt = torch.tensor([encode("I HAD always thought")], device=device)
for name, trained in (("at its best validation loss", early), (f"after all {steps} steps", model)):
    written = generate_greedy(trained, prompt, max_new_tokens=25, context_length=context_length)
    print(f"{name}: {decode(written[0].tolist())}")
# --8<-- [end:generate]

# --8<-- [start:sampling]
def generate(model, token_ids, max_new_tokens, context_length, temperature=1.0, top_k=None, generator=None):
    """Sample each next token from the model's probabilities, sharpened or flattened by the
    temperature, among the top_k most likely tokens only."""
    model.eval()
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits = model(token_ids[:, -context_length:])[:, -1] / temperature
            if top_k is not None:
                kth = torch.topk(logits, top_k).values[:, -1:]  # the k-th highest score
                logits = logits.masked_fill(logits < kth, float("-inf"))
            probabilities = torch.softmax(logits, dim=-1)
            next_id = torch.multinomial(probabilities.cpu(), num_samples=1, generator=generator)
            token_ids = torch.cat([token_ids, next_id.to(token_ids.device)], dim=1)
    return token_ids


prompt = torch.tensor([encode("The picture")], device=device)
for temperature, top_k in ((1.0, None), (1.0, 10), (0.5, 10)):
    generator = torch.Generator().manual_seed(7)  # on the CPU: the same draws on every device
    written = generate(early, prompt, 12, context_length, temperature, top_k, generator)
    print(f"temperature {temperature}, top_k {top_k}: {decode(written[0].tolist())}")
# --8<-- [end:sampling]

# --8<-- [start:save]
torch.save(early.state_dict(), "gpt-verdict.pth")  # in the folder where you run the code

loaded = GPTModel(COURSE_CONFIG).to(device)
loaded.load_state_dict(torch.load("gpt-verdict.pth", map_location=device, weights_only=True))
loaded.eval()
with torch.no_grad():
    print(torch.equal(loaded(prompt), early(prompt)))
print(f"{Path('gpt-verdict.pth').stat().st_size / 1e6:.1f} MB")
# --8<-- [end:save]

# --8<-- [start:exercise_perplexity]
import math

print(f"perplexity at the lowest validation loss: {math.exp(best['loss']):.0f}")
# --8<-- [end:exercise_perplexity]

# --8<-- [start:exercise_temperature]
generator = torch.Generator().manual_seed(7)
written = generate(early, prompt, 12, context_length, temperature=2.0, generator=generator)
print(decode(written[0].tolist()))
# --8<-- [end:exercise_temperature]

# --8<-- [start:exercise_dropout]
torch.manual_seed(123)
dropped = GPTModel(COURSE_CONFIG | {"drop_rate": 0.1}).to(device)  # dropout on, 10%
optimizer = torch.optim.AdamW(dropped.parameters(), lr=1e-3, weight_decay=0.1)
same_order = DataLoader(train_set, batch_size=8, shuffle=True, drop_last=True, generator=torch.Generator().manual_seed(123))
losses, step = {}, 0
dropped.train()
while step < 300:
    for x, y in same_order:  # the batches of the run above, in the same order
        loss = F.cross_entropy(dropped(x.to(device)).flatten(0, 1), y.to(device).flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1
        if step % every == 0:
            losses[step] = mean_loss(dropped, validation_loader)
        if step == 300:
            break
lowest = min(losses, key=losses.get)
print(f"with dropout: lowest validation loss {losses[lowest]:.2f} at step {lowest}")
print(f"without: {best['loss']:.2f} at step {best['step']}")
# --8<-- [end:exercise_dropout]
