"""A small GPT-2 style decoder whose forward pass follows the Optimum export
signature: (input_ids, attention_mask, position_ids, past_key_values.*) ->
(logits, present.*), so ONNX Runtime callers treat it like any GPT-2 export."""

import torch
from torch import nn
from torch.nn import functional as F


class Block(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.n_head = n_head
        self.ln_1 = nn.LayerNorm(d_model)
        self.c_attn = nn.Linear(d_model, 3 * d_model)
        self.c_proj = nn.Linear(d_model, d_model)
        self.ln_2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, allowed, past_key, past_value):
        batch, length, d_model = x.shape
        head_dim = d_model // self.n_head
        q, k, v = self.c_attn(self.ln_1(x)).split(d_model, dim=2)
        q, k, v = (t.view(batch, length, self.n_head, head_dim).transpose(1, 2) for t in (q, k, v))
        if past_key is not None:
            k = torch.cat([past_key, k], dim=2)
            v = torch.cat([past_value, v], dim=2)
        scores = (q @ k.transpose(-2, -1)) * (head_dim**-0.5)
        scores = scores.masked_fill(~allowed, torch.finfo(scores.dtype).min)
        attended = (F.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(batch, length, d_model)
        x = x + self.c_proj(attended)
        x = x + self.mlp(self.ln_2(x))
        return x, k, v


class TinyGPT(nn.Module):
    def __init__(self, vocab_size, n_layer, n_head, d_model, context):
        super().__init__()
        self.context = context
        self.wte = nn.Embedding(vocab_size, d_model)
        self.wpe = nn.Embedding(context, d_model)
        self.blocks = nn.ModuleList([Block(d_model, n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight  # tied, as in GPT-2
        self.apply(self._init)

    @staticmethod
    def _init(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def forward(self, input_ids, attention_mask, position_ids, past=None):
        """past: list of (key, value) per layer, each [batch, heads, past_len, head_dim].

        The causal mask comes from positions, not shapes: a key at position p
        (its count among the unmasked tokens) is visible to a query at
        position q when p <= q. That keeps every axis dynamic in the export
        and makes left padding work for batches."""
        key_positions = torch.cumsum(attention_mask, dim=1) - 1
        allowed = (key_positions[:, None, None, :] <= position_ids[:, None, :, None]) & (
            attention_mask[:, None, None, :] > 0
        )
        x = self.wte(input_ids) + self.wpe(position_ids)
        presents = []
        for i, block in enumerate(self.blocks):
            past_key, past_value = past[i] if past is not None else (None, None)
            x, k, v = block(x, allowed, past_key, past_value)
            presents.append((k, v))
        return self.lm_head(self.ln_f(x)), presents


class OptimumSignature(nn.Module):
    """Flat inputs and outputs, named as Optimum names them."""

    def __init__(self, gpt, n_layer):
        super().__init__()
        self.gpt = gpt
        self.n_layer = n_layer

    def forward(self, input_ids, attention_mask, position_ids, *flat_past):
        past = [(flat_past[2 * i], flat_past[2 * i + 1]) for i in range(self.n_layer)]
        logits, presents = self.gpt(input_ids, attention_mask, position_ids, past)
        return (logits, *[t for kv in presents for t in kv])
