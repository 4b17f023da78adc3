"""A small BERT-style sentence encoder whose ONNX export matches the
sentence-transformers / Optimum feature-extraction signature:
(input_ids, attention_mask) -> last_hidden_state. Mean pooling and
normalisation happen in the caller, as the model's manifest says."""

import torch
from torch import nn
from torch.nn import functional as F


class EncoderBlock(nn.Module):
    def __init__(self, d_model, n_head, dropout):
        super().__init__()
        self.n_head = n_head
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.ln_1 = nn.LayerNorm(d_model)
        self.ln_2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, key_allowed):
        batch, length, d_model = x.shape
        head_dim = d_model // self.n_head
        q, k, v = self.qkv(self.ln_1(x)).split(d_model, dim=2)
        q, k, v = (t.view(batch, length, self.n_head, head_dim).transpose(1, 2) for t in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) * (head_dim**-0.5)
        scores = scores.masked_fill(~key_allowed, torch.finfo(scores.dtype).min)
        attended = (F.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(batch, length, d_model)
        x = x + self.dropout(self.proj(attended))
        return x + self.dropout(self.mlp(self.ln_2(x)))


class SentenceEncoder(nn.Module):
    def __init__(self, vocab_size, n_layer, n_head, d_model, max_length, dropout):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, d_model)
        self.positions = nn.Embedding(max_length, d_model)
        self.blocks = nn.ModuleList([EncoderBlock(d_model, n_head, dropout) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)
        # Start as (nearly) the identity: blocks add nothing and positions
        # little, so pooled states begin as the (initialised) word vectors.
        nn.init.normal_(self.positions.weight, std=0.01)
        for block in self.blocks:
            for layer in (block.proj, block.mlp[2]):
                nn.init.zeros_(layer.weight)
                nn.init.zeros_(layer.bias)

    def forward(self, input_ids, attention_mask):
        positions = torch.cumsum(torch.ones_like(input_ids), dim=1) - 1
        x = self.dropout(self.tokens(input_ids) + self.positions(positions))
        key_allowed = attention_mask[:, None, None, :] > 0
        for block in self.blocks:
            x = block(x, key_allowed)
        return self.ln_f(x)


def mean_pool(hidden, attention_mask):
    """sentence-transformers' mean pooling, then L2 normalisation."""
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return F.normalize(pooled, dim=-1)
