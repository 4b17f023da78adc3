"""Writes trained models as Hugging Face style folders: ONNX graph,
tokenizer.json, tokenizer_config.json, config.json."""

import json
import os

import torch


def _write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write("\n")


def export_decoder(module, settings, vocab_size, path):
    """Optimum's decoder-with-past signature. The dummy past is non-empty so
    the traced concat keeps its past axis dynamic; ONNX Runtime accepts a
    zero-length past on the first step."""
    n_layer, n_head, d_model = settings["n_layer"], settings["n_head"], settings["d_model"]
    batch, past_len, length = 2, 3, 5
    input_ids = torch.randint(vocab_size, (batch, length))
    attention_mask = torch.ones(batch, past_len + length, dtype=torch.long)
    position_ids = torch.arange(past_len, past_len + length).expand(batch, length)
    past = [torch.randn(batch, n_head, past_len, d_model // n_head) for _ in range(2 * n_layer)]
    past_names = [f"past_key_values.{i}.{kind}" for i in range(n_layer) for kind in ("key", "value")]
    present_names = [f"present.{i}.{kind}" for i in range(n_layer) for kind in ("key", "value")]
    dynamic = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
        **{name: {0: "batch_size", 2: "past_sequence_length"} for name in past_names},
        **{name: {0: "batch_size", 2: "total_sequence_length"} for name in present_names},
    }
    module.eval()
    torch.onnx.export(
        module,
        (input_ids, attention_mask, position_ids, *past),
        path,
        input_names=["input_ids", "attention_mask", "position_ids", *past_names],
        output_names=["logits", *present_names],
        dynamic_axes=dynamic,
        opset_version=14,
        do_constant_folding=True,
    )


def export_encoder(module, vocab_size, path):
    """sentence-transformers / Optimum feature-extraction signature:
    (input_ids, attention_mask) -> last_hidden_state; pooling happens outside."""
    input_ids = torch.randint(vocab_size, (2, 7))
    attention_mask = torch.ones(2, 7, dtype=torch.long)
    attention_mask[1, 5:] = 0
    module.eval()
    torch.onnx.export(
        module,
        (input_ids, attention_mask),
        path,
        input_names=["input_ids", "attention_mask"],
        output_names=["last_hidden_state"],
        dynamic_axes={
            "input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "sequence_length"},
            "last_hidden_state": {0: "batch_size", 1: "sequence_length"},
        },
        opset_version=14,
        do_constant_folding=True,
    )


def _write_tokenizer(out, tokenizer, unk, **config):
    """tokenizer.json, and the tokenizer_config.json that transformers.js and friends read beside it."""
    _write_json(os.path.join(out, "tokenizer.json"), tokenizer)
    _write_json(
        os.path.join(out, "tokenizer_config.json"),
        {"tokenizer_class": "PreTrainedTokenizerFast", "clean_up_tokenization_spaces": False, "unk_token": unk, **config},
    )


def _special(token_id, content):
    return {
        "id": token_id,
        "content": content,
        "single_word": False,
        "lstrip": False,
        "rstrip": False,
        "normalized": False,
        "special": True,
    }


def write_char_tokenizer(out, itos, unk, eos, max_length):
    """A BPE model whose vocabulary is the characters and which has no merges:
    one token per character, decoded by fusing them back together."""
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [_special(0, unk)],
        "normalizer": None,
        "pre_tokenizer": None,
        "post_processor": None,
        "decoder": {"type": "Fuse"},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": unk,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": {token: i for i, token in enumerate(itos)},
            "merges": [],
        },
    }
    # The model knows no roles: each message is a verse-like line and the answer is the next line.
    _write_tokenizer(
        out,
        tokenizer,
        unk,
        eos_token=eos,
        model_max_length=max_length,
        chat_template="{% for message in messages %}{{ message['content'] | trim }}\n{% endfor %}",
    )


def write_gpt_config(out, settings, vocab_size, eos_id):
    _write_json(
        os.path.join(out, "config.json"),
        {
            "model_type": "gpt2",
            "architectures": ["GPT2LMHeadModel"],
            "vocab_size": vocab_size,
            "n_layer": settings["n_layer"],
            "n_head": settings["n_head"],
            "n_embd": settings["d_model"],
            "n_positions": settings["context"],
            "n_ctx": settings["context"],
            "bos_token_id": eos_id,
            "eos_token_id": eos_id,
            "use_cache": True,
        },
    )
    _write_json(
        os.path.join(out, "generation_config.json"),
        {"bos_token_id": eos_id, "eos_token_id": eos_id, "max_length": settings["context"]},
    )


def write_word_tokenizer(out, itos, unk, pad, max_length):
    """WordLevel over lowercased words and punctuation, as BERT-style
    tokenizers pre-tokenize."""
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [_special(0, pad), _special(1, unk)],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": {token: i for i, token in enumerate(itos)}, "unk_token": unk},
    }
    _write_tokenizer(out, tokenizer, unk, pad_token=pad, model_max_length=max_length)


def write_encoder_config(out, settings, vocab_size):
    _write_json(
        os.path.join(out, "config.json"),
        {
            "model_type": "bert",
            "architectures": ["BertModel"],
            "vocab_size": vocab_size,
            "num_hidden_layers": settings["n_layer"],
            "num_attention_heads": settings["n_head"],
            "hidden_size": settings["d_model"],
            "max_position_embeddings": settings["max_length"],
            "pad_token_id": 0,
        },
    )
