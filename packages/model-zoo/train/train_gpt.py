"""Trains kjv-gpt-mini, a character-level GPT on the King James Bible, and
exports it as a Hugging Face style folder with an Optimum-signature ONNX graph.

    /usr/bin/python3 train_gpt.py --out ../models/kjv-gpt-mini

Every setting is in SETTINGS below; the seed makes a run repeatable on the
same torch build and thread count."""

import argparse
import json
import os
import time

import torch
from torch.nn import functional as F

import corpus
import export
from schedule import warmup_cosine
from gpt import OptimumSignature, TinyGPT

SETTINGS = {
    "seed": 1234,
    "threads": 2,
    "n_layer": 4,
    "n_head": 4,
    "d_model": 128,
    "context": 256,
    "batch_size": 16,
    "steps": 1800,
    "warmup_steps": 100,
    "learning_rate": 2e-3,
    "min_learning_rate": 1e-4,
    "weight_decay": 0.1,
    "eval_every": 200,
    "eval_batches": 10,
}
EOS = "\n"  # verses end with a newline; generation stops there
UNK = "<unk>"


def learning_rate(step):
    s = SETTINGS
    return warmup_cosine(step, s["steps"], s["warmup_steps"], s["learning_rate"], s["min_learning_rate"])


def batches(data, generator):
    s = SETTINGS
    starts = torch.randint(len(data) - s["context"] - 1, (s["batch_size"],), generator=generator)
    x = torch.stack([data[i : i + s["context"]] for i in starts])
    y = torch.stack([data[i + 1 : i + 1 + s["context"]] for i in starts])
    return x, y


def loss_of(model, x, y):
    mask = torch.ones_like(x)
    positions = torch.arange(x.shape[1]).expand_as(x)
    logits, _ = model(x, mask, positions)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


@torch.no_grad()
def evaluate(model, data, generator):
    model.eval()
    losses = [loss_of(model, *batches(data, generator)).item() for _ in range(SETTINGS["eval_batches"])]
    model.train()
    return sum(losses) / len(losses)


@torch.no_grad()
def sample(model, stoi, itos, prompt, length, generator):
    ids = torch.tensor([[stoi.get(c, stoi[UNK]) for c in prompt]])
    model.eval()
    for _ in range(length):
        window = ids[:, -SETTINGS["context"] :]
        logits, _ = model(window, torch.ones_like(window), torch.arange(window.shape[1])[None])
        probs = F.softmax(logits[0, -1] / 0.8, dim=-1)
        ids = torch.cat([ids, torch.multinomial(probs, 1, generator=generator)[None]], dim=1)
    return "".join(itos[i] for i in ids[0].tolist())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--steps", type=int, help="override SETTINGS['steps'] (for a quick trial)")
    args = parser.parse_args()
    if args.steps:
        SETTINGS["steps"] = args.steps
    torch.manual_seed(SETTINGS["seed"])
    torch.set_num_threads(SETTINGS["threads"])

    train_verses, valid_verses = corpus.chapter_split(corpus.read_verses())
    train_text = "".join(v[3] + EOS for v in train_verses)
    valid_text = "".join(v[3] + EOS for v in valid_verses)
    chars = sorted(set(train_text))
    itos = [UNK] + chars
    stoi = {c: i for i, c in enumerate(itos)}
    encode = lambda text: torch.tensor([stoi.get(c, 0) for c in text], dtype=torch.long)
    train_data, valid_data = encode(train_text), encode(valid_text)

    s = SETTINGS
    model = TinyGPT(len(itos), s["n_layer"], s["n_head"], s["d_model"], s["context"])
    parameters = sum(p.numel() for p in model.parameters())
    print(f"parameters {parameters:,}; train {len(train_data):,} chars, valid {len(valid_data):,} chars", flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": s["weight_decay"]}, {"params": no_decay, "weight_decay": 0.0}],
        lr=s["learning_rate"],
        betas=(0.9, 0.95),
    )
    generator = torch.Generator().manual_seed(s["seed"])
    eval_generator = lambda: torch.Generator().manual_seed(s["seed"] + 1)
    history = []
    started = time.time()
    for step in range(s["steps"]):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step)
        loss = loss_of(model, *batches(train_data, generator))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if (step + 1) % s["eval_every"] == 0 or step + 1 == s["steps"]:
            valid = evaluate(model, valid_data, eval_generator())
            elapsed = time.time() - started
            rate = (step + 1) * s["batch_size"] * s["context"] / elapsed
            history.append({"step": step + 1, "train_loss": round(loss.item(), 4), "valid_loss": round(valid, 4)})
            print(f"step {step + 1}: train {loss.item():.3f} valid {valid:.3f} ({rate:,.0f} tokens/s, {elapsed:.0f} s)", flush=True)

    text = sample(model, stoi, itos, "And the LORD spake unto", 200, torch.Generator().manual_seed(7))
    print("sample:", text, flush=True)
    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
    export.export_decoder(OptimumSignature(model, s["n_layer"]), s, len(itos), os.path.join(args.out, "onnx", "model.onnx"))
    export.write_char_tokenizer(args.out, itos, UNK, EOS, s["context"])
    export.write_gpt_config(args.out, s, len(itos), stoi[EOS])
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump(
            {
                "settings": s,
                "parameters": parameters,
                "history": history,
                "final_valid_loss": history[-1]["valid_loss"],
                "seconds": round(time.time() - started),
                "torch": torch.__version__,
                "sample": text,
            },
            f,
            indent=2,
        )


if __name__ == "__main__":
    main()
