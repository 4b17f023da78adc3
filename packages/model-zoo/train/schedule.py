"""The learning-rate schedule both trainings use: linear warm-up, then cosine decay to a floor."""

import math


def warmup_cosine(step, steps, warmup_steps, peak, floor):
    if step < warmup_steps:
        return peak * (step + 1) / warmup_steps
    progress = (step - warmup_steps) / max(1, steps - warmup_steps)
    return floor + 0.5 * (peak - floor) * (1 + math.cos(math.pi * progress))
