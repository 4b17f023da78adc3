"""Trains kjv-embed-mini, a small sentence embedder, contrastively on the
King James Bible: neighbouring verses of one chapter are positives, the other
verses in the batch negatives (InfoNCE). Exports a sentence-transformers style
folder and reports accuracy on held-out triplets (triplets.json).

    /usr/bin/python3 train_embedder.py --out ../models/kjv-embed-mini"""

import argparse
import collections
import json
import os
import random
import re
import time

import torch
from torch.nn import functional as F

import corpus
import export
from schedule import warmup_cosine
from encoder import SentenceEncoder, mean_pool
from word_vectors import ppmi_svd_vectors

SETTINGS = {
    "seed": 4321,
    "threads": 2,
    "min_word_count": 2,
    "max_length": 64,
    "n_layer": 2,
    "n_head": 4,
    "d_model": 128,
    "dropout": 0.1,
    "neighbour_window": 3,
    "word_dropout": 0.1,
    "cooccurrence_window": 5,
    "batch_size": 64,
    "steps": 800,
    "warmup_steps": 50,
    "learning_rate": 3e-4,
    "min_learning_rate": 2e-5,
    "weight_decay": 0.01,
    "temperature": 0.05,
    "eval_every": 200,
}
PAD, UNK = "[PAD]", "[UNK]"
# The Whitespace pre-tokenizer of Hugging Face tokenizers: \w+|[^\w\s]+
WORDS = re.compile(r"\w+|[^\w\s]+")


def words(text):
    return WORDS.findall(text.lower())


def learning_rate(step):
    s = SETTINGS
    return warmup_cosine(step, s["steps"], s["warmup_steps"], s["learning_rate"], s["min_learning_rate"])


def neighbour_pairs(verses):
    """(i, j) index pairs of verses in the same chapter at most `neighbour_window` apart."""
    pairs = []
    for i, (book, chapter, _, _) in enumerate(verses):
        for j in range(i + 1, min(len(verses), i + 1 + SETTINGS["neighbour_window"])):
            if verses[j][:2] == (book, chapter):
                pairs.append((i, j))
    return pairs


class Batcher:
    def __init__(self, stoi):
        self.stoi = stoi

    def ids(self, text, dropout=0.0, rng=None):
        tokens = [self.stoi.get(w, 1) for w in words(text)][: SETTINGS["max_length"]]
        if dropout and rng and len(tokens) > 4:
            tokens = [t for t in tokens if rng.random() >= dropout] or tokens[:1]
        return tokens

    def tensors(self, id_lists):
        length = max(len(ids) for ids in id_lists)
        input_ids = torch.zeros(len(id_lists), length, dtype=torch.long)
        mask = torch.zeros(len(id_lists), length, dtype=torch.long)
        for row, ids in enumerate(id_lists):
            input_ids[row, : len(ids)] = torch.tensor(ids)
            mask[row, : len(ids)] = 1
        return input_ids, mask


def embed(model, batcher, texts):
    input_ids, mask = batcher.tensors([batcher.ids(t) for t in texts])
    return mean_pool(model(input_ids, mask), mask)


@torch.no_grad()
def triplet_accuracy(model, batcher, triplets):
    model.eval()
    anchors, positives, negatives = (embed(model, batcher, [t[k] for t in triplets]) for k in range(3))
    model.train()
    right = ((anchors * positives).sum(-1) > (anchors * negatives).sum(-1)).sum().item()
    return right / len(triplets)


def lexical_triplet_accuracy(triplets):
    """Baseline: word overlap (Jaccard) instead of the model."""
    jaccard = lambda a, b: len(set(words(a)) & set(words(b))) / len(set(words(a)) | set(words(b)))
    return sum(jaccard(a, p) > jaccard(a, n) for a, p, n in triplets) / len(triplets)


@torch.no_grad()
def retrieval_accuracy(model, batcher, verses, pairs, candidates=100, rounds=20):
    """Held-out chapters: is a verse's neighbour the nearest among `candidates` verses?"""
    rng = random.Random(99)
    model.eval()
    hits = total = 0
    for _ in range(rounds):
        chosen = rng.sample(pairs, candidates)
        a = embed(model, batcher, [verses[i][3] for i, _ in chosen])
        b = embed(model, batcher, [verses[j][3] for _, j in chosen])
        hits += ((a @ b.T).argmax(dim=1) == torch.arange(candidates)).sum().item()
        total += candidates
    model.train()
    return hits / total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--steps", type=int, help="override SETTINGS['steps'] (for a quick trial)")
    args = parser.parse_args()
    s = SETTINGS
    if args.steps:
        s["steps"] = args.steps
    random.seed(s["seed"])
    torch.manual_seed(s["seed"])
    torch.set_num_threads(s["threads"])
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "triplets.json")) as f:
        triplets = json.load(f)

    train_verses, valid_verses = corpus.chapter_split(corpus.read_verses())
    counts = collections.Counter(w for v in train_verses for w in words(v[3]))
    itos = [PAD, UNK] + sorted(w for w, c in counts.items() if c >= s["min_word_count"])
    stoi = {w: i for i, w in enumerate(itos)}
    batcher = Batcher(stoi)
    train_pairs, valid_pairs = neighbour_pairs(train_verses), neighbour_pairs(valid_verses)
    model = SentenceEncoder(len(itos), s["n_layer"], s["n_head"], s["d_model"], s["max_length"], s["dropout"])
    parameters = sum(p.numel() for p in model.parameters())
    print(f"parameters {parameters:,}; vocabulary {len(itos):,}; {len(train_pairs):,} training pairs", flush=True)
    print(f"lexical baseline on triplets: {lexical_triplet_accuracy(triplets):.3f}", flush=True)
    # Start from co-occurrence word vectors, scaled to unit length on average.
    vectors = ppmi_svd_vectors(
        [[stoi.get(w, 1) for w in words(v[3])] for v in train_verses], len(itos), s["d_model"], s["cooccurrence_window"]
    )
    with torch.no_grad():
        model.tokens.weight.copy_(vectors / vectors[2:].norm(dim=1).mean())
    optimizer = torch.optim.AdamW(model.parameters(), lr=s["learning_rate"], weight_decay=s["weight_decay"])
    rng = random.Random(s["seed"])
    started = time.time()
    evaluate = lambda step, loss: {
        "step": step,
        "train_loss": None if loss is None else round(loss, 4),
        "valid_retrieval_at_1": round(retrieval_accuracy(model, batcher, valid_verses, valid_pairs), 4),
        "triplet_accuracy": round(triplet_accuracy(model, batcher, triplets), 4),
    }
    history = [evaluate(0, None)]
    print(f"{history[0]} (initialised from word vectors)", flush=True)
    # Model selection on the held-out chapters (never on the triplets).
    best = (history[0]["valid_retrieval_at_1"], 0, {k: v.clone() for k, v in model.state_dict().items()})
    for step in range(s["steps"]):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step)
        chosen = rng.sample(train_pairs, s["batch_size"])
        left = [batcher.ids(train_verses[i][3], s["word_dropout"], rng) for i, _ in chosen]
        right = [batcher.ids(train_verses[j][3], s["word_dropout"], rng) for _, j in chosen]
        a_ids, a_mask = batcher.tensors(left)
        b_ids, b_mask = batcher.tensors(right)
        a, b = mean_pool(model(a_ids, a_mask), a_mask), mean_pool(model(b_ids, b_mask), b_mask)
        logits = (a @ b.T) / s["temperature"]
        labels = torch.arange(len(chosen))
        loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if (step + 1) % s["eval_every"] == 0 or step + 1 == s["steps"]:
            entry = evaluate(step + 1, loss.item())
            history.append(entry)
            print(f"{entry} ({time.time() - started:.0f} s)", flush=True)
            if entry["valid_retrieval_at_1"] > best[0]:
                best = (entry["valid_retrieval_at_1"], step + 1, {k: v.clone() for k, v in model.state_dict().items()})

    model.load_state_dict(best[2])
    chosen = next(entry for entry in history if entry["step"] == best[1])
    print(f"kept step {best[1]}: {chosen}", flush=True)

    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
    export.export_encoder(model, len(itos), os.path.join(args.out, "onnx", "model.onnx"))
    export.write_word_tokenizer(args.out, itos, UNK, PAD, s["max_length"])
    export.write_encoder_config(args.out, s, len(itos))
    final = chosen
    with open(os.path.join(args.out, "training.json"), "w") as f:
        json.dump(
            {
                "settings": s,
                "parameters": parameters,
                "vocabulary": len(itos),
                "history": history,
                "kept_step": best[1],
                "triplet_accuracy": final["triplet_accuracy"],
                "lexical_baseline_triplet_accuracy": round(lexical_triplet_accuracy(triplets), 4),
                "valid_retrieval_at_1_of_100": final["valid_retrieval_at_1"],
                "seconds": round(time.time() - started),
                "torch": torch.__version__,
            },
            f,
            indent=2,
        )


if __name__ == "__main__":
    main()
