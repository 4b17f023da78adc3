#!/usr/bin/python3
"""Builds the tiny-llama, tiny-gpt2 and tiny-bert fixtures (test-fixtures/hf-tiny/README.md).

Each is a PyTorch module written after its Hugging Face family (config field
names, weight layout, Optimum's ONNX input and output names), with random
weights, exported to ONNX, and a reference.json computed by the module itself:
PyTorch is the reference the tests hold onnxruntime and our loader to. The
tokenizers are small hand-made tokenizer.json files of each family's kind;
their reference ids come from a plain Python implementation of the same
algorithm here, not from the tokenizer library the loader uses.

Run with Debian's python3-torch (1.13): /usr/bin/python3 make_fixtures.py
"""
import json
import math
import os

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
PROMPT = "And God said, Let there be light"
torch.manual_seed(0)


def write(folder, name, value):
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    with open(os.path.join(HERE, folder, name), "w") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write("\n")


def init_weights(module):
    for p in module.parameters():
        nn.init.normal_(p, std=0.2 if p.dim() > 1 else 0.1)


# --- tokenizers -------------------------------------------------------------


def bpe(symbols, ranks):
    """Merges the adjacent pair of lowest rank, left-most first, until none is left (BPE)."""
    symbols = list(symbols)
    while len(symbols) > 1:
        pairs = [(ranks.get((a, b)), i) for i, (a, b) in enumerate(zip(symbols, symbols[1:]))]
        pairs = [p for p in pairs if p[0] is not None]
        if not pairs:
            break
        _, i = min(pairs)
        symbols[i : i + 2] = [symbols[i] + symbols[i + 1]]
    return symbols


def llama_tokenizer():
    """Llama 2's kind: SentencePiece-style BPE over '▁'-marked text, bytes for unknown characters."""
    specials = ["<unk>", "<s>", "</s>"]
    bytes_ = [f"<0x{b:02X}>" for b in range(256)]
    letters = sorted(set("▁" + PROMPT.replace(" ", "▁") + "abcdefghijklmnopqrstuvwxyz.,"))
    merges = [("▁", "L"), ("▁", "G"), ("▁", "b"), ("▁", "s"), ("t", "h"), ("e", "r"), ("th", "er"), ("▁", "th"),
              ("▁th", "er"), ("i", "g"), ("ig", "h"), ("igh", "t"), ("▁", "A"), ("▁A", "n"),
              ("▁An", "d"), ("o", "d"), ("▁G", "od"), ("a", "i"), ("▁s", "ai"), ("▁sai", "d")]
    pieces = letters + ["".join(m) for m in merges]
    vocab = {}
    for token in specials + bytes_ + pieces:
        vocab.setdefault(token, len(vocab))
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False,
             "special": True}
            for i, t in enumerate(specials)
        ],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "▁"},
            {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
        ]},
        "pre_tokenizer": None,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}},
        },
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
            {"type": "ByteFallback"},
            {"type": "Fuse"},
            {"type": "Strip", "content": " ", "start": 1, "stop": 0},
        ]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
                  "vocab": vocab, "merges": [f"{a} {b}" for a, b in merges]},
    }
    ranks = {m: i for i, m in enumerate(merges)}

    def encode(text):
        ids = [1]
        for piece in bpe("▁" + text.replace(" ", "▁"), ranks):
            if piece in vocab:
                ids.append(vocab[piece])
            else:
                ids.extend(vocab[f"<0x{b:02X}>"] for b in piece.encode("utf-8"))
        return ids

    inverse = {i: t for t, i in vocab.items()}

    def decode(ids):
        out, pending = "", b""
        for i in ids:
            token = inverse[i]
            if token in specials:
                continue
            if token.startswith("<0x"):
                pending += bytes([int(token[3:5], 16)])
                continue
            out += pending.decode("utf-8", errors="replace") + token.replace("▁", " ")
            pending = b""
        out += pending.decode("utf-8", errors="replace")
        return out[1:] if out.startswith(" ") else out

    return tokenizer, encode, decode, len(vocab)


def bert_tokenizer():
    """BERT's kind: lowercase, split on spaces and punctuation, WordPiece with ## continuations."""
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    words = ["and", "god", "said", ",", "let", "there", "be", "light", "the", "lord", "spirit", "moved", "upon",
             "face", "of", "waters", "darkness", "was", "day", "night", "in", "beginning", "created", "heaven",
             "earth", ".", "li", "##ght", "##s", "##ness", "wat", "##er", "##ers", "dark"]
    vocab = {t: i for i, t in enumerate(specials + words)}
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False,
             "special": True}
            for i, t in enumerate(specials)
        ],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                               "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab},
    }

    def encode(text):
        ids = [vocab["[CLS]"]]
        for word in text.lower().replace(",", " , ").replace(".", " . ").split():
            start, pieces = 0, []
            while start < len(word):
                end = len(word)
                while end > start and (("##" if start else "") + word[start:end]) not in vocab:
                    end -= 1
                if end == start:
                    pieces = [vocab["[UNK]"]]
                    break
                pieces.append(vocab[("##" if start else "") + word[start:end]])
                start = end
            ids.extend(pieces)
        return ids + [vocab["[SEP]"]]

    return tokenizer, encode, len(vocab)


# --- decoders ---------------------------------------------------------------


def causal_mask(attention_mask, q_len, dtype):
    """Additive mask [b, 1, q, kv]: key j is seen by query i when j <= past + i and the mask keeps it."""
    kv_len = attention_mask.shape[1]
    past = kv_len - q_len
    rows = torch.arange(q_len).unsqueeze(1) + past
    cols = torch.arange(kv_len).unsqueeze(0)
    allowed = (cols <= rows).unsqueeze(0).unsqueeze(0) & attention_mask.bool()[:, None, None, :]
    return torch.where(allowed, torch.zeros((), dtype=dtype), torch.full((), -1e9, dtype=dtype))


def attend(q, k, v, mask):
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + mask
    return torch.softmax(scores, dim=-1) @ v


class RMSNorm(nn.Module):
    def __init__(self, size, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class LlamaLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        h, hd = c["hidden_size"], c["head_dim"]
        self.heads, self.kv_heads, self.hd = c["num_attention_heads"], c["num_key_value_heads"], hd
        self.input_layernorm = RMSNorm(h, c["rms_norm_eps"])
        self.q_proj = nn.Linear(h, self.heads * hd, bias=False)
        self.k_proj = nn.Linear(h, self.kv_heads * hd, bias=False)
        self.v_proj = nn.Linear(h, self.kv_heads * hd, bias=False)
        self.o_proj = nn.Linear(self.heads * hd, h, bias=False)
        self.post_attention_layernorm = RMSNorm(h, c["rms_norm_eps"])
        self.gate_proj = nn.Linear(h, c["intermediate_size"], bias=False)
        self.up_proj = nn.Linear(h, c["intermediate_size"], bias=False)
        self.down_proj = nn.Linear(c["intermediate_size"], h, bias=False)

    def forward(self, x, cos, sin, mask, past_k, past_v):
        b, q_len, _ = x.shape
        y = self.input_layernorm(x)
        q = self.q_proj(y).view(b, q_len, self.heads, self.hd).transpose(1, 2)
        k = self.k_proj(y).view(b, q_len, self.kv_heads, self.hd).transpose(1, 2)
        v = self.v_proj(y).view(b, q_len, self.kv_heads, self.hd).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k, v = torch.cat([past_k, k], dim=2), torch.cat([past_v, v], dim=2)
        rep = self.heads // self.kv_heads
        # Each key/value head serves `rep` query heads in turn (Hugging Face's repeat_kv).
        widen = lambda t: t[:, :, None].expand(b, self.kv_heads, rep, t.shape[2], self.hd).reshape(  # noqa: E731
            b, self.heads, t.shape[2], self.hd)
        k_all, v_all = widen(k), widen(v)
        out = attend(q, k_all, v_all, mask).transpose(1, 2).reshape(b, q_len, self.heads * self.hd)
        x = x + self.o_proj(out)
        y = self.post_attention_layernorm(x)
        x = x + self.down_proj(nn.functional.silu(self.gate_proj(y)) * self.up_proj(y))
        return x, k, v


class TinyLlama(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.layers = nn.ModuleList([LlamaLayer(c) for _ in range(c["num_hidden_layers"])])
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.lm_head = nn.Linear(c["hidden_size"], c["vocab_size"], bias=False)

    def forward(self, input_ids, attention_mask, position_ids, *past):
        hd = self.c["head_dim"]
        inv_freq = 1.0 / (self.c["rope_theta"] ** (torch.arange(0, hd, 2).float() / hd))
        freqs = position_ids.float().unsqueeze(-1) * inv_freq
        emb = torch.cat([freqs, freqs], dim=-1)
        cos, sin = emb.cos().unsqueeze(1), emb.sin().unsqueeze(1)
        x = self.embed_tokens(input_ids)
        mask = causal_mask(attention_mask, input_ids.shape[1], x.dtype)
        present = []
        for i, layer in enumerate(self.layers):
            x, k, v = layer(x, cos, sin, mask, past[2 * i], past[2 * i + 1])
            present += [k, v]
        return (self.lm_head(self.norm(x)), *present)


class GPT2Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["n_embd"]
        self.heads, self.hd = c["n_head"], h // c["n_head"]
        self.ln_1 = nn.LayerNorm(h, eps=c["layer_norm_epsilon"])
        self.c_attn = nn.Linear(h, 3 * h)
        self.c_proj = nn.Linear(h, h)
        self.ln_2 = nn.LayerNorm(h, eps=c["layer_norm_epsilon"])
        self.c_fc = nn.Linear(h, 4 * h)
        self.mlp_proj = nn.Linear(4 * h, h)

    def forward(self, x, mask, past_k, past_v):
        b, q_len, h = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(h, dim=2)
        split = lambda t: t.view(b, q_len, self.heads, self.hd).transpose(1, 2)  # noqa: E731
        q, k, v = split(q), split(k), split(v)
        k, v = torch.cat([past_k, k], dim=2), torch.cat([past_v, v], dim=2)
        out = attend(q, k, v, mask).transpose(1, 2).reshape(b, q_len, h)
        x = x + self.c_proj(out)
        x = x + self.mlp_proj(nn.functional.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))
        return x, k, v


class TinyGPT2(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.wte = nn.Embedding(c["vocab_size"], c["n_embd"])
        self.wpe = nn.Embedding(c["n_positions"], c["n_embd"])
        self.h = nn.ModuleList([GPT2Layer(c) for _ in range(c["n_layer"])])
        self.ln_f = nn.LayerNorm(c["n_embd"], eps=c["layer_norm_epsilon"])

    def forward(self, input_ids, attention_mask, position_ids, *past):
        x = self.wte(input_ids) + self.wpe(position_ids)
        mask = causal_mask(attention_mask, input_ids.shape[1], x.dtype)
        present = []
        for i, layer in enumerate(self.h):
            x, k, v = layer(x, mask, past[2 * i], past[2 * i + 1])
            present += [k, v]
        # Tied: the output projection is the token embedding.
        return (self.ln_f(x) @ self.wte.weight.T, *present)


def export_decoder(model, folder, layers, kv_heads, head_dim, vocab):
    past_names = [f"past_key_values.{i}.{kind}" for i in range(layers) for kind in ("key", "value")]
    present_names = [n.replace("past_key_values", "present") for n in past_names]
    ids = torch.tensor([[5, 6, 7]])
    past = [torch.zeros(1, kv_heads, 2, head_dim) for _ in past_names]
    args = (ids, torch.ones(1, 5, dtype=torch.long), torch.tensor([[2, 3, 4]]), *past)
    dynamic = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "total"},
               "position_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}}
    dynamic.update({n: {0: "batch", 2: "past"} for n in past_names})
    dynamic.update({n: {0: "batch", 2: "total"} for n in present_names})
    os.makedirs(os.path.join(HERE, folder, "onnx"), exist_ok=True)
    torch.onnx.export(model, args, os.path.join(HERE, folder, "onnx", "model.onnx"), opset_version=17,
                      input_names=["input_ids", "attention_mask", "position_ids", *past_names],
                      output_names=["logits", *present_names], dynamic_axes=dynamic, do_constant_folding=True)


def decoder_reference(model, ids, layers, kv_heads, head_dim, decode):
    """First-step logits with an empty past, then 16 greedy tokens through the module's own cache."""
    with torch.no_grad():
        past = [torch.zeros(1, kv_heads, 0, head_dim) for _ in range(2 * layers)]
        n = len(ids)
        out = model(torch.tensor([ids]), torch.ones(1, n, dtype=torch.long), torch.arange(n).unsqueeze(0), *past)
        last = out[0][0, -1]
        first = {"first_step_top5": torch.topk(last, 5).indices.tolist(),
                 "first_step_last_logits_head": last[:8].tolist()}
        greedy, past, length = [], list(out[1:]), n
        token = int(last.argmax())
        for _ in range(16):
            greedy.append(token)
            out = model(torch.tensor([[token]]), torch.ones(1, length + 1, dtype=torch.long),
                        torch.tensor([[length]]), *past)
            past, length = list(out[1:]), length + 1
            token = int(out[0][0, -1].argmax())
    return {**first, "greedy_16_ids": greedy, "greedy_16_text": decode(greedy)}


def make_llama():
    tokenizer, encode, decode, vocab = llama_tokenizer()
    # head_dim (24) is not hidden_size / num_attention_heads (16): the config's own field must win.
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": vocab,
              "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
              "num_key_value_heads": 2, "head_dim": 24, "max_position_embeddings": 128, "rms_norm_eps": 1e-6,
              "rope_theta": 10000.0, "tie_word_embeddings": False, "bos_token_id": 1, "eos_token_id": 2,
              "hidden_act": "silu"}
    model = TinyLlama(config)
    init_weights(model)
    model.eval()
    write("tiny-llama", "config.json", config)
    write("tiny-llama", "tokenizer.json", tokenizer)
    write("tiny-llama", "tokenizer_config.json", {
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "add_bos_token": True,
        "chat_template": "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
                         "{{ '[INST] ' + message['content'] + ' [/INST]' }}{% else %}{{ ' ' + message['content'] + "
                         "eos_token }}{% endif %}{% endfor %}"})
    prompt = PROMPT + " é"
    ids = encode(prompt)
    export_decoder(model, "tiny-llama", 2, 2, 24, vocab)
    reference = decoder_reference(model, ids, 2, 2, 24, decode)
    write("tiny-llama", "reference.json", {"architecture": "LlamaForCausalLM (PyTorch, make_fixtures.py)",
                                            "torch": torch.__version__, "prompt": prompt, "prompt_ids": ids,
                                            "num_key_value_heads": 2, "head_dim": 24, **reference})
    write("tiny-llama", "aiaas.json", {"id": "tiny-llama", "task": "chat", "license": "test fixture (random weights)",
                                       "description": "A 2-layer Llama (GQA, explicit head_dim, Metaspace BPE with byte fallback)."})


def make_gpt2():
    # GPT-2's byte-level BPE: the same kind as tiny-qwen2's, whose ids for the prompt its reference gives.
    with open(os.path.join(HERE, "tiny-qwen2", "tokenizer.json")) as f:
        tokenizer = json.load(f)
    with open(os.path.join(HERE, "tiny-qwen2", "reference.json")) as f:
        qwen2 = json.load(f)
    tokenizer["added_tokens"] = [t for t in tokenizer["added_tokens"] if t["content"] == "<|endoftext|>"]
    vocab = len(tokenizer["model"]["vocab"])
    config = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": vocab, "n_embd": 64,
              "n_head": 4, "n_layer": 2, "n_positions": 128, "n_ctx": 128, "layer_norm_epsilon": 1e-5,
              "activation_function": "gelu_new", "bos_token_id": 0, "eos_token_id": 0}
    model = TinyGPT2(config)
    init_weights(model)
    model.eval()
    byte_decoder = bytes_to_unicode_inverse()
    inverse = {i: t for t, i in tokenizer["model"]["vocab"].items()}
    decode = lambda ids: bytes(byte_decoder[c] for i in ids for c in inverse[i]).decode("utf-8", "replace")  # noqa: E731
    write("tiny-gpt2", "config.json", config)
    write("tiny-gpt2", "tokenizer.json", tokenizer)
    write("tiny-gpt2", "tokenizer_config.json", {"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>"})
    export_decoder(model, "tiny-gpt2", 2, 4, 16, vocab)
    reference = decoder_reference(model, qwen2["prompt_ids"], 2, 4, 16, decode)
    write("tiny-gpt2", "reference.json", {"architecture": "GPT2LMHeadModel (PyTorch, make_fixtures.py)",
                                           "torch": torch.__version__, "prompt": PROMPT,
                                           "prompt_ids": qwen2["prompt_ids"], "num_key_value_heads": 4,
                                           "head_dim": 16, **reference})
    write("tiny-gpt2", "aiaas.json", {"id": "tiny-gpt2", "task": "completion", "license": "test fixture (random weights)",
                                      "description": "A 2-layer GPT-2 (learned positions, tied embeddings, byte-level BPE)."})


def bytes_to_unicode_inverse():
    """GPT-2's table of printable stand-ins for bytes, inverted."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


# --- encoder ----------------------------------------------------------------


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.heads, self.hd = c["num_attention_heads"], h // c["num_attention_heads"]
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.attention_output = nn.Linear(h, h)
        self.attention_norm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.intermediate = nn.Linear(h, c["intermediate_size"])
        self.output = nn.Linear(c["intermediate_size"], h)
        self.output_norm = nn.LayerNorm(h, eps=c["layer_norm_eps"])

    def forward(self, x, mask):
        b, n, h = x.shape
        split = lambda t: t.view(b, n, self.heads, self.hd).transpose(1, 2)  # noqa: E731
        out = attend(split(self.query(x)), split(self.key(x)), split(self.value(x)), mask)
        x = self.attention_norm(x + self.attention_output(out.transpose(1, 2).reshape(b, n, h)))
        return self.output_norm(x + self.output(nn.functional.gelu(self.intermediate(x))))


class TinyBert(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.word_embeddings = nn.Embedding(c["vocab_size"], h)
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], h)
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], h)
        self.embeddings_norm = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.layers = nn.ModuleList([BertLayer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, input_ids, attention_mask, token_type_ids):
        positions = torch.arange(input_ids.shape[1]).unsqueeze(0)
        x = self.embeddings_norm(self.word_embeddings(input_ids) + self.position_embeddings(positions)
                                 + self.token_type_embeddings(token_type_ids))
        mask = torch.where(attention_mask.bool()[:, None, None, :], torch.zeros(()), torch.full((), -1e9))
        for layer in self.layers:
            x = layer(x, mask)
        return x


def make_bert():
    tokenizer, encode, vocab = bert_tokenizer()
    config = {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": vocab, "hidden_size": 32,
              "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64,
              "max_position_embeddings": 64, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu",
              "pad_token_id": 0}
    model = TinyBert(config)
    init_weights(model)
    model.eval()
    sentences = [PROMPT + ".", "The spirit moved upon the waters", "Lights in the darkness"]
    ids = [encode(s) for s in sentences]
    os.makedirs(os.path.join(HERE, "tiny-bert", "onnx"), exist_ok=True)
    sample = torch.tensor([ids[1]])
    torch.onnx.export(model, (sample, torch.ones_like(sample), torch.zeros_like(sample)),
                      os.path.join(HERE, "tiny-bert", "onnx", "model.onnx"), opset_version=17,
                      input_names=["input_ids", "attention_mask", "token_type_ids"],
                      output_names=["last_hidden_state"],
                      dynamic_axes={n: {0: "batch", 1: "sequence"} for n in
                                    ["input_ids", "attention_mask", "token_type_ids", "last_hidden_state"]})
    embeddings = {}
    with torch.no_grad():
        for pooling in ("mean", "cls"):
            vectors = []
            for row in ids:
                t = torch.tensor([row])
                states = model(t, torch.ones_like(t), torch.zeros_like(t))[0]
                v = states.mean(0) if pooling == "mean" else states[0]
                vectors.append((v / v.norm()).tolist())
            embeddings[pooling] = vectors
    write("tiny-bert", "config.json", config)
    write("tiny-bert", "tokenizer.json", tokenizer)
    write("tiny-bert", "tokenizer_config.json", {"cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]",
                                                 "unk_token": "[UNK]", "do_lower_case": True})
    write("tiny-bert", "reference.json", {"architecture": "BertModel (PyTorch, make_fixtures.py)",
                                           "torch": torch.__version__, "sentences": sentences, "ids": ids,
                                           "embeddings": embeddings})
    write("tiny-bert", "aiaas.json", {"id": "tiny-bert", "task": "embedding", "pooling": "mean",
                                      "license": "test fixture (random weights)",
                                      "description": "A 2-layer BERT encoder (WordPiece, token_type_ids), mean pooling."})


if __name__ == "__main__":
    make_llama()
    make_gpt2()
    make_bert()
