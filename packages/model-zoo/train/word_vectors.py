"""Word vectors from co-occurrence (PPMI + truncated SVD, as in LSA / Levy &
Goldberg 2014), used to initialise the embedder's token table: they carry
topical similarity ("shepherd" near "flock") before contrastive training."""

import numpy as np
import torch


def ppmi_svd_vectors(token_ids, vocab_size, dims, window=5, special=2, context_smoothing=0.75, seed=0):
    """token_ids: one list of ids per verse. Returns a [vocab_size, dims] float32 tensor."""
    rows, cols = [], []
    for ids in token_ids:
        ids = np.asarray(ids)
        for distance in range(1, window + 1):
            if len(ids) > distance:
                rows.append(ids[:-distance])
                cols.append(ids[distance:])
    counts = np.zeros((vocab_size, vocab_size), dtype=np.float32)
    np.add.at(counts, (np.concatenate(rows), np.concatenate(cols)), 1)
    counts += counts.T
    total = counts.sum()
    word = counts.sum(1, keepdims=True)
    context = counts.sum(0, keepdims=True) ** context_smoothing
    context = context / context.sum() * total
    with np.errstate(divide="ignore"):
        pmi = np.log(counts * total / (word * context + 1e-9) + 1e-12)
    ppmi = np.maximum(pmi, 0).astype(np.float32)
    ppmi[:special] = 0  # padding and unknown get no meaning of their own
    ppmi[:, :special] = 0
    torch.manual_seed(seed)
    u, s, _ = torch.svd_lowrank(torch.from_numpy(ppmi), q=dims, niter=4)
    return (u * s.sqrt()).float()
