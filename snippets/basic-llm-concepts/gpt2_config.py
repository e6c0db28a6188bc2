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

# --8<-- [start:exercise_embeddings]
token_weights = GPT_CONFIG_124M["vocab_size"] * GPT_CONFIG_124M["emb_dim"]
position_weights = GPT_CONFIG_124M["context_length"] * GPT_CONFIG_124M["emb_dim"]
print(f"token embedding: {token_weights:,} weights; position embedding: {position_weights:,}")
# --8<-- [end:exercise_embeddings]
