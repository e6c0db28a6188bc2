# --8<-- [start:config]
GPT_CONFIG_124M = {
    "vocab_size": 50257,     # Vocabulary size of the BPE tokenizer
    "context_length": 1024,  # Context length: the most tokens the model reads at once
    "emb_dim": 768,          # Embedding dimension
    "n_heads": 12,           # Number of attention heads
    "n_layers": 12,          # Number of layers (transformer blocks)
    "drop_rate": 0.1,        # Dropout rate: 10%
    "qkv_bias": False,       # Query-Key-Value bias
}
# --8<-- [end:config]

# --8<-- [start:model]
import torch
import torch.nn as nn
import torch.nn.functional as F


class TransformerBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        dim, self.n_heads, self.drop_rate = cfg["emb_dim"], cfg["n_heads"], cfg["drop_rate"]
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim, bias=cfg["qkv_bias"])  # queries, keys, values
        self.out_proj = nn.Linear(dim, dim)
        # The feed-forward network: 768 -> 4 x 768 = 3,072 -> 768 numbers per token
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(approximate="tanh"), nn.Linear(4 * dim, dim))
        self.drop = nn.Dropout(self.drop_rate)

    def forward(self, x):
        batch, tokens, dim = x.shape
        qkv = self.qkv(self.norm1(x)).view(batch, tokens, 3, self.n_heads, dim // self.n_heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)  # each: (batch, heads, tokens, head_dim)
        attn = F.scaled_dot_product_attention(  # masked self-attention
            q, k, v, is_causal=True, dropout_p=self.drop_rate if self.training else 0.0
        )
        x = x + self.drop(self.out_proj(attn.transpose(1, 2).reshape(batch, tokens, dim)))
        return x + self.drop(self.ff(self.norm2(x)))


class GPT2(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.tok_emb = nn.Embedding(cfg["vocab_size"], cfg["emb_dim"])
        self.pos_emb = nn.Embedding(cfg["context_length"], cfg["emb_dim"])
        self.drop = nn.Dropout(cfg["drop_rate"])
        self.blocks = nn.Sequential(*[TransformerBlock(cfg) for _ in range(cfg["n_layers"])])
        self.final_norm = nn.LayerNorm(cfg["emb_dim"])
        self.out_head = nn.Linear(cfg["emb_dim"], cfg["vocab_size"], bias=False)

    def forward(self, token_ids):
        positions = torch.arange(token_ids.shape[1], device=token_ids.device)
        x = self.drop(self.tok_emb(token_ids) + self.pos_emb(positions))
        return self.out_head(self.final_norm(self.blocks(x)))


# The "meta" device gives every tensor a shape but no memory: we can count
# the parameters without allocating (and randomly initialising) 650 MB.
with torch.device("meta"):
    model = GPT2(GPT_CONFIG_124M)
    logits = model(torch.zeros(1, 4, dtype=torch.long))  # a batch of 1 sequence of 4 tokens
print("Output shape:", logits.shape)  # one score per vocabulary token at each position

# This configuration, then OpenAI's GPT-2, which has biases for its queries, keys and values.
for qkv_bias in (False, True):
    with torch.device("meta"):
        model = GPT2(GPT_CONFIG_124M | {"qkv_bias": qkv_bias})
    untied = sum(p.numel() for p in model.parameters())
    model.out_head.weight = model.tok_emb.weight  # weight tying: one matrix serves both layers
    tied = sum(p.numel() for p in model.parameters())  # parameters() gives a shared tensor once
    print(f"qkv_bias={qkv_bias}: {untied:,} parameters without weight tying, {tied:,} with")
# --8<-- [end:model]
